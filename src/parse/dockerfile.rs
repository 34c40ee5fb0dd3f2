//! Dockerfile parser following moby/buildkit's `frontend/dockerfile/parser`
//! (parser.go, line_parsers.go, split_command.go, directives.go).
//!
//! It accepts what buildkit's parser accepts and rejects what it rejects, with
//! one addition: an unknown instruction keyword is an error here (buildkit's
//! parser keeps it, `docker build` then fails with "unknown instruction").
//! Every word, flag, pair and heredoc keeps its exact byte span in the source,
//! also when it sits on a continuation line.

use crate::document::{build, Node};
use crate::source::Span;

/// bufio.Scanner's limit: a line (without its `\n`) longer than this fails.
pub const MAX_LINE_BYTES: usize = 65535;

/// A Dockerfile's document may have at most this many nodes, estimated as
/// it is parsed (see [`node_estimate`]). Each node costs 200 to 350 bytes
/// through the pipeline (document, model, Rego input), so without a bound
/// memory grew with how finely a file is cut: a 4 MB file of `RUN a` lines
/// took 2.7 GB. Within the bound only text grows, by about 12 bytes per
/// byte. The largest Dockerfile of the corpus (moby/buildkit's) makes 6,692
/// nodes by this estimate; 200,000 (under 70 MB) is 30 times that.
pub const MAX_NODES: usize = 200_000;

