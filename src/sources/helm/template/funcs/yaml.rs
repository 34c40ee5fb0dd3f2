//! YAML as Helm writes and reads it.
//!
//! `toYaml` is `sigs.k8s.io/yaml`: the value goes through JSON and is
//! written by go-yaml v2, whose choices this emitter repeats: keys in
//! go-yaml's natural order (`a2` before `a10`, `_x` before `A`), sequences
//! in a mapping not indented, strings quoted when they would read back as
//! something else (`"true"`, `"1"`, `"yes"`, `""`) and single-quoted when
//! plain text would misparse (`'a: b'`), multi-line strings as `|-`, `|`,
//! `|+` blocks, long lines folded after column 80, whole numbers as
//! integers and other floats in Go's `%g` form. `toYamlPretty` is go-yaml
//! v3 on the value itself: sequences indented, no folding, every float in
//! `%g` form (`1e+06`). One trailing newline is trimmed, as Helm does.
//!
//! `fromYaml` reads the first document with the crate's YAML parser, then
//! reads plain scalars as go-yaml v2 (YAML 1.1) does: `yes`/`on`/`y` are
//! booleans, `0755` is octal, `1_000` a number; numbers become `float64`.

use super::super::value::{go_float, Kind, Map, Value, MAX_STRING_BYTES};
use super::args::{self, exactly};
use super::json;
use crate::document::{Node, Value as NodeValue};
use crate::parse::yaml as parser;
use std::cmp::Ordering;

type R = Result<Value, String>;

/// Collections nest at most this deep when written.
const MAX_DEPTH: usize = 1000;

/// Which go-yaml writes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavor {
    /// `yaml.Marshal` of sigs.k8s.io/yaml (go-yaml v2 after JSON).
    V2,
    /// go-yaml v3's encoder with `SetIndent(2)`.
    V3,
}

/// Helm's `toYaml`: errors (a NaN) give the empty string.
pub fn to_yaml(a: &[Value]) -> R {
    exactly("toYaml", a, 1)?;
    let text = marshal(&a[0], Flavor::V2).unwrap_or_default();
    Ok(args::bounded(text)?.at(a[0].at))
}

/// Helm's `mustToYaml`: errors are errors.
pub fn must_to_yaml(a: &[Value]) -> R {
    exactly("mustToYaml", a, 1)?;
    Ok(args::bounded(marshal(&a[0], Flavor::V2)?)?.at(a[0].at))
}

pub fn to_yaml_pretty(a: &[Value]) -> R {
    exactly("toYamlPretty", a, 1)?;
    let text = marshal(&a[0], Flavor::V3).unwrap_or_default();
    Ok(args::bounded(text)?.at(a[0].at))
}

/// The YAML text of a value as Helm's `toYaml` prints it (no trailing
/// newline).
pub fn to_yaml_text(v: &Value) -> Result<String, String> {
    marshal(v, Flavor::V2)
}

fn marshal(v: &Value, flavor: Flavor) -> Result<String, String> {
    let mut e = Emitter::new(flavor);
    e.node(v, Context::Root, 0)?;
    e.write_indent(); // go-yaml ends the document with a line break
    let mut out = e.out;
    if out.ends_with('\n') {
        out.pop();
    }
    Ok(out)
}

/// Where a node is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Root,
    SequenceItem,
    MappingValue,
    SimpleKey,
    ComplexKey,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// A port of the parts of libyaml's emitter (as go-yaml has it) that block
/// output uses.
struct Emitter {
    out: String,
    flavor: Flavor,
    indent: i64,
    column: usize,
    whitespace: bool,
    indention: bool,
    best_width: usize,
}

