//! From what a rule returned to a place users can open: a span of the
//! file, a resource name, a logical location inside an image.

use crate::document::{Node, Step};
use crate::engine::{Evaluator, RawFinding};
use crate::finding::{Finding, Location};
use crate::parse::{Document, KindSpec};
use crate::source::{Files, Span};
use regorus::Value as RegoValue;

/// `input.image` of an image's input.
pub(super) fn image_facts(kind: &KindSpec, input: &RegoValue) -> Option<RegoValue> {
    (kind.name == "image").then(|| input["image"].clone())
}

/// Where in an image a rule's path points, in words: `config.User`,
/// `history[3] RUN …` (redacted), `layer sha256:… path`, `reference app:1`.
pub(super) fn logical_location(path: Option<&[Step]>, image: &RegoValue) -> String {
    let path = path.unwrap_or(&[]);
    let text = |v: &RegoValue| match v {
        RegoValue::String(s) => Some(s.to_string()),
        _ => None,
    };
    let at = |list: &str, i: usize| match &image[list] {
        RegoValue::Array(items) => items.get(i).cloned(),
        _ => None,
    };
    let dotted = || {
        let mut out = String::new();
        for step in path {
            match step {
                Step::Key(k) if out.is_empty() => out.push_str(k),
                Step::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        if out.is_empty() {
            out.push_str("image");
        }
        out
    };
    let found = match path {
        [Step::Key(k), Step::Index(j), ..] if k == "files" => {
            at("files", *j).and_then(|f| text(&f["location"]))
        }
        [Step::Key(k), Step::Index(i), ..] if k == "references" => at("references", *i)
            .and_then(|r| text(&r))
            .map(|r| format!("reference {r}")),
        [Step::Key(k), Step::Index(i), ..] if k == "layers" => at("layers", *i)
            .and_then(|l| text(&l["digest"]))
            .map(|d| format!("layer {d}")),
        [Step::Key(k), Step::Index(i), ..] if k == "history" => {
            at("history", *i).map(|h| match text(&h["created_by"]) {
                Some(c) => format!("history[{i}] {}", shorten(c.trim(), 100)),
                None => format!("history[{i}]"),
            })
        }
        _ => None,
    };
    found.unwrap_or_else(dotted)
}

pub(super) fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// A rule's finding at the place its path (or exact span) points to, in
/// whichever file of the unit set that node, with the node's related
/// location if the document has one.
pub(super) fn resolve(
    evaluator: &Evaluator,
    files: Files,
    kind: &'static KindSpec,
    doc: &Document,
    raw: RawFinding,
) -> Finding {
    let rule = &evaluator.rules[raw.rule];
    let (span, node) = match (raw.span, &raw.at) {
        (Some(span), _) if span.end <= files.of(span).text.len() => (span, span),
        (_, Some(path)) => {
            let located = doc.node.locate(path);
            (located.span, located.node)
        }
        _ => (doc.node.span, doc.node.span),
    };
    let resource = raw.resource.or_else(|| default_resource(&doc.node));
    let mut finding = Finding::at_in(&rule.meta, files, kind.name, span, raw.message, resource);
    finding.related = related_locations(files, doc, &[span, node]);
    finding
}

/// The related location of the first of `spans` that has one.
pub(super) fn related_locations(files: Files, doc: &Document, spans: &[Span]) -> Vec<Location> {
    if doc.related.is_empty() {
        return Vec::new();
    }
    spans
        .iter()
        .find_map(|s| doc.related.get(s))
        .map(|r| Location::at(files, r.span, r.message.clone()))
        .into_iter()
        .collect()
}

/// `Kind/name` for a Kubernetes object when the rule named no resource.
pub(super) fn default_resource(doc: &Node) -> Option<String> {
    let kind = doc.get("kind")?.as_str()?;
    let name = doc
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Node::as_str)
        .unwrap_or("");
    Some(format!("{kind}/{name}"))
}
