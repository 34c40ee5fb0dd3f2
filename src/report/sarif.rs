//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning and other SARIF
//! viewers read it (schema: `schemas/sarif-schema-2.1.0.json`).
//!
//! One run; one rule descriptor per rule id (every rule that ran, then any
//! other id a finding carries, such as a conftest rule); one result per
//! finding, suppressed ones included with their `suppressions`. Files that
//! could not be checked are tool notifications, not results.

use super::Context;
use crate::check::Outcome;
use crate::finding::{FileError, Finding, Skipped};
use crate::rules::{RuleMeta, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The key of our fingerprint in `partialFingerprints`; bump the version if
/// the fingerprint's recipe changes, so that GitHub does not match old alerts
/// to new fingerprints (v2: the file is relative to the repository root).
const FINGERPRINT_KEY: &str = "policyFingerprint/v2";
/// Paths are relative to the repository root (see [`crate::repo_path`]);
/// GitHub resolves this base to the checkout.
const SRCROOT: &str = "%SRCROOT%";

/// Tags that make a rule a security rule for GitHub code scanning, which then
/// ranks its alerts by `security-severity` (critical/high/medium/low).
const SECURITY_TAGS: &[&str] = &[
    "privilege",
    "non-root",
    "secrets",
    "supply-chain",
    "read-only-rootfs",
];

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation; 1],
    /// Our columns count characters, not UTF-16 units (SARIF's default).
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

fn text(s: impl Into<String>) -> Text {
    Text { text: s.into() }
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    /// `pass` for a probe that passed; absent (`fail`) otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    /// Other places that explain the result (the values line behind a
    /// template line), each with its message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    /// Set on related locations, which the schema wants unique.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

#[derive(Serialize)]
struct LogicalLocation {
    name: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<&'a str>,
    /// The comment or annotation that suppresses the finding.
    location: Location,
}

pub fn write(outcome: &Outcome, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let rules = descriptors(outcome, ctx);
    let index: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let mut results: Vec<SarifResult> = outcome
        .all_findings()
        .map(|f| result(f, index[f.rule.as_str()]))
        .collect();
    // Probes that passed are results of kind `pass` (failures are findings).
    if let Some(&rule_index) = index.get(crate::finding::PROBE_RULE) {
        results.extend(
            outcome
                .probes
                .iter()
                .filter(|p| p.result == "pass")
                .map(|p| passed_probe(p, rule_index)),
        );
    }
    let notifications: Vec<Notification> = outcome
        .errors()
        .map(error_notification)
        .chain(outcome.skipped().map(skipped_notification))
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "policy",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules,
                },
            },
            invocations: [Invocation {
                execution_successful: outcome.errors().next().is_none(),
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The rules that ran, in their order (by id), then the ids only findings
/// name (conftest rules), sorted.
fn descriptors(outcome: &Outcome, ctx: &Context) -> Vec<Descriptor> {
    let mut rules: Vec<Descriptor> = ctx
        .rules
        .iter()
        .map(|m| described(m, ctx.builtin.contains(&m.id)))
        .collect();
    let mut others: BTreeMap<&str, &Finding> = BTreeMap::new();
    for f in outcome.all_findings() {
        if !ctx.rules.iter().any(|m| m.id == f.rule) {
            others.entry(&f.rule).or_insert(f);
        }
    }
    rules.extend(others.into_values().map(synthesized));
    rules
}

fn described(m: &RuleMeta, builtin: bool) -> Descriptor {
    let security = m.tags.iter().any(|t| SECURITY_TAGS.contains(&t.as_str()));
    let mut tags = m.tags.clone();
    if security {
        tags.push("security".into());
    }
    Descriptor {
        id: m.id.clone(),
        name: m.name.clone(),
        short_description: text(&m.title),
        full_description: text(m.why.trim()),
        help: Help {
            text: format!("{}\n\nHow to fix: {}", m.why.trim(), m.fix.trim()),
            // The same page as docs/rules/ID.md: why, fix and examples.
            markdown: crate::docs::rule_markdown(m),
        },
        help_uri: builtin.then(|| {
            format!(
                "{}/blob/main/docs/rules/{}.md",
                env!("CARGO_PKG_REPOSITORY"),
                m.id
            )
        }),
        default_configuration: Configuration {
            level: level(m.severity),
        },
        properties: RuleProperties {
            tags,
            security_severity: security.then(|| security_severity(m.severity)),
        },
    }
}

/// A descriptor for a rule with no metadata (a conftest-style `deny`/`warn`
/// rule of a user policy), from what its first finding says.
fn synthesized(f: &Finding) -> Descriptor {
    let (package, rule) = f.rule.rsplit_once('.').unwrap_or(("", &f.rule));
    let about = if package.is_empty() {
        format!("the `{rule}` rule of a user policy")
    } else {
        format!("the `{rule}` rule of package `{package}` in a user policy")
    };
    let why = format!("Reported by {about}; its message says what is wrong.");
    Descriptor {
        id: f.rule.clone(),
        name: f.name.clone(),
        short_description: text(format!("{} (user policy)", f.rule)),
        full_description: text(&why),
        help: Help {
            text: why.clone(),
            markdown: why,
        },
        help_uri: None,
        default_configuration: Configuration {
            level: level(f.severity),
        },
        properties: RuleProperties {
            tags: f.tags.clone(),
            security_severity: None,
        },
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// GitHub's bands: critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low above 0.
/// Derived from the severity that ran, so `--severity` overrides carry over.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    }
}

fn result(f: &Finding, rule_index: usize) -> SarifResult<'_> {
    let mut logical_locations: Vec<LogicalLocation> = f
        .resource
        .iter()
        .map(|r| LogicalLocation {
            name: r.clone(),
            kind: "resource",
        })
        .collect();
    // In a built image: `config.User`, `history[3] …`, `layer sha256:… path`.
    if let Some(l) = &f.logical_location {
        logical_locations.push(LogicalLocation {
            name: l.clone(),
            kind: "element",
        });
    }
    let region = Region {
        start_line: f.line,
        start_column: Some(f.column),
        end_line: Some(f.end_line),
        end_column: Some(f.end_column),
    };
    SarifResult {
        rule_id: &f.rule,
        rule_index,
        kind: None,
        level: level(f.severity),
        message: text(&f.message),
        locations: [Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: artifact_location(&f.path),
                region: Some(region),
            },
            logical_locations,
            message: None,
        }],
        related_locations: f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| Location {
                id: Some(i + 1),
                physical_location: PhysicalLocation {
                    artifact_location: artifact_location(&r.path),
                    region: Some(Region {
                        start_line: r.line,
                        start_column: Some(r.column),
                        end_line: Some(r.end_line),
                        end_column: Some(r.end_column),
                    }),
                },
                logical_locations: Vec::new(),
                message: Some(text(&r.message)),
            })
            .collect(),
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, f.fingerprint.as_str())]),
        suppressions: f
            .suppression
            .iter()
            .map(|s| Suppression {
                kind: "inSource",
                status: "accepted",
                justification: s.reason.as_deref().or(s.peer.as_deref()),
                location: file_location(&f.path, Some(s.line), None),
            })
            .collect(),
    }
}

