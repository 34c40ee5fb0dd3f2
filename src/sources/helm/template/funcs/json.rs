//! JSON as Go's `encoding/json` writes and reads it: `toJson` (Helm's),
//! `toPrettyJson`, `toRawJson`, `fromJson` / `fromJsonArray` (Helm's: a
//! parse error becomes an `Error` entry or item), `mustFromJson`.
//!
//! Go's encoder sorts map keys, escapes `<`, `>` and `&` (not in
//! `toRawJson`), U+2028 and U+2029, and prints floats in `'f'` form
//! between 1e-6 and 1e21 (`1000000`, `0.5`) and `'e'` form outside
//! (`1e+21`, `1e-7`).

use super::super::value::{go_float, Kind, Value, MAX_STRING_BYTES};
use super::args::{self, exactly};
use std::fmt::Write as _;

type R = Result<Value, String>;

/// Values nest at most this deep when encoded.
const MAX_DEPTH: usize = 1000;

/// How to write JSON.
#[derive(Clone, Copy)]
pub struct Style {
    /// `json.MarshalIndent(v, "", "  ")`.
    pub pretty: bool,
    /// Escape `<`, `>`, `&` as `json.Marshal` does.
    pub escape_html: bool,
}

pub const COMPACT: Style = Style {
    pretty: false,
    escape_html: true,
};

/// `json.Marshal` of a value, or Go's error (a NaN or infinite float).
pub fn encode(v: &Value, style: Style) -> Result<String, String> {
    let mut out = String::new();
    write_value(&mut out, v, style, 0)?;
    Ok(out)
}

fn write_value(out: &mut String, v: &Value, style: Style, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("json: value nests too deeply".into());
    }
    if out.len() > MAX_STRING_BYTES {
        return Err(format!("json: result over {MAX_STRING_BYTES} bytes"));
    }
    match &v.kind {
        Kind::Nil => out.push_str("null"),
        Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Kind::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Kind::Float(f) => out.push_str(&go_json_float(*f)?),
        Kind::Str(s) => write_string(out, s, style.escape_html),
        Kind::Object(o) => write_string(out, &super::dates::json_text(&**o), style.escape_html),
        Kind::List(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, depth + 1);
                write_value(out, item, style, depth + 1)?;
            }
            newline(out, style, depth);
            out.push(']');
        }
        Kind::Map(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, depth + 1);
                write_string(out, k, style.escape_html);
                out.push(':');
                if style.pretty {
                    out.push(' ');
                }
                write_value(out, item, style, depth + 1)?;
            }
            newline(out, style, depth);
            out.push('}');
        }
    }
    Ok(())
}

