//! What a snippet shows of a file: the marked line and its context lines,
//! cut around the span when long, with control characters escaped. miette
//! reads it instead of the whole text, so a finding costs the same in any
//! file and prints a bounded amount.

use crate::source::{SourceFile, Span};
use std::borrow::Cow;

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
pub struct Snippet {
    text: String,
    /// 0-based line number of the first line of `text`.
    first_line: usize,
    /// The marked span, in `text`: what the label must point at.
    pub label: Span,
    /// 1-based column of the span in the file.
    column: usize,
}

impl Snippet {
    /// The lines around `label` (a span on one line of `source`) taken from
    /// `shown` (the file's text, masked byte for byte); `column` is the
    /// span's 1-based column in the file.
    pub fn new(source: &SourceFile, shown: &str, label: Span, column: usize) -> Snippet {
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
    out.push_str(&visible(text));
}

/// `text` cut to `max` characters, with `…` where it was cut.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::SourceCode;

    fn snippet(text: &str, label: Span) -> Snippet {
        let source = SourceFile::new("f", text);
        let column = source.position(label.start).column;
        Snippet::new(&source, text, label, column)
    }

    #[test]
    fn short_lines_are_shown_whole_with_their_line_numbers() {
        let s = snippet("a\nb\nFROM x\nc\nd\n", Span::new(4, 8));
        assert_eq!(s.text, "b\nFROM x\nc\n");
        assert_eq!(&s.text[s.label.start..s.label.end], "FROM");
        let read = s
            .read_span(&(s.label.start, s.label.len()).into(), 0, 0)
            .unwrap();
        // 0-based line 2, column 0: the file's third line.
        assert_eq!((read.line(), read.column()), (2, 0));
    }

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let line = format!("{}MARK{}", "a".repeat(100_000), "b".repeat(100_000));
        let s = snippet(&line, Span::new(100_000, 100_004));
        assert!(s.text.len() <= MAX_SNIPPET_LINE_BYTES + 2 * '…'.len_utf8());
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        assert_eq!(&s.text[s.label.start..s.label.end], "MARK");
        let read = s
            .read_span(&(s.label.start, s.label.len()).into(), 0, 0)
            .unwrap();
        assert_eq!(read.column(), 100_000);
    }

    #[test]
    fn control_characters_are_escaped_and_the_label_follows() {
        let s = snippet("A=\u{1b}[2J\u{202e} B=1\n", Span::new(10, 13));
        assert_eq!(s.text, "A=\\x1b[2J\\u{202e} B=1\n");
        assert_eq!(&s.text[s.label.start..s.label.end], "B=1");
    }
}

/// Text from the input as a terminal or log viewer can safely show it:
/// control characters (ESC starts a terminal escape sequence, CR rewrites
/// the line) and bidirectional overrides (they reorder what is shown) become
/// visible escapes such as `\x1b` and `\u{202e}`. Tabs stay. Used on one-line
/// fields: paths, rule names, labels, reasons.
pub fn visible(text: &str) -> Cow<'_, str> {
    escape_controls(text, false)
}

/// [`visible`] for a message, whose line breaks are its own.
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    escape_controls(text, true)
}

fn escape_controls(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\t' && !(keep_newlines && c == '\n'))
            || matches!(
                c,
                '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
            )
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !hidden(c) => out.push(c),
            c if c.is_ascii() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}