const KNOWN: &[&str] = &[
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "maintainer",
    "onbuild",
    "run",
    "shell",
    "stopsignal",
    "user",
    "volume",
    "workdir",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Dockerfile {
    pub instructions: Vec<Instruction>,
    pub directives: Vec<Directive>,
    pub escape: char,
    /// Instructions BuildKit parses but `docker build` rejects (`FROM`
    /// without an image). They stay in the document, so the rest of the
    /// file is still checked; each is reported as an error with its line.
    pub problems: Vec<ParseError>,
}

/// A parser directive at the top of the file: `# syntax=`, `# escape=`, `# check=`.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    /// Lowercase name.
    pub name: String,
    pub value: String,
    /// The whole directive line.
    pub span: Span,
    /// The value alone.
    pub value_span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Instruction {
    /// Uppercase keyword: "RUN".
    pub keyword: String,
    /// From the keyword to the end of the last line (continuation or heredoc terminator).
    pub span: Span,
    pub keyword_span: Span,
    pub flags: Vec<Flag>,
    pub args: Args,
    pub heredocs: Vec<Heredoc>,
    /// buildkit's `Original`: the logical line; with heredocs, followed by
    /// "\n" and each heredoc's body and name line (as buildkit reports it).
    pub original: String,
    /// Index of the FROM stage it belongs to; -1 before the first FROM.
    pub stage: i64,
    /// The trigger of ONBUILD.
    pub onbuild: Option<Box<Instruction>>,
    /// buildkit node's `Next` values (for ONBUILD: the trigger's values).
    pub value: Vec<String>,
    /// Span of each `value` item (same length as `value`).
    pub value_spans: Vec<Span>,
    /// buildkit's StartLine / EndLine (1-based).
    pub start_line: usize,
    pub end_line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Args {
    Shell {
        text: String,
        span: Span,
    },
    Json {
        items: Vec<(String, Span)>,
        span: Span,
    },
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    /// Without the leading `--`.
    pub name: String,
    pub value: Option<String>,
    /// The `--name=value` text as written (quotes included).
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heredoc {
    pub name: String,
    /// The body as written (buildkit's Content; `<<-` tabs not yet stripped).
    pub body: String,
    /// Span of the body.
    pub span: Span,
    /// `<<-`
    pub strip_tabs: bool,
    /// false when the word was quoted.
    pub expand: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

impl Args {
    pub fn span(&self) -> Option<Span> {
        match self {
            Args::Shell { span, .. } | Args::Json { span, .. } => Some(*span),
            Args::None => None,
        }
    }
}

impl Instruction {
    /// buildkit's `json` attribute (for ONBUILD: the trigger's).
    pub fn is_json(&self) -> bool {
        match &self.onbuild {
            Some(t) => t.is_json(),
            None => matches!(self.args, Args::Json { .. }),
        }
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }
}

// ---------------------------------------------------------------- lines

#[derive(Debug, Clone, Copy)]
struct Line {
    /// Start of the content (after a BOM on line 1).
    start: usize,
    /// End without trailing `\r`/`\n` characters (buildkit's trimNewline).
    content_end: usize,
    /// After the `\n`.
    end: usize,
    no: usize,
}

struct Lines<'a> {
    text: &'a str,
    pos: usize,
    no: usize,
    too_long: Option<Span>,
}

impl<'a> Lines<'a> {
    fn next(&mut self) -> Option<Line> {
        if self.too_long.is_some() || self.pos >= self.text.len() {
            return None;
        }
        let bytes = self.text.as_bytes();
        let nl = bytes[self.pos..].iter().position(|&b| b == b'\n');
        let (raw_end, end) = match nl {
            Some(i) => (self.pos + i, self.pos + i + 1),
            None => (self.text.len(), self.text.len()),
        };
        if raw_end - self.pos > MAX_LINE_BYTES {
            self.too_long = Some(Span::new(self.pos, raw_end));
            return None;
        }
        let mut start = self.pos;
        if self.no == 0 && self.text[start..].starts_with('\u{feff}') {
            start += 3;
        }
        let mut content_end = raw_end;
        while content_end > start && matches!(bytes[content_end - 1], b'\r' | b'\n') {
            content_end -= 1;
        }
        self.no += 1;
        self.pos = end;
        Some(Line {
            start,
            content_end,
            end,
            no: self.no,
        })
    }
}

/// A logical line (continuations joined) with a map back to source offsets.
struct Logical {
    text: String,
    /// (logical offset, source offset) of each contiguous piece.
    segs: Vec<(usize, usize)>,
    /// Source offset to use when the line is empty.
    origin: usize,
}

impl Logical {
    fn push(&mut self, piece: &str, src: usize) {
        if piece.is_empty() {
            return;
        }
        self.segs.push((self.text.len(), src));
        self.text.push_str(piece);
    }

    fn map(&self, p: usize) -> usize {
        let i = self.segs.partition_point(|s| s.0 <= p);
        if i == 0 {
            return self.origin;
        }
        let (l, s) = self.segs[i - 1];
        s + (p - l)
    }

    fn span(&self, lo: usize, hi: usize) -> Span {
        if hi <= lo {
            let s = self.map(lo);
            return Span::new(s, s);
        }
        Span::new(self.map(lo), self.map(hi - 1) + 1)
    }
}

// ---------------------------------------------------------------- directives

struct DirectiveState {
    escape: char,
    done: bool,
    list: Vec<Directive>,
}

fn is_re_space(b: u8) -> bool {
    // RE2's \s: [\t\n\f\r ]
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

impl DirectiveState {
    /// buildkit's possibleParserDirective: `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`.
    fn possible(&mut self, tok: &str, tok_start: usize, line_span: Span) -> Result<(), ParseError> {
        if self.done {
            return Ok(());
        }
        let b = tok.as_bytes();
        let Some((name, vlo, vhi)) = match_directive(b) else {
            self.done = true;
            return Ok(());
        };
        let key = name.to_ascii_lowercase();
        if !matches!(key.as_str(), "syntax" | "escape" | "check") {
            self.done = true;
            return Ok(());
        }
        if self.list.iter().any(|d| d.name == key) {
            return Err(ParseError {
                span: line_span,
                message: format!(
                    "only one {key} parser directive can be used; remove the repeated `# {key}=` line"
                ),
            });
        }
        let value = tok[vlo..vhi].to_string();
        if key == "escape" {
            match value.as_str() {
                "`" => self.escape = '`',
                "\\" => self.escape = '\\',
                _ => {
                    return Err(ParseError {
                        span: Span::new(tok_start + vlo, tok_start + vhi),
                        message: match quotable(&value) {
                            true => {
                                format!("invalid escape token '{value}' does not match ` or \\")
                            }
                            false => "invalid escape token: it does not match ` or \\".into(),
                        },
                    })
                }
            }
        }
        self.list.push(Directive {
            name: key,
            value,
            span: line_span,
            value_span: Span::new(tok_start + vlo, tok_start + vhi),
        });
        Ok(())
    }
}

fn match_directive(b: &[u8]) -> Option<(String, usize, usize)> {
    let mut i = 0;
    if b.first() != Some(&b'#') {
        return None;
    }
    i += 1;
    while i < b.len() && is_re_space(b[i]) {
        i += 1;
    }
    let ns = i;
    if i >= b.len() || !b[i].is_ascii_alphabetic() {
        return None;
    }
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    let name = String::from_utf8_lossy(&b[ns..i]).into_owned();
    while i < b.len() && is_re_space(b[i]) {
        i += 1;
    }
    if b.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    let after_eq = i;
    while i < b.len() && is_re_space(b[i]) {
        i += 1;
    }
    let mut end = b.len();
    while end > i && is_re_space(b[end - 1]) {
        end -= 1;
    }
    if end > i {
        return Some((name, i, end));
    }
    // All whitespace after '=': `.+?` takes the last character.
    if b.len() > after_eq {
        return Some((name, b.len() - 1, b.len()));
    }
    None
}

// ---------------------------------------------------------------- the scanner loop

/// buildkit's trimContinuationCharacter: `([^E])E[ \t]*$|^E[ \t]*$`.
fn trim_continuation(s: &str, esc: char) -> (&str, bool) {
    let t = s.trim_end_matches([' ', '\t']);
    if let Some(before) = t.strip_suffix(esc) {
        if before.is_empty() || !before.ends_with(esc) {
            return (before, false);
        }
    }
    (s, true)
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
    let mut d = DirectiveState {
        escape: '\\',
        done: false,
        list: Vec::new(),
    };
    let mut lines = Lines {
        text,
        pos: 0,
        no: 0,
        too_long: None,
    };
    let mut instructions: Vec<Instruction> = Vec::new();
    let mut unknown: Option<ParseError> = None;
    let mut stage: i64 = -1;
    let mut nodes = 0;

    while let Some(first) = lines.next() {
        let raw = &text[first.start..first.content_end];
        let trimmed = raw.trim_start();
        let tok_start = first.start + (raw.len() - trimmed.len());
        let line_span = Span::new(first.start, first.content_end);
        d.possible(trimmed, tok_start, line_span)?;
        let tok = if trimmed.starts_with('#') {
            ""
        } else {
            trimmed
        };
        let (piece, mut eol) = trim_continuation(tok, d.escape);
        if eol && piece.is_empty() {
            continue;
        }
        let mut log = Logical {
            text: String::new(),
            segs: Vec::new(),
            origin: tok_start,
        };
        log.push(piece, tok_start);
        let mut last = first;
        while !eol {
            let Some(c) = lines.next() else { break };
            let raw = &text[c.start..c.content_end];
            d.possible(raw, c.start, Span::new(c.start, c.content_end))?;
            last = c;
            let lead_trimmed = raw.trim_start();
            if lead_trimmed.starts_with('#') || lead_trimmed.is_empty() {
                continue;
            }
            let (piece, e) = trim_continuation(raw, d.escape);
            log.push(piece, c.start);
            eol = e;
        }
        let err_span = |last: &Line| Span::new(tok_start, last.content_end.max(tok_start));
        // Words are counted before they are split: one logical line can
        // hold a million of them.
        if nodes + 16 + shell_words_bound(&log.text) > MAX_NODES {
            return Err(too_large(Span::new(tok_start, tok_start)));
        }
        let mut ins =
            node_from_line(&log, 0, log.text.len(), d.escape).map_err(|m| ParseError {
                span: err_span(&last),
                message: m,
            })?;

        if can_contain_heredoc(&ins) {
            let docs = heredocs_from_line(&log.text);
            let mut original_tail = String::new();
            for (name, chomp, expand) in docs {
                let mut body = String::new();
                let mut body_start: Option<usize> = None;
                let mut terminated = false;
                while let Some(h) = lines.next() {
                    last = h;
                    let mut pt = &text[h.start..h.content_end];
                    if chomp {
                        pt = pt.trim_start_matches('\t');
                    }
                    if pt == name {
                        if body_start.is_none() {
                            body_start = Some(h.start);
                        }
                        terminated = true;
                        break;
                    }
                    body_start.get_or_insert(h.start);
                    body.push_str(&text[h.start..h.end]);
                }
                if !terminated {
                    return Err(ParseError {
                        span: err_span(&last),
                        message: match quotable(&name) {
                            true => format!(
                                "unterminated heredoc: no line `{name}` closes the heredoc started here"
                            ),
                            false => "unterminated heredoc: no line holding its delimiter closes the heredoc started here".into(),
                        },
                    });
                }
                let bs = body_start.unwrap_or(text.len());
                original_tail.push_str(&body);
                original_tail.push_str(&name);
                original_tail.push('\n');
                ins.heredocs.push(Heredoc {
                    name,
                    span: Span::new(bs, bs + body.len()),
                    body,
                    strip_tabs: chomp,
                    expand,
                });
            }
            if let Some(t) = ins.onbuild.as_mut() {
                // buildkit reads the bodies but its ONBUILD node reports none; keep them on the trigger.
                t.heredocs = std::mem::take(&mut ins.heredocs);
            } else if !ins.heredocs.is_empty() {
                ins.original.push('\n');
                ins.original.push_str(&original_tail);
            }
        }

        ins.start_line = first.no;
        ins.end_line = last.no;
        ins.span = Span::new(
            ins.keyword_span.start,
            last.content_end.max(ins.keyword_span.start),
        );
        if ins.keyword == "FROM" {
            stage += 1;
        }
        ins.stage = stage;
        if let Some(t) = ins.onbuild.as_mut() {
            t.start_line = ins.start_line;
            t.end_line = ins.end_line;
            t.span = Span::new(t.keyword_span.start, ins.span.end);
            t.stage = stage;
        }
        nodes += node_estimate(&ins);
        if nodes > MAX_NODES {
            return Err(too_large(ins.keyword_span));
        }
        if unknown.is_none() && !KNOWN.contains(&ins.keyword.to_lowercase().as_str()) {
            unknown = Some(ParseError {
                span: ins.keyword_span,
                message: unknown_instruction(&ins.keyword, d.escape),
            });
        }
        instructions.push(ins);
    }

    if instructions.is_empty() {
        let end = text.len();
        return Err(ParseError {
            span: lines.too_long.unwrap_or(Span::new(end, end)),
            message:
                "file with no instructions: a Dockerfile needs at least one instruction (FROM ...)"
                    .into(),
        });
    }
    if let Some(span) = lines.too_long {
        return Err(ParseError {
            span: Span::new(span.start, span.start),
            message: format!(
                "dockerfile line greater than max allowed size of {MAX_LINE_BYTES} (line {} is {} bytes)",
                line_of(text, span.start),
                span.len()
            ),
        });
    }
    if let Some(e) = unknown {
        return Err(e);
    }
    let problems = instructions.iter().filter_map(from_arity).collect();
    Ok(Dockerfile {
        instructions,
        directives: d.list,
        escape: d.escape,
        problems,
    })
}

fn too_large(span: Span) -> ParseError {
    ParseError {
        span,
        message: format!(
            "Dockerfile too large to check: its instructions, arguments and shell words make more than {MAX_NODES} nodes by this instruction; split it, or exclude it from the check"
        ),
    }
}

/// About the nodes an instruction adds to the document: its own fields, its
/// value items (each also a pair, port or path), its flags, and a bound of
/// the shell words of its `RUN` script.
pub fn node_estimate(ins: &Instruction) -> usize {
    let trigger = ins.onbuild.as_deref().map_or(0, node_estimate);
    let mut n = 16 + 3 * ins.value.len() + 4 * ins.flags.len() + trigger;
    if ins.keyword == "RUN" {
        if let Args::Shell { text, .. } = &ins.args {
            n += shell_words_bound(text);
        }
        n += ins
            .heredocs
            .iter()
            .map(|h| shell_words_bound(&h.body))
            .sum::<usize>();
    }
    n
}

/// At least as many words as [`crate::shell::split`] makes of `script`:
/// runs between its separators (quotes and escapes only join them).
fn shell_words_bound(script: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for b in script.bytes() {
        let separator = matches!(
            b,
            b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')'
        );
        words += usize::from(!separator && !in_word);
        in_word = !separator;
    }
    words
}

/// BuildKit's parseBuildStageName: `FROM image` or `FROM image AS name`.
fn from_arity(ins: &Instruction) -> Option<ParseError> {
    let v = &ins.value;
    if ins.keyword != "FROM" || v.len() == 1 || (v.len() == 3 && v[1].eq_ignore_ascii_case("as")) {
        return None;
    }
    let what = if v.is_empty() {
        "FROM names no image".to_string()
    } else {
        format!("FROM has {} arguments", v.len())
    };
    Some(ParseError {
        span: ins.span,
        message: format!("{what}; Docker rejects it: write `FROM image[:tag] [AS name]`"),
    })
}

// ---------------------------------------------------------------- one logical line

fn is_ws_set(b: u8) -> bool {
    // buildkit's reWhitespace / tokenWhitespace: [\t\v\f\r ]
    matches!(b, b'\t' | b'\x0b' | b'\x0c' | b'\r' | b' ')
}

fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b' ')
}

/// Trims Unicode whitespace (Go's strings.TrimSpace) within lo..hi.
fn trim_range(s: &str, lo: usize, hi: usize) -> (usize, usize) {
    let sub = &s[lo..hi];
    let start = lo + (sub.len() - sub.trim_start().len());
    let end = lo + sub.trim_end().len();
    (start, end.max(start))
}

/// Splits `lo..hi` on runs of [\t\v\f\r ] (regexp Split, -1 or limit 2).
fn split_ws(s: &str, lo: usize, hi: usize, limit: Option<usize>) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut start = lo;
    let mut i = lo;
    while i < hi {
        if is_ws_set(b[i]) && limit.is_none_or(|l| out.len() + 1 < l) {
            out.push((start, i));
            while i < hi && is_ws_set(b[i]) {
                i += 1;
            }
            start = i;
        } else {
            i += 1;
        }
    }
    out.push((start, hi));
    out
}

fn empty_instruction(keyword: String, keyword_span: Span, original: String) -> Instruction {
    Instruction {
        keyword,
        span: keyword_span,
        keyword_span,
        flags: Vec::new(),
        args: Args::None,
        heredocs: Vec::new(),
        original,
        stage: -1,
        onbuild: None,
        value: Vec::new(),
        value_spans: Vec::new(),
        start_line: 0,
        end_line: 0,
    }
}

/// buildkit's newNodeFromLine on `log.text[lo..hi]`.
fn node_from_line(log: &Logical, lo: usize, hi: usize, esc: char) -> Result<Instruction, String> {
    let s = log.text.as_str();
    let (tlo, thi) = trim_range(s, lo, hi);
    let b = s.as_bytes();
    let mut k = tlo;
    while k < thi && !is_ws_set(b[k]) {
        k += 1;
    }
    let cmd = &s[tlo..k];
    let mut ins = empty_instruction(cmd.to_uppercase(), log.span(tlo, k), s[lo..hi].to_string());
    let (mut rlo, mut rhi) = (thi, thi);
    if k < thi {
        let mut r = k;
        while r < thi && is_ws_set(b[r]) {
            r += 1;
        }
        let (flags, rest) = extract_flags(s, r, thi);
        ins.flags = flags
            .into_iter()
            .map(|(w, a, z)| {
                let body = w.strip_prefix("--").unwrap_or(&w);
                let (name, value) = match body.split_once('=') {
                    Some((n, v)) => (n.to_string(), Some(v.to_string())),
                    None => (body.to_string(), None),
                };
                Flag {
                    name,
                    value,
                    span: log.span(a, z),
                }
            })
            .collect();
        (rlo, rhi) = trim_range(s, rest, thi);
    }
    let rest = &s[rlo..rhi];
    let lower = cmd.to_lowercase();
    let mut vals: Vec<(String, usize, usize)> = Vec::new();
    match lower.as_str() {
        "run" | "cmd" | "entrypoint" | "shell" => {
            if !rest.is_empty() {
                ins.args = maybe_json(log, rlo, rhi, &mut vals)?;
            }
        }
        "add" | "copy" | "volume" => {
            ins.args = maybe_json_to_list(log, rlo, rhi, &mut vals)?;
        }
        "expose" | "from" => {
            if !rest.is_empty() {
                ins.args = shell_args(log, rlo, rhi);
                for (a, z) in split_ws(s, rlo, rhi, None) {
                    vals.push((s[a..z].to_string(), a, z));
                }
            }
        }
        "maintainer" | "stopsignal" | "user" | "workdir" => {
            if !rest.is_empty() {
                ins.args = shell_args(log, rlo, rhi);
                vals.push((rest.to_string(), rlo, rhi));
            }
        }
        "env" | "label" => {
            let words = parse_words(s, rlo, rhi, esc);
            if !words.is_empty() {
                ins.args = shell_args(log, rlo, rhi);
                if !words[0].0.contains('=') {
                    let parts = split_ws(s, rlo, rhi, Some(2));
                    if parts.len() < 2 {
                        // The word is not echoed: it may be a value.
                        let keyword = lower.to_uppercase();
                        return Err(format!(
                            "{keyword} must have two arguments: write `{keyword} NAME=value` (or `{keyword} NAME value`)"
                        ));
                    }
                    for (a, z) in parts {
                        vals.push((s[a..z].to_string(), a, z));
                    }
                } else {
                    for (n, (w, a, z)) in words.into_iter().enumerate() {
                        let Some(eq) = w.find('=') else {
                            // Not echoed: most often the rest of an unquoted
                            // value holding a blank (`PASSWORD=two words`).
                            return Err(format!(
                                "Syntax error - can't find = in word {} of {}. Must be of the form: name=value; quote a value that holds blanks",
                                n + 1,
                                lower.to_uppercase()
                            ));
                        };
                        // The word is a contiguous slice of the line only when no
                        // escape was dropped; find '=' in the source slice.
                        let src_eq = s[a..z].find('=').map(|i| a + i).unwrap_or(a + eq);
                        vals.push((w[..eq].to_string(), a, src_eq));
                        vals.push((w[eq + 1..].to_string(), src_eq + 1, z));
                    }
                }
            }
        }
        "arg" => {
            let words = parse_words(s, rlo, rhi, esc);
            if !words.is_empty() {
                ins.args = shell_args(log, rlo, rhi);
            }
            vals.extend(words);
        }
        "healthcheck" => {
            let mut sep = rlo;
            while sep < rhi && !is_ascii_space(b[sep]) {
                sep += 1;
            }
            let mut next = sep;
            while next < rhi && is_ascii_space(b[next]) {
                next += 1;
            }
            if sep > rlo {
                vals.push((s[rlo..sep].to_string(), rlo, sep));
                if next < rhi {
                    ins.args = maybe_json(log, next, rhi, &mut vals)?;
                }
            }
        }
        "onbuild" => {
            if !rest.is_empty() {
                ins.args = shell_args(log, rlo, rhi);
                let child = node_from_line(log, rlo, rhi, esc)?;
                ins.value = child.value.clone();
                ins.value_spans = child.value_spans.clone();
                ins.onbuild = Some(Box::new(child));
                return Ok(ins);
            }
        }
        _ => {
            // parseIgnore: an empty node.
            if !rest.is_empty() {
                ins.args = shell_args(log, rlo, rhi);
            }
            vals.push((String::new(), rlo, rlo));
        }
    }
    ins.value_spans = vals.iter().map(|(_, a, z)| log.span(*a, *z)).collect();
    ins.value = vals.into_iter().map(|(v, _, _)| v).collect();
    Ok(ins)
}

/// The error for a line whose first word is no instruction. The word is
/// echoed only when it is a near miss of one (`RUNN`: did you mean RUN?):
/// any other word may be a value whose line lost its `\`
/// (`AWS_SECRET_ACCESS_KEY=…` after a multi-line `ENV`), so it is not.
fn unknown_instruction(keyword: &str, escape: char) -> String {
    let lower = keyword.to_ascii_lowercase();
    let near = keyword.len() <= 16 && keyword.bytes().all(|c| c.is_ascii_alphabetic());
    let guess = KNOWN
        .iter()
        .filter(|k| near && k.len() > 2)
        .map(|k| (strsim::damerau_levenshtein(&lower, k), *k))
        .filter(|(distance, k)| {
            *distance <= 2 || (lower.len() >= 4 && (k.starts_with(&lower) || lower.starts_with(k)))
        })
        .min();
    match guess {
        Some((_, known)) => format!(
            "unknown instruction `{keyword}`; did you mean {}?",
            known.to_ascii_uppercase()
        ),
        None => format!(
            "unknown instruction: this line does not start with a Dockerfile instruction; if it continues the previous instruction, end that line with `{escape}`"
        ),
    }
}

/// A word of a Dockerfile quoted in an error only when it cannot be a
/// secret: short, or a plain identifier (a heredoc delimiter such as `EOF`).
fn quotable(word: &str) -> bool {
    word.chars().count() <= 3
        || (word.len() <= 32
            && word.bytes().all(|c| c.is_ascii_uppercase() || c == b'_')
            && crate::secrets::find_tokens(word).is_empty())
}

fn shell_args(log: &Logical, lo: usize, hi: usize) -> Args {
    Args::Shell {
        text: log.text[lo..hi].to_string(),
        span: log.span(lo, hi),
    }
}

/// buildkit's extractBuilderFlags (byte-wise). Returns the flag words (quotes
/// and backslashes processed) with their ranges, and where the rest begins.
fn extract_flags(s: &str, lo: usize, hi: usize) -> (Vec<(String, usize, usize)>, usize) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let b = s.as_bytes();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word: Vec<u8> = Vec::new();
    let mut wstart = lo;
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut pos = lo;
    while pos <= hi {
        let ch = if pos < hi { b[pos] } else { 0 };
        if phase == Phase::Spaces {
            if pos == hi {
                break;
            }
            if is_ascii_space(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 == hi || b[pos + 1] != b'-' {
                return (words, pos);
            }
            phase = Phase::Word;
            wstart = pos;
        }
        if pos == hi {
            if word != b"--" && (blank_ok || !word.is_empty()) {
                words.push((String::from_utf8_lossy(&word).into_owned(), wstart, pos));
            }
            break;
        }
        if phase == Phase::Word {
            if is_ascii_space(ch) {
                phase = Phase::Spaces;
                if word == b"--" {
                    return (words, pos);
                }
                if blank_ok || !word.is_empty() {
                    words.push((String::from_utf8_lossy(&word).into_owned(), wstart, pos));
                }
                word.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == b'\'' || ch == b'"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            let mut c = ch;
            if c == b'\\' {
                if pos + 1 == hi {
                    pos += 1;
                    continue;
                }
                pos += 1;
                c = b[pos];
            }
            word.push(c);
            pos += 1;
            continue;
        }
        // Quote
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        let mut c = ch;
        if c == b'\\' {
            if pos + 1 == hi {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            c = b[pos];
        }
        word.push(c);
        pos += 1;
    }
    (words, hi)
}

/// buildkit's parseWords: words with quotes and escapes kept as written.
fn parse_words(s: &str, lo: usize, hi: usize, esc: char) -> Vec<(String, usize, usize)> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut word = String::new();
    let mut wstart = lo;
    let mut pos = lo;
    while pos <= hi {
        let (mut ch, mut w) = if pos < hi {
            let c = s[pos..].chars().next().unwrap();
            (c, c.len_utf8())
        } else {
            ('\0', 0)
        };
        if phase == Phase::Spaces {
            if pos == hi {
                break;
            }
            if ch.is_whitespace() {
                pos += w;
                continue;
            }
            phase = Phase::Word;
            wstart = pos;
        }
        if pos == hi {
            if blank_ok || !word.is_empty() {
                words.push((std::mem::take(&mut word), wstart, pos));
            }
            break;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    words.push((std::mem::take(&mut word), wstart, pos));
                }
                word.clear();
                blank_ok = false;
                pos += w;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == esc {
                if pos + w == hi {
                    pos += w;
                    continue;
                }
                word.push(ch);
                pos += w;
                ch = s[pos..].chars().next().unwrap();
                w = ch.len_utf8();
            }
            word.push(ch);
            pos += w;
            continue;
        }
        // Quote
        if ch == quote {
            phase = Phase::Word;
        }
        if ch == esc && quote != '\'' {
            if pos + w == hi {
                phase = Phase::Word;
                pos += w;
                continue;
            }
            pos += w;
            word.push(ch);
            ch = s[pos..].chars().next().unwrap();
            w = ch.len_utf8();
        }
        word.push(ch);
        pos += w;
    }
    words
}

enum JsonOutcome {
    Array(Vec<(String, usize, usize)>),
    NotJson,
    NotStrings,
}

const NOT_STRINGS: &str = "when using JSON array syntax, arrays must be comprised of strings only";

fn maybe_json(
    log: &Logical,
    lo: usize,
    hi: usize,
    vals: &mut Vec<(String, usize, usize)>,
) -> Result<Args, String> {
    match parse_json_array(&log.text, lo, hi) {
        JsonOutcome::Array(items) => Ok(json_args(log, lo, hi, items, vals)),
        JsonOutcome::NotStrings => Err(not_strings_message()),
        JsonOutcome::NotJson => {
            vals.push((log.text[lo..hi].to_string(), lo, hi));
            Ok(shell_args(log, lo, hi))
        }
    }
}

fn maybe_json_to_list(
    log: &Logical,
    lo: usize,
    hi: usize,
    vals: &mut Vec<(String, usize, usize)>,
) -> Result<Args, String> {
    match parse_json_array(&log.text, lo, hi) {
        JsonOutcome::Array(items) => Ok(json_args(log, lo, hi, items, vals)),
        JsonOutcome::NotStrings => Err(not_strings_message()),
        JsonOutcome::NotJson => {
            if lo == hi {
                return Ok(Args::None);
            }
            for (a, z) in split_ws(&log.text, lo, hi, None) {
                vals.push((log.text[a..z].to_string(), a, z));
            }
            Ok(shell_args(log, lo, hi))
        }
    }
}

fn not_strings_message() -> String {
    format!("{NOT_STRINGS}; quote every item, or drop the brackets to use the shell form")
}

fn json_args(
    log: &Logical,
    lo: usize,
    hi: usize,
    items: Vec<(String, usize, usize)>,
    vals: &mut Vec<(String, usize, usize)>,
) -> Args {
    let out = items
        .iter()
        .map(|(v, a, z)| (v.clone(), log.span(*a, *z)))
        .collect();
    vals.extend(items);
    Args::Json {
        items: out,
        span: log.span(lo, hi),
    }
}

/// Go's json.Decoder on `s[lo..hi]` (left-trimmed): the first value must be
/// an array; anything after it is ignored, as buildkit's parser does.
fn parse_json_array(s: &str, lo: usize, hi: usize) -> JsonOutcome {
    let sub = &s[lo..hi];
    let start = lo + (sub.len() - sub.trim_start().len());
    let b = &s.as_bytes()[..hi];
    if b.get(start) != Some(&b'[') {
        return JsonOutcome::NotJson;
    }
    let mut items = Vec::new();
    let mut all_strings = true;
    let mut i = start + 1;
    let ws = |b: &[u8], mut i: usize| {
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        i
    };
    i = ws(b, i);
    if b.get(i) == Some(&b']') {
        return JsonOutcome::Array(items);
    }
    loop {
        i = ws(b, i);
        if b.get(i) == Some(&b'"') {
            match json_string(s, i, hi) {
                Some((v, end)) => {
                    items.push((v, i, end));
                    i = end;
                }
                None => return JsonOutcome::NotJson,
            }
        } else {
            all_strings = false;
            match skip_json_value(s, i, hi) {
                Some(end) => i = end,
                None => return JsonOutcome::NotJson,
            }
        }
        i = ws(b, i);
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b']') => break,
            _ => return JsonOutcome::NotJson,
        }
    }
    if all_strings {
        JsonOutcome::Array(items)
    } else {
        JsonOutcome::NotStrings
    }
}