fn newline(out: &mut String, style: Style, depth: usize) {
    if style.pretty {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
}

/// A float as `encoding/json` writes it.
pub fn go_json_float(f: f64) -> Result<String, String> {
    if !f.is_finite() {
        return Err(format!("json: unsupported value: {}", go_float(f)));
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        // `'e'` form, shortest digits, exponent without a leading zero.
        let sci = format!("{f:e}");
        let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let sign = if exp < 0 { '-' } else { '+' };
        return Ok(format!("{mantissa}e{sign}{}", exp.abs()));
    }
    // Rust's `{}` prints the shortest digits without an exponent.
    if f == 0.0 && f.is_sign_negative() {
        return Ok("-0".into());
    }
    Ok(format!("{f}"))
}

fn write_string(out: &mut String, s: &str, escape_html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '<' | '>' | '&' if escape_html => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn encoded(name: &str, a: &[Value], style: Style) -> Result<String, String> {
    exactly(name, a, 1)?;
    encode(&a[0], style)
}

/// Helm's `toJson`: an encoding error gives the empty string.
pub fn to_json(a: &[Value]) -> R {
    exactly("toJson", a, 1)?;
    let text = encoded("toJson", a, COMPACT).unwrap_or_default();
    Ok(args::bounded(text)?.at(a[0].at))
}

pub fn must_to_json(a: &[Value]) -> R {
    Ok(args::bounded(encoded("mustToJson", a, COMPACT)?)?.at(a[0].at))
}

const PRETTY: Style = Style {
    pretty: true,
    escape_html: true,
};
const RAW: Style = Style {
    pretty: false,
    escape_html: false,
};

pub fn to_pretty_json(a: &[Value]) -> R {
    exactly("toPrettyJson", a, 1)?;
    let text = encoded("toPrettyJson", a, PRETTY).unwrap_or_default();
    Ok(args::bounded(text)?.at(a[0].at))
}

pub fn must_to_pretty_json(a: &[Value]) -> R {
    Ok(args::bounded(encoded("mustToPrettyJson", a, PRETTY)?)?.at(a[0].at))
}

pub fn to_raw_json(a: &[Value]) -> R {
    exactly("toRawJson", a, 1)?;
    let text = encoded("toRawJson", a, RAW).unwrap_or_default();
    Ok(args::bounded(text)?.at(a[0].at))
}

pub fn must_to_raw_json(a: &[Value]) -> R {
    Ok(args::bounded(encoded("mustToRawJson", a, RAW)?)?.at(a[0].at))
}

/// `json.Unmarshal` into `interface{}`: Go's syntax errors word for word.
pub fn decode(text: &str) -> Result<Value, String> {
    if let Some(error) = go_syntax_error(text.as_bytes()) {
        return Err(error);
    }
    serde_json::from_str::<serde_json::Value>(text)
        .map(|json| Value::from_json(&json))
        .map_err(|e| format!("json: {e}"))
}

/// Where Go's JSON scanner is inside a composite value.
#[derive(Clone, Copy, PartialEq)]
enum Within {
    ObjectKey,
    ObjectValue,
    ArrayValue,
}

/// Go's `encoding/json` scanner (`checkValid`), for its first error:
/// `invalid character 'x' looking for beginning of value`, `… after
/// top-level value`, `… in literal true (expecting 'r')`, `unexpected end
/// of JSON input`.
fn go_syntax_error(data: &[u8]) -> Option<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        BeginValue,
        BeginValueOrEmpty,
        BeginStringOrEmpty,
        BeginString,
        EndValue,
        EndTop,
        InString,
        InStringEsc,
        InStringEscU(u8),
        Neg,
        Zero,
        One,
        Dot,
        Dot0,
        E,
        ESign,
        E0,
        Literal(&'static [u8], &'static str, usize),
    }
    let error = |c: u8, context: &str| {
        let shown = match c {
            b'\'' => "'\\''".to_string(),
            b'"' => "'\"'".to_string(),
            _ => {
                let quoted = super::fmt::quote(&char::from(c).to_string());
                format!("'{}'", &quoted[1..quoted.len() - 1])
            }
        };
        Some(format!("invalid character {shown} {context}"))
    };
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    let mut stack: Vec<Within> = Vec::new();
    let mut state = State::BeginValue;
    // Bytes, then one space at the end, as Go's `eof` steps a space.
    for &c in data.iter().chain(std::iter::once(&b' ')) {
        let mut c_state = state;
        // A state may hand the byte on to the next state (Go's
        // `return stateX(s, c)`); loop until one consumes it.
        loop {
            match c_state {
                State::BeginValueOrEmpty if c == b']' => {
                    c_state = State::EndValue;
                    continue;
                }
                State::BeginValueOrEmpty | State::BeginValue => {
                    if space(c) {
                        break;
                    }
                    c_state = match c {
                        b'{' => {
                            stack.push(Within::ObjectKey);
                            State::BeginStringOrEmpty
                        }
                        b'[' => {
                            stack.push(Within::ArrayValue);
                            State::BeginValueOrEmpty
                        }
                        b'"' => State::InString,
                        b'-' => State::Neg,
                        b'0' => State::Zero,
                        b'1'..=b'9' => State::One,
                        b't' => State::Literal(b"rue", "true", 0),
                        b'f' => State::Literal(b"alse", "false", 0),
                        b'n' => State::Literal(b"ull", "null", 0),
                        _ => return error(c, "looking for beginning of value"),
                    };
                    if stack.len() > 10_000 {
                        return Some("exceeded max depth".into());
                    }
                    break;
                }
                State::BeginStringOrEmpty if c == b'}' => {
                    if let Some(top) = stack.last_mut() {
                        *top = Within::ObjectValue;
                    }
                    c_state = State::EndValue;
                    continue;
                }
                State::BeginStringOrEmpty | State::BeginString => {
                    if space(c) {
                        break;
                    }
                    if c == b'"' {
                        c_state = State::InString;
                        break;
                    }
                    return error(c, "looking for beginning of object key string");
                }
                State::EndValue => {
                    let Some(top) = stack.last().copied() else {
                        c_state = State::EndTop;
                        continue;
                    };
                    if space(c) {
                        break;
                    }
                    match (top, c) {
                        (Within::ObjectKey, b':') => {
                            *stack.last_mut().unwrap_or(&mut Within::ObjectKey) =
                                Within::ObjectValue;
                            c_state = State::BeginValue;
                        }
                        (Within::ObjectKey, _) => return error(c, "after object key"),
                        (Within::ObjectValue, b',') => {
                            *stack.last_mut().unwrap_or(&mut Within::ObjectKey) = Within::ObjectKey;
                            c_state = State::BeginString;
                        }
                        (Within::ObjectValue, b'}') | (Within::ArrayValue, b']') => {
                            stack.pop();
                            c_state = State::EndValue;
                        }
                        (Within::ObjectValue, _) => return error(c, "after object key:value pair"),
                        (Within::ArrayValue, b',') => c_state = State::BeginValue,
                        (Within::ArrayValue, _) => return error(c, "after array element"),
                    }
                    break;
                }
                State::EndTop => {
                    if !space(c) {
                        return error(c, "after top-level value");
                    }
                    break;
                }
                State::InString => {
                    match c {
                        b'"' => c_state = State::EndValue,
                        b'\\' => c_state = State::InStringEsc,
                        _ if c < 0x20 => return error(c, "in string literal"),
                        _ => {}
                    }
                    break;
                }
                State::InStringEsc => {
                    match c {
                        b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => {
                            c_state = State::InString
                        }
                        b'u' => c_state = State::InStringEscU(0),
                        _ => return error(c, "in string escape code"),
                    }
                    break;
                }
                State::InStringEscU(n) => {
                    if !c.is_ascii_hexdigit() {
                        return error(c, "in \\u hexadecimal character escape");
                    }
                    c_state = if n == 3 {
                        State::InString
                    } else {
                        State::InStringEscU(n + 1)
                    };
                    break;
                }
                State::Neg => {
                    c_state = match c {
                        b'0' => State::Zero,
                        b'1'..=b'9' => State::One,
                        _ => return error(c, "in numeric literal"),
                    };
                    break;
                }
                State::One if c.is_ascii_digit() => break,
                State::One | State::Zero => {
                    match c {
                        b'.' => c_state = State::Dot,
                        b'e' | b'E' => c_state = State::E,
                        _ => {
                            c_state = State::EndValue;
                            continue;
                        }
                    }
                    break;
                }
                State::Dot => {
                    if !c.is_ascii_digit() {
                        return error(c, "after decimal point in numeric literal");
                    }
                    c_state = State::Dot0;
                    break;
                }
                State::Dot0 => {
                    match c {
                        b'0'..=b'9' => {}
                        b'e' | b'E' => c_state = State::E,
                        _ => {
                            c_state = State::EndValue;
                            continue;
                        }
                    }
                    break;
                }
                State::E if matches!(c, b'+' | b'-') => {
                    c_state = State::ESign;
                    break;
                }
                State::E | State::ESign => {
                    if !c.is_ascii_digit() {
                        return error(c, "in exponent of numeric literal");
                    }
                    c_state = State::E0;
                    break;
                }
                State::E0 => {
                    if c.is_ascii_digit() {
                        break;
                    }
                    c_state = State::EndValue;
                    continue;
                }
                State::Literal(rest, word, k) => {
                    if c != rest[k] {
                        let context =
                            format!("in literal {word} (expecting '{}')", rest[k] as char);
                        return error(c, &context);
                    }
                    c_state = if k + 1 == rest.len() {
                        State::EndValue
                    } else {
                        State::Literal(rest, word, k + 1)
                    };
                    break;
                }
            }
        }
        state = c_state;
    }
    match state {
        State::EndTop | State::EndValue if stack.is_empty() => None,
        _ => Some("unexpected end of JSON input".into()),
    }
}

