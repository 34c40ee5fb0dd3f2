//! Go's `fmt` as templates use it: `print`, `println`, `printf`, and the
//! `%q` quoting that Sprig's `quote` uses. Output is bounded: a verb whose
//! padding or precision would pass [`MAX_STRING_BYTES`] is an error.

use super::super::value::{go_float, Kind, Value, MAX_STRING_BYTES};
use std::fmt::Write as _;

/// Lists and maps nest at most this deep when printed (values are trees
/// built by bounded parsers, but a printer must not trust that).
const MAX_PRINT_DEPTH: usize = 200;

/// `fmt.Sprint`: operands side by side, a space between two when neither
/// is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    let mut previous_string = false;
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg.kind, Kind::Str(_));
        if i > 0 && !is_string && !previous_string {
            out.push(' ');
        }
        let _ = write!(out, "{arg}");
        previous_string = is_string;
    }
    out
}

/// `fmt.Sprintln`: operands separated by spaces, then a newline.
pub fn sprintln(args: &[Value]) -> String {
    let words: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    words.join(" ") + "\n"
}

/// `fmt.Sprintf` with Go's verbs, flags, width and precision, and Go's
/// `%!verb(type=value)`, `%!v(MISSING)` and `%!(EXTRA …)` for mistakes.
/// `Err` only when the result would pass [`MAX_STRING_BYTES`].
pub fn sprintf(format: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::new();
    let mut next_arg = 0;
    let bytes = format.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i] != b'%' {
            i += 1;
        }
        out.push_str(&format[start..i]);
        if i >= bytes.len() {
            break;
        }
        i += 1; // '%'
        let mut spec = Spec::default();
        while i < bytes.len() {
            match bytes[i] {
                b'#' => spec.sharp = true,
                b'0' => spec.zero = true,
                b'+' => spec.plus = true,
                b'-' => spec.minus = true,
                b' ' => spec.space = true,
                _ => break,
            }
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'*' {
            i += 1;
            match args.get(next_arg).map(|a| &a.kind) {
                Some(Kind::Int(w)) if w.unsigned_abs() <= 1_000_000 => {
                    spec.width = Some(w.unsigned_abs() as usize);
                    if *w < 0 {
                        spec.minus = true;
                    }
                }
                _ => out.push_str("%!(BADWIDTH)"),
            }
            next_arg += 1;
        } else {
            let (n, after) = parse_num(bytes, i);
            spec.width = n;
            i = after;
        }
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            if i < bytes.len() && bytes[i] == b'*' {
                i += 1;
                match args.get(next_arg).map(|a| &a.kind) {
                    Some(Kind::Int(p)) if (0..=1_000_000).contains(p) => {
                        spec.precision = Some(*p as usize)
                    }
                    _ => out.push_str("%!(BADPREC)"),
                }
                next_arg += 1;
            } else {
                let (n, after) = parse_num(bytes, i);
                spec.precision = Some(n.unwrap_or(0));
                i = after;
            }
        }
        if spec.minus {
            spec.zero = false;
        }
        let Some(verb) = format[i..].chars().next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        i += verb.len_utf8();
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next_arg) else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        next_arg += 1;
        spec.verb = verb;
        format_value(&mut out, &spec, arg, 0)?;
        if out.len() > MAX_STRING_BYTES {
            return Err(too_long());
        }
    }
    if next_arg < args.len() {
        out.push_str("%!(EXTRA ");
        for (k, arg) in args[next_arg..].iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            match arg.kind {
                Kind::Nil => out.push_str("<nil>"),
                _ => {
                    let _ = write!(out, "{}={arg}", arg.type_name());
                }
            }
        }
        out.push(')');
    }
    if out.len() > MAX_STRING_BYTES {
        return Err(too_long());
    }
    Ok(out)
}

fn too_long() -> String {
    format!("printf: result is over the limit of {MAX_STRING_BYTES} bytes")
}

/// Go's `parsenum`: digits until one more would pass 1e6; a longer number
/// consumes the rest of the format (Go then prints `%!(NOVERB)`).
fn parse_num(bytes: &[u8], mut i: usize) -> (Option<usize>, usize) {
    let mut n: usize = 0;
    let mut any = false;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        if n > 1_000_000 {
            return (None, bytes.len());
        }
        n = n * 10 + (bytes[i] - b'0') as usize;
        any = true;
        i += 1;
    }
    (any.then_some(n), i)
}

