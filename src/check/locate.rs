//! From what a rule returned to a place users can open: a span of the
//! file, a resource name, a logical location inside an image.

use crate::document::Node;
use crate::engine::{Evaluator, RawFinding};
use crate::finding::Finding;
use crate::kinds::KindSpec;
use crate::source::SourceFile;

pub(super) fn resolve(
    evaluator: &Evaluator,
    source: &SourceFile,
    kind: &'static KindSpec,
    doc: &Node,
    raw: RawFinding,
) -> Finding {
    let rule = &evaluator.rules[raw.rule];
    let span = match (raw.span, &raw.at) {
        (Some(span), _) if span.end <= source.text.len() => span,
        (_, Some(path)) => doc.locate(path).span,
        _ => doc.span,
    };
    let resource = raw.resource.or_else(|| default_resource(doc));
    Finding::at(&rule.meta, source, kind.name, span, raw.message, resource)
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
