//! `--format github`: GitHub Actions workflow commands, which the runner turns
//! into annotations on the pull request's diff:
//! `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=CP101 run-as-root::message`.
//!
//! Only counted findings are annotated (a suppressed one was accepted on
//! purpose). The summary line at the end is plain text: the runner prints it in
//! the step's log, where a reader of a failed step looks first.

use super::{portable_path, rule_label, visible, visible_lines, Context, Summary};
use crate::check::Outcome;
use crate::finding::{FileError, Finding};
use crate::rules::Severity;
use std::io::{self, Write};

pub fn write(outcome: &Outcome, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    for f in outcome.findings() {
        writeln!(out, "{}", annotation(f))?;
    }
    for e in outcome.errors() {
        writeln!(out, "{}", error_annotation(e))?;
    }
    for s in outcome.skipped() {
        writeln!(out, "skipped: {}: {}", visible(&s.path), visible(&s.reason))?;
    }
    writeln!(out, "{}", Summary::of(outcome, ctx).line())
}

fn annotation(f: &Finding) -> String {
    let command = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    if !f.origin.names_a_file() {
        // A live container or a probe: no file to annotate; the message
        // names it.
        let title = rule_label(&f.rule, &f.name);
        let message = match &f.logical_location {
            Some(l) => format!("{} [{l}]", f.message),
            None => f.message.clone(),
        };
        return command_line(command, &[("title", title)], &message);
    }
    let mut properties = vec![
        ("file", portable_path(&f.path)),
        ("line", f.line.to_string()),
        ("endLine", f.end_line.to_string()),
    ];
    // GitHub ignores columns on an annotation spanning several lines
    // (@actions/core: "cannot be sent when startLine and endLine differ").
    if f.line == f.end_line {
        properties.insert(2, ("col", f.column.to_string()));
        properties.push(("endColumn", f.end_column.to_string()));
    }
    properties.push(("title", rule_label(&f.rule, &f.name)));
    let mut message = match &f.logical_location {
        // A built image has no line to annotate: say where in it.
        Some(l) => format!("{} [{l}]", f.message),
        None => f.message.clone(),
    };
    // An annotation has one place; the others are named in its message.
    for r in &f.related {
        let path = portable_path(&r.path);
        message.push_str(&format!("\n{}: {path}:{}:{}", r.message, r.line, r.column));
    }
    command_line(command, &properties, &message)
}

fn error_annotation(e: &FileError) -> String {
    let mut properties = Vec::new();
    if e.origin.names_a_file() {
        properties.push(("file", portable_path(&e.path)));
    }
    if let Some(line) = e.line {
        properties.push(("line", line.to_string()));
    }
    if let Some(column) = e.column {
        properties.push(("col", column.to_string()));
    }
    command_line(
        "error",
        &properties,
        &format!("could not check this file: {}", e.message),
    )
}

fn command_line(command: &str, properties: &[(&str, String)], message: &str) -> String {
    let properties: Vec<String> = properties
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(&visible(v))))
        .collect();
    // `::error::message` when there are no properties.
    let separator = if properties.is_empty() { "" } else { " " };
    format!(
        "::{command}{separator}{}::{}",
        properties.join(","),
        escape_data(&visible_lines(message))
    )
}

/// As @actions/core's `escapeData`: the message ends at a line break.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// As @actions/core's `escapeProperty`: `:` and `,` would end the property.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_is_the_toolkits() {
        assert_eq!(escape_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
    }
}
