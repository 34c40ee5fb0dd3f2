//! `--format junit`: JUnit XML, as GitLab, Jenkins and Azure Pipelines show
//! test reports.
//!
//! One `<testsuite>` per checked file. In it, one `<testcase>` per rule and
//! resource with findings: a `<failure>` listing every counted finding, or
//! `<skipped>` when all of them are suppressed. Every other rule that ran and
//! applies to the file's kind is a passing test case, so a clean file shows
//! what it passed. A file that could not be checked is a test case with
//! `<error>` (and claims no passing rules).

use super::{portable_path, rule_label, Context};
use crate::check::{FileOutcome, Outcome};
use crate::engine::COMBINED;
use crate::finding::{Finding, Origin};
use std::fmt::Write as _;
use std::io::{self, Write};

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }

    fn attributes(&self) -> String {
        format!(
            r#"tests="{}" failures="{}" errors="{}" skipped="{}""#,
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

pub fn write(outcome: &Outcome, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let mut total = Counts::default();
    let mut suites = String::new();
    for file in &outcome.files {
        // An explicit probe's failure is in the probes suite.
        if file.origin == Origin::Probe {
            continue;
        }
        let Some(path) = checked_path(file) else {
            continue;
        };
        let path = portable_path(path);
        let (cases, counts) = test_cases(file, &path, ctx);
        total.add(&counts);
        let _ = writeln!(
            suites,
            r#"  <testsuite name="{}" {}>"#,
            attribute(&path),
            counts.attributes()
        );
        suites.push_str(&cases);
        suites.push_str("  </testsuite>\n");
    }
    if !outcome.probes.is_empty() {
        let (cases, counts) = probe_cases(&outcome.probes);
        total.add(&counts);
        let _ = writeln!(
            suites,
            r#"  <testsuite name="probes" {}>"#,
            counts.attributes()
        );
        suites.push_str(&cases);
        suites.push_str("  </testsuite>\n");
    }
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="policy" {}>"#, total.attributes())?;
    out.write_all(suites.as_bytes())?;
    writeln!(out, "</testsuites>")
}

/// One test case per probe of the runtime stage: passed, failed (with what
/// happened) or skipped (with why). A failed declared probe is also a finding
/// of its file, but counted here only.
fn probe_cases(probes: &[crate::finding::ProbeResult]) -> (String, Counts) {
    let mut xml = String::new();
    let mut counts = Counts::default();
    for p in probes {
        counts.tests += 1;
        let name = match &p.resource {
            Some(r) => format!("{} {}: {r}", crate::finding::PROBE_RULE, p.target),
            None => format!("{} {}", crate::finding::PROBE_RULE, p.target),
        };
        let classname = p.declared_at.as_deref().unwrap_or("probes");
        let open = format!(
            r#"    <testcase classname="{}" name="{}""#,
            attribute(classname),
            attribute(&name)
        );
        let time = p
            .latency_ms
            .map(|ms| format!(r#" time="{:.3}""#, ms as f64 / 1000.0))
            .unwrap_or_default();
        match p.result {
            "pass" => {
                let _ = writeln!(xml, "{open}{time}/>");
            }
            "fail" => {
                counts.failures += 1;
                let _ = writeln!(
                    xml,
                    "{open}{time}>\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                    attribute(&p.message),
                    crate::finding::PROBE_RULE,
                    text(&format!("{}: {} after {} attempt(s)", p.target, p.message, p.attempts)),
                );
            }
            _ => {
                counts.skipped += 1;
                let _ = writeln!(
                    xml,
                    "{open}>\n      <skipped message=\"{}\"/>\n    </testcase>",
                    attribute(&p.message)
                );
            }
        }
    }
    (xml, counts)
}

/// The file's path, when it was checked or failed to be.
fn checked_path(file: &FileOutcome) -> Option<&str> {
    match (&file.source, &file.error) {
        (_, Some(e)) => Some(&e.path),
        (Some(s), None) if file.kind.is_some() => Some(&s.path),
        _ => None,
    }
}

fn test_cases(file: &FileOutcome, path: &str, ctx: &Context) -> (String, Counts) {
    let mut xml = String::new();
    let mut counts = Counts::default();
    let open = |name: &str| {
        format!(
            r#"    <testcase classname="{path}" name="{}" file="{path}""#,
            attribute(name),
            path = attribute(path)
        )
    };
    if let Some(e) = &file.error {
        counts.tests += 1;
        counts.errors += 1;
        let message = format!("could not check this file: {}", e.message);
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
            (Some(l), None) => format!("{path}:{l}"),
            _ => path.to_string(),
        };
        let _ = writeln!(
            xml,
            "{}>\n      <error message=\"{}\" type=\"parse-error\">{}</error>\n    </testcase>",
            open("could not check this file"),
            attribute(&message),
            text(&format!("{at}: {}", e.message)),
        );
    }
    let findings: Vec<Finding> = file
        .findings
        .iter()
        .filter(|f| f.rule != crate::finding::PROBE_RULE)
        .cloned()
        .collect();
    for group in groups(&findings) {
        let first = group[0];
        counts.tests += 1;
        let name = match &first.resource {
            Some(r) => format!("{}: {r}", rule_label(&first.rule, &first.name)),
            None => rule_label(&first.rule, &first.name),
        };
        let counted: Vec<&Finding> = group
            .iter()
            .copied()
            .filter(|f| f.suppression.is_none())
            .collect();
        if counted.is_empty() {
            counts.skipped += 1;
            let reason = first
                .suppression
                .as_ref()
                .and_then(|s| s.reason.as_deref())
                .map_or("suppressed".to_string(), |r| format!("suppressed: {r}"));
            let _ = writeln!(
                xml,
                "{}>\n      <skipped message=\"{}\"/>\n    </testcase>",
                open(&name),
                attribute(&reason)
            );
            continue;
        }
        counts.failures += 1;
        let mut message = counted[0].message.clone();
        if counted.len() > 1 {
            let _ = write!(message, " (and {} more)", counted.len() - 1);
        }
        let body: Vec<String> = group.iter().map(|f| finding_line(path, f)).collect();
        let _ = writeln!(
            xml,
            "{}>\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
            open(&name),
            attribute(&message),
            attribute(&first.rule),
            text(&body.join("\n")),
        );
    }
    if let (None, Some(kind)) = (&file.error, file.kind) {
        // Cross-document rules judge the manifests they relate.
        let judged_by =
            |k: &String| *k == kind.name || (k == COMBINED && *kind == crate::kinds::KUBERNETES);
        for m in ctx.rules.iter().filter(|m| {
            !m.engine
                && m.kinds.iter().any(judged_by)
                && !file.findings.iter().any(|f| f.rule == m.id)
        }) {
            counts.tests += 1;
            let _ = writeln!(xml, "{}/>", open(&rule_label(&m.id, &m.name)));
        }
    }
    (xml, counts)
}

/// Findings grouped by rule and resource, in the order of each group's first finding.
fn groups(findings: &[Finding]) -> Vec<Vec<&Finding>> {
    let mut groups: Vec<Vec<&Finding>> = Vec::new();
    // A file of 8,000 Pods has 70,000 groups: look them up, never scan them.
    let mut index: std::collections::HashMap<(&str, Option<&str>), usize> = Default::default();
    for f in findings {
        let key = (f.rule.as_str(), f.resource.as_deref());
        match index.get(&key) {
            Some(&i) => groups[i].push(f),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![f]);
            }
        }
    }
    groups
}

/// `path:line:col: message`, as compilers print it (a suppressed one says so).
fn finding_line(path: &str, f: &Finding) -> String {
    let mut line = format!("{path}:{}:{}: {}", f.line, f.column, f.message);
    if let Some(s) = &f.suppression {
        match &s.reason {
            Some(r) => {
                let _ = write!(line, " (suppressed: {r})");
            }
            None => line.push_str(" (suppressed)"),
        }
    }
    line
}

/// Character data: markup escaped, and characters XML 1.0 cannot hold at all
/// (most C0 controls) replaced.
fn text(s: &str) -> String {
    escape(s, false)
}

/// An attribute value in double quotes; line breaks and tabs as references,
/// which XML's attribute normalization would otherwise turn into spaces.
fn attribute(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' if attribute => out.push_str("&#13;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if is_forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Not a `Char` of XML 1.0: C0 controls other than tab and line breaks, and
/// U+FFFE/U+FFFF (a Rust `char` is never a surrogate).
fn is_forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_the_document_well_formed() {
        assert_eq!(text("a<b & c>\u{1}\n"), "a&lt;b &amp; c&gt;\u{FFFD}\n");
        assert_eq!(
            attribute("\"x\"\n\u{0}\u{FFFF}"),
            "&quot;x&quot;&#10;\u{FFFD}\u{FFFD}"
        );
    }
}