#[derive(Default, Clone)]
struct Spec {
    verb: char,
    sharp: bool,
    zero: bool,
    plus: bool,
    minus: bool,
    space: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

impl Spec {
    /// Pads `text` to the width: spaces (or zeros when `zero_ok`) on the
    /// left, or spaces on the right with `-`.
    fn pad(&self, out: &mut String, text: &str, zero_ok: bool) {
        let len = text.chars().count();
        let width = self.width.unwrap_or(0);
        if len >= width {
            out.push_str(text);
            return;
        }
        let fill = width - len;
        if self.minus {
            out.push_str(text);
            out.extend(std::iter::repeat_n(' ', fill));
        } else if self.zero && zero_ok {
            // The sign goes before the zeros.
            let (sign, rest) = match text.as_bytes().first() {
                Some(b'-' | b'+' | b' ') => text.split_at(1),
                _ => ("", text),
            };
            out.push_str(sign);
            out.extend(std::iter::repeat_n('0', fill));
            out.push_str(rest);
        } else {
            out.extend(std::iter::repeat_n(' ', fill));
            out.push_str(text);
        }
    }
}

fn format_value(out: &mut String, spec: &Spec, arg: &Value, depth: usize) -> Result<(), String> {
    if depth > MAX_PRINT_DEPTH {
        return Err("printf: value nests too deeply to print".into());
    }
    if out.len() > MAX_STRING_BYTES {
        return Err(too_long());
    }
    let verb = spec.verb;
    if verb == 'T' {
        spec.pad(out, arg.type_name(), false);
        return Ok(());
    }
    match &arg.kind {
        Kind::Nil => match verb {
            'v' => spec.pad(out, "<nil>", false),
            _ => bad_verb(out, verb, arg),
        },
        Kind::Bool(b) => match verb {
            'v' | 't' => spec.pad(out, if *b { "true" } else { "false" }, false),
            _ => bad_verb(out, verb, arg),
        },
        Kind::Int(i) => format_int(out, spec, *i, arg),
        Kind::Float(f) => format_float(out, spec, *f, arg),
        Kind::Str(s) => format_str(out, spec, s, arg),
        Kind::List(items) => {
            let mut inner = String::from("[");
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    inner.push(' ');
                }
                format_value(&mut inner, &element_spec(spec), item, depth + 1)?;
            }
            inner.push(']');
            out.push_str(&inner);
        }
        Kind::Map(map) => {
            let mut inner = String::from("map[");
            let key_spec = element_spec(spec);
            for (k, (key, value)) in map.iter().enumerate() {
                if k > 0 {
                    inner.push(' ');
                }
                format_str(&mut inner, &key_spec, key, &Value::str(key.as_str()));
                inner.push(':');
                format_value(&mut inner, &key_spec, value, depth + 1)?;
            }
            inner.push(']');
            out.push_str(&inner);
        }
        Kind::Object(o) => spec.pad(out, &o.display(), false),
    }
    Ok(())
}

/// Go prints each item of a list or map with the verb, flags and width;
/// the brackets are not padded.
fn element_spec(spec: &Spec) -> Spec {
    spec.clone()
}

fn bad_verb(out: &mut String, verb: char, arg: &Value) {
    match arg.kind {
        Kind::Nil => {
            let _ = write!(out, "%!{verb}(<nil>)");
        }
        _ => {
            let _ = write!(out, "%!{verb}({}={arg})", arg.type_name());
        }
    }
}

fn format_int(out: &mut String, spec: &Spec, i: i64, arg: &Value) {
    let magnitude = i.unsigned_abs();
    let digits = match spec.verb {
        'v' | 'd' => magnitude.to_string(),
        'b' => format!("{magnitude:b}"),
        'o' | 'O' => format!("{magnitude:o}"),
        'x' => format!("{magnitude:x}"),
        'X' => format!("{magnitude:X}"),
        'c' => {
            let c = u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}');
            spec.pad(out, &c.to_string(), false);
            return;
        }
        'q' => {
            let c = u32::try_from(i)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}');
            spec.pad(out, &quote_rune(c), false);
            return;
        }
        'U' => {
            let mut text = format!("U+{magnitude:04X}");
            if spec.sharp {
                if let Some(c) = u32::try_from(i).ok().and_then(char::from_u32) {
                    let _ = write!(text, " '{c}'");
                }
            }
            spec.pad(out, &text, false);
            return;
        }
        _ => return bad_verb(out, spec.verb, arg),
    };
    // Precision is a minimum number of digits; `%.0d` of 0 prints nothing.
    let mut digits = match spec.precision {
        Some(0) if magnitude == 0 => String::new(),
        Some(p) if p > digits.len() => "0".repeat(p - digits.len()) + &digits,
        _ => digits,
    };
    if spec.sharp {
        match spec.verb {
            'x' => digits.insert_str(0, "0x"),
            'X' => digits.insert_str(0, "0X"),
            'b' => digits.insert_str(0, "0b"),
            'o' if !digits.starts_with('0') => digits.insert(0, '0'),
            _ => {}
        }
    }
    if spec.verb == 'O' {
        digits.insert_str(0, "0o");
    }
    let sign = if i < 0 {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    let text = format!("{sign}{digits}");
    spec.pad(out, &text, spec.precision.is_none());
}