fn type_error(v: &Value, into: &str) -> String {
    let what = match &v.kind {
        Kind::Map(_) => "object",
        Kind::List(_) => "array",
        Kind::Str(_) => "string",
        Kind::Bool(_) => "bool",
        Kind::Nil => "null",
        _ => "number",
    };
    format!("json: cannot unmarshal {what} into Go value of type {into}")
}

/// Helm's `fromJson`: a map, or a map holding `Error` when the text is
/// not a JSON object.
pub fn from_json(a: &[Value]) -> R {
    exactly("fromJson", a, 1)?;
    let text = args::string(&a[0])?;
    let error = |message: String| {
        let mut map = super::super::value::Map::new();
        map.insert("Error".into(), Value::str(message));
        Ok(Value::map(map))
    };
    match decode(text) {
        Ok(v) if matches!(v.kind, Kind::Map(_)) => Ok(v),
        Ok(v) if v.is_nil() => Ok(Value::map(Default::default())),
        Ok(v) => error(type_error(&v, "map[string]interface {}")),
        Err(e) => error(e),
    }
}

/// Helm's `fromJsonArray`: a list, or a list of the error message.
pub fn from_json_array(a: &[Value]) -> R {
    exactly("fromJsonArray", a, 1)?;
    let text = args::string(&a[0])?;
    match decode(text) {
        Ok(v) if matches!(v.kind, Kind::List(_)) => Ok(v),
        Ok(v) if v.is_nil() => Ok(Value::list(Vec::new())),
        Ok(v) => Ok(Value::list(vec![Value::str(type_error(
            &v,
            "[]interface {}",
        ))])),
        Err(e) => Ok(Value::list(vec![Value::str(e)])),
    }
}

