//! What a run reports, at the bottom of the house: findings, files that
//! could not be checked or were skipped, suppressions and probe results.
//! Every layer above builds these; none of them imports a layer above.

use crate::rules::{RuleMeta, Severity};
use crate::source::{Files, Position, SourceFile, Span};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// The rule a failed probe reports.
pub const PROBE_RULE: &str = "CP610";
/// The kind an explicit probe's finding reports (its "file" is its URL).
pub const PROBE_KIND: &str = "probe";

/// Where an outcome comes from. Reporters ask this, never the path's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    /// A file or directory the run was given (an image archive is a file).
    #[default]
    File,
    /// Standard input (`-`).
    Stdin,
    /// A live container, or the engine it was read from (`docker://NAME`).
    Container,
    /// An explicit probe (`--probe URL`): its URL is its name.
    Probe,
    /// The cross-document evaluation, which belongs to no one file.
    Combined,
}

impl Origin {
    /// What runs now, rather than what files declare.
    pub fn is_live(self) -> bool {
        matches!(self, Origin::Container | Origin::Probe)
    }

    /// Whether the path is a file CI systems can annotate.
    pub fn names_a_file(self) -> bool {
        matches!(self, Origin::File | Origin::Stdin)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub name: String,
    pub severity: Severity,
    pub tags: Vec<String>,
    pub message: String,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(deserialize_with = "kind_name")]
    pub kind: KindName,
    #[serde(skip)]
    pub span: Span,
    /// Stable across runs and line shifts (see [`crate::check::baseline`]).
    pub fingerprint: String,
    /// Set when a `policy:ignore` comment or annotation covers the finding:
    /// it is reported but does not count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Suppression>,
    /// Keys of a conftest result object other than `msg` (secrets redacted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Json>,
    /// Where in a built image: `config.User`, `history[3] RUN …`,
    /// `layer sha256:… etc/ssh/id_rsa` (line and column say little there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logical_location: Option<String>,
    #[serde(skip)]
    pub origin: Origin,
    /// Other places that explain the finding: the values.yaml line that set
    /// what a template emitted, the base a patch changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Location>,
}

/// A place in a file, with what it has to do with a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    #[serde(skip)]
    pub span: Span,
}

impl Location {
    /// `span` of whichever file of `files` it points into.
    pub fn at(files: Files, span: Span, message: impl Into<String>) -> Location {
        let source = files.of(span);
        let (start, end) = positions(source, span);
        Location {
            path: source.path.to_string(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            message: message.into(),
            span,
        }
    }
}

impl Finding {
    /// A finding of `rule` at `span` of `source`: what a rule's `deny`
    /// resolves to, and what `policy` reports itself (a duplicate key, a
    /// failed probe, a stale suppression).
    pub fn at(
        rule: &RuleMeta,
        source: &SourceFile,
        kind: &'static str,
        span: Span,
        message: String,
        resource: Option<String>,
    ) -> Finding {
        Finding::at_in(rule, Files::single(source), kind, span, message, resource)
    }

    /// [`Finding::at`] in a unit of several files: the finding's path and
    /// position are those of the file `span` points into.
    pub fn at_in(
        rule: &RuleMeta,
        files: Files,
        kind: &'static str,
        span: Span,
        message: String,
        resource: Option<String>,
    ) -> Finding {
        Finding {
            rule: rule.id.clone(),
            name: rule.name.clone(),
            severity: rule.severity,
            tags: rule.tags.clone(),
            message,
            resource,
            ..Finding::located_in(files, kind, span)
        }
    }

    /// The location part of a finding at `span` of `source`; the caller
    /// fills in the rule and the message (`Finding { rule, .., ..located }`).
    pub fn located(source: &SourceFile, kind: &'static str, span: Span) -> Finding {
        Finding::located_in(Files::single(source), kind, span)
    }

    /// [`Finding::located`] in the file of `files` that `span` points into.
    pub fn located_in(files: Files, kind: &'static str, span: Span) -> Finding {
        let source = files.of(span);
        let (start, end) = positions(source, span);
        Finding {
            rule: String::new(),
            name: String::new(),
            severity: Severity::Info,
            tags: Vec::new(),
            message: String::new(),
            path: source.path.to_string(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            resource: None,
            kind,
            span,
            fingerprint: String::new(),
            suppression: None,
            metadata: None,
            logical_location: None,
            origin: Origin::File,
            related: Vec::new(),
        }
    }
}

impl FileError {
    /// An error about a whole input, with no position (unreadable, not an image).
    pub fn whole(path: impl Into<String>, message: impl Into<String>) -> FileError {
        FileError {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            span: None,
            origin: Origin::File,
        }
    }

    /// An error at `span` of `source`.
    pub fn at(source: &SourceFile, span: Span, message: impl Into<String>) -> FileError {
        let pos = source.position(span.start);
        FileError {
            path: source.path.to_string(),
            line: Some(pos.line),
            column: Some(pos.column),
            message: message.into(),
            span: Some(span),
            origin: Origin::File,
        }
    }
}

/// Where a span starts and ends; an empty span still covers one column, so
/// editors can show it.
pub fn positions(source: &SourceFile, span: Span) -> (Position, Position) {
    let (start, end) = source.range(span);
    if end <= start {
        return (
            start,
            Position {
                line: start.line,
                column: start.column + 1,
            },
        );
    }
    (start, end)
}

/// A file that could not be checked.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileError {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    pub message: String,
    #[serde(skip)]
    pub span: Option<Span>,
    #[serde(skip)]
    pub origin: Origin,
}

/// A file listed but not checked: named explicitly but claimed by no kind,
/// or a symlink the walk does not follow.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// How a finding was suppressed; kept in JSON and SARIF output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    pub kind: SuppressionKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Line of the comment or annotation that suppresses it.
    pub line: usize,
    /// The peer tool's pragma that suppresses it (`hadolint ignore=DL3002`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SuppressionKind {
    /// `# policy:ignore` on or before the node.
    Inline,
    /// `# policy:ignore-file`.
    File,
    /// The `policy.container/ignore` annotation of a Kubernetes object.
    Annotation,
}

/// One probe and what it gave, as reports list it.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeResult {
    /// `http://127.0.0.1:8080/health`, `tcp://127.0.0.1:5432`.
    pub target: String,
    #[serde(rename = "type")]
    pub scheme: ProbeScheme,
    /// `explicit` (`--probe`) or `declared` (a manifest or compose file).
    pub source: &'static str,
    /// Where a declared probe is written: `path:line:column`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// `pass`, `fail`, or `skipped` (a declared probe that is not run, with the reason).
    pub result: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    pub attempts: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProbeScheme {
    Http,
    Tcp,
    /// A container's healthcheck command, run through exec (`--exec-healthchecks`).
    Exec,
}

/// A kind's name (an alias, so that serde's derive does not ask readers
/// for a `'static` input: [`kind_name`] reads it).
pub type KindName = &'static str;

/// A finding's kind read back from a report (`policy merge`): kind names
/// are few, so each distinct one is kept once for the life of the process.
fn kind_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    static NAMES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let name = String::deserialize(d)?;
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = names.iter().find(|n| **n == name) {
        return Ok(known);
    }
    let kept: &'static str = Box::leak(name.into_boxed_str());
    names.push(kept);
    Ok(kept)
}