/// A JSON string starting at `i` (a `"`); returns the value and the end offset.
fn json_string(s: &str, i: usize, hi: usize) -> Option<(String, usize)> {
    let b = &s.as_bytes()[..hi];
    let mut out = String::new();
    let mut j = i + 1;
    loop {
        let c = *b.get(j)?;
        match c {
            b'"' => return Some((out, j + 1)),
            b'\\' => {
                let e = *b.get(j + 1)?;
                j += 2;
                match e {
                    b'"' => out.push('"'),
                    b'\\' => out.push('\\'),
                    b'/' => out.push('/'),
                    b'b' => out.push('\u{8}'),
                    b'f' => out.push('\u{c}'),
                    b'n' => out.push('\n'),
                    b'r' => out.push('\r'),
                    b't' => out.push('\t'),
                    b'u' => {
                        let hex = |k: usize| -> Option<u32> {
                            let h = s.get(k..k + 4)?;
                            if !h.bytes().all(|x| x.is_ascii_hexdigit()) {
                                return None;
                            }
                            u32::from_str_radix(h, 16).ok()
                        };
                        let u = hex(j)?;
                        j += 4;
                        if (0xD800..0xDC00).contains(&u)
                            && b.get(j) == Some(&b'\\')
                            && b.get(j + 1) == Some(&b'u')
                        {
                            if let Some(lo2) = hex(j + 2) {
                                if (0xDC00..0xE000).contains(&lo2) {
                                    let cp = 0x10000 + ((u - 0xD800) << 10) + (lo2 - 0xDC00);
                                    out.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                                    j += 6;
                                    continue;
                                }
                            }
                        }
                        out.push(char::from_u32(u).unwrap_or('\u{fffd}'));
                    }
                    _ => return None,
                }
            }
            c if c < 0x20 => return None,
            _ => {
                let ch = s[j..].chars().next()?;
                out.push(ch);
                j += ch.len_utf8();
            }
        }
    }
}

