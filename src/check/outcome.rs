//! What a run produced: one outcome per input, and the run's totals.

use crate::check::suppress::Directive;
use crate::finding::{FileError, Finding, Origin, ProbeResult, Skipped};
use crate::kinds::KindSpec;
use crate::parse::Document;
use crate::source::{Files, SourceFile};
use regorus::Value as RegoValue;
use std::sync::Arc;

/// The result of checking one file.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub source: Option<SourceFile>,
    /// Files besides `source` that the documents' nodes point into (a
    /// compose override file, a chart's values.yaml): `FileId(n)` is
    /// `extra_files[n - 1]`. Empty for a single file.
    pub extra_files: Vec<SourceFile>,
    pub kind: Option<&'static KindSpec>,
    pub origin: Origin,
    /// The documents, kept when a later step needs them (cross-document
    /// findings, declared probes, healthchecks, `inspect`): parsed once.
    pub parsed: Option<Arc<[Document]>>,
    pub documents: usize,
    pub findings: Vec<Finding>,
    pub error: Option<FileError>,
    pub skipped: Option<Skipped>,
    /// Each document's rule input, kept for the combined (cross-document)
    /// evaluation when a selected rule needs it. Values are shared, not copied.
    pub inputs: Vec<RegoValue>,
    /// `policy:ignore` comments and annotations, applied once all findings are in.
    pub directives: Vec<Directive>,
    /// Read for another shard's whole-run rules (`--shard` with `--combine`).
    pub foreign: bool,
}

impl FileOutcome {
    /// The files the findings' spans point into, when there is text.
    pub fn files(&self) -> Option<Files<'_>> {
        self.source.as_ref().map(|primary| Files {
            primary,
            others: &self.extra_files,
        })
    }
}

/// Everything a run produced, sorted.
#[derive(Debug, Default)]
pub struct Outcome {
    pub files: Vec<FileOutcome>,
    /// Findings dropped because the baseline holds them.
    pub baselined: usize,
    /// Probes the runtime stage ran, passed or not (a failure is also a finding).
    pub probes: Vec<ProbeResult>,
    /// What paths are relative to in fingerprints and machine-read reports.
    pub root: crate::repo_path::RepoRoot,
}

impl Outcome {
    /// Every reported path made relative to [`Outcome::root`] (JSON, SARIF,
    /// GitHub and JUnit reports; human output keeps paths as typed).
    pub fn relativize(&mut self) {
        let root = &self.root;
        for file in &mut self.files {
            for f in &mut file.findings {
                f.path = root.relative(&f.path);
                for r in &mut f.related {
                    r.path = root.relative(&r.path);
                }
            }
            if let Some(e) = &mut file.error {
                e.path = root.relative(&e.path);
            }
            if let Some(s) = &mut file.skipped {
                s.path = root.relative(&s.path);
            }
        }
    }

    /// Every finding, suppressed ones included.
    pub fn all_findings(&self) -> impl Iterator<Item = &Finding> {
        self.files.iter().flat_map(|f| f.findings.iter())
    }
    /// The findings that count: not suppressed.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.all_findings().filter(|f| f.suppression.is_none())
    }
    pub fn suppressed(&self) -> impl Iterator<Item = &Finding> {
        self.all_findings().filter(|f| f.suppression.is_some())
    }
    pub fn errors(&self) -> impl Iterator<Item = &FileError> {
        self.files.iter().filter_map(|f| f.error.as_ref())
    }
    pub fn skipped(&self) -> impl Iterator<Item = &Skipped> {
        self.files.iter().filter_map(|f| f.skipped.as_ref())
    }
    pub fn source(&self, path: &str) -> Option<&SourceFile> {
        self.files
            .iter()
            .filter_map(|f| f.source.as_ref())
            .find(|s| &*s.path == path)
    }
}
