//! From what a rule returned to a place users can open: a span of the
//! file, a resource name, a logical location inside an image.

use crate::document::Node;
use crate::engine::{Evaluator, RawFinding};
use crate::finding::{Finding, Location};
use crate::kinds::KindSpec;
use crate::parse::Document;
use crate::source::{Files, Span};

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
    // One of several renderings of a unit (a chart's value sets) says which.
    let variant = doc
        .context
        .as_ref()
        .and_then(|c| c.get("variant")?.as_str());
    let resource = match (resource, variant) {
        (Some(r), Some(v)) => Some(format!("{r} [{v}]")),
        (r, _) => r,
    };
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
    Some(format!(
        "{kind}/{}",
        crate::model::kubernetes::display_name(name)
    ))
}