/// Validates any JSON value at `i` (iteratively, Go's max depth 10000).
fn skip_json_value(s: &str, i: usize, hi: usize) -> Option<usize> {
    let b = &s.as_bytes()[..hi];
    let ws = |mut i: usize| {
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        i
    };
    // stack of b'[' / b'{'
    let mut stack: Vec<u8> = Vec::new();
    let mut i = ws(i);
    loop {
        // parse one value start at i
        i = ws(i);
        let c = *b.get(i)?;
        match c {
            b'[' | b'{' => {
                stack.push(c);
                if stack.len() > 10000 {
                    return None;
                }
                i = ws(i + 1);
                let close = if c == b'[' { b']' } else { b'}' };
                if b.get(i) == Some(&close) {
                    stack.pop();
                    i += 1;
                } else {
                    if c == b'{' {
                        if b.get(i) != Some(&b'"') {
                            return None;
                        }
                        i = json_string(s, i, hi)?.1;
                        i = ws(i);
                        if b.get(i) != Some(&b':') {
                            return None;
                        }
                        i += 1;
                    }
                    continue;
                }
            }
            b'"' => i = json_string(s, i, hi)?.1,
            b't' => i = lit(b, i, b"true")?,
            b'f' => i = lit(b, i, b"false")?,
            b'n' => i = lit(b, i, b"null")?,
            b'-' | b'0'..=b'9' => i = number(b, i)?,
            _ => return None,
        }
        // after a value: close containers or continue with ','
        loop {
            let Some(&top) = stack.last() else {
                return Some(i);
            };
            i = ws(i);
            match (*b.get(i)?, top) {
                (b',', b'[') => {
                    i += 1;
                    break;
                }
                (b',', b'{') => {
                    i = ws(i + 1);
                    if b.get(i) != Some(&b'"') {
                        return None;
                    }
                    i = json_string(s, i, hi)?.1;
                    i = ws(i);
                    if b.get(i) != Some(&b':') {
                        return None;
                    }
                    i += 1;
                    break;
                }
                (b']', b'[') | (b'}', b'{') => {
                    stack.pop();
                    i += 1;
                }
                _ => return None,
            }
        }
    }
}

fn lit(b: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    (b.get(i..i + word.len())? == word).then_some(i + word.len())
}

