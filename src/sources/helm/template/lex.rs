//! Go `text/template`'s lexer: text, `{{ … }}` actions with their `-`
//! trim markers, comments, and the words inside actions. The whole file is
//! cut into tokens up front; a lexing error is the last token, reported by
//! the parser when it reaches it, as Go does.

/// What a token is. Spaces inside actions are tokens: they separate
/// arguments (`.a .b` is two, `.a.b` one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// Text outside actions, already trimmed by `{{-`/`-}}`.
    Text,
    Comment,
    LeftDelim,
    RightDelim,
    Space,
    LeftParen,
    RightParen,
    Pipe,
    /// `:=`
    Declare,
    /// `=`
    Assign,
    /// A printable ASCII character with no other meaning (`,`).
    Char,
    Bool,
    CharConstant,
    Number,
    Str,
    RawStr,
    /// `$` or `$name`.
    Variable,
    /// `.name`
    Field,
    Dot,
    Identifier,
    Keyword(Keyword),
    /// A lexing error; the token's text is the message.
    Error,
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl Keyword {
    fn from_word(word: &str) -> Option<Keyword> {
        Some(match word {
            "block" => Keyword::Block,
            "break" => Keyword::Break,
            "continue" => Keyword::Continue,
            "define" => Keyword::Define,
            "else" => Keyword::Else,
            "end" => Keyword::End,
            "if" => Keyword::If,
            "nil" => Keyword::Nil,
            "range" => Keyword::Range,
            "template" => Keyword::Template,
            "with" => Keyword::With,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Token {
    pub kind: Tok,
    /// Byte range in the template text.
    pub start: usize,
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// For [`Tok::Error`], the message.
    pub message: Option<String>,
}

impl Token {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.start..self.end]
    }

    /// How Go's parser names the token in `unexpected X in Y`.
    pub fn describe(&self, src: &str) -> String {
        match self.kind {
            Tok::Eof => "EOF".into(),
            Tok::Error => self.message.clone().unwrap_or_default(),
            Tok::Keyword(_) | Tok::Dot => format!("<{}>", self.text(src)),
            Tok::LeftDelim => "\"{{\"".into(),
            Tok::RightDelim => "\"}}\"".into(),
            _ => {
                let text = self.text(src);
                if text.chars().count() > 10 {
                    let head: String = text.chars().take(10).collect();
                    format!("{}...", go_quote(&head))
                } else {
                    go_quote(text)
                }
            }
        }
    }
}

/// Go's `%q` of a string: double quotes, Go escapes.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// `-` then a space after `{{`.
fn has_left_trim(rest: &str) -> bool {
    let b = rest.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1])
}

/// A space then `-` then `}}`.
fn right_delim_at(rest: &str) -> Option<(bool, usize)> {
    let b = rest.as_bytes();
    if b.len() >= 4 && is_space(b[0]) && b[1] == b'-' && rest[2..].starts_with(RIGHT) {
        return Some((true, 4));
    }
    if rest.starts_with(RIGHT) {
        return Some((false, 2));
    }
    None
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    line: usize,
    /// Line counted up to `line_at`.
    line_at: usize,
    tokens: Vec<Token>,
}

/// Cuts `src` into tokens; the last is [`Tok::Eof`] or [`Tok::Error`].
pub fn lex(src: &str) -> Vec<Token> {
    let mut lx = Lexer {
        src,
        pos: 0,
        line: 1,
        line_at: 0,
        tokens: Vec::new(),
    };
    lx.run();
    lx.tokens
}

