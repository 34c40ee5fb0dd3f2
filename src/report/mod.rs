//! Output formats. Each format is one module with one `write` function and
//! one line in [`FORMATS`]; reporters only format what the run produced.

mod human;
mod json;

use crate::check::Outcome;
use crate::rules::Severity;
use std::io::{self, Write};

/// What every reporter needs besides the outcome.
#[derive(Clone)]
pub struct Context {
    pub fail_on: Option<Severity>,
    pub color: bool,
    /// The rules that ran, with severity overrides applied (SARIF rule
    /// descriptors, JUnit test cases).
    pub rules: Vec<crate::rules::RuleMeta>,
}

pub type WriteFn = fn(&Outcome, &Context, &mut dyn Write) -> io::Result<()>;

pub static FORMATS: &[(&str, WriteFn)] = &[("human", human::write), ("json", json::write)];

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
}

impl Summary {
    pub fn of(outcome: &Outcome, ctx: &Context) -> Summary {
        let mut s = Summary {
            files: outcome.files.iter().filter(|f| f.kind.is_some()).count(),
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
