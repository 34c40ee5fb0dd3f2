//! `--format human`: miette diagnostics with the source line and a caret at
//! the offending span, then a summary line. Secrets in the printed source are
//! masked.

use super::{visible, visible_lines, Context, Summary};
use crate::check::{FileError, Finding, Outcome};
use crate::rules::Severity;
use crate::secrets;
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

/// Lines shown above and below the marked line (miette's default).
const CONTEXT_LINES: usize = 1;

/// Longest line a snippet shows whole, in bytes. A longer line (minified
/// JSON is one line) is cut to this many bytes around the marked span, with
/// `…` where text was left out: the output per finding stays bounded, and
/// columns stay within what miette can pad (it panics past 65,535).
const MAX_SNIPPET_LINE_BYTES: usize = 240;

/// Of a cut line, bytes shown before the marked span.
const CUT_BYTES_BEFORE_SPAN: usize = 80;

/// What miette shows of a file for one label: the marked line and its
/// context lines, cut around the span when long and with control characters
/// escaped. Building it costs the same whatever the file's size; the line
/// numbers and the header's column stay the file's.
#[derive(Default)]
struct Snippet {
    text: String,
    /// 0-based line number of the first line of `text`.
    first_line: usize,
    /// The marked span, in `text`.
    label: Span,
    /// 1-based column of the span in the file.
    column: usize,
}

impl Snippet {
    fn new(source: &SourceFile, shown: &str, label: Span, column: usize) -> Snippet {
        let line = source.position(label.start).line;
        let first = line.saturating_sub(CONTEXT_LINES).max(1);
        let last = (line + CONTEXT_LINES).min(source.line_count());
        let lines: Vec<Span> = (first..=last).filter_map(|l| source.line_span(l)).collect();
        let span_column = label
            .start
            .saturating_sub(source.line_span(line).map_or(0, |s| s.start));
        // Byte columns shown of every line: all of them, or a window around the span.
        let shown_columns = if lines.iter().all(|s| s.len() <= MAX_SNIPPET_LINE_BYTES) {
            0..usize::MAX
        } else {
            let from = span_column.saturating_sub(CUT_BYTES_BEFORE_SPAN);
            from..from + MAX_SNIPPET_LINE_BYTES
        };
        let mut snippet = Snippet {
            first_line: first - 1,
            column,
            ..Default::default()
        };
        let boundary =
            |offset: usize| crate::source::floor_char_boundary(shown, offset.min(shown.len()));
        for (l, s) in (first..).zip(lines) {
            let start = boundary(s.start.saturating_add(shown_columns.start).min(s.end));
            let end = boundary(s.start.saturating_add(shown_columns.end).min(s.end)).max(start);
            if start > s.start {
                snippet.text.push('…');
            }
            if l == line {
                let label_start = boundary(label.start.clamp(start, end));
                let label_end = boundary(label.end.clamp(label_start, end));
                escape_into(&mut snippet.text, &shown[start..label_start]);
                let at = snippet.text.len();
                escape_into(&mut snippet.text, &shown[label_start..label_end]);
                snippet.label = Span::new(at, snippet.text.len());
                escape_into(&mut snippet.text, &shown[label_end..end]);
            } else {
                escape_into(&mut snippet.text, &shown[start..end]);
            }
            if end < s.end {
                snippet.text.push('…');
            }
            // The line break as in the file (`\r\n` or `\n`; none at the end).
            let next = source.line_span(l + 1).map_or(shown.len(), |n| n.start);
            snippet
                .text
                .push_str(&shown[boundary(s.end)..boundary(next)]);
        }
        snippet
    }
}

impl miette::SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        // The header's `file:line:column` is read without context lines.
        let column = match context_lines_before == 0 && span.offset() == self.label.start {
            true => self.column.saturating_sub(1),
            false => contents.column(),
        };
        Ok(Box::new(miette::MietteSpanContents::new(
            contents.data(),
            *contents.span(),
            contents.line() + self.first_line,
            column,
            contents.line_count(),
        )))
    }
}

/// Appends `text` with control characters escaped (see [`super::visible`]).
fn escape_into(out: &mut String, text: &str) {
    out.push_str(&super::visible(text));
}

/// The file's text with every secret masked, byte for byte so spans still fit:
/// known token formats anywhere, and the value part of what secret rules flag.
fn masked_text(source: &SourceFile, findings: &[Finding]) -> Arc<str> {
    let text = &*source.text;
    let mut ranges: Vec<std::ops::Range<usize>> = secrets::find_tokens(text)
        .into_iter()
        .map(|m| m.range)
        .collect();
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
