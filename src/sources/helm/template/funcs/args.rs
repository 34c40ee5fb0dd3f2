//! Arguments as Go's `text/template` hands them to a typed Go function:
//! the count checked, `string` and `int` parameters converted or refused
//! with Go's words, and Sprig's loose conversions (`toInt64`, `strval`).

use super::super::value::{MAX_LIST_ITEMS, MAX_STRING_BYTES};
use super::super::{Kind, Map, Value};

/// Go's check for a function of fixed arity.
pub fn exactly(name: &str, args: &[Value], n: usize) -> Result<(), String> {
    if args.len() == n {
        Ok(())
    } else {
        Err(format!(
            "wrong number of args for {name}: want {n} got {}",
            args.len()
        ))
    }
}

/// Go's check for a variadic function with `n` fixed parameters.
pub fn at_least(name: &str, args: &[Value], n: usize) -> Result<(), String> {
    if args.len() >= n {
        Ok(())
    } else {
        Err(format!(
            "wrong number of args for {name}: want at least {n} got {}",
            args.len()
        ))
    }
}

/// The Go type name used in "wrong type" messages: a nil read from a map
/// is an `interface {}` holding nothing.
fn go_type(v: &Value) -> &'static str {
    match v.kind {
        Kind::Nil => "interface {}",
        _ => v.type_name(),
    }
}

/// A `string` parameter: only a string is accepted, as Go's template does.
pub fn string(v: &Value) -> Result<&str, String> {
    match &v.kind {
        Kind::Str(s) => Ok(s),
        Kind::Nil => Err("invalid value; expected string".into()),
        _ => Err(format!(
            "wrong type for value; expected string; got {}",
            go_type(v)
        )),
    }
}

/// An `int` parameter: template literals and results of Sprig's integer
/// functions; a `float64` read from values is refused, as Go refuses it.
pub fn int(v: &Value) -> Result<i64, String> {
    match &v.kind {
        Kind::Int(i) => Ok(*i),
        Kind::Nil => Err("invalid value; expected int".into()),
        _ => Err(format!(
            "wrong type for value; expected int; got {}",
            go_type(v)
        )),
    }
}

/// A `bool` parameter.
pub fn boolean(v: &Value) -> Result<bool, String> {
    match &v.kind {
        Kind::Bool(b) => Ok(*b),
        Kind::Nil => Err("invalid value; expected bool".into()),
        _ => Err(format!(
            "wrong type for value; expected bool; got {}",
            go_type(v)
        )),
    }
}

/// A `map[string]interface{}` parameter; a nil map reads as empty.
pub fn map(v: &Value) -> Result<Option<&Map>, String> {
    match &v.kind {
        Kind::Map(m) => Ok(Some(m)),
        Kind::Nil => Ok(None),
        _ => Err(format!(
            "wrong type for value; expected map[string]interface {{}}; got {}",
            go_type(v)
        )),
    }
}

/// Sprig's `strval`: a string as is, anything else as Go's `%v` prints it.
pub fn strval(v: &Value) -> String {
    match &v.kind {
        Kind::Str(s) => s.to_string(),
        _ => v.to_string(),
    }
}

/// Sprig's `strslice`: a list's items as strings (nil items dropped), any
/// other value a list of its one string, nil an empty list.
pub fn strslice(v: &Value) -> Vec<String> {
    match &v.kind {
        Kind::List(items) => items.iter().filter(|i| !i.is_nil()).map(strval).collect(),
        Kind::Nil => Vec::new(),
        _ => vec![strval(v)],
    }
}

/// `cast.ToInt64`, which Sprig's math uses: numbers truncated, strings
/// parsed in Go's base-prefixed syntax (`"0x1f"`, `"10.0"`), anything
/// unreadable 0.
pub fn to_int64(v: &Value) -> i64 {
    match &v.kind {
        Kind::Int(i) => *i,
        Kind::Float(f) => *f as i64,
        Kind::Bool(b) => *b as i64,
        Kind::Str(s) => parse_go_int(trim_zero_decimal(s)).unwrap_or(0),
        _ => 0,
    }
}

/// `cast.ToFloat64`.
pub fn to_float64(v: &Value) -> f64 {
    match &v.kind {
        Kind::Int(i) => *i as f64,
        Kind::Float(f) => *f,
        Kind::Bool(b) => *b as i64 as f64,
        Kind::Str(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|_| !s.is_empty())
            .unwrap_or(0.0),
        _ => 0.0,
    }
}

/// cast's `trimZeroDecimal`: `"10.00"` reads as `"10"`.
fn trim_zero_decimal(s: &str) -> &str {
    match s.split_once('.') {
        Some((int, frac))
            if !int.is_empty() && !frac.is_empty() && frac.bytes().all(|b| b == b'0') =>
        {
            int
        }
        _ => s,
    }
}

/// `strconv.ParseInt(s, 0, 64)`: sign, `0x`/`0o`/`0b`/leading-0 octal,
/// underscores only after a base prefix.
pub fn parse_go_int(s: &str) -> Option<i64> {
    let (negative, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string(), true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string(), true)
    } else {
        (10, lower.clone(), false)
    };
    if digits.contains('_') && !prefixed {
        return None;
    }
    let digits = digits.replace('_', "");
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(&digits, radix).ok()?;
    if negative {
        if magnitude <= i64::MAX as u64 + 1 {
            Some((magnitude as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// A string result, refused beyond [`MAX_STRING_BYTES`].
pub fn bounded(s: String) -> Result<Value, String> {
    check_len(s.len())?;
    Ok(Value::str(s))
}

/// Refuses a string of `len` bytes before it is built.
pub fn check_len(len: usize) -> Result<(), String> {
    if len > MAX_STRING_BYTES {
        Err(format!(
            "result of {len} bytes is over the limit of {MAX_STRING_BYTES} bytes"
        ))
    } else {
        Ok(())
    }
}

/// Refuses a list of `len` items before it is built.
pub fn check_items(len: usize) -> Result<(), String> {
    if len > MAX_LIST_ITEMS {
        Err(format!(
            "result of {len} items is over the limit of {MAX_LIST_ITEMS} items"
        ))
    } else {
        Ok(())
    }
}

/// A list of strings as a template value.
pub fn string_list(items: Vec<String>) -> Value {
    Value::list(items.into_iter().map(Value::str).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_integers_parse_as_strconv_does() {
        for (text, want) in [
            ("10", Some(10)),
            ("-10", Some(-10)),
            ("+7", Some(7)),
            ("0x1F", Some(31)),
            ("0o17", Some(15)),
            ("017", Some(15)),
            ("0b101", Some(5)),
            ("0x_1f", Some(31)),
            ("1_000", None),
            ("08", None),
            ("1.5", None),
            ("", None),
            ("-9223372036854775808", Some(i64::MIN)),
            ("9223372036854775808", None),
        ] {
            assert_eq!(parse_go_int(text), want, "{text}");
        }
    }

    #[test]
    fn cast_to_int64_reads_what_cast_reads() {
        for (v, want) in [
            (Value::str("10.00"), 10),
            (Value::str("1.5"), 0),
            (Value::str("abc"), 0),
            (Value::float(2.9), 2),
            (Value::float(-2.9), -2),
            (Value::bool(true), 1),
            (Value::NIL, 0),
        ] {
            assert_eq!(to_int64(&v), want, "{v:?}");
        }
    }
}
