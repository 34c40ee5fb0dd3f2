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

/// Rule selections against noise, each holding the one before it:
/// `minimal` (findings that are almost always real and grave), `default`
/// (every rule not opt-in: what a run without a profile checks) and `strict`
/// (everything, opt-in rules too). `docs/profiles.md` lists their rules.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    Minimal,
    #[default]
    Default,
    Strict,
}

impl Profile {
    pub const ALL: [Profile; 3] = [Profile::Minimal, Profile::Default, Profile::Strict];

    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Minimal => "minimal",
            Profile::Default => "default",
            Profile::Strict => "strict",
        }
    }

    /// What the profile is for, as the docs say it.
    pub fn purpose(self) -> &'static str {
        match self {
            Profile::Minimal => "Findings that are almost always real and grave: privileged containers, host access, secrets, escalation, broken references; for a first gate in CI without noise",
            Profile::Default => "Every rule that is not opt-in; what runs without a profile",
            Profile::Strict => "Every rule, opt-in ones too (digest pinning, process limits, namespaces...)",
        }
    }
}

impl fmt::Display for Profile {
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
    /// Opt-in rules are off unless enabled by id, name or tag (or the
    /// `strict` profile).
    #[serde(default = "yes")]
    pub default_enabled: bool,
    /// The smallest profile holding the rule, when it is not the one
    /// `default_enabled` implies (`default`, or `strict` for opt-in rules):
    /// built-in rules write `"profile": "minimal"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    /// Reported by `policy` itself (suppression bookkeeping), not by the
    /// file's `deny` rule: its Rego file holds only the metadata.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub engine: bool,
}

fn yes() -> bool {
    true
}

impl RuleMeta {
    /// The smallest profile holding the rule.
    pub fn smallest_profile(&self) -> Profile {
        match (self.profile, self.default_enabled) {
            (Some(p), _) => p,
            (None, true) => Profile::Default,
            (None, false) => Profile::Strict,
        }
    }

    /// Whether `profile` runs the rule (profiles nest).
    pub fn in_profile(&self, profile: Profile) -> bool {
        self.smallest_profile() <= profile
    }

    /// `profile` and `default_enabled` must agree: a rule in the minimal or
    /// default profile is on by default; one only in `strict` is opt-in.
    pub fn check_profile(&mut self) -> Result<(), String> {
        match (self.profile, self.default_enabled) {
            (Some(Profile::Strict), _) => self.default_enabled = false,
            (Some(p), false) => {
                return Err(format!(
                    "`\"profile\": \"{p}\"` contradicts `\"default_enabled\": false`: a rule of the {p} profile runs by default"
                ))
            }
            _ => {}
        }
        Ok(())
    }
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