fn format_float(out: &mut String, spec: &Spec, x: f64, arg: &Value) {
    let body = match spec.verb {
        'v' | 'g' | 'G' => match spec.precision {
            None => go_float(x),
            Some(p) => go_float_g(x, p.max(1)),
        },
        'f' | 'F' => go_fixed(x, spec.precision.unwrap_or(6)),
        'e' | 'E' => go_exp(x, spec.precision.unwrap_or(6)),
        'x' | 'X' if spec.precision.is_none() => go_hex_float(x),
        _ => return bad_verb(out, spec.verb, arg),
    };
    let mut body = if matches!(spec.verb, 'G' | 'E' | 'X') {
        body.to_uppercase()
    } else {
        body
    };
    let special = !x.is_finite();
    if x.is_nan() {
        body = "NaN".into();
    }
    let signed = body.starts_with('-') || body.starts_with('+');
    if !signed {
        if spec.plus {
            body.insert(0, '+');
        } else if spec.space {
            body.insert(0, ' ');
        }
    } else if body.starts_with('+') && !spec.plus {
        // `+Inf` prints as `+Inf` only with the plus flag.
        body.remove(0);
        if spec.space {
            body.insert(0, ' ');
        }
    }
    spec.pad(out, &body, !special);
}

fn format_str(out: &mut String, spec: &Spec, s: &str, arg: &Value) {
    match spec.verb {
        'v' | 's' => {
            let text: &str = match spec.precision {
                Some(p) => match s.char_indices().nth(p) {
                    Some((cut, _)) => &s[..cut],
                    None => s,
                },
                None => s,
            };
            spec.pad(out, text, true);
        }
        'q' => {
            let text = if spec.sharp && can_backquote(s) {
                format!("`{s}`")
            } else {
                quote_with(s, spec.plus)
            };
            spec.pad(out, &text, true);
        }
        'x' | 'X' => {
            let mut text = String::new();
            let bytes = match spec.precision {
                Some(p) => &s.as_bytes()[..p.min(s.len())],
                None => s.as_bytes(),
            };
            for (k, b) in bytes.iter().enumerate() {
                if spec.space && k > 0 {
                    text.push(' ');
                }
                if spec.sharp && (spec.space || k == 0) {
                    text.push_str(if spec.verb == 'x' { "0x" } else { "0X" });
                }
                if spec.verb == 'x' {
                    let _ = write!(text, "{b:02x}");
                } else {
                    let _ = write!(text, "{b:02X}");
                }
            }
            spec.pad(out, &text, true);
        }
        _ => bad_verb(out, spec.verb, arg),
    }
}

/// `strconv.Quote`: double quotes, Go's escapes for control and
/// unprintable characters, printable Unicode kept as is.
pub fn quote(s: &str) -> String {
    quote_with(s, false)
}

fn quote_with(s: &str, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c, '"', ascii_only);
    }
    out.push('"');
    out
}

fn quote_rune(c: char) -> String {
    let mut out = String::from("'");
    push_escaped(&mut out, c, '\'', false);
    out.push('\'');
    out
}

fn push_escaped(out: &mut String, c: char, quote: char, ascii_only: bool) {
    match c {
        _ if c == quote || c == '\\' => {
            out.push('\\');
            out.push(c);
        }
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        _ if is_go_print(c) && (!ascii_only || c.is_ascii()) => out.push(c),
        _ if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        _ if (c as u32) < 0x10000 => {
            let _ = write!(out, "\\u{:04x}", c as u32);
        }
        _ => {
            let _ = write!(out, "\\U{:08x}", c as u32);
        }
    }
}