impl Emitter {
    fn new(flavor: Flavor) -> Emitter {
        Emitter {
            out: String::new(),
            flavor,
            indent: -1,
            column: 0,
            whitespace: true,
            indention: true,
            best_width: match flavor {
                Flavor::V2 => 80,
                Flavor::V3 => usize::MAX,
            },
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        self.indention = true;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        self.out.push_str(indicator);
        self.column += indicator.chars().count();
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        if self.indent < 0 {
            self.indent = if flow { 2 } else { 0 };
        } else if !indentless {
            self.indent += 2;
        }
    }

    fn node(&mut self, v: &Value, context: Context, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err("yaml: value nests too deeply".into());
        }
        if self.out.len() > MAX_STRING_BYTES {
            return Err(format!("yaml: result over {MAX_STRING_BYTES} bytes"));
        }
        match &v.kind {
            Kind::Map(map) if map.is_empty() => self.empty_flow("{}"),
            Kind::List(items) if items.is_empty() => self.empty_flow("[]"),
            Kind::Map(map) => {
                let saved = self.indent;
                self.increase_indent(false, false);
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_by(|a, b| natural_cmp(a.0, b.0));
                for (key, value) in entries {
                    self.write_indent();
                    let analysis = Analysis::of(key, self.flavor);
                    let simple = !analysis.multiline && key.len() <= 128;
                    if simple {
                        self.string(key, Context::SimpleKey)?;
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.string(key, Context::ComplexKey)?;
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.node(value, Context::MappingValue, depth + 1)?;
                }
                self.indent = saved;
            }
            Kind::List(items) => {
                let saved = self.indent;
                let indentless = self.flavor == Flavor::V2
                    && matches!(context, Context::MappingValue)
                    && !self.indention;
                self.increase_indent(false, indentless);
                for item in items.iter() {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(item, Context::SequenceItem, depth + 1)?;
                }
                self.indent = saved;
            }
            Kind::Str(s) => self.string(s, context)?,
            // go-yaml v3 writes a time as a plain timestamp; through JSON
            // (v2) it is a string that must be quoted.
            Kind::Object(o) if self.flavor == Flavor::V3 && o.type_name() == "time.Time" => {
                self.scalar(&super::dates::json_text(&**o), Style::Plain, context)
            }
            Kind::Object(o) => self.string(&super::dates::json_text(&**o), context)?,
            Kind::Nil => self.scalar("null", Style::Plain, context),
            Kind::Bool(b) => self.scalar(if *b { "true" } else { "false" }, Style::Plain, context),
            Kind::Int(i) => self.scalar(&i.to_string(), Style::Plain, context),
            Kind::Float(f) => {
                let text = match self.flavor {
                    Flavor::V2 => v2_number(*f)?,
                    Flavor::V3 => yaml_float(*f),
                };
                self.scalar(&text, Style::Plain, context)
            }
        }
        Ok(())
    }

    fn empty_flow(&mut self, brackets: &str) {
        let (open, close) = brackets.split_at(1);
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    /// go-yaml's `stringv`: plain unless the text would read back as
    /// another type, a block for multi-line text; the emitter then falls
    /// back to quotes where that style cannot hold the text.
    fn string(&mut self, s: &str, context: Context) -> Result<(), String> {
        let requested = if s.contains('\n') {
            Style::Literal
        } else if plain_reads_as_string(s) {
            Style::Plain
        } else {
            Style::Double
        };
        self.scalar(s, requested, context);
        Ok(())
    }

    fn scalar(&mut self, s: &str, requested: Style, context: Context) {
        let analysis = Analysis::of(s, self.flavor);
        let simple_key = context == Context::SimpleKey;
        let mut style = requested;
        if simple_key && analysis.multiline {
            style = Style::Double;
        }
        if style == Style::Plain && (!analysis.block_plain_allowed || (s.is_empty() && simple_key))
        {
            style = Style::Single;
        }
        if style == Style::Single && !analysis.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!analysis.block_allowed || simple_key) {
            style = Style::Double;
        }
        let saved = self.indent;
        self.increase_indent(true, false);
        let allow_breaks = !simple_key;
        match style {
            Style::Plain => self.write_plain(s, allow_breaks),
            Style::Single => self.write_single(s, allow_breaks),
            Style::Double => self.write_double(s, allow_breaks),
            Style::Literal => self.write_literal(s),
        }
        self.indent = saved;
    }

    fn write_plain(&mut self, s: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        // Most scalars cannot fold: write them whole.
        let count = s.chars().count();
        if !allow_breaks || !s.contains(' ') || self.column + count <= self.best_width {
            self.out.push_str(s);
            self.column += count;
            self.whitespace = false;
            self.indention = false;
            return;
        }
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                self.indention = false;
                spaces = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single(&mut self, s: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && i > 0
                    && i < chars.len() - 1
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, s: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let escape = match c {
                    '\0' => Some('0'),
                    '\x07' => Some('a'),
                    '\x08' => Some('b'),
                    '\t' => Some('t'),
                    '\n' => Some('n'),
                    '\x0b' => Some('v'),
                    '\x0c' => Some('f'),
                    '\r' => Some('r'),
                    '\x1b' => Some('e'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '\u{85}' => Some('N'),
                    '\u{A0}' => Some('_'),
                    '\u{2028}' => Some('L'),
                    '\u{2029}' => Some('P'),
                    _ => None,
                };
                match escape {
                    Some(e) => self.put(e),
                    None => {
                        let code = c as u32;
                        let text = if code <= 0xFF {
                            format!("x{code:02X}")
                        } else if code <= 0xFFFF {
                            format!("u{code:04X}")
                        } else {
                            format!("U{code:08X}")
                        };
                        for t in text.chars() {
                            self.put(t);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && i != 0
                    && i != chars.len() - 1
                {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn write_literal(&mut self, s: &str) {
        self.write_indicator("|", true, false, false);
        // Block scalar hints: an indentation indicator when the text starts
        // with a space or break, then the chomping indicator.
        if s.starts_with(' ') || s.starts_with(is_break) {
            self.write_indicator("2", false, false, false);
        }
        let mut chars = s.chars().rev();
        let chomp = match (chars.next(), chars.next()) {
            (None, _) => Some("-"),
            (Some(last), _) if !is_break(last) => Some("-"),
            (Some(_), None) => Some("+"),
            (Some(_), Some(before)) if is_break(before) => Some("+"),
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in s.chars() {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                    breaks = false;
                }
                self.put(c);
                self.indention = false;
            }
        }
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml's `is_printable`: what may appear unescaped (go-yaml v2 counts
/// U+0085 in, as libyaml does).
fn is_printable(c: char) -> bool {
    matches!(c as u32,
        0x0A | 0x20..=0x7E | 0x85 | 0xA0..=0xD7FF | 0xE000..=0xFFFD)
        && c != '\u{FEFF}'
}

/// What libyaml's `yaml_emitter_analyze_scalar` learns of a text.
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

impl Analysis {
    fn of(s: &str, flavor: Flavor) -> Analysis {
        if s.is_empty() {
            return Analysis {
                multiline: false,
                block_plain_allowed: true,
                single_quoted_allowed: true,
                block_allowed: false,
            };
        }
        let mut block_indicators = s.starts_with("---") || s.starts_with("...");
        let mut line_breaks = false;
        let mut special_characters = false;
        // go-yaml v3 allows tabs in blocks only, and escapes U+0085.
        let mut tabs = false;
        let (mut leading_space, mut leading_break) = (false, false);
        let (mut trailing_space, mut trailing_break) = (false, false);
        let (mut break_space, mut space_break) = (false, false);
        let (mut previous_space, mut previous_break) = (false, false);
        let mut preceded_by_whitespace = true;
        let mut chars = s.chars().enumerate().peekable();
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            let followed_by_whitespace = next.is_none_or(|n| n == ' ' || n == '\t' || is_break(n));
            let last = next.is_none();
            if i == 0 {
                match c {
                    '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\''
                    | '"' | '%' | '@' | '`' => block_indicators = true,
                    '?' | ':' if followed_by_whitespace => block_indicators = true,
                    '-' if followed_by_whitespace => block_indicators = true,
                    _ => {}
                }
            } else {
                match c {
                    ':' if followed_by_whitespace => block_indicators = true,
                    '#' if preceded_by_whitespace => block_indicators = true,
                    _ => {}
                }
            }
            if flavor == Flavor::V3 && c == '\t' {
                tabs = true;
            } else if !is_printable(c) || (flavor == Flavor::V3 && c == '\u{85}') {
                special_characters = true;
            }
            if c == ' ' {
                if i == 0 {
                    leading_space = true;
                }
                if last {
                    trailing_space = true;
                }
                if previous_break {
                    break_space = true;
                }
                previous_space = true;
                previous_break = false;
            } else if is_break(c) {
                line_breaks = true;
                if i == 0 {
                    leading_break = true;
                }
                if last {
                    trailing_break = true;
                }
                if previous_space {
                    space_break = true;
                }
                previous_space = false;
                previous_break = true;
            } else {
                previous_space = false;
                previous_break = false;
            }
            preceded_by_whitespace = c == ' ' || c == '\t' || is_break(c);
        }
        let mut a = Analysis {
            multiline: line_breaks,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: true,
        };
        if leading_space || leading_break || trailing_space || trailing_break {
            a.block_plain_allowed = false;
        }
        if trailing_space {
            a.block_allowed = false;
        }
        if break_space {
            a.block_plain_allowed = false;
            a.single_quoted_allowed = false;
        }
        if tabs {
            a.block_plain_allowed = false;
            a.single_quoted_allowed = false;
        }
        if space_break || special_characters {
            a.block_plain_allowed = false;
            a.single_quoted_allowed = false;
            a.block_allowed = false;
        }
        if line_breaks || block_indicators {
            a.block_plain_allowed = false;
        }
        a
    }
}

/// A number after its trip through JSON and go-yaml v2: JSON integers that
/// fit 64 bits print as integers, anything else as Go's `%g`.
fn v2_number(f: f64) -> Result<String, String> {
    let json = json::go_json_float(f)?;
    if !json.contains(['.', 'e', 'E']) {
        if let Ok(i) = json.parse::<i64>() {
            return Ok(i.to_string());
        }
        if let Ok(u) = json.parse::<u64>() {
            return Ok(u.to_string());
        }
    }
    Ok(yaml_float(f))
}

/// go-yaml's float text: `%g`, with `.inf`, `-.inf`, `.nan`.
fn yaml_float(f: f64) -> String {
    if f.is_nan() {
        ".nan".into()
    } else if f.is_infinite() {
        if f > 0.0 { ".inf" } else { "-.inf" }.into()
    } else {
        go_float(f)
    }
}

/// What go-yaml v2's resolver makes of a plain scalar.
#[derive(Debug, Clone, PartialEq)]
enum Resolved {
    Str,
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Timestamp,
    Merge,
}

fn resolve(s: &str) -> Resolved {
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Resolved::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Resolved::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        "<<" => return Resolved::Merge,
        _ => {}
    }
    let first = s.as_bytes()[0];
    match first {
        b'.' => match s.parse::<f64>() {
            Ok(f) if !s.contains(['i', 'I', 'n', 'N']) => Resolved::Float(f),
            _ => Resolved::Str,
        },
        b'0'..=b'9' | b'+' | b'-' => {
            if is_timestamp(s) {
                return Resolved::Timestamp;
            }
            let plain = s.replace('_', "");
            if let Some(i) = args::parse_go_int(&plain) {
                return Resolved::Int(i);
            }
            if let Some(u) = parse_go_uint(&plain) {
                return Resolved::Uint(u);
            }
            if is_yaml_float(&plain) {
                if let Ok(f) = plain.parse::<f64>() {
                    if f.is_finite() {
                        return Resolved::Float(f);
                    }
                }
            }
            Resolved::Str
        }
        _ => Resolved::Str,
    }
}

fn parse_go_uint(s: &str) -> Option<u64> {
    let s = s.strip_prefix('+').unwrap_or(s);
    let lower = s.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// go-yaml's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// go-yaml's timestamp forms: `2006-1-2`, then optionally `T`, `t` or a
/// space and `15:4:5`, fractional seconds, and (not after a space) a zone.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let number = |i: &mut usize, min: usize, max: usize| -> Option<u32> {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - start < max {
            *i += 1;
        }
        if *i - start < min {
            return None;
        }
        s[start..*i].parse().ok()
    };
    let mut i = 0;
    let Some(year) = number(&mut i, 4, 4) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(month) = number(&mut i, 1, 2) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(day) = number(&mut i, 1, 2) else {
        return false;
    };
    if !(1..=12).contains(&month)
        || day < 1
        || day > super::dates::days_in_month(year as i64, month)
    {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let spaced = b[i] == b' ';
    if !matches!(b[i], b'T' | b't' | b' ') {
        return false;
    }
    i += 1;
    let time = (|| {
        let h = number(&mut i, 1, 2)?;
        (b.get(i) == Some(&b':')).then_some(())?;
        i += 1;
        let m = number(&mut i, 1, 2)?;
        (b.get(i) == Some(&b':')).then_some(())?;
        i += 1;
        let sec = number(&mut i, 1, 2)?;
        (h < 24 && m < 60 && sec < 60).then_some(())
    })();
    if time.is_none() {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if i == b.len() {
        return true;
    }
    if spaced {
        return false;
    }
    match b[i] {
        b'Z' => i + 1 == b.len(),
        b'+' | b'-' => {
            let zone = &s[i + 1..];
            zone.len() == 5
                && zone.is_ascii()
                && zone.as_bytes()[2] == b':'
                && zone[..2].bytes().all(|c| c.is_ascii_digit())
                && zone[3..].bytes().all(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}

/// go-yaml's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        match (b.get(i), b.get(i + 1)) {
            (Some(b'0'..=b'5'), Some(b'0'..=b'9')) => i += 2,
            (Some(b'0'..=b'9'), _) => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// Whether a string may be written plain: go-yaml would read it back as
/// the same string.
fn plain_reads_as_string(s: &str) -> bool {
    // go-yaml writes `<<` plain although it reads it as a merge key.
    matches!(resolve(s), Resolved::Str | Resolved::Merge) && !is_base60_float(s)
}

/// go-yaml's key order (its `keyList.Less` for two strings): letters after
/// other characters, runs of digits compared as numbers.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    if natural_less(a, b) {
        Ordering::Less
    } else if natural_less(b, a) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

fn natural_less(a: &str, b: &str) -> bool {
    // Keys are nearly always ASCII: compare bytes without collecting.
    if a.is_ascii() && b.is_ascii() {
        return natural_less_in(a.as_bytes(), b.as_bytes(), |c| c as char);
    }
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    natural_less_in(&ar, &br, |c| c)
}

fn natural_less_in<T: Copy>(ar: &[T], br: &[T], ch: impl Fn(T) -> char) -> bool {
    for i in 0..ar.len().min(br.len()) {
        let (a, b) = (ch(ar[i]), ch(br[i]));
        if a == b {
            continue;
        }
        let al = a.is_alphabetic();
        let bl = b.is_alphabetic();
        if al && bl {
            return a < b;
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if a == '0' || b == '0' {
            let mut j = i;
            while j > 0 && ch(ar[j - 1]).is_ascii_digit() {
                j -= 1;
                if ch(ar[j]) != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ch(ar[ai]).is_ascii_digit() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(ch(ar[ai]) as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && ch(br[bi]).is_ascii_digit() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(ch(br[bi]) as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return a < b;
    }
    ar.len() < br.len()
}

/// Helm's `fromYaml`: the first document as a map, or a map holding
/// `Error`.
pub fn from_yaml(a: &[Value]) -> R {
    exactly("fromYaml", a, 1)?;
    let text = args::string(&a[0])?;
    let error = |message: String| {
        let mut map = Map::new();
        map.insert("Error".into(), Value::str(message));
        Ok(Value::map(map))
    };
    match parse_v2(text) {
        Ok(v) => match v.kind {
            Kind::Map(_) => Ok(v),
            Kind::Nil => Ok(Value::map(Map::new())),
            _ => error(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                json_kind(&v)
            )),
        },
        Err(e) => error(e),
    }
}

/// Helm's `fromYamlArray`: a list, or a list of the error message.
pub fn from_yaml_array(a: &[Value]) -> R {
    exactly("fromYamlArray", a, 1)?;
    let text = args::string(&a[0])?;
    match parse_v2(text) {
        Ok(v) => match v.kind {
            Kind::List(_) => Ok(v),
            Kind::Nil => Ok(Value::list(Vec::new())),
            _ => Ok(Value::list(vec![Value::str(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type []interface {{}}",
                json_kind(&v)
            ))])),
        },
        Err(e) => Ok(Value::list(vec![Value::str(e)])),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v.kind {
        Kind::Map(_) => "object",
        Kind::List(_) => "array",
        Kind::Str(_) => "string",
        Kind::Bool(_) => "bool",
        Kind::Nil => "null",
        _ => "number",
    }
}

/// The first YAML document of `text` as Helm's `sigs.k8s.io/yaml` reads
/// it (YAML 1.1 scalars, numbers as `float64`); `Err` in Helm's words.
pub fn parse_v2(text: &str) -> Result<Value, String> {
    let documents = parser::parse(text, &parser::Limits::default()).map_err(|e| {
        let line = text[..e.span.start.min(text.len())].matches('\n').count() + 1;
        format!(
            "error converting YAML to JSON: yaml: line {line}: {}",
            e.message
        )
    })?;
    let Some(document) = documents.first() else {
        return Ok(Value::NIL);
    };
    Ok(node_to_value(&document.node, text, false, 0))
}

/// A values-file node as Helm reads it (go-yaml v2: `yes` and `on` are
/// true, a key `n` is `"false"`, `0755` is 493; numbers are `float64`),
/// each value remembering its node's span. `text` is the text the node
/// was parsed from (its spans index it).
pub fn value_from_node(node: &Node, text: &str) -> Value {
    node_to_value(node, text, true, 0)
}

/// A parsed node with go-yaml v2's reading of its plain scalars.
fn node_to_value(node: &Node, text: &str, spans: bool, depth: usize) -> Value {
    let at = spans.then_some(node.span);
    node_kind(node, text, spans, depth).at(at)
}

fn node_kind(node: &Node, text: &str, spans: bool, depth: usize) -> Value {
    if depth > parser::Limits::default().max_depth {
        return Value::NIL;
    }
    match &node.value {
        NodeValue::Seq(items) => Value::list(
            items
                .iter()
                .map(|n| node_to_value(n, text, spans, depth + 1))
                .collect(),
        ),
        NodeValue::Map(entries) => Value::map(
            entries
                .iter()
                .map(|e| {
                    let key = match plain_text(text, e.key_span) {
                        Some(raw) => match resolve(raw) {
                            Resolved::Bool(b) => b.to_string(),
                            Resolved::Int(i) => i.to_string(),
                            Resolved::Uint(u) => u.to_string(),
                            Resolved::Float(f) => yaml_float(f),
                            _ => e.key.clone(),
                        },
                        None => e.key.clone(),
                    };
                    (key, node_to_value(&e.value, text, spans, depth + 1))
                })
                .collect(),
        ),
        _ => {
            if let Some(raw) = plain_text(text, node.span) {
                return match resolve(raw) {
                    Resolved::Null => Value::NIL,
                    Resolved::Bool(b) => Value::bool(b),
                    Resolved::Int(i) => Value::float(i as f64),
                    Resolved::Uint(u) => Value::float(u as f64),
                    Resolved::Float(f) => Value::float(f),
                    Resolved::Str | Resolved::Timestamp | Resolved::Merge => Value::str(raw),
                };
            }
            match &node.value {
                NodeValue::Null => Value::NIL,
                NodeValue::Bool(b) => Value::bool(*b),
                NodeValue::Int(i) => Value::float(*i as f64),
                NodeValue::Float(f) => Value::float(*f),
                NodeValue::Str(s) => Value::str(s.as_str()),
                _ => Value::NIL,
            }
        }
    }
}

/// The source text of a plain one-line scalar (not quoted, not a block,
/// not an alias), where go-yaml's own resolution applies.
fn plain_text(text: &str, span: crate::source::Span) -> Option<&str> {
    let raw = text.get(span.start..span.end)?;
    if raw.is_empty() {
        return Some(raw);
    }
    let first = raw.as_bytes()[0];
    if matches!(first, b'\'' | b'"' | b'|' | b'>' | b'*' | b'[' | b'{') || raw.contains('\n') {
        return None;
    }
    Some(raw)
}

/// Helm's `toToml` (BurntSushi/toml): a table's plain keys first, then
/// its tables and arrays of tables, each in key order, nested ones
/// indented; a value that is not a map is written as a TOML value.
pub fn to_toml(a: &[Value]) -> R {
    exactly("toToml", a, 1)?;
    let mut out = String::new();
    let written = match &a[0].kind {
        Kind::Map(map) => toml_table(&mut out, map, &[], 0),
        _ => toml_value(&mut out, &a[0]),
    };
    match written {
        Ok(()) => args::bounded(out),
        Err(e) => Ok(Value::str(e)),
    }
}

fn toml_table(out: &mut String, map: &Map, path: &[&str], depth: usize) -> Result<(), String> {
    if depth > 100 || out.len() > MAX_STRING_BYTES {
        return Err("toml: value too large".into());
    }
    let indent = "  ".repeat(path.len());
    for (k, v) in map {
        if v.is_nil() || matches!(v.kind, Kind::Map(_)) || is_table_array(v) {
            continue;
        }
        out.push_str(&indent);
        out.push_str(&toml_key(k));
        out.push_str(" = ");
        toml_value(out, v)?;
        out.push('\n');
    }
    for (k, v) in map {
        let mut sub: Vec<&str> = path.to_vec();
        sub.push(k);
        let name: Vec<String> = sub.iter().map(|s| toml_key(s)).collect();
        if let Kind::Map(m) = &v.kind {
            // A blank line between top-level tables, once something is written.
            if path.is_empty() && !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("{indent}[{}]\n", name.join(".")));
            toml_table(out, m, &sub, depth + 1)?;
        } else if is_table_array(v) {
            for item in v.as_list().unwrap_or(&[]) {
                if let Kind::Map(m) = &item.kind {
                    if !out.is_empty() {
                        out.push('\n');
                    }
                    out.push_str(&format!("{indent}[[{}]]\n", name.join(".")));
                    toml_table(out, m, &sub, depth + 1)?;
                }
            }
        }
    }
    Ok(())
}

fn is_table_array(v: &Value) -> bool {
    v.as_list()
        .is_some_and(|l| !l.is_empty() && l.iter().all(|i| matches!(i.kind, Kind::Map(_))))
}

fn toml_key(k: &str) -> String {
    if !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        k.to_string()
    } else {
        super::fmt::quote(k)
    }
}

fn toml_value(out: &mut String, v: &Value) -> Result<(), String> {
    match &v.kind {
        Kind::Bool(b) => out.push_str(&b.to_string()),
        Kind::Int(i) => out.push_str(&i.to_string()),
        Kind::Float(f) if f.is_nan() => out.push_str("nan"),
        Kind::Float(f) if f.is_infinite() => out.push_str(if *f > 0.0 { "inf" } else { "-inf" }),
        Kind::Float(f) => {
            // Go's 'f' format with a decimal point always.
            let text = format!("{f}");
            out.push_str(&text);
            if !text.contains('.') {
                out.push_str(".0");
            }
        }
        Kind::Str(s) => out.push_str(&super::fmt::quote(s)),
        Kind::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                toml_value(out, item)?;
            }
            out.push(']');
        }
        Kind::Map(_) => return Err("toml: inline table not supported".into()),
        Kind::Nil => {}
        Kind::Object(o) => out.push_str(&super::fmt::quote(&o.display())),
    }
    Ok(())
}

/// Helm's `fromToml`: not read here; the map holds an `Error` saying so.
pub fn from_toml(a: &[Value]) -> R {
    exactly("fromToml", a, 1)?;
    args::string(&a[0])?;
    let mut map = Map::new();
    map.insert(
        "Error".into(),
        Value::str("fromToml is not supported by this renderer"),
    );
    Ok(Value::map(map))
}

#[cfg(test)]
mod tests;
