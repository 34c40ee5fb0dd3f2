//! `--format human`: miette diagnostics with the source line and a caret at
//! the offending span, then a summary line. Secrets in the printed source are
//! masked.

use super::{visible, visible_lines, Context, Summary};
use crate::check::Outcome;
use crate::finding::{FileError, Finding};
use crate::rules::Severity;
use crate::secrets;
use crate::snippet::Snippet;
use crate::source::{SourceFile, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
};
use std::io::{self, Write};
use std::sync::Arc;

pub fn write(outcome: &Outcome, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let theme = if ctx.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    for file in &outcome.files {
        let Some(source) = &file.source else {
            if let Some(e) = &file.error {
                writeln!(
                    out,
                    "error: {}: {}\n",
                    visible(&e.path),
                    visible(&e.message)
                )?;
            }
            continue;
        };
        let mut counted = file.findings.iter().filter(|f| f.suppression.is_none());
        if counted.clone().next().is_none() && file.error.is_none() {
            continue;
        }
        let shown = masked_text(source, &file.findings);
        for finding in &mut counted {
            if source.text.is_empty() && finding.logical_location.is_some() {
                // A layout or archive: no text to show, only where in the image.
                render(&handler, out, image_finding_report(finding))?;
                continue;
            }
            render(&handler, out, finding_report(finding, source, &shown))?;
        }
        if let Some(e) = &file.error {
            render(&handler, out, error_report(e, source, &shown))?;
        }
    }
    for s in outcome.skipped() {
        writeln!(out, "skipped: {}: {}", visible(&s.path), visible(&s.reason))?;
    }
    writeln!(out, "{}", Summary::of(outcome, ctx).line())
}

fn render(handler: &GraphicalReportHandler, out: &mut dyn Write, report: Report) -> io::Result<()> {
    let mut text = String::new();
    if handler.render_report(&mut text, report.as_ref()).is_err() {
        text = format!("{report}\n");
    }
    writeln!(out, "{text}")
}

fn miette_severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// A finding in an image layout or archive: the image path and where in it.
fn image_finding_report(f: &Finding) -> Report {
    let place = f.logical_location.as_deref().unwrap_or_default();
    let diagnostic = MietteDiagnostic::new(visible_lines(&f.message))
        .with_code(visible(&format!("{}/{}", f.rule, f.name)))
        .with_severity(miette_severity(f.severity))
        .with_help(visible(&format!("in {}: {place}", f.path)));
    Report::new(diagnostic)
}

fn finding_report(f: &Finding, source: &SourceFile, shown: &Arc<str>) -> Report {
    let snippet = Snippet::new(source, shown, first_line(source, f.span), f.column);
    // An image config file: the field, as in an archive (`config.User`).
    let text = match (&f.logical_location, &f.resource) {
        (Some(l), Some(r)) => Some(format!("{l} · {r}")),
        (Some(l), None) => Some(l.clone()),
        (None, r) => r.clone(),
    };
    let diagnostic = MietteDiagnostic::new(visible_lines(&f.message))
        .with_code(visible(&format!("{}/{}", f.rule, f.name)))
        .with_severity(miette_severity(f.severity))
        .with_label(LabeledSpan::new_with_span(
            text.map(|t| visible(&t).into_owned()),
            (snippet.label.start, snippet.label.len()),
        ));
    Report::new(diagnostic).with_source_code(NamedSource::new(visible(&f.path), snippet))
}

fn error_report(e: &FileError, source: &SourceFile, shown: &Arc<str>) -> Report {
    let mut diagnostic = MietteDiagnostic::new(format!(
        "could not check this file: {}",
        visible_lines(&e.message)
    ))
    .with_code("parse-error")
    .with_severity(miette::Severity::Error);
    let mut snippet = Snippet::default();
    if let Some(span) = e.span {
        let column = e.column.unwrap_or(1);
        snippet = Snippet::new(source, shown, first_line(source, span), column);
        let label = snippet.label;
        diagnostic =
            diagnostic.with_label(LabeledSpan::new_with_span(None, (label.start, label.len())));
    }
    Report::new(diagnostic).with_source_code(NamedSource::new(visible(&e.path), snippet))
}

/// The part of a span on its first line: a whole Deployment is marked by its first line.
fn first_line(source: &SourceFile, span: Span) -> Span {
    let line = source.position(span.start).line;
    let line_end = source.line_span(line).map(|s| s.end).unwrap_or(span.end);
    Span::new(span.start, span.end.min(line_end).max(span.start))
}

/// The file's text with every secret masked, byte for byte so spans still fit:
/// what [`secrets::secret_ranges`] finds anywhere, and the value part of what
/// secret rules flag.
fn masked_text(source: &SourceFile, findings: &[Finding]) -> Arc<str> {
    let text = &*source.text;
    let mut ranges = secrets::secret_ranges(text);
    for f in findings
        .iter()
        .filter(|f| f.tags.iter().any(|t| t == "secrets"))
    {
        // The value of an assignment (`KEY=value`, `KEY: value`, legacy
        // `ENV KEY value`); a flagged file name is not itself a secret.
        let flagged = source.slice(f.span);
        if let Some(i) = flagged.find(['=', ':', ' ', '\t']) {
            ranges.push(f.span.start + i + 1..f.span.end);
        }
    }
    if ranges.is_empty() {
        return source.text.clone();
    }
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        for i in r.start.min(bytes.len())..r.end.min(bytes.len()) {
            if !matches!(bytes[i], b'\n' | b'\r' | b' ' | b'"' | b'\'') {
                // Continuation bytes of a multi-byte char become '*' too: the
                // result stays valid UTF-8 (all ASCII in the range).
                bytes[i] = b'*';
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned().into()
}