fn number(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |mut i: usize| {
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        (i, i - s)
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i = digits(i).0,
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        let (j, n) = digits(i + 1);
        if n == 0 {
            return None;
        }
        i = j;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let (j, n) = digits(i);
        if n == 0 {
            return None;
        }
        i = j;
    }
    Some(i)
}

// ---------------------------------------------------------------- heredocs

fn can_contain_heredoc(ins: &Instruction) -> bool {
    let node = match &ins.onbuild {
        Some(t) if ins.keyword == "ONBUILD" => t,
        _ => ins,
    };
    matches!(node.keyword.as_str(), "RUN" | "COPY" | "ADD")
        && !matches!(node.args, Args::Json { .. })
}

/// Shell words with quotes and escapes kept raw (buildkit's lexer with
/// RawQuotes + RawEscapes); None on an unterminated quote.
fn raw_shell_words(s: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c.is_whitespace() {
            if in_word {
                words.push(std::mem::take(&mut cur));
                in_word = false;
            }
            continue;
        }
        in_word = true;
        match c {
            '\'' => {
                cur.push(c);
                loop {
                    let q = it.next()?;
                    cur.push(q);
                    if q == '\'' {
                        break;
                    }
                }
            }
            '"' => {
                cur.push(c);
                loop {
                    let q = it.next()?;
                    cur.push(q);
                    if q == '"' {
                        break;
                    }
                    if q == '\\' {
                        if let Some(n) = it.next() {
                            cur.push(n);
                        }
                    }
                }
            }
            '\\' => {
                cur.push(c);
                if let Some(n) = it.next() {
                    cur.push(n);
                }
            }
            _ => cur.push(c),
        }
    }
    if in_word {
        words.push(cur);
    }
    Some(words)
}

