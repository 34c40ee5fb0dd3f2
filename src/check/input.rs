//! The input rules see for one document (schemas/input.schema.json).

use crate::document::{Node, Step};
use crate::engine;
use crate::kinds::KindSpec;
use crate::parse::Document;
use crate::secrets;
use crate::source::SourceFile;
use regorus::Value as RegoValue;
use serde_json::{json, Value as Json};

/// The input native rules see for one document (schemas/input.schema.json).
pub fn native_input(
    source: &SourceFile,
    kind: &'static KindSpec,
    doc: &Document,
) -> Result<RegoValue, String> {
    model_input(source, kind, doc, (kind.normalize)(&doc.node), None)
}

/// The input of one document from its model.
pub(super) fn model_input(
    source: &SourceFile,
    kind: &'static KindSpec,
    doc: &Document,
    model: crate::model::Model,
    dockerfile: Option<&Json>,
) -> Result<RegoValue, String> {
    let to_rego = |v: Json| RegoValue::from(v);
    let mut fields = vec![
        ("kind", RegoValue::from(kind.name)),
        ("path", RegoValue::from(&*source.path)),
        ("document_index", RegoValue::from(doc.index)),
        ("document", engine::node_to_rego(&doc.node)),
        (
            "workloads",
            to_rego(serde_json::to_value(&model.workloads).map_err(|e| e.to_string())?),
        ),
        (
            "images",
            to_rego(serde_json::to_value(&model.images).map_err(|e| e.to_string())?),
        ),
        ("secrets", to_rego(token_facts(&doc.node, source))),
    ];
    if let Some(context) = &doc.context {
        fields.push(("context", to_rego(context.clone())));
    }
    if let Some(image) = &model.image {
        fields.push((
            "image",
            to_rego(serde_json::to_value(image).map_err(|e| e.to_string())?),
        ));
        if let Some(dockerfile) = dockerfile {
            fields.push(("dockerfile", to_rego(dockerfile.clone())));
        }
    }
    Ok(engine::input(fields))
}

/// Token facts kept per document: this many, or one per 16 bytes of the
/// file when that is more (a token takes at least that much text, so only
/// aliases reach the bound). Aliases can repeat one 15 KB string of tokens
/// a thousand times, which built 380,000 facts (2.4 s of a fuzzing run).
pub(crate) const MAX_TOKEN_FACTS: usize = 10_000;

/// Known token formats in any string of the document, redacted. `span` is
/// the token's byte range in the file when its text appears verbatim inside
/// the string's node (a token deep in a multi-line RUN gets its own line).
/// A token repeated in one string is one fact; at most [`MAX_TOKEN_FACTS`]
/// facts (or one per 16 bytes of the file), the first in document order.
pub(super) fn token_facts(node: &Node, source: &SourceFile) -> Json {
    let mut facts = Vec::new();
    let max_facts = MAX_TOKEN_FACTS.max(source.text.len() / 16);
    node.walk_strings(&mut Vec::new(), &mut |path, string_node, s| {
        if facts.len() >= max_facts {
            return;
        }
        // A node merged from another file of the unit is not in `source`:
        // its findings fall back to `at`, the node's own place.
        let in_source = string_node.span.file == crate::source::FileId::PRIMARY;
        let within = match in_source {
            true => source.slice(string_node.span),
            false => "",
        };
        let mut seen: std::collections::HashMap<&str, Option<usize>> = Default::default();
        // Past a few distinct tokens, each is looked for only after the
        // previous one: searching the whole text for each of a crafted
        // string's thousands of tokens took quadratic time.
        let mut cursor = Some(0);
        for m in secrets::find_tokens(s) {
            let token = &s[m.range.clone()];
            if seen.contains_key(token) {
                // The same fact again: a rule's set of findings keeps one.
                continue;
            }
            let mut fact = json!({
                "kind": m.kind,
                "at": path_json(path),
                "redacted": secrets::redact(token),
            });
            let distinct = seen.len();
            let found = *seen.entry(token).or_insert_with(|| match cursor {
                _ if distinct < 64 => within.find(token),
                Some(from) => {
                    let found = within[from..].find(token).map(|i| from + i);
                    cursor = found.map(|i| i + token.len());
                    found
                }
                None => None,
            });
            if let Some(i) = found {
                let start = string_node.span.start + i;
                fact["span"] = json!([start, start + token.len()]);
            }
            facts.push(fact);
            if facts.len() >= max_facts {
                return;
            }
        }
    });
    Json::Array(facts)
}

pub(super) fn path_json(path: &[Step]) -> Json {
    Json::Array(
        path.iter()
            .map(|s| match s {
                Step::Key(k) => Json::String(k.clone()),
                Step::Index(i) => Json::from(*i),
            })
            .collect(),
    )
}
