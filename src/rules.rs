//! Rule metadata, as each policy declares it in Rego (`metadata := {...}`).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A bad and a good example of one kind, shown by `policy explain` and the docs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub kind: String,
    pub bad: String,
    pub good: String,
}

/// Families of rules: the first tag of every built-in rule names one, so a
/// team can select or drop a whole concern (`--disable hygiene`).
pub const FAMILIES: &[(&str, &str)] = &[
    (
        "privilege",
        "what the container may do to its host: root, capabilities, host namespaces",
    ),
    ("rbac", "what a Kubernetes role lets its subjects do"),
    (
        "isolation",
        "namespaces that keep applications, their permissions and quotas apart",
    ),
    (
        "network",
        "what is reachable: exposed ports, host ports, network policies, TLS",
    ),
    ("pinned-image", "image references that can change under you"),
    ("supply-chain", "where images and scripts come from"),
    ("secrets", "secrets written where they are read or shipped"),
    ("resource-limits", "CPU, memory and quotas"),
    ("read-only-rootfs", "writable root filesystems"),
    ("health", "healthchecks and probes"),
    (
        "resilience",
        "restarts, replicas, disruption budgets, autoscaling",
    ),
    ("logging", "log rotation"),
    (
        "hygiene",
        "image build practice: layers, caches, instructions",
    ),
    ("image-size", "what makes images large"),
    ("correctness", "references that point at nothing"),
    (
        "deprecation",
        "API versions and instructions on their way out",
    ),
    ("drift", "what runs differs from what is declared"),
    ("suppression", "suppressions that suppress nothing"),
    (
        "syntax",
        "input that parses but means something else than it says",
    ),
];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    /// Stable identifier, e.g. `CP101`.
    pub id: String,
    /// Readable slug, e.g. `run-as-root`; accepted wherever an id is.
    pub name: String,
    pub title: String,
    pub severity: Severity,
    pub tags: Vec<String>,
    /// Kinds of artifact the rule applies to.
    pub kinds: Vec<String>,
    /// What it checks and why it matters.
    pub why: String,
    /// How to fix it.
    pub fix: String,
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Opt-in rules are off unless enabled by id, name or tag.
    #[serde(default = "yes")]
    pub default_enabled: bool,
    /// Reported by `policy` itself (suppression bookkeeping), not by the
    /// file's `deny` rule: its Rego file holds only the metadata.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub engine: bool,
}

fn yes() -> bool {
    true
}

/// A loaded rule: its metadata and where it lives.
#[derive(Debug, Clone)]
pub struct Rule {
    pub meta: RuleMeta,
    /// The Rego package, e.g. `data.rules.run_as_root`.
    pub package: String,
    /// The policy file it came from.
    pub file: String,
}

impl Rule {
    /// Does a selector (id, name or tag) name this rule?
    pub fn matches(&self, selector: &str) -> bool {
        self.meta.id.eq_ignore_ascii_case(selector)
            || self.meta.name == selector
            || self.meta.tags.iter().any(|t| t == selector)
    }
}