/// Go's `strconv.IsPrint`, closely: graphic characters and the ASCII
/// space; not controls, other spaces, or invisible format characters.
pub fn is_go_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
        | 0xD800..=0xDFFF | 0xE000..=0xF8FF | 0xFFFE | 0xFFFF | 0xF0000..)
}

/// `strconv.CanBackquote`: no backquote, no control character but tab.
fn can_backquote(s: &str) -> bool {
    s.chars()
        .all(|c| c != '`' && c != '\u{FEFF}' && (c == '\t' || !c.is_control()))
}

/// `strconv.FormatFloat(x, 'x', -1, 64)`: `0x1.8p+00`.
fn go_hex_float(x: f64) -> String {
    if !x.is_finite() {
        return go_float(x);
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{sign}0x0p+00");
    }
    let bits = x.abs().to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1 << 52) - 1);
    if exp == 0 {
        // Subnormal: shift until the leading one is the implicit bit.
        exp = 1;
        while mant & (1 << 52) == 0 {
            mant <<= 1;
            exp -= 1;
        }
        mant &= (1 << 52) - 1;
    }
    let exp = exp - 1023;
    let digits = format!("{mant:013x}");
    let digits = digits.trim_end_matches('0');
    let dot = if digits.is_empty() { "" } else { "." };
    let esign = if exp < 0 { '-' } else { '+' };
    format!("{sign}0x1{dot}{digits}p{esign}{:02}", exp.abs())
}

/// `strconv.FormatFloat(x, 'f', p, 64)`.
pub fn go_fixed(x: f64, precision: usize) -> String {
    if !x.is_finite() {
        return go_float(x);
    }
    format!("{x:.precision$}")
}

/// `strconv.FormatFloat(x, 'e', p, 64)`: `1.500000e+00`.
pub fn go_exp(x: f64, precision: usize) -> String {
    if !x.is_finite() {
        return go_float(x);
    }
    go_exponent(&format!("{x:.precision$e}"))
}