impl<'a> Lexer<'a> {
    fn line_of(&mut self, offset: usize) -> usize {
        // Offsets mostly grow, so counting newlines from the last one asked
        // is linear overall.
        let bytes = self.src.as_bytes();
        if offset >= self.line_at {
            self.line += bytes[self.line_at..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
        } else {
            self.line -= bytes[offset..self.line_at]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
        }
        self.line_at = offset;
        self.line
    }

    fn emit(&mut self, kind: Tok, start: usize, end: usize) {
        let line = self.line_of(start);
        self.tokens.push(Token {
            kind,
            start,
            end,
            line,
            message: None,
        });
    }

    /// An error token at `start`, its span cut at the end of that line.
    fn error(&mut self, start: usize, message: String) {
        let line = self.line_of(start);
        let line_end = self.src[start..]
            .find('\n')
            .map_or(self.src.len(), |n| start + n);
        self.tokens.push(Token {
            kind: Tok::Error,
            start,
            end: self.pos.clamp(start, line_end),
            line,
            message: Some(message),
        });
    }

    fn run(&mut self) {
        let src = self.src;
        loop {
            let Some(found) = src[self.pos..].find(LEFT) else {
                if self.pos < src.len() {
                    self.emit(Tok::Text, self.pos, src.len());
                }
                self.emit(Tok::Eof, src.len(), src.len());
                return;
            };
            let delim = self.pos + found;
            let after = &src[delim + LEFT.len()..];
            let trim = has_left_trim(after);
            let mut text_end = delim;
            if trim {
                text_end = self.pos
                    + src[self.pos..delim]
                        .trim_end_matches([' ', '\t', '\r', '\n'])
                        .len();
            }
            if text_end > self.pos {
                self.emit(Tok::Text, self.pos, text_end);
            }
            let inner = delim + LEFT.len() + if trim { 2 } else { 0 };
            if src[inner..].starts_with("/*") {
                if !self.comment(delim, inner) {
                    return;
                }
                continue;
            }
            self.emit(Tok::LeftDelim, delim, inner);
            self.pos = inner;
            if !self.inside_action(delim) {
                return;
            }
        }
    }

    /// `{{/* … */}}`; false after an error.
    fn comment(&mut self, delim: usize, inner: usize) -> bool {
        let src = self.src;
        let body = inner + 2;
        let Some(close) = src[body..].find("*/") else {
            self.pos = src.len();
            self.error(delim, "unclosed comment".into());
            return false;
        };
        let after = body + close + 2;
        let Some((trim, len)) = right_delim_at(&src[after..]) else {
            self.pos = after;
            self.error(delim, "comment ends before closing delimiter".into());
            return false;
        };
        self.emit(Tok::Comment, delim, after + len);
        self.pos = after + len;
        if trim {
            self.skip_leading_space();
        }
        true
    }

    fn skip_leading_space(&mut self) {
        let rest = &self.src[self.pos..];
        self.pos += rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
    }

    /// The words of one action up to its `}}`; false after an error.
    fn inside_action(&mut self, action_start: usize) -> bool {
        let src = self.src;
        let mut paren_depth = 0usize;
        loop {
            let rest = &src[self.pos..];
            if let Some((trim, len)) = right_delim_at(rest) {
                if paren_depth > 0 {
                    self.error(self.pos, "unclosed left paren".into());
                    return false;
                }
                let start = self.pos;
                self.pos += len;
                self.emit(Tok::RightDelim, start, self.pos);
                if trim {
                    self.skip_leading_space();
                }
                return true;
            }
            let start = self.pos;
            let Some(c) = rest.chars().next() else {
                // Go names the line where the text ended; the span is the
                // action's `{{`.
                let end_line = self.line_of(src.len());
                self.error(action_start, "unclosed action".into());
                if let Some(t) = self.tokens.last_mut() {
                    t.end = (action_start + LEFT.len()).min(src.len());
                    t.line = end_line;
                }
                return false;
            };
            let b = c as u32;
            if b < 128 && is_space(b as u8) {
                // Spaces, but the last one belongs to a ` -}}` that follows.
                let mut end = start;
                while end < src.len() && is_space(src.as_bytes()[end]) {
                    if right_delim_at(&src[end..]).is_some_and(|(t, _)| t) {
                        break;
                    }
                    end += 1;
                }
                self.pos = end;
                self.emit(Tok::Space, start, end);
                continue;
            }
            match c {
                '=' => {
                    self.pos += 1;
                    self.emit(Tok::Assign, start, self.pos);
                }
                ':' => {
                    if !rest.starts_with(":=") {
                        self.pos += 1;
                        self.error(start, "expected :=".into());
                        return false;
                    }
                    self.pos += 2;
                    self.emit(Tok::Declare, start, self.pos);
                }
                '|' => {
                    self.pos += 1;
                    self.emit(Tok::Pipe, start, self.pos);
                }
                '"' => {
                    if !self.quoted(start, '"', Tok::Str, "unterminated quoted string") {
                        return false;
                    }
                }
                '\'' => {
                    if !self.quoted(
                        start,
                        '\'',
                        Tok::CharConstant,
                        "unterminated character constant",
                    ) {
                        return false;
                    }
                }
                '`' => match rest[1..].find('`') {
                    Some(close) => {
                        self.pos += close + 2;
                        self.emit(Tok::RawStr, start, self.pos);
                    }
                    None => {
                        self.pos = src.len();
                        self.error(start, "unterminated raw quoted string".into());
                        return false;
                    }
                },
                '$' => {
                    if !self.word(start, 1, Tok::Variable) {
                        return false;
                    }
                }
                '.' if !rest[1..].starts_with(|d: char| d.is_ascii_digit()) => {
                    if !self.word(start, 1, Tok::Field) {
                        return false;
                    }
                }
                '.' | '+' | '-' | '0'..='9' => {
                    if !self.number(start) {
                        return false;
                    }
                }
                c if is_alnum(c) => {
                    if !self.word(start, 0, Tok::Identifier) {
                        return false;
                    }
                }
                '(' => {
                    paren_depth += 1;
                    self.pos += 1;
                    self.emit(Tok::LeftParen, start, self.pos);
                }
                ')' => {
                    self.pos += 1;
                    if paren_depth == 0 {
                        self.error(start, "unexpected right paren".into());
                        return false;
                    }
                    paren_depth -= 1;
                    self.emit(Tok::RightParen, start, self.pos);
                }
                c if c.is_ascii() && !c.is_ascii_control() => {
                    self.pos += 1;
                    self.emit(Tok::Char, start, self.pos);
                }
                c => {
                    self.pos += c.len_utf8();
                    self.error(
                        start,
                        format!("unrecognized character in action: {}", go_rune(c)),
                    );
                    return false;
                }
            }
        }
    }

    fn quoted(&mut self, start: usize, quote: char, kind: Tok, unterminated: &str) -> bool {
        let mut chars = self.src[start + 1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, '\n')) | None => break,
                    Some(_) => {}
                },
                '\n' => break,
                c if c == quote => {
                    self.pos = start + 1 + i + 1;
                    self.emit(kind, start, self.pos);
                    return true;
                }
                _ => {}
            }
        }
        self.pos = self.src.len();
        self.error(start, unterminated.into());
        false
    }

    /// `$name`, `.name` or an identifier/keyword: alphanumerics, then a
    /// terminator must follow.
    fn word(&mut self, start: usize, prefix: usize, kind: Tok) -> bool {
        let rest = &self.src[start + prefix..];
        let len = rest.find(|c: char| !is_alnum(c)).unwrap_or(rest.len());
        self.pos = start + prefix + len;
        if !self.at_terminator() {
            let c = self.src[self.pos..].chars().next().unwrap_or(' ');
            self.pos += c.len_utf8();
            self.error(start, format!("bad character {}", go_rune(c)));
            return false;
        }
        let text = &self.src[start..self.pos];
        let kind = match kind {
            Tok::Field if len == 0 => Tok::Dot,
            Tok::Identifier => match text {
                "true" | "false" => Tok::Bool,
                _ => Keyword::from_word(text).map_or(Tok::Identifier, Tok::Keyword),
            },
            k => k,
        };
        self.emit(kind, start, self.pos);
        true
    }

    fn at_terminator(&self) -> bool {
        let rest = &self.src[self.pos..];
        match rest.as_bytes().first() {
            None => true,
            Some(&b) if is_space(b) => true,
            Some(b'.' | b',' | b'|' | b':' | b')' | b'(') => true,
            _ => rest.starts_with(RIGHT),
        }
    }

    /// Go's `scanNumber`: sign, base prefix, digits with `_`, fraction,
    /// exponent; what follows must not be alphanumeric.
    fn number(&mut self, start: usize) -> bool {
        let b = self.src.as_bytes();
        let mut p = start;
        let accept = |p: &mut usize, set: &[u8]| -> bool {
            if *p < b.len() && set.contains(&b[*p]) {
                *p += 1;
                true
            } else {
                false
            }
        };
        let run = |p: &mut usize, set: &[u8]| {
            while *p < b.len() && set.contains(&b[*p]) {
                *p += 1;
            }
        };
        accept(&mut p, b"+-");
        let mut digits: &[u8] = b"0123456789_";
        if accept(&mut p, b"0") {
            if accept(&mut p, b"xX") {
                digits = b"0123456789abcdefABCDEF_";
            } else if accept(&mut p, b"oO") {
                digits = b"01234567_";
            } else if accept(&mut p, b"bB") {
                digits = b"01_";
            }
        }
        run(&mut p, digits);
        if accept(&mut p, b".") {
            run(&mut p, digits);
        }
        if digits.len() == 11 && accept(&mut p, b"eE") {
            accept(&mut p, b"+-");
            run(&mut p, b"0123456789_");
        }
        if digits.len() == 23 && accept(&mut p, b"pP") {
            accept(&mut p, b"+-");
            run(&mut p, b"0123456789_");
        }
        accept(&mut p, b"i");
        self.pos = p;
        if let Some(c) = self.src[p..].chars().next() {
            if is_alnum(c) {
                self.pos += c.len_utf8();
                let text = self.src[start..self.pos].to_string();
                self.error(start, format!("bad number syntax: {}", go_quote(&text)));
                return false;
            }
        }
        self.emit(Tok::Number, start, p);
        true
    }
}

