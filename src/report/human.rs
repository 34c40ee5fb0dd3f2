//! `--format human`: miette diagnostics with the source line and a caret at
//! the offending span, then a summary line. Secrets in the printed source are
//! masked. A finding in a unit of several files shows the file that set the
//! value, and its related location (the line that emitted it) as a second
//! snippet.

use super::{visible, visible_lines, Context, Summary};
use crate::check::Outcome;
use crate::finding::{FileError, Finding, Location};
use crate::rules::Severity;
use crate::secrets;
use crate::snippet::Snippet;
use crate::source::{FileId, Files, SourceFile, Span};
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
        .with_links(false)
        .with_show_related_as_nested(true);
    for file in &outcome.files {
        let Some(files) = file.files() else {
            if let Some(e) = &file.error {
                let at = match (e.line, e.column) {
                    (Some(line), Some(column)) => format!(":{line}:{column}"),
                    (Some(line), None) => format!(":{line}"),
                    _ => String::new(),
                };
                writeln!(
                    out,
                    "error: {}{at}: {}\n",
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
        let mut shown = Shown::new(files, &file.findings);
        for finding in &mut counted {
            let source = files.of(finding.span);
            if source.text.is_empty() && finding.logical_location.is_some() {
                // A layout or archive: no text to show, only where in the image.
                render(&handler, out, image_finding_report(finding))?;
                continue;
            }
            let report = finding_report(finding, source, shown.text(finding.span.file));
            match finding.related.is_empty() {
                true => render(&handler, out, report)?,
                false => {
                    let related = finding
                        .related
                        .iter()
                        .map(|l| related_report(l, files.of(l.span), shown.text(l.span.file)))
                        .collect();
                    render(
                        &handler,
                        out,
                        Report::new(WithRelated {
                            main: report,
                            related,
                        }),
                    )?
                }
            }
        }
        if let Some(e) = &file.error {
            let span = e.span.unwrap_or_default();
            render(
                &handler,
                out,
                error_report(e, files.of(span), shown.text(span.file)),
            )?;
        }
    }
    for s in outcome.skipped() {
        writeln!(out, "skipped: {}: {}", visible(&s.path), visible(&s.reason))?;
    }
    if ctx.statistics {
        write_statistics(outcome, out)?;
    }
    writeln!(out, "{}", Summary::of(outcome, ctx).line())
}

/// `--statistics`: the counted findings of each rule, most first.
fn write_statistics(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let mut counts: std::collections::BTreeMap<(&str, &str), (usize, Severity)> =
        Default::default();
    for f in outcome.findings() {
        counts
            .entry((f.rule.as_str(), f.name.as_str()))
            .or_insert((0, f.severity))
            .0 += 1;
    }
    if counts.is_empty() {
        return Ok(());
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let label = |(rule, name): (&str, &str)| visible(&super::rule_label(rule, name)).into_owned();
    let width = rows
        .iter()
        .map(|(r, _)| label(*r).chars().count())
        .max()
        .unwrap_or(0);
    let count_width = rows[0].1 .0.to_string().len();
    writeln!(out, "Findings by rule:")?;
    for (rule, (count, severity)) in &rows {
        writeln!(
            out,
            "  {count:>count_width$}  {:<width$}  {}",
            label(*rule),
            severity.as_str()
        )?;
    }
    writeln!(out)
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
    // A place, not advice: under the message, where a snippet would be.
    let message = format!(
        "{}\nin {}: {place}",
        visible_lines(&f.message),
        visible(&f.path)
    );
    let diagnostic = MietteDiagnostic::new(message)
        .with_code(visible(&format!("{}/{}", f.rule, f.name)))
        .with_severity(miette_severity(f.severity));
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

/// A finding's related location: an advice under it, with its own snippet.
fn related_report(l: &Location, source: &SourceFile, shown: &Arc<str>) -> Report {
    let snippet = Snippet::new(source, shown, first_line(source, l.span), l.column);
    let diagnostic = MietteDiagnostic::new(visible_lines(&l.message))
        .with_severity(miette::Severity::Advice)
        .with_label(LabeledSpan::new_with_span(
            None,
            (snippet.label.start, snippet.label.len()),
        ));
    Report::new(diagnostic).with_source_code(NamedSource::new(visible(&l.path), snippet))
}

/// A finding's diagnostic with its related locations as miette's related
/// diagnostics, each with a snippet of its own file.
#[derive(Debug)]
struct WithRelated {
    main: Report,
    related: Vec<Report>,
}

impl std::fmt::Display for WithRelated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.main, f)
    }
}

impl std::error::Error for WithRelated {}

impl miette::Diagnostic for WithRelated {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.main.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.main.severity()
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.main.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.main.labels()
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        Some(Box::new(
            self.related
                .iter()
                .map(|r| r.as_ref() as &dyn miette::Diagnostic),
        ))
    }
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

/// The masked text of each file of a unit, made when a snippet first needs it.
struct Shown<'a> {
    files: Files<'a>,
    findings: &'a [Finding],
    masked: std::collections::HashMap<FileId, Arc<str>>,
}

impl<'a> Shown<'a> {
    fn new(files: Files<'a>, findings: &'a [Finding]) -> Self {
        Shown {
            files,
            findings,
            masked: Default::default(),
        }
    }

    fn text(&mut self, file: FileId) -> &Arc<str> {
        let (files, findings) = (self.files, self.findings);
        self.masked.entry(file).or_insert_with(|| {
            let source = files.get(file).unwrap_or(files.primary);
            masked_text(source, file, findings)
        })
    }
}

/// The file's text with every secret masked, byte for byte so spans still fit:
/// what [`secrets::secret_ranges`] finds anywhere, and the value part of what
/// secret rules flag in this file (`file` of the unit).
fn masked_text(source: &SourceFile, file: FileId, findings: &[Finding]) -> Arc<str> {
    let text = &*source.text;
    let mut ranges = secrets::secret_ranges(text);
    for f in findings
        .iter()
        .filter(|f| f.span.file == file && f.tags.iter().any(|t| t == "secrets"))
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