/// Rust's `1.5e3` / `1.5e-7` exponent as Go writes it: `e+03`, `e-07`.
fn go_exponent(rust: &str) -> String {
    let (mantissa, exp) = rust.split_once('e').unwrap_or((rust, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exp.abs())
}

/// `strconv.FormatFloat(x, 'g', p, 64)`: `p` significant digits, trailing
/// zeros dropped, the exponent form when the exponent is below -4 or at
/// least `p`.
pub fn go_float_g(x: f64, precision: usize) -> String {
    if !x.is_finite() || x == 0.0 {
        return go_float(x);
    }
    let sci = format!("{:.*e}", precision - 1, x);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect::<String>()
        .trim_end_matches('0')
        .to_string();
    let digits = if digits.is_empty() {
        "0".to_string()
    } else {
        digits
    };
    let mut eprec = precision as i32;
    let nd = digits.len() as i32;
    if eprec > nd && nd > exp {
        eprec = nd;
    }
    super::super::value::go_layout(negative, &digits, exp, eprec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::str(x)
    }
    fn i(x: i64) -> Value {
        Value::int(x)
    }
    fn f(x: f64) -> Value {
        Value::float(x)
    }

    #[test]
    fn sprint_spaces_operands_that_are_not_strings() {
        assert_eq!(sprint(&[s("a"), s("b")]), "ab");
        assert_eq!(sprint(&[i(1), i(2)]), "1 2");
        assert_eq!(sprint(&[s("a"), i(1), i(2), s("b")]), "a1 2b");
        assert_eq!(sprint(&[Value::NIL, i(2)]), "<nil> 2");
        assert_eq!(sprintln(&[s("a"), i(1)]), "a 1\n");
    }

    /// Expected outputs from Go 1.22 `fmt.Sprintf` (Helm's `printf`).
    #[test]
    fn sprintf_matches_go() {
        let cases: Vec<(&str, Vec<Value>, &str)> = vec![
            ("%d", vec![i(42)], "42"),
            (
                "%5d|%-5d|%05d",
                vec![i(42), i(42), i(-42)],
                "   42|42   |-0042",
            ),
            ("%+d % d", vec![i(5), i(5)], "+5  5"),
            ("%.3d", vec![i(7)], "007"),
            (
                "%x %X %o %b %#x %#o",
                vec![i(255), i(255), i(8), i(5), i(255), i(8)],
                "ff FF 10 101 0xff 010",
            ),
            (
                "%c %q %U %#U",
                vec![i(65), i(65), i(0x1F600), i(65)],
                "A 'A' U+1F600 U+0041 'A'",
            ),
            (
                "%s|%10s|%-10s|%.2s",
                vec![s("héllo"), s("abc"), s("abc"), s("héllo")],
                "héllo|       abc|abc       |hé",
            ),
            ("%q", vec![s("a\"b\\c\n\té")], r#""a\"b\\c\n\té""#),
            ("%+q", vec![s("é")], r#""\u00e9""#),
            ("%#q", vec![s("ab")], "`ab`"),
            (
                "%x % x %X",
                vec![s("hi"), s("hi"), s("hi")],
                "6869 68 69 6869",
            ),
            ("%v %v %v", vec![f(1e6), f(1.5), f(3.0)], "1e+06 1.5 3"),
            (
                "%f %.2f %8.3f %-8.1f|",
                vec![f(3.25159), f(2.675), f(-1.5), f(2.0)],
                "3.251590 2.67   -1.500 2.0     |",
            ),
            (
                "%e %.2E",
                vec![f(123456.789), f(0.000123)],
                "1.234568e+05 1.23E-04",
            ),
            (
                "%g %.3g %g %.3g",
                vec![f(100000.0), f(1234.5678), f(1e-5), f(0.0001234)],
                "100000 1.23e+03 1e-05 0.000123",
            ),
            ("%05.1f %+.1f", vec![f(-2.5), f(2.5)], "-02.5 +2.5"),
            (
                "%t %v",
                vec![Value::bool(true), Value::bool(false)],
                "true false",
            ),
            ("%v %s", vec![Value::NIL, Value::NIL], "<nil> %!s(<nil>)"),
            ("%d", vec![s("x")], "%!d(string=x)"),
            ("%s", vec![i(3)], "%!s(int=3)"),
            ("%d", vec![f(1.5)], "%!d(float64=1.5)"),
            ("%d %d", vec![i(1)], "1 %!d(MISSING)"),
            (
                "%d",
                vec![i(1), s("a"), Value::NIL],
                "1%!(EXTRA string=a, <nil>)",
            ),
            ("100%%", vec![], "100%"),
            ("%", vec![], "%!(NOVERB)"),
            ("%*d|%-*d", vec![i(4), i(1), i(3), i(2)], "   1|2  "),
            ("%v", vec![Value::list(vec![s("a"), i(1)])], "[a 1]"),
            ("%d", vec![Value::list(vec![i(1), i(2)])], "[1 2]"),
            (
                "%q",
                vec![Value::list(vec![s("a"), s("b")])],
                r#"["a" "b"]"#,
            ),
            ("%999999999d", vec![i(1)], "%!(NOVERB)%!(EXTRA int=1)"),
            (
                "%.4g|%.4g|%.4g|%0.0f|%.0f|%.0f|%.2f|%.1f",
                vec![
                    f(0.12345),
                    f(123456.0),
                    f(99.99999),
                    f(2.5),
                    f(0.5),
                    f(1.5),
                    f(1.005),
                    f(0.05),
                ],
                "0.1235|1.235e+05|100|2|0|2|1.00|0.1",
            ),
            (
                "%T %T %T %T %T %T",
                vec![
                    i(1),
                    f(1.5),
                    s("s"),
                    Value::list(vec![]),
                    Value::map(Default::default()),
                    Value::NIL,
                ],
                "int float64 string []interface {} map[string]interface {} <nil>",
            ),
            (
                "%x %X %e",
                vec![f(1.5), f(255.0), f(0.0)],
                "0x1.8p+00 0X1.FEP+07 0.000000e+00",
            ),
            (
                "%5.1f|%-8.3e|%+.2g",
                vec![f(3.25159), f(1234.5), f(0.000123)],
                "  3.3|1.234e+03|+0.00012",
            ),
        ];
        for (format, args, want) in cases {
            assert_eq!(sprintf(format, &args).unwrap(), want, "{format}");
        }
    }

    #[test]
    fn sprintf_refuses_output_past_the_limit() {
        let args = vec![i(1); 3];
        assert!(sprintf("%9999999d%9999999d%9999999d", &args).is_err());
    }

    #[test]
    fn quote_is_strconv_quote() {
        assert_eq!(quote("plain"), "\"plain\"");
        assert_eq!(quote("tab\there"), "\"tab\\there\"");
        assert_eq!(quote("\u{7f}\u{200b}😀"), "\"\\x7f\\u200b😀\"");
    }
}
