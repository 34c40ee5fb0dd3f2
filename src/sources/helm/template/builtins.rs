//! Go `text/template`'s predefined functions that need no engine state:
//! comparisons (Go 1.18+ rules), `not`, `len`, `index`, `slice`, the
//! printers and escapers, `call`. `and`/`or` short-circuit, so they are the
//! executor's.

use super::funcs::fmt as gofmt;
use super::value::{Kind, Value};

/// How a predefined function failed. Go reports an argument-count or
/// argument-type problem as is, and any other failure as
/// `error calling NAME: …`.
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    Plain(String),
    Call(String),
}

type Result<T> = std::result::Result<T, CallError>;

/// The names of Go's predefined functions.
pub const NAMES: &[&str] = &[
    "and", "call", "eq", "ge", "gt", "html", "index", "js", "le", "len", "lt", "ne", "not", "or",
    "print", "printf", "println", "slice", "urlquery",
];

/// Calls predefined function `name` (not `and`/`or`); `None` when it is not one.
pub fn call(name: &str, args: &[Value]) -> Option<Result<Value>> {
    Some(match name {
        "eq" => at_least(name, args, 1).and_then(|_| eq(&args[0], &args[1..]).map(Value::bool)),
        "ne" => {
            exactly(name, args, 2).and_then(|_| eq(&args[0], &args[1..2]).map(|b| Value::bool(!b)))
        }
        "lt" => exactly(name, args, 2).and_then(|_| lt(&args[0], &args[1]).map(Value::bool)),
        "le" => exactly(name, args, 2).and_then(|_| le(&args[0], &args[1]).map(Value::bool)),
        "gt" => {
            exactly(name, args, 2).and_then(|_| le(&args[0], &args[1]).map(|b| Value::bool(!b)))
        }
        "ge" => {
            exactly(name, args, 2).and_then(|_| lt(&args[0], &args[1]).map(|b| Value::bool(!b)))
        }
        "not" => exactly(name, args, 1).map(|_| Value::bool(!args[0].truth())),
        "len" => exactly(name, args, 1).and_then(|_| length(&args[0])),
        "index" => at_least(name, args, 1).and_then(|_| index(&args[0], &args[1..])),
        "slice" => at_least(name, args, 1).and_then(|_| slice(&args[0], &args[1..])),
        "print" => Ok(Value::str(gofmt::sprint(args)).at(first_at(args))),
        "println" => Ok(Value::str(gofmt::sprintln(args)).at(first_at(args))),
        "printf" => at_least(name, args, 1).and_then(|_| match &args[0].kind {
            Kind::Str(format) => gofmt::sprintf(format, &args[1..])
                .map(|s| Value::str(s).at(first_at(&args[1..])))
                .map_err(CallError::Plain),
            _ => Err(wrong_type("string", &args[0])),
        }),
        "html" => Ok(Value::str(html_escape(&printed_args(args))).at(first_at(args))),
        "js" => Ok(Value::str(js_escape(&printed_args(args))).at(first_at(args))),
        "urlquery" => Ok(Value::str(query_escape(&printed_args(args))).at(first_at(args))),
        _ => return None,
    })
}

fn first_at(args: &[Value]) -> Option<crate::source::Span> {
    args.iter().find_map(|a| a.at)
}

pub fn exactly(name: &str, args: &[Value], n: usize) -> Result<()> {
    if args.len() != n {
        return Err(CallError::Plain(format!(
            "wrong number of args for {name}: want {n} got {}",
            args.len()
        )));
    }
    Ok(())
}

pub fn at_least(name: &str, args: &[Value], n: usize) -> Result<()> {
    if args.len() < n {
        return Err(CallError::Plain(format!(
            "wrong number of args for {name}: want at least {n} got {}",
            args.len()
        )));
    }
    Ok(())
}

pub fn wrong_type(expected: &str, got: &Value) -> CallError {
    if got.is_nil() {
        return CallError::Plain(format!("invalid value; expected {expected}"));
    }
    CallError::Plain(format!(
        "wrong type for value; expected {expected}; got {}",
        got.type_name()
    ))
}

/// Go's `basicKind`: the comparable kinds; `None` for nil, lists, maps and
/// objects.
#[derive(PartialEq, Eq, Clone, Copy)]
enum Basic {
    Bool,
    Int,
    Float,
    Str,
}

fn basic(v: &Value) -> Option<Basic> {
    match v.kind {
        Kind::Bool(_) => Some(Basic::Bool),
        Kind::Int(_) => Some(Basic::Int),
        Kind::Float(_) => Some(Basic::Float),
        Kind::Str(_) => Some(Basic::Str),
        _ => None,
    }
}