/// Sprig's `mustFromJson`: any JSON value, or the error.
pub fn must_from_json(a: &[Value]) -> R {
    exactly("mustFromJson", a, 1)?;
    decode(args::string(&a[0])?)
}

#[cfg(test)]
mod tests {
    use super::super::find;
    use super::*;

    fn call(name: &str, a: Vec<Value>) -> String {
        match find(name).unwrap()(&a) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }

    fn sample() -> Value {
        let mut inner = super::super::super::value::Map::new();
        inner.insert(
            "b".into(),
            Value::list(vec![Value::str("<x> & y"), Value::NIL, Value::bool(true)]),
        );
        inner.insert("a".into(), Value::float(1e6));
        inner.insert("f".into(), Value::float(0.5));
        Value::map(inner)
    }

    /// Expected outputs rendered by Helm v4.2.3.
    #[test]
    fn json_matches_helm() {
        let cases: Vec<(&str, Vec<Value>, &str)> = vec![
            ("toJson", vec![sample()], r#"{"a":1000000,"b":["\u003cx\u003e \u0026 y",null,true],"f":0.5}"#),
            ("toRawJson", vec![sample()], r#"{"a":1000000,"b":["<x> & y",null,true],"f":0.5}"#),
            ("toPrettyJson", vec![sample()], "{\n  \"a\": 1000000,\n  \"b\": [\n    \"\\u003cx\\u003e \\u0026 y\",\n    null,\n    true\n  ],\n  \"f\": 0.5\n}"),
            ("toJson", vec![Value::float(1e21)], "1e+21"),
            ("toJson", vec![Value::float(1.5e-7)], "1.5e-7"),
            ("toJson", vec![Value::float(123456789.0)], "123456789"),
            ("toJson", vec![Value::str("tab\there\u{1}")], r#""tab\there\u0001""#),
            ("toJson", vec![Value::list(vec![])], "[]"),
            ("toJson", vec![Value::NIL], "null"),
            ("toJson", vec![Value::float(f64::NAN)], ""),
            ("fromJson", vec![Value::str(r#"{"a":[1,"x"],"b":{"c":null}}"#)], "map[a:[1 x] b:map[c:<nil>]]"),
            ("fromJson", vec![Value::str("[1]")], "map[Error:json: cannot unmarshal array into Go value of type map[string]interface {}]"),
            ("fromJson", vec![Value::str("{")], "map[Error:unexpected end of JSON input]"),
            ("fromJson", vec![Value::str("x")], "map[Error:invalid character 'x' looking for beginning of value]"),
            ("fromJsonArray", vec![Value::str("[1,2]")], "[1 2]"),
            ("fromJsonArray", vec![Value::str("{}")], "[json: cannot unmarshal object into Go value of type []interface {}]"),
            ("mustFromJson", vec![Value::str("\"s\"")], "s"),
        ];
        for (name, a, want) in cases {
            assert_eq!(call(name, a.clone()), want, "{name} {a:?}");
        }
    }

    #[test]
    fn json_round_trips() {
        let v = sample();
        let text = encode(&v, COMPACT).unwrap();
        assert_eq!(decode(&text).unwrap(), v);
    }
}