fn passed_probe(p: &crate::finding::ProbeResult, rule_index: usize) -> SarifResult<'_> {
    // A declared probe is where its file declares it; an explicit one is its URL.
    let location = match p.declared_at.as_deref().and_then(|at| {
        let mut parts = at.rsplitn(3, ':');
        let column = parts.next()?.parse().ok()?;
        let line = parts.next()?.parse().ok()?;
        Some((parts.next()?, line, column))
    }) {
        Some((path, line, column)) => file_location(path, Some(line), Some(column)),
        None => file_location(&p.target, None, None),
    };
    SarifResult {
        rule_id: crate::finding::PROBE_RULE,
        rule_index,
        kind: Some("pass"),
        level: "none",
        message: text(format!("probe {}: {}", p.target, p.message)),
        locations: [Location {
            logical_locations: p
                .resource
                .iter()
                .map(|r| LogicalLocation {
                    name: r.clone(),
                    kind: "resource",
                })
                .collect(),
            ..location
        }],
        related_locations: Vec::new(),
        partial_fingerprints: BTreeMap::new(),
        suppressions: Vec::new(),
    }
}

fn error_notification(e: &FileError) -> Notification {
    Notification {
        level: "error",
        message: text(format!("could not check this file: {}", e.message)),
        locations: e
            .origin
            .names_a_file()
            .then(|| file_location(&e.path, e.line, e.column))
            .into_iter()
            .collect(),
    }
}

fn skipped_notification(s: &Skipped) -> Notification {
    Notification {
        level: "note",
        message: text(format!("skipped: {}", s.reason)),
        locations: vec![file_location(&s.path, None, None)],
    }
}

/// A place in a file: a line (and column) when known, else the whole file.
fn file_location(path: &str, line: Option<usize>, column: Option<usize>) -> Location {
    Location {
        id: None,
        message: None,
        physical_location: PhysicalLocation {
            artifact_location: artifact_location(path),
            region: line.map(|start_line| Region {
                start_line,
                start_column: column,
                end_line: None,
                end_column: None,
            }),
        },
        logical_locations: Vec::new(),
    }
}

/// A path as a URI reference: relative paths stay relative to `%SRCROOT%`
/// (GitHub matches them to the repository), absolute ones become `file:` URIs.
fn artifact_location(path: &str) -> ArtifactLocation {
    // `docker://web`, a probe's URL: already a URI.
    if super::is_uri(path) {
        return ArtifactLocation {
            uri: path.to_string(),
            uri_base_id: None,
        };
    }
    let mut portable = super::portable_path(path);
    if std::path::Path::new(path).is_absolute() {
        if !portable.starts_with('/') {
            portable.insert(0, '/'); // C:/x → /C:/x
        }
        return ArtifactLocation {
            uri: format!("file://{}", encode(&portable, true)),
            uri_base_id: None,
        };
    }
    ArtifactLocation {
        uri: encode(&portable, false),
        uri_base_id: Some(SRCROOT),
    }
}

/// Percent-encodes every byte but unreserved characters and `/` (RFC 3986).
/// A `:` is kept only in absolute URIs: in a relative one it would read as a
/// scheme (`a:b.yaml`).
fn encode(path: &str, keep_colon: bool) -> String {
    let mut uri = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (keep_colon && b == b':')
        {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_uri_references_from_the_source_root() {
        let uri = |p: &str| artifact_location(p).uri;
        assert_eq!(uri("k8s/web.yaml"), "k8s/web.yaml");
        assert_eq!(uri("./Dockerfile"), "Dockerfile");
        assert_eq!(uri("a b,c:d%.yaml"), "a%20b%2Cc%3Ad%25.yaml");
        assert_eq!(uri("café/x"), "caf%C3%A9/x");
        assert_eq!(artifact_location("x").uri_base_id, Some(SRCROOT));
    }

    #[cfg(unix)]
    #[test]
    fn absolute_paths_are_file_uris() {
        let abs = artifact_location("/srv/app dir/Dockerfile");
        assert_eq!(abs.uri, "file:///srv/app%20dir/Dockerfile");
        assert_eq!(abs.uri_base_id, None);
    }
}