/// Go 1.24's `incompatible types for comparison: int and float64`.
fn incompatible(a: &Value, b: &Value) -> CallError {
    CallError::Call(format!(
        "incompatible types for comparison: {} and {}",
        a.type_name(),
        b.type_name()
    ))
}
const INVALID_TYPE: &str = "invalid type for comparison";

/// Go's `eq`: true when `a` equals any of `others`. Basic kinds must match
/// (an int is never compared with a float64); nil compares with anything.
pub fn eq(a: &Value, others: &[Value]) -> Result<bool> {
    if others.is_empty() {
        return Err(CallError::Call("missing argument for comparison".into()));
    }
    let k1 = basic(a);
    for b in others {
        let k2 = basic(b);
        let truth = if k1 != k2 {
            if !a.is_nil() && !b.is_nil() {
                return Err(incompatible(a, b));
            }
            false
        } else {
            match (&a.kind, &b.kind) {
                (Kind::Bool(x), Kind::Bool(y)) => x == y,
                (Kind::Int(x), Kind::Int(y)) => x == y,
                (Kind::Float(x), Kind::Float(y)) => x == y,
                (Kind::Str(x), Kind::Str(y)) => x == y,
                _ if a.is_nil() || b.is_nil() => a.is_nil() && b.is_nil(),
                (Kind::Object(x), Kind::Object(y)) => std::sync::Arc::ptr_eq(x, y),
                _ if a.type_name() != b.type_name() => {
                    return Err(CallError::Call(format!(
                        "non-comparable types {}: {}, {}: {b}",
                        go_s(a),
                        a.type_name(),
                        b.type_name()
                    )))
                }
                _ => {
                    return Err(CallError::Call(format!(
                        "non-comparable type {}: {}",
                        go_s(b),
                        b.type_name()
                    )))
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Go's `%s` of a value, as the comparison errors print it.
fn go_s(v: &Value) -> String {
    gofmt::sprintf("%s", std::slice::from_ref(v)).unwrap_or_else(|_| v.to_string())
}

/// Go's `lt`: both of one basic kind, not bool.
pub fn lt(a: &Value, b: &Value) -> Result<bool> {
    let (Some(k1), Some(k2)) = (basic(a), basic(b)) else {
        return Err(CallError::Call(INVALID_TYPE.into()));
    };
    if k1 != k2 {
        return Err(incompatible(a, b));
    }
    Ok(match (&a.kind, &b.kind) {
        (Kind::Int(x), Kind::Int(y)) => x < y,
        (Kind::Float(x), Kind::Float(y)) => x < y,
        (Kind::Str(x), Kind::Str(y)) => x < y,
        _ => return Err(CallError::Call(INVALID_TYPE.into())),
    })
}

fn le(a: &Value, b: &Value) -> Result<bool> {
    if lt(a, b)? {
        return Ok(true);
    }
    eq(a, std::slice::from_ref(b))
}

fn length(v: &Value) -> Result<Value> {
    let n = match &v.kind {
        Kind::Nil => return Err(CallError::Call("len of nil pointer".into())),
        Kind::Str(s) => s.len(),
        Kind::List(l) => l.len(),
        Kind::Map(m) => m.len(),
        _ => return Err(CallError::Call(format!("len of type {}", v.type_name()))),
    };
    Ok(Value::int(n as i64))
}

/// An index into a list or string of `len` items (Go's `indexArg`; `cap`
/// is the length here).
fn index_arg(index: &Value, len: usize) -> Result<usize> {
    let x = match index.kind {
        Kind::Int(i) => i,
        Kind::Nil => return Err(CallError::Call("cannot index slice/array with nil".into())),
        _ => {
            return Err(CallError::Call(format!(
                "cannot index slice/array with type {}",
                index.type_name()
            )))
        }
    };
    if x < 0 || x as u64 > len as u64 {
        return Err(CallError::Call(format!("index out of range: {x}")));
    }
    Ok(x as usize)
}

/// Go's `index`: maps by string key (a missing key is nil), lists and
/// strings by int, nested left to right.
pub fn index(item: &Value, indexes: &[Value]) -> Result<Value> {
    if item.is_nil() {
        return Err(CallError::Call("index of untyped nil".into()));
    }
    let mut item = item.clone();
    for index in indexes {
        item = match &item.kind {
            Kind::Nil => return Err(CallError::Call("index of nil pointer".into())),
            Kind::List(list) => {
                let x = index_arg(index, list.len())?;
                match list.get(x) {
                    Some(v) => v.clone(),
                    None => return Err(CallError::Call(format!("index out of range: {x}"))),
                }
            }
            Kind::Str(s) => {
                let x = index_arg(index, s.len())?;
                match s.as_bytes().get(x) {
                    Some(&b) => Value::int(b as i64),
                    None => return Err(CallError::Call(format!("index out of range: {x}"))),
                }
            }
            Kind::Map(map) => match &index.kind {
                Kind::Str(key) => map.get(&**key).cloned().unwrap_or(Value::NIL),
                Kind::Nil => {
                    return Err(CallError::Call(
                        "value is nil; should be of type string".into(),
                    ))
                }
                _ => {
                    return Err(CallError::Call(format!(
                        "value has type {}; should be string",
                        index.type_name()
                    )))
                }
            },
            _ => {
                return Err(CallError::Call(format!(
                    "can't index item of type {}",
                    item.type_name()
                )))
            }
        };
    }
    Ok(item)
}

/// Go's `slice`: `slice x 1 2` is `x[1:2]`, for lists and strings.
pub fn slice(item: &Value, indexes: &[Value]) -> Result<Value> {
    if item.is_nil() {
        return Err(CallError::Call("slice of untyped nil".into()));
    }
    if indexes.len() > 3 {
        return Err(CallError::Call(format!(
            "too many slice indexes: {}",
            indexes.len()
        )));
    }
    let len = match &item.kind {
        Kind::Str(s) => {
            if indexes.len() == 3 {
                return Err(CallError::Call("cannot 3-index slice a string".into()));
            }
            s.len()
        }
        Kind::List(l) => l.len(),
        _ => {
            return Err(CallError::Call(format!(
                "can't slice item of type {}",
                item.type_name()
            )))
        }
    };
    let mut idx = [0, len, len];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(index, len)?;
    }
    if idx[0] > idx[1] {
        return Err(CallError::Call(format!(
            "invalid slice index: {} > {}",
            idx[0], idx[1]
        )));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(CallError::Call(format!(
            "invalid slice index: {} > {}",
            idx[1], idx[2]
        )));
    }
    Ok(match &item.kind {
        Kind::Str(s) => match s.get(idx[0]..idx[1]) {
            Some(sub) => Value::str(sub),
            // Go slices bytes; a cut inside a character keeps the bytes.
            None => Value::str(String::from_utf8_lossy(&s.as_bytes()[idx[0]..idx[1]]).into_owned()),
        },
        Kind::List(l) => Value::list(l[idx[0]..idx[1]].to_vec()),
        _ => unreachable!("checked above"),
    }
    .at(item.at))
}

/// Go's `evalArgs` for the escapers: one string as is, else `fmt.Sprint`
/// with nil as `<no value>`.
fn printed_args(args: &[Value]) -> String {
    if let [one] = args {
        if let Some(s) = one.as_str() {
            return s.to_string();
        }
    }
    let printable: Vec<Value> = args
        .iter()
        .map(|a| {
            if a.is_nil() {
                Value::str("<no value>")
            } else {
                a.clone()
            }
        })
        .collect();
    gofmt::sprint(&printable)
}

/// Go's `template.HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c if (c as u32) < 0x80 => out.push(c),
            c if !is_print(c) => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Go's `unicode.IsPrint` near enough: not a control, format or separator
/// character other than the ASCII space.
fn is_print(c: char) -> bool {
    !(c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}'))
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::helm::template::value::Map;

    fn s(x: &str) -> Value {
        Value::str(x)
    }

    fn run(name: &str, args: &[Value]) -> String {
        match call(name, args).expect("a builtin") {
            Ok(v) => v.to_string(),
            Err(CallError::Plain(m)) => format!("plain: {m}"),
            Err(CallError::Call(m)) => format!("error: {m}"),
        }
    }

    #[test]
    fn comparisons_follow_go_rules() {
        let f = Value::float;
        let i = Value::int;
        for (name, args, expected) in [
            ("eq", vec![i(1), i(1)], "true"),
            ("eq", vec![i(1), i(2), i(1)], "true"),
            ("eq", vec![s("a"), s("b")], "false"),
            (
                "eq",
                vec![f(1.0), i(1)],
                "error: incompatible types for comparison: float64 and int",
            ),
            ("eq", vec![Value::NIL, s("x")], "false"),
            ("eq", vec![Value::NIL, Value::NIL], "true"),
            ("eq", vec![s("x")], "error: missing argument for comparison"),
            (
                "eq",
                vec![],
                "plain: wrong number of args for eq: want at least 1 got 0",
            ),
            ("ne", vec![s("a"), s("b")], "true"),
            (
                "ne",
                vec![s("a")],
                "plain: wrong number of args for ne: want 2 got 1",
            ),
            ("lt", vec![i(1), i(2)], "true"),
            ("lt", vec![f(2.0), f(1.5)], "false"),
            ("lt", vec![s("a"), s("b")], "true"),
            (
                "lt",
                vec![i(1), f(2.0)],
                "error: incompatible types for comparison: int and float64",
            ),
            (
                "lt",
                vec![Value::NIL, i(2)],
                "error: invalid type for comparison",
            ),
            (
                "lt",
                vec![Value::bool(true), Value::bool(false)],
                "error: invalid type for comparison",
            ),
            ("le", vec![i(2), i(2)], "true"),
            ("gt", vec![i(3), i(2)], "true"),
            ("ge", vec![i(2), i(3)], "false"),
            ("not", vec![s("")], "true"),
            ("not", vec![Value::NIL], "true"),
            (
                "not",
                vec![i(0), i(1)],
                "plain: wrong number of args for not: want 1 got 2",
            ),
        ] {
            assert_eq!(run(name, &args), expected, "{name} {args:?}");
        }
    }

    #[test]
    fn lists_and_maps_do_not_compare() {
        let list = Value::list(vec![]);
        let got = run("eq", &[list.clone(), list]);
        assert!(got.starts_with("error: non-comparable type "), "{got}");
        let got = run("eq", &[Value::list(vec![]), Value::map(Map::new())]);
        assert!(got.starts_with("error: non-comparable types "), "{got}");
        assert_eq!(run("eq", &[Value::list(vec![]), Value::NIL]), "false");
    }

    #[test]
    fn len_index_and_slice() {
        let mut m = Map::new();
        m.insert("k".into(), s("v"));
        let map = Value::map(m);
        let list = Value::list(vec![s("a"), s("b"), s("c")]);
        let i = Value::int;
        for (name, args, expected) in [
            ("len", vec![s("héllo")], "6"),
            ("len", vec![list.clone()], "3"),
            ("len", vec![Value::NIL], "error: len of nil pointer"),
            ("len", vec![i(3)], "error: len of type int"),
            ("index", vec![list.clone(), i(1)], "b"),
            (
                "index",
                vec![list.clone(), i(3)],
                "error: index out of range: 3",
            ),
            (
                "index",
                vec![list.clone(), Value::float(1.0)],
                "error: cannot index slice/array with type float64",
            ),
            ("index", vec![map.clone(), s("k")], "v"),
            ("index", vec![map.clone(), s("missing")], "<nil>"),
            (
                "index",
                vec![map.clone(), s("missing"), s("deeper")],
                "error: index of nil pointer",
            ),
            (
                "index",
                vec![map.clone(), i(1)],
                "error: value has type int; should be string",
            ),
            (
                "index",
                vec![Value::NIL, i(1)],
                "error: index of untyped nil",
            ),
            ("index", vec![s("abc"), i(0)], "97"),
            ("index", vec![list.clone()], "[a b c]"),
            ("slice", vec![list.clone(), i(1)], "[b c]"),
            ("slice", vec![list.clone(), i(1), i(2)], "[b]"),
            ("slice", vec![s("abcd"), i(1), i(3)], "bc"),
            (
                "slice",
                vec![list.clone(), i(2), i(1)],
                "error: invalid slice index: 2 > 1",
            ),
            (
                "slice",
                vec![s("ab"), i(0), i(1), i(2)],
                "error: cannot 3-index slice a string",
            ),
            (
                "slice",
                vec![map.clone()],
                "error: can't slice item of type map[string]interface {}",
            ),
        ] {
            assert_eq!(run(name, &args), expected, "{name} {args:?}");
        }
    }

    #[test]
    fn escapers_are_go_escapers() {
        assert_eq!(
            run("html", &[s("<a href=\"x\">'&'</a>")]),
            "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(
            run("js", &[s("it's <b> \"x\"=\n")]),
            "it\\'s \\u003Cb\\u003E \\\"x\\\"\\u003D\\u000A"
        );
        assert_eq!(run("urlquery", &[s("a b&c=d/é")]), "a+b%26c%3Dd%2F%C3%A9");
        assert_eq!(run("html", &[Value::NIL]), "&lt;no value&gt;");
        assert_eq!(
            run("printf", &[Value::int(1)]),
            "plain: wrong type for value; expected string; got int"
        );
    }
}
