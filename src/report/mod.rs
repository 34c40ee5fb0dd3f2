//! Output formats. Each format is one module with one `write` function and
//! one line in [`FORMATS`]; reporters only format what the run produced.

mod compact;
mod github;
mod human;
mod json;
mod junit;
mod sarif;

use crate::check::Outcome;
use crate::rules::Severity;
use std::collections::BTreeSet;
use std::io::{self, Write};

/// What every reporter needs besides the outcome.
#[derive(Clone)]
pub struct Context {
    pub fail_on: Option<Severity>,
    pub color: bool,
    /// The rules that ran, with severity overrides applied (SARIF rule
    /// descriptors, JUnit test cases).
    pub rules: Vec<crate::rules::RuleMeta>,
    /// Ids of the built-in rules among `rules`: only they have a page under
    /// `docs/rules/` to link to.
    pub builtin: BTreeSet<String>,
    /// `--statistics`: human output ends with counts per rule.
    pub statistics: bool,
    /// `--shard I/N`: what the JSON report adds for `policy merge`.
    pub shard: Option<std::sync::Arc<crate::check::shard::ShardReport>>,
}

pub type WriteFn = fn(&Outcome, &Context, &mut dyn Write) -> io::Result<()>;

pub static FORMATS: &[(&str, WriteFn)] = &[
    ("human", human::write),
    ("compact", compact::write),
    ("json", json::write),
    ("sarif", sarif::write),
    ("github", github::write),
    ("junit", junit::write),
];

/// Formats that name files relative to the repository root (machines match
/// them); the others show paths as the user typed them.
pub fn root_relative(name: &str) -> bool {
    matches!(name, "json" | "sarif" | "github" | "junit")
}

pub fn format(name: &str) -> Option<WriteFn> {
    FORMATS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

pub fn format_names() -> Vec<&'static str> {
    FORMATS.iter().map(|(n, _)| *n).collect()
}

/// Counts shared by the summary line and the JSON summary.
#[derive(Debug, Default, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub documents: usize,
    pub findings: usize,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub errors: usize,
    pub skipped: usize,
    /// Results exempted by conftest `exception` rules (reported as info findings tagged `exception`).
    pub exceptions: usize,
    /// Findings covered by a `policy:ignore` comment or annotation (not counted above).
    pub suppressed: usize,
    /// Findings dropped because the baseline holds them (not counted above).
    pub baselined: usize,
    pub fail_on: &'static str,
    /// Findings at or above `fail_on`: the run exits 1.
    pub failed: bool,
    /// Live containers the runtime stage checked.
    #[serde(skip_serializing_if = "is_zero")]
    pub containers: usize,
    /// Probes run (passed or failed; not those skipped).
    #[serde(skip_serializing_if = "is_zero")]
    pub probes: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub probes_failed: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    /// The last line of human output: `3 findings (1 error, 2 warning, 0 info) in 2 files; …`.
    pub fn line(&self) -> String {
        let noun =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let containers = noun(self.containers, "container", "containers");
        let checked = match (self.files, self.containers) {
            (_, 0) => noun(self.files, "file", "files"),
            (0, _) => containers,
            (n, _) => format!("{} and {containers}", noun(n, "file", "files")),
        };
        let mut line = format!(
            "{} ({} error, {} warning, {} info) in {checked}",
            noun(self.findings, "finding", "findings"),
            self.error,
            self.warning,
            self.info,
        );
        if self.probes > 0 {
            line.push_str(&format!(
                "; {}: {} passed, {} failed",
                noun(self.probes, "probe", "probes"),
                self.probes - self.probes_failed,
                self.probes_failed
            ));
        }
        if self.suppressed > 0 {
            line.push_str(&format!("; {} suppressed", self.suppressed));
        }
        if self.baselined > 0 {
            line.push_str(&format!("; {} in the baseline", self.baselined));
        }
        if self.errors > 0 {
            line.push_str(&format!(
                "; {} could not be checked",
                noun(self.errors, "file", "files")
            ));
        }
        line
    }

    pub fn of(outcome: &Outcome, ctx: &Context) -> Summary {
        let live = |f: &&crate::check::FileOutcome| f.origin.is_live();
        let mut s = Summary {
            files: outcome
                .files
                .iter()
                .filter(|f| f.kind.is_some() && !live(f))
                .count(),
            containers: outcome
                .files
                .iter()
                .filter(|f| f.kind == Some(&crate::kinds::CONTAINER) && live(f))
                .count(),
            probes: outcome
                .probes
                .iter()
                .filter(|p| p.result != "skipped")
                .count(),
            probes_failed: outcome.probes.iter().filter(|p| p.result == "fail").count(),
            documents: outcome.files.iter().map(|f| f.documents).sum(),
            errors: outcome.errors().count(),
            skipped: outcome.skipped().count(),
            suppressed: outcome.suppressed().count(),
            baselined: outcome.baselined,
            fail_on: ctx.fail_on.map(Severity::as_str).unwrap_or("never"),
            ..Default::default()
        };
        for f in outcome.findings() {
            s.findings += 1;
            if f.tags.iter().any(|t| t == "exception") {
                s.exceptions += 1;
            }
            match f.severity {
                Severity::Error => s.error += 1,
                Severity::Warning => s.warning += 1,
                Severity::Info => s.info += 1,
            }
            if ctx.fail_on.is_some_and(|t| f.severity >= t) {
                s.failed = true;
            }
        }
        s
    }
}

/// `CP101 run-as-root` for a rule with an id and a name; a conftest rule
/// (`main.deny_run_as_root`, named `deny_run_as_root`) is its id alone.
pub fn rule_label(rule: &str, name: &str) -> String {
    if rule == name || rule.ends_with(&format!(".{name}")) {
        rule.to_string()
    } else {
        format!("{rule} {name}")
    }
}

/// A path as CI systems match it against the repository: forward slashes,
/// no leading `./` (a run over `.` names files `./Dockerfile`).
pub fn portable_path(path: &str) -> String {
    let slashed = path.replace(std::path::MAIN_SEPARATOR, "/");
    let mut relative = slashed.as_str();
    while let Some(rest) = relative.strip_prefix("./") {
        relative = rest;
    }
    relative.to_string()
}

/// `docker://web`, `http://127.0.0.1:8080/health`, `unix:///var/run/docker.sock`.
pub fn is_uri(path: &str) -> bool {
    path.split_once(':').is_some_and(|(scheme, rest)| {
        scheme.len() > 1
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
            && rest.starts_with("//")
    })
}

pub use crate::snippet::{visible, visible_lines};

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn controls_and_bidi_overrides_are_made_visible() {
        assert_eq!(
            visible("a\u{1b}[31mb\u{9b}\u{202e}c\td"),
            "a\\x1b[31mb\\u{9b}\\u{202e}c\td"
        );
        assert_eq!(visible("x\ny\r"), "x\\x0ay\\x0d");
        assert_eq!(visible_lines("x\ny\r"), "x\ny\\x0d");
        assert!(matches!(visible("plain é"), Cow::Borrowed(_)));
    }
}