/// Go's `%#U`: `U+0041 'A'`.
pub fn go_rune(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Tok, &str)> {
        lex(src)
            .iter()
            .map(|t| {
                (
                    t.kind,
                    if t.kind == Tok::Error {
                        ""
                    } else {
                        &src[t.start..t.end]
                    },
                )
            })
            .collect()
    }

    #[test]
    fn trim_markers_cut_the_surrounding_text() {
        assert_eq!(
            kinds("a  \n{{- .x -}}\n  b"),
            vec![
                (Tok::Text, "a"),
                (Tok::LeftDelim, "{{- "),
                (Tok::Field, ".x"),
                (Tok::RightDelim, " -}}"),
                (Tok::Text, "b"),
                (Tok::Eof, ""),
            ]
        );
    }

    #[test]
    fn minus_without_space_is_a_number() {
        assert_eq!(
            kinds("{{-3}}"),
            vec![
                (Tok::LeftDelim, "{{"),
                (Tok::Number, "-3"),
                (Tok::RightDelim, "}}"),
                (Tok::Eof, "")
            ]
        );
    }

    #[test]
    fn words_inside_an_action() {
        let got: Vec<Tok> =
            kinds(r#"{{ $x := .a.b | f "s\"" `r` 'c' 0x1F (1.5e3) true nil $ . }}"#)
                .into_iter()
                .map(|(k, _)| k)
                .filter(|k| *k != Tok::Space)
                .collect();
        use Tok::*;
        assert_eq!(
            got,
            vec![
                LeftDelim,
                Variable,
                Declare,
                Field,
                Field,
                Pipe,
                Identifier,
                Str,
                RawStr,
                CharConstant,
                Number,
                LeftParen,
                Number,
                RightParen,
                Bool,
                Keyword(super::Keyword::Nil),
                Variable,
                Dot,
                RightDelim,
                Eof
            ]
        );
    }

    #[test]
    fn lexing_errors_end_the_tokens() {
        for (src, message) in [
            ("{{ .x ", "unclosed action"),
            ("{{ \"abc }}", "unterminated quoted string"),
            ("{{ `abc }}", "unterminated raw quoted string"),
            ("{{/* x }}", "unclosed comment"),
            ("{{/* x */ }}", "comment ends before closing delimiter"),
            ("{{ (x }}", "unclosed left paren"),
            ("{{ x) }}", "unexpected right paren"),
            ("{{ 3x }}", "bad number syntax: \"3x\""),
            ("{{ $x=1 }}", "bad character U+003D '='"),
            ("{{ a ; b }}", ""),
        ] {
            let tokens = lex(src);
            let last = tokens.last().unwrap();
            if message.is_empty() {
                assert_eq!(last.kind, Tok::Eof, "{src}");
            } else {
                assert_eq!(last.message.as_deref(), Some(message), "{src}");
            }
        }
    }

    #[test]
    fn comments_trim_too() {
        assert_eq!(
            kinds("a {{- /* c */ -}} b"),
            vec![
                (Tok::Text, "a"),
                (Tok::Comment, "{{- /* c */ -}}"),
                (Tok::Text, "b"),
                (Tok::Eof, "")
            ]
        );
    }
}