/// Removes shell quoting from one word (buildkit's lexer without expansion):
/// returns the text and whether any quote delimiters were removed.
pub fn unquote(s: &str, esc: char) -> (String, bool) {
    let mut out = String::new();
    let mut quoted = false;
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\'' {
            quoted = true;
            for q in it.by_ref() {
                if q == '\'' {
                    break;
                }
                out.push(q);
            }
        } else if c == '"' {
            quoted = true;
            while let Some(q) = it.next() {
                if q == '"' {
                    break;
                }
                if q == esc {
                    match it.peek() {
                        None => continue,
                        Some(&n) if n == '"' || n == '$' || n == esc => {
                            out.push(n);
                            it.next();
                            continue;
                        }
                        _ => {}
                    }
                }
                out.push(q);
            }
        } else if c == esc {
            if let Some(n) = it.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    (out, quoted)
}

/// buildkit's heredocsFromLine: (name, chomp, expand) for each `<<WORD`.
fn heredocs_from_line(line: &str) -> Vec<(String, bool, bool)> {
    let Some(words) = raw_shell_words(line) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for w in words {
        // ^(\d*)<<(-?)([^<]*)$
        let rest = w.trim_start_matches(|c: char| c.is_ascii_digit());
        let Some(rest) = rest.strip_prefix("<<") else {
            continue;
        };
        let (chomp, rest) = match rest.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        if rest.is_empty() || rest.contains('<') {
            continue;
        }
        let (name, quoted) = unquote(rest, '\\');
        if name.is_empty() {
            continue;
        }
        out.push((name, chomp, !quoted));
    }
    out
}

// ---------------------------------------------------------------- document

impl Dockerfile {
    /// The document the policies see.
    pub fn to_node(&self) -> Node {
        let whole = self
            .instructions
            .iter()
            .map(|i| i.span)
            .chain(self.directives.iter().map(|d| d.span))
            .reduce(Span::join)
            .unwrap_or_default();
        let directives = build::map(
            self.directives
                .first()
                .map(|d| d.span)
                .unwrap_or(Span::new(0, 0)),
            self.directives
                .iter()
                .map(|d| (d.name.as_str(), build::str(d.value_span, d.value.clone())))
                .collect(),
        );
        let mut stages = Vec::new();
        for (idx, ins) in self.instructions.iter().enumerate() {
            if ins.keyword != "FROM" {
                continue;
            }
            let f = from_fields(ins);
            stages.push(build::map(
                ins.span,
                vec![
                    ("index", build::int(ins.keyword_span, ins.stage)),
                    ("name", f.name.clone()),
                    ("base", f.image.clone()),
                    ("platform", f.platform.clone()),
                    ("from", build::int(ins.keyword_span, idx as i64)),
                ],
            ));
        }
        let instructions = self
            .instructions
            .iter()
            .map(|i| instruction_node(i, self.escape))
            .collect();
        build::map(
            whole,
            vec![
                ("directives", directives),
                ("stages", build::seq(whole, stages)),
                ("instructions", build::seq(whole, instructions)),
            ],
        )
    }
}

struct FromFields {
    image: Node,
    name: Node,
    platform: Node,
}

fn from_fields(ins: &Instruction) -> FromFields {
    let k = ins.keyword_span;
    let image = match ins.value.first() {
        Some(v) => build::str(ins.value_spans[0], v.clone()),
        None => build::null(k),
    };
    let name = if ins.value.len() == 3 && ins.value[1].eq_ignore_ascii_case("as") {
        build::str(ins.value_spans[2], ins.value[2].to_lowercase())
    } else {
        build::null(k)
    };
    let platform = match ins.flag("platform") {
        Some(f) => match &f.value {
            Some(v) => build::str(f.span, v.clone()),
            None => build::null(f.span),
        },
        None => build::null(k),
    };
    FromFields {
        image,
        name,
        platform,
    }
}

fn words_node(ins: &Instruction, range: std::ops::Range<usize>) -> Node {
    let span = ins.args.span().unwrap_or(ins.keyword_span);
    build::seq(
        span,
        ins.value[range.clone()]
            .iter()
            .zip(&ins.value_spans[range])
            .map(|(v, s)| build::str(*s, v.clone()))
            .collect(),
    )
}

fn pair_node(key: (&str, Span), value: Option<(&str, Span)>, esc: char) -> Node {
    let k = build::str(key.1, unquote(key.0, esc).0);
    let (v, span) = match value {
        Some((v, s)) => (build::str(s, unquote(v, esc).0), key.1.join(s)),
        None => (build::null(key.1), key.1),
    };
    build::map(span, vec![("key", k), ("value", v)])
}

fn instruction_node(ins: &Instruction, esc: char) -> Node {
    let k = ins.keyword_span;
    let args_span = ins.args.span().unwrap_or(k);
    let lower = ins.keyword.to_lowercase();
    let mut e: Vec<(&str, Node)> = vec![
        ("cmd", build::str(k, lower.clone())),
        ("stage", build::int(k, ins.stage)),
        ("line", build::int(k, ins.start_line as i64)),
        ("end_line", build::int(k, ins.end_line as i64)),
        ("original", build::str(ins.span, ins.original.clone())),
        ("value", words_node(ins, 0..ins.value.len())),
        (
            "flags",
            build::seq(
                ins.flags.first().map(|f| f.span).unwrap_or(k),
                ins.flags
                    .iter()
                    .map(|f| {
                        build::map(
                            f.span,
                            vec![
                                ("name", build::str(f.span, f.name.clone())),
                                (
                                    "value",
                                    match &f.value {
                                        Some(v) => build::str(f.span, v.clone()),
                                        None => build::null(f.span),
                                    },
                                ),
                            ],
                        )
                    })
                    .collect(),
            ),
        ),
        (
            "json",
            build::bool(args_span, matches!(ins.args, Args::Json { .. })),
        ),
    ];
    let (args, command) = match &ins.args {
        Args::Shell { text, span } => (
            build::seq(*span, vec![build::str(*span, text.clone())]),
            Some(build::str(*span, text.clone())),
        ),
        Args::Json { items, span } => (
            build::seq(
                *span,
                items
                    .iter()
                    .map(|(v, s)| build::str(*s, v.clone()))
                    .collect(),
            ),
            Some(build::str(
                *span,
                items
                    .iter()
                    .map(|(v, _)| v.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            )),
        ),
        Args::None => (build::seq(k, Vec::new()), None),
    };
    e.push(("args", args));
    if matches!(
        lower.as_str(),
        "run" | "cmd" | "entrypoint" | "shell" | "healthcheck"
    ) {
        e.push(("command", command.unwrap_or_else(|| build::null(k))));
    }
    e.push((
        "heredocs",
        build::seq(
            ins.heredocs.first().map(|h| h.span).unwrap_or(k),
            ins.heredocs
                .iter()
                .map(|h| {
                    build::map(
                        h.span,
                        vec![
                            ("name", build::str(h.span, h.name.clone())),
                            ("body", build::str(h.span, h.body.clone())),
                            ("strip_tabs", build::bool(h.span, h.strip_tabs)),
                            ("expand", build::bool(h.span, h.expand)),
                        ],
                    )
                })
                .collect(),
        ),
    ));
    if lower == "run" {
        e.extend(run_commands(ins, k));
    }
    let n = ins.value.len();
    let vs = &ins.value_spans;
    match lower.as_str() {
        "from" => {
            let f = from_fields(ins);
            e.push(("image", f.image));
            e.push(("name", f.name));
            e.push(("platform", f.platform));
        }
        "env" | "label" => {
            let pairs = (0..n / 2)
                .map(|i| {
                    pair_node(
                        (&ins.value[2 * i], vs[2 * i]),
                        Some((&ins.value[2 * i + 1], vs[2 * i + 1])),
                        esc,
                    )
                })
                .collect();
            e.push(("pairs", build::seq(args_span, pairs)));
        }
        "arg" => {
            let pairs = (0..n)
                .map(|i| {
                    let w = &ins.value[i];
                    let s = vs[i];
                    match w.find('=') {
                        // `eq` counts in the word as processed (quotes,
                        // escapes and line continuations taken out): it
                        // is a source offset only when nothing was.
                        Some(eq) if s.len() == w.len() => {
                            let ks = Span::new(s.start, (s.start + eq).min(s.end));
                            let vsp = Span::new((s.start + eq + 1).min(s.end), s.end);
                            pair_node((&w[..eq], ks), Some((&w[eq + 1..], vsp)), esc)
                        }
                        Some(eq) => pair_node((&w[..eq], s), Some((&w[eq + 1..], s)), esc),
                        None => pair_node((w, s), None, esc),
                    }
                })
                .collect();
            e.push(("pairs", build::seq(args_span, pairs)));
        }
        "user" => e.push(("user", scalar(ins, 0))),
        "workdir" => e.push(("path", scalar(ins, 0))),
        "stopsignal" => e.push(("signal", scalar(ins, 0))),
        "copy" | "add" => {
            let cut = n.saturating_sub(1);
            e.push(("sources", words_node(ins, 0..cut)));
            let dest = if n > 0 {
                scalar(ins, n - 1)
            } else {
                build::null(k)
            };
            e.push(("dest", dest));
        }
        "expose" => e.push(("ports", words_node(ins, 0..n))),
        "volume" => e.push(("paths", words_node(ins, 0..n))),
        "healthcheck" => {
            let none = ins
                .value
                .first()
                .is_some_and(|t| t.eq_ignore_ascii_case("none"));
            e.push(("none", build::bool(k, none)));
        }
        "onbuild" => {
            if let Some(t) = &ins.onbuild {
                e.push(("trigger", instruction_node(t, esc)));
            }
        }
        _ => {}
    }
    build::map(ins.span, e)
}

fn scalar(ins: &Instruction, i: usize) -> Node {
    match ins.value.get(i) {
        Some(v) => build::str(ins.value_spans[i], v.clone()),
        None => build::null(ins.keyword_span),
    }
}

/// `commands`: every simple command a RUN executes (its shell form or JSON
/// form, then its heredoc bodies), as word lists; `programs`: for each, the
/// index of the word it runs as its program (null when none), found once
/// here rather than by every rule; `pipes`: `[a, b]` index pairs where
/// command `a`'s output is piped into command `b`; `depths`: for each, how
/// many command substitutions enclose it (0: the script itself).
fn run_commands(ins: &Instruction, span: Span) -> Vec<(&'static str, Node)> {
    let mut commands: Vec<crate::shell::Command> = match &ins.args {
        Args::Shell { text, .. } => crate::shell::split(text),
        Args::Json { items, .. } => vec![crate::shell::Command {
            words: items.iter().map(|(v, _)| v.clone()).collect(),
            piped: false,
            depth: 0,
            span: 0..0,
        }],
        Args::None => Vec::new(),
    };
    for h in &ins.heredocs {
        commands.extend(crate::shell::split(&h.body));
    }
    let pipes = crate::shell::pipes(&commands)
        .into_iter()
        .map(|(a, b)| {
            build::seq(
                span,
                vec![build::int(span, a as i64), build::int(span, b as i64)],
            )
        })
        .collect();
    let depths = commands
        .iter()
        .map(|c| build::int(span, c.depth as i64))
        .collect();
    let programs = commands
        .iter()
        .map(|c| match crate::shell::program_index(&c.words) {
            Some(i) => build::int(span, i as i64),
            None => build::null(span),
        })
        .collect();
    let commands = commands
        .into_iter()
        .map(|c| {
            build::seq(
                span,
                c.words.into_iter().map(|w| build::str(span, w)).collect(),
            )
        })
        .collect();
    vec![
        ("commands", build::seq(span, commands)),
        ("programs", build::seq(span, programs)),
        ("pipes", build::seq(span, pipes)),
        ("depths", build::seq(span, depths)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Step;
    use crate::source::SourceFile;

    fn p(text: &str) -> Dockerfile {
        parse(text).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn err(text: &str) -> (usize, String) {
        let e = parse(text).expect_err("should fail");
        (
            SourceFile::new("f", text).position(e.span.start).line,
            e.message,
        )
    }

    /// The text a span covers and the line it starts on.
    fn at(text: &str, span: Span) -> (&str, usize) {
        (
            &text[span.start..span.end],
            SourceFile::new("f", text).position(span.start).line,
        )
    }

    fn lines(i: &Instruction) -> (usize, usize) {
        (i.start_line, i.end_line)
    }

    #[test]
    fn from_without_an_image_is_a_recovered_problem() {
        for (from, what) in [
            ("FROM", "FROM names no image"),
            ("FROM --platform=$BUILDPLATFORM", "FROM names no image"),
            ("FROM AS build", "FROM has 2 arguments"),
            ("FROM a b c", "FROM has 3 arguments"),
        ] {
            let t = format!("FROM a\n{from}\nRUN x\n");
            let d = p(&t);
            assert_eq!(d.instructions.len(), 3, "{from}");
            assert_eq!(d.problems.len(), 1, "{from}");
            assert_eq!(at(&t, d.problems[0].span), (from, 2));
            assert!(d.problems[0].message.starts_with(what), "{from}");
        }
        for ok in ["FROM a", "FROM a AS b", "FROM --platform=x a as b"] {
            assert!(p(ok).problems.is_empty(), "{ok}");
        }
    }

    #[test]
    fn the_node_estimate_is_bounded() {
        let lines = format!("FROM a\n{}", "RUN a\n".repeat(MAX_NODES / 20 + 1));
        let (line, message) = err(&lines);
        assert_eq!(line, MAX_NODES / 20 + 1);
        assert!(
            message.starts_with("Dockerfile too large to check"),
            "{message}"
        );
        // One instruction of many words fails before it is split.
        let words = format!("FROM a\nRUN {}\n", "w ".repeat(MAX_NODES));
        assert_eq!(err(&words).0, 2);
        // Few long words are fine.
        let long = format!("FROM a\nRUN {}\n", "w".repeat(60_000));
        assert_eq!(p(&long).instructions.len(), 2);
    }

    #[test]
    fn simple_from_and_run() {
        let t = "FROM alpine:3.19\nRUN echo hi\n";
        let d = p(t);
        assert_eq!(d.instructions.len(), 2);
        let run = &d.instructions[1];
        assert_eq!(run.keyword, "RUN");
        assert_eq!(run.value, vec!["echo hi"]);
        assert_eq!(run.original, "RUN echo hi");
        assert_eq!(lines(run), (2, 2));
        assert_eq!(at(t, run.span), ("RUN echo hi", 2));
        assert_eq!(run.stage, 0);
        assert!(matches!(&run.args, Args::Shell { text, .. } if text == "echo hi"));
    }

    #[test]
    fn directives_at_top_only() {
        let t =
            "# syntax=docker/dockerfile:1\n#  Escape = ` \n# check=skip=all\nFROM a\n# escape=\\\n";
        let d = p(t);
        assert_eq!(d.escape, '`');
        let names: Vec<_> = d
            .directives
            .iter()
            .map(|x| (x.name.as_str(), x.value.as_str()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("syntax", "docker/dockerfile:1"),
                ("escape", "`"),
                ("check", "skip=all")
            ]
        );
        assert_eq!(at(t, d.directives[1].value_span), ("`", 2));
        assert_eq!(lines(&d.instructions[0]), (4, 4));
    }

    #[test]
    fn directive_after_comment_or_blank_is_a_comment() {
        for t in [
            "# hello\n# escape=`\nFROM a\n",
            "\n# escape=`\nFROM a\n",
            "FROM a\n# escape=`\n",
        ] {
            let d = p(t);
            assert_eq!(d.escape, '\\');
            assert!(d.directives.is_empty());
        }
    }

    #[test]
    fn duplicate_and_invalid_directives_fail() {
        assert_eq!(err("# syntax=a\n# syntax=b\nFROM a\n").0, 2);
        let (line, msg) = err("# escape=x\nFROM a\n");
        assert_eq!(line, 1);
        assert!(msg.starts_with("invalid escape token 'x' does not match ` or \\"));
    }

    #[test]
    fn backtick_escape_continuation() {
        let t = "# escape=`\nFROM a\nRUN echo a `\n  b\n";
        let d = p(t);
        let run = &d.instructions[1];
        assert_eq!(run.value, vec!["echo a   b"]);
        assert_eq!(lines(run), (3, 4));
        // a backslash is plain text with the backtick escape
        let d = p("# escape=`\nFROM a\nRUN dir c:\\\nRUN x\n");
        assert_eq!(d.instructions[1].value, vec!["dir c:\\"]);
        assert_eq!(lines(&d.instructions[2]), (4, 4));
    }

    #[test]
    fn continuation_skips_comments_and_blank_lines() {
        let t = "FROM a\nRUN echo a \\\n# comment\n\n   b \\\n  c\nUSER x\n";
        let d = p(t);
        let run = &d.instructions[1];
        assert_eq!(run.original, "RUN echo a    b   c");
        assert_eq!(lines(run), (2, 6));
        assert_eq!(
            at(t, run.span).0,
            "RUN echo a \\\n# comment\n\n   b \\\n  c"
        );
        // the args span runs from `echo` to `c`
        let s = run.args.span().unwrap();
        assert_eq!(at(t, s).1, 2);
        assert_eq!(SourceFile::new("f", t).position(s.end).line, 6);
        assert_eq!(lines(&d.instructions[2]), (7, 7));
    }

    #[test]
    fn escaped_backslash_is_not_a_continuation() {
        let d = p("FROM a\nRUN echo \\\\\nRUN x\n");
        assert_eq!(d.instructions[1].value, vec!["echo \\\\"]);
        assert_eq!(lines(&d.instructions[2]), (3, 3));
    }

    #[test]
    fn continuation_at_eof() {
        let d = p("FROM a\nRUN echo a \\\n");
        assert_eq!(d.instructions[1].original, "RUN echo a ");
        assert_eq!(d.instructions[1].value, vec!["echo a"]);
        assert_eq!(lines(&d.instructions[1]), (2, 2));
    }

    #[test]
    fn lowercase_keywords_and_tabs() {
        let t = "from\ta\nrun\t\techo  x\n";
        let d = p(t);
        assert_eq!(d.instructions[1].keyword, "RUN");
        assert_eq!(at(t, d.instructions[1].keyword_span), ("run", 2));
        assert_eq!(d.instructions[1].value, vec!["echo  x"]);
    }

    #[test]
    fn json_form_and_fallback_to_shell() {
        let t = "FROM a\nCMD [\"a\", \"b c\"] # trailing\nENTRYPOINT ['x']\nCMD [\"a\",]\nCMD []\n";
        let d = p(t);
        let cmd = &d.instructions[1];
        assert!(cmd.is_json());
        assert_eq!(cmd.value, vec!["a", "b c"]);
        assert_eq!(at(t, cmd.value_spans[1]), ("\"b c\"", 2));
        assert!(!d.instructions[2].is_json());
        assert_eq!(d.instructions[2].value, vec!["['x']"]);
        assert!(!d.instructions[3].is_json());
        assert!(d.instructions[4].is_json());
        assert!(d.instructions[4].value.is_empty());
    }

    #[test]
    fn json_escapes() {
        let d = p("CMD [\"\\u2603\", \"a\\\"b\", \"\\ud83d\\ude00\"]\n");
        assert_eq!(d.instructions[0].value, vec!["☃", "a\"b", "😀"]);
    }

    #[test]
    fn json_with_non_string_is_an_error() {
        let (line, msg) = err("FROM a\nCMD [\"a\", 1]\n");
        assert_eq!(line, 2);
        assert!(msg
            .starts_with("when using JSON array syntax, arrays must be comprised of strings only"));
        assert_eq!(err("FROM a\nCOPY [[\"a\"]]\n").0, 2);
    }

    #[test]
    fn flags() {
        let t = "FROM a\nRUN --mount=type=cache,target=/x \\\n    --network=none echo\nCOPY --link --chown=a:b --from=x a b\nRUN --mount=\"type=bind, source=x\" echo\n";
        let d = p(t);
        let run = &d.instructions[1];
        assert_eq!(run.flags.len(), 2);
        assert_eq!(run.flags[0].name, "mount");
        assert_eq!(run.flags[0].value.as_deref(), Some("type=cache,target=/x"));
        assert_eq!(at(t, run.flags[1].span), ("--network=none", 3));
        assert_eq!(run.value, vec!["echo"]);
        let copy = &d.instructions[2];
        assert_eq!(
            copy.flags
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>(),
            ["link", "chown", "from"]
        );
        assert_eq!(copy.flags[0].value, None);
        assert_eq!(copy.value, vec!["a", "b"]);
        let q = &d.instructions[3];
        assert_eq!(q.flags[0].value.as_deref(), Some("type=bind, source=x"));
        assert_eq!(
            at(t, q.flags[0].span),
            ("--mount=\"type=bind, source=x\"", 5)
        );
    }

    #[test]
    fn flag_without_equals_takes_no_argument() {
        // buildkit's parser (as `docker build` sees it) keeps `755` as an argument.
        let d = p("FROM a\nCOPY --chmod 755 a b\nRUN -- --x echo\n");
        assert_eq!(d.instructions[1].flags[0].value, None);
        assert_eq!(d.instructions[1].value, vec!["755", "a", "b"]);
        assert!(d.instructions[2].flags.is_empty());
        assert_eq!(d.instructions[2].value, vec!["--x echo"]);
    }

    #[test]
    fn heredoc_run() {
        let t = "FROM a\nRUN <<EOF\necho hi\nEOF\nUSER x\n";
        let d = p(t);
        let run = &d.instructions[1];
        assert_eq!(run.value, vec!["<<EOF"]);
        assert_eq!(lines(run), (2, 4));
        assert_eq!(run.original, "RUN <<EOF\necho hi\nEOF\n");
        let h = &run.heredocs[0];
        assert_eq!(
            (h.name.as_str(), h.body.as_str(), h.expand, h.strip_tabs),
            ("EOF", "echo hi\n", true, false)
        );
        assert_eq!(at(t, h.span), ("echo hi\n", 3));
        assert_eq!(at(t, run.span), ("RUN <<EOF\necho hi\nEOF", 2));
        assert_eq!(lines(&d.instructions[2]), (5, 5));
    }

    #[test]
    fn heredoc_several_quoted_and_chomped() {
        let t = "FROM a\nRUN <<A <<-\"B\" cat > /x\na\nA\n\tb\n\tB\n";
        let d = p(t);
        let run = &d.instructions[1];
        assert_eq!(lines(run), (2, 6));
        let h: Vec<_> = run
            .heredocs
            .iter()
            .map(|h| (h.name.as_str(), h.body.as_str(), h.expand, h.strip_tabs))
            .collect();
        assert_eq!(
            h,
            vec![("A", "a\n", true, false), ("B", "\tb\n", false, true)]
        );
        assert_eq!(at(t, run.heredocs[1].span), ("\tb\n", 5));
        let d = p("FROM a\nRUN <<'EOF'\n$x\nEOF\n");
        assert!(!d.instructions[1].heredocs[0].expand);
    }

    #[test]
    fn heredoc_inside_shell_command_and_copy() {
        let t = "FROM a\nRUN cat <<EOF > /etc/x && echo\nhi\nEOF\nCOPY <<EOF /dest\nx\nEOF\n";
        let d = p(t);
        assert_eq!(d.instructions[1].value, vec!["cat <<EOF > /etc/x && echo"]);
        assert_eq!(d.instructions[1].heredocs[0].body, "hi\n");
        let copy = &d.instructions[2];
        assert_eq!(copy.value, vec!["<<EOF", "/dest"]);
        assert_eq!(lines(copy), (5, 7));
        let n = d.to_node();
        let sources = n.get("instructions").unwrap().as_seq().unwrap()[2]
            .get("sources")
            .unwrap();
        assert_eq!(sources.as_seq().unwrap()[0].as_str(), Some("<<EOF"));
    }

    #[test]
    fn heredoc_only_in_run_copy_add_shell_form() {
        // CMD and JSON-form RUN do not read heredoc bodies: the body lines are instructions.
        let (line, msg) = err("FROM a\nCMD <<EOF\nx\nEOF\n");
        assert_eq!(line, 3);
        assert!(msg.starts_with("unknown instruction: this line"), "{msg}");
        let (line, _) = err("FROM a\nRUN [\"<<EOF\"]\nx\n");
        assert_eq!(line, 3);
    }

    #[test]
    fn unterminated_heredoc_fails() {
        let (line, msg) = err("FROM a\nRUN <<EOF\necho\n");
        assert_eq!(line, 2);
        assert!(msg.starts_with("unterminated heredoc"));
    }

    #[test]
    fn heredoc_crlf() {
        let d = p("FROM a\r\nRUN <<-EOF\r\n\tx\r\n\tEOF\r\nRUN y\r\n");
        let run = &d.instructions[1];
        assert_eq!(run.heredocs[0].body, "\tx\r\n");
        assert_eq!(lines(run), (2, 4));
        assert_eq!(lines(&d.instructions[2]), (5, 5));
    }

    #[test]
    fn onbuild_trigger() {
        let t = "FROM a\nONBUILD RUN --mount=x echo hi\nONBUILD COPY [\"a\",\"b\"]\n";
        let d = p(t);
        let ob = &d.instructions[1];
        let trig = ob.onbuild.as_ref().unwrap();
        assert_eq!(trig.keyword, "RUN");
        assert_eq!(trig.flags[0].name, "mount");
        assert_eq!(ob.value, vec!["echo hi"]);
        assert_eq!(trig.original, "RUN --mount=x echo hi");
        assert_eq!(at(t, trig.keyword_span), ("RUN", 2));
        assert!(d.instructions[2].is_json());
        let node = d.to_node();
        let trig_node = node.get("instructions").unwrap().as_seq().unwrap()[1]
            .get("trigger")
            .unwrap();
        assert_eq!(trig_node.get("cmd").unwrap().as_str(), Some("run"));
    }

    #[test]
    fn from_as_and_platform() {
        let t = "ARG V=1\nFROM --platform=$BUILDPLATFORM golang:$V AS Builder\nFROM a/b AS x/y\n";
        let d = p(t);
        assert_eq!(d.instructions[0].stage, -1);
        assert_eq!(d.instructions[1].stage, 0);
        assert_eq!(d.instructions[2].stage, 1);
        assert_eq!(d.instructions[1].value, vec!["golang:$V", "AS", "Builder"]);
        let n = d.to_node();
        let st = n.get("stages").unwrap().as_seq().unwrap();
        assert_eq!(st[0].get("name").unwrap().as_str(), Some("builder"));
        assert_eq!(
            st[0].get("platform").unwrap().as_str(),
            Some("$BUILDPLATFORM")
        );
        assert_eq!(
            st[0].get("from").unwrap().value,
            crate::document::Value::Int(1)
        );
        // the parser accepts any stage name (buildkit validates it later)
        assert_eq!(st[1].get("name").unwrap().as_str(), Some("x/y"));
    }

    #[test]
    fn env_key_value_forms() {
        let t = "FROM a\nENV a=\"x y\" b=Rex\\ The\\ Dog \\\n    c='q'\n";
        let d = p(t);
        let env = &d.instructions[1];
        assert_eq!(
            env.value,
            vec!["a", "\"x y\"", "b", "Rex\\ The\\ Dog", "c", "'q'"]
        );
        let n = d.to_node();
        let pairs = n.get("instructions").unwrap().as_seq().unwrap()[1]
            .get("pairs")
            .unwrap();
        let kv: Vec<_> = pairs
            .as_seq()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p.get("key").unwrap().as_str().unwrap(),
                    p.get("value").unwrap().as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(kv, vec![("a", "x y"), ("b", "Rex The Dog"), ("c", "q")]);
        let path = [
            Step::Key("instructions".into()),
            Step::Index(1),
            Step::Key("pairs".into()),
            Step::Index(2),
        ];
        assert_eq!(at(t, n.locate(&path).span), ("c='q'", 3));
    }

    #[test]
    fn env_legacy_form() {
        let t = "FROM a\nENV foo  bar baz  \nLABEL \"a b\"=\"c d\" e=f\n";
        let d = p(t);
        assert_eq!(d.instructions[1].value, vec!["foo", "bar baz"]);
        assert_eq!(at(t, d.instructions[1].value_spans[1]), ("bar baz", 2));
        assert_eq!(
            d.instructions[2].value,
            vec!["\"a b\"", "\"c d\"", "e", "f"]
        );
    }

    #[test]
    fn env_errors() {
        let (line, msg) = err("FROM a\nENV foo\n");
        assert_eq!(line, 2);
        assert!(msg.starts_with("ENV must have two arguments"));
        let (line, msg) = err("FROM a\nENV a=b c\n");
        assert_eq!(line, 2);
        assert!(msg.starts_with("Syntax error - can't find = in word 2 of ENV"));
        // a bare ENV passes buildkit's parser
        assert!(p("FROM a\nENV\n").instructions[1].value.is_empty());
    }

    #[test]
    fn arg_forms() {
        let t = "ARG A B=  C=\"\"\nFROM x\n";
        let d = p(t);
        assert_eq!(d.instructions[0].value, vec!["A", "B=", "C=\"\""]);
        let n = d.to_node();
        let pairs = n.get("instructions").unwrap().as_seq().unwrap()[0]
            .get("pairs")
            .unwrap()
            .as_seq()
            .unwrap();
        assert_eq!(
            pairs[0].get("value").unwrap().value,
            crate::document::Value::Null
        );
        assert_eq!(pairs[1].get("value").unwrap().as_str(), Some(""));
        assert_eq!(pairs[2].get("value").unwrap().as_str(), Some(""));
        assert_eq!(at(t, pairs[2].span), ("C=\"\"", 1));
    }

    #[test]
    fn healthcheck() {
        let t = "FROM a\nHEALTHCHECK --interval=5s CMD curl -f http://x || exit 1\nHEALTHCHECK NONE\nHEALTHCHECK CMD [\"a\", \"b\"]\n";
        let d = p(t);
        let h = &d.instructions[1];
        assert_eq!(h.flags[0].name, "interval");
        assert_eq!(h.value, vec!["CMD", "curl -f http://x || exit 1"]);
        assert_eq!(d.instructions[2].value, vec!["NONE"]);
        assert!(d.instructions[3].is_json());
        assert_eq!(d.instructions[3].value, vec!["CMD", "a", "b"]);
        let n = d.to_node();
        let ins = n.get("instructions").unwrap().as_seq().unwrap();
        assert_eq!(
            ins[1].get("command").unwrap().as_str(),
            Some("curl -f http://x || exit 1")
        );
        assert_eq!(
            ins[2].get("none").unwrap().value,
            crate::document::Value::Bool(true)
        );
        assert_eq!(ins[3].get("command").unwrap().as_str(), Some("a b"));
    }

    #[test]
    fn bare_instructions() {
        let d = p("FROM a\nRUN\nONBUILD\n");
        assert!(d.instructions[1].value.is_empty());
        assert_eq!(d.instructions[1].args, Args::None);
        assert!(d.instructions[2].onbuild.is_none());
    }

    #[test]
    fn no_instructions_fails() {
        for t in ["", "# only a comment\n\n", "   \n\t\n"] {
            assert!(err(t).1.starts_with("file with no instructions"));
        }
    }

    #[test]
    fn long_lines() {
        let ok = format!("FROM a\nRUN {}\n", "x".repeat(MAX_LINE_BYTES - 4));
        assert!(parse(&ok).is_ok());
        let bad = format!("FROM a\nRUN {}\n", "x".repeat(MAX_LINE_BYTES - 3));
        let (line, msg) = err(&bad);
        assert_eq!(line, 2);
        assert!(msg.starts_with("dockerfile line greater than max allowed size of 65535"));
    }

    #[test]
    fn bom_and_crlf() {
        let t = "\u{feff}FROM a\r\nRUN echo a \\\r\n b\r\n";
        let d = p(t);
        assert_eq!(at(t, d.instructions[0].keyword_span), ("FROM", 1));
        assert_eq!(d.instructions[1].original, "RUN echo a  b");
        assert_eq!(lines(&d.instructions[1]), (2, 3));
        assert_eq!(at(t, d.instructions[1].span), ("RUN echo a \\\r\n b", 2));
    }

    #[test]
    fn unknown_instruction_is_an_error_after_parse_errors() {
        let (line, msg) = err("FROM a\nRUNN echo\n");
        assert_eq!(line, 2);
        assert_eq!(msg, "unknown instruction `RUNN`; did you mean RUN?");
        // a parser error later in the file wins, as in `docker build`
        assert_eq!(err("FROM a\nFOO x\nENV y\n").0, 3);
    }

    #[test]
    fn copy_volume_expose_user_workdir() {
        let t = "FROM a\nCOPY a b /dst/\nVOLUME [\"/c\"]\nEXPOSE 80 443/tcp\nUSER app:app\nWORKDIR /a b\nSTOPSIGNAL SIGTERM\n";
        let d = p(t);
        let n = d.to_node();
        let ins = n.get("instructions").unwrap().as_seq().unwrap();
        assert_eq!(ins[1].get("dest").unwrap().as_str(), Some("/dst/"));
        assert_eq!(ins[1].get("sources").unwrap().as_seq().unwrap().len(), 2);
        assert_eq!(
            ins[2].get("paths").unwrap().as_seq().unwrap()[0].as_str(),
            Some("/c")
        );
        assert_eq!(
            at(t, ins[3].get("ports").unwrap().as_seq().unwrap()[1].span),
            ("443/tcp", 4)
        );
        assert_eq!(ins[4].get("user").unwrap().as_str(), Some("app:app"));
        assert_eq!(ins[5].get("path").unwrap().as_str(), Some("/a b"));
        assert_eq!(ins[6].get("signal").unwrap().as_str(), Some("SIGTERM"));
    }

    #[test]
    fn document_shape() {
        let t = "# syntax=docker/dockerfile:1\nFROM golang:1.22 AS builder\nRUN --mount=type=cache,target=/x go build\n";
        let n = p(t).to_node();
        let j = n.to_json();
        assert_eq!(j["directives"]["syntax"], "docker/dockerfile:1");
        assert_eq!(j["stages"][0]["base"], "golang:1.22");
        assert_eq!(j["stages"][0]["name"], "builder");
        let run = &j["instructions"][1];
        assert_eq!(run["cmd"], "run");
        assert_eq!(run["line"], 3);
        assert_eq!(run["flags"][0]["name"], "mount");
        assert_eq!(run["json"], false);
        assert_eq!(run["args"][0], "go build");
        assert_eq!(run["command"], "go build");
        let flag = [
            Step::Key("instructions".into()),
            Step::Index(1),
            Step::Key("flags".into()),
            Step::Index(0),
        ];
        assert_eq!(
            at(t, n.locate(&flag).span),
            ("--mount=type=cache,target=/x", 3)
        );
    }
}
