//! The combined evaluation: rules of kind `combined` see every document of
//! the run at once.

use super::locate::resolve;
use super::outcome::{FileOutcome, Outcome};
use super::rules_failed;
use crate::engine::{self, Evaluator};
use crate::finding::{FileError, Origin};
use crate::source::Files;
use regorus::Value as RegoValue;

/// The combined evaluation: rules of kind `combined` see every document of
/// the run at once (`input.documents`), for relations between documents (a
/// Deployment and the NetworkPolicy that should select it). Their findings
/// name the document (`path`, `document_index`) and are located in it.
pub(super) fn run_combined(evaluator: &mut Evaluator, outcome: &mut Outcome) {
    let documents: Vec<RegoValue> = outcome
        .files
        .iter_mut()
        .flat_map(|f| std::mem::take(&mut f.inputs))
        .collect();
    if documents.is_empty() {
        return;
    }
    // Index of documents by Kubernetes namespace, so rules relating objects of
    // one namespace need not compare every pair.
    let mut by_namespace: std::collections::BTreeMap<RegoValue, Vec<RegoValue>> =
        Default::default();
    for (i, d) in documents.iter().enumerate() {
        if d["kind"] != RegoValue::from(crate::kinds::KUBERNETES.name) {
            continue;
        }
        let ns = match &d["document"]["metadata"]["namespace"] {
            RegoValue::String(s) => RegoValue::String(s.clone()),
            _ => RegoValue::from("default"),
        };
        by_namespace.entry(ns).or_default().push(RegoValue::from(i));
    }
    let namespaces: std::collections::BTreeMap<RegoValue, RegoValue> = by_namespace
        .into_iter()
        .map(|(k, v)| (k, RegoValue::from(v)))
        .collect();
    let input = engine::input(vec![
        ("documents", RegoValue::from(documents)),
        ("namespaces", RegoValue::from(namespaces)),
    ]);
    let (raw, errors) = evaluator.evaluate(engine::COMBINED, input);
    // The rules that ran still report their findings.
    if let Err(message) = rules_failed(errors) {
        outcome.files.push(FileOutcome {
            error: Some(FileError::whole(
                "<combined>",
                format!("cross-document policy evaluation failed: {message}"),
            )),
            origin: Origin::Combined,
            ..Default::default()
        });
    }
    for r in raw {
        let Some(path) = r.path.clone() else { continue };
        let Some(file) = outcome
            .files
            .iter_mut()
            .find(|f| f.source.as_ref().is_some_and(|s| *s.path == *path))
        else {
            continue;
        };
        let (Some(source), Some(kind), Some(docs)) = (&file.source, file.kind, &file.parsed) else {
            continue;
        };
        let Some(doc) = docs
            .iter()
            .find(|d| d.index == r.document_index.unwrap_or(0))
        else {
            continue;
        };
        let files = Files {
            primary: source,
            others: &file.extra_files,
        };
        let finding = resolve(evaluator, files, kind, doc, r);
        file.findings.push(finding);
    }
}
