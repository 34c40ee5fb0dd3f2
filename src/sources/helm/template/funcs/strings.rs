//! Sprig's string functions. Go strings are bytes: `trunc` and `substr`
//! cut bytes, and a cut inside a character leaves U+FFFD where Go would
//! leave a broken byte.

use super::super::value::{Kind, Map, Value};
use super::args::{self, bounded, check_len, exactly, strval};
use super::fmt::quote as go_quote;

type R = Result<Value, String>;

/// The string argument's origin, kept by a transform of it.
fn keep(v: &Value, s: String) -> R {
    Ok(bounded(s)?.at(v.at))
}

pub fn quote(a: &[Value]) -> R {
    let parts: Vec<String> = a
        .iter()
        .filter(|v| !v.is_nil())
        .map(|v| go_quote(&strval(v)))
        .collect();
    let at = single_origin(a);
    Ok(bounded(parts.join(" "))?.at(at))
}

pub fn squote(a: &[Value]) -> R {
    let parts: Vec<String> = a
        .iter()
        .filter(|v| !v.is_nil())
        .map(|v| format!("'{}'", strval(v)))
        .collect();
    let at = single_origin(a);
    Ok(bounded(parts.join(" "))?.at(at))
}

/// The origin of a one-argument call.
fn single_origin(a: &[Value]) -> Option<crate::source::Span> {
    match a {
        [one] => one.at,
        _ => None,
    }
}

pub fn to_string(a: &[Value]) -> R {
    exactly("toString", a, 1)?;
    keep(&a[0], strval(&a[0]))
}

pub fn cat(a: &[Value]) -> R {
    let parts: Vec<String> = a
        .iter()
        .filter(|v| !v.is_nil())
        .map(|v| v.to_string())
        .collect();
    bounded(parts.join(" "))
}

/// A one-string transform that keeps its argument's origin.
fn unary(name: &str, a: &[Value], f: impl Fn(&str) -> String) -> R {
    exactly(name, a, 1)?;
    let s = args::string(&a[0])?;
    keep(&a[0], f(s))
}

pub fn upper(a: &[Value]) -> R {
    unary("upper", a, str::to_uppercase)
}

pub fn lower(a: &[Value]) -> R {
    unary("lower", a, str::to_lowercase)
}

pub fn trim(a: &[Value]) -> R {
    unary("trim", a, |s| {
        s.trim_matches(char::is_whitespace).to_string()
    })
}

pub fn nospace(a: &[Value]) -> R {
    unary("nospace", a, |s| {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    })
}

/// `strings.Title`: the first letter of each word upper-cased, a word
/// starting after anything but a letter, digit, underscore or apostrophe.
pub fn title(a: &[Value]) -> R {
    unary("title", a, |s| {
        let mut out = String::with_capacity(s.len());
        let mut previous = ' ';
        for c in s.chars() {
            if is_separator(previous) {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            previous = c;
        }
        out
    })
}

/// Go's `strings.isSeparator` as `Title` uses it.
fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphanumeric() {
        return false;
    }
    c.is_whitespace()
}

pub fn untitle(a: &[Value]) -> R {
    unary("untitle", a, |s| {
        let mut out = String::with_capacity(s.len());
        let mut previous = ' ';
        for c in s.chars() {
            if previous.is_whitespace() {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
            previous = c;
        }
        out
    })
}

/// xstrings' `SwapCase`.
pub fn swapcase(a: &[Value]) -> R {
    unary("swapcase", a, |s| {
        s.chars()
            .flat_map(|c| -> Vec<char> {
                if c.is_uppercase() {
                    c.to_lowercase().collect()
                } else if c.is_lowercase() {
                    c.to_uppercase().collect()
                } else {
                    vec![c]
                }
            })
            .collect()
    })
}

/// Two strings, the second (the pipeline value) transformed.
fn binary(name: &str, a: &[Value], f: impl Fn(&str, &str) -> String) -> R {
    exactly(name, a, 2)?;
    let x = args::string(&a[0])?;
    let s = args::string(&a[1])?;
    keep(&a[1], f(x, s))
}

pub fn trim_all(a: &[Value]) -> R {
    binary("trimAll", a, |cut, s| {
        s.trim_matches(|c| cut.contains(c)).to_string()
    })
}

pub fn trim_all_old(a: &[Value]) -> R {
    binary("trimall", a, |cut, s| {
        s.trim_matches(|c| cut.contains(c)).to_string()
    })
}

pub fn trim_suffix(a: &[Value]) -> R {
    binary("trimSuffix", a, |x, s| {
        s.strip_suffix(x).unwrap_or(s).to_string()
    })
}

pub fn trim_prefix(a: &[Value]) -> R {
    binary("trimPrefix", a, |x, s| {
        s.strip_prefix(x).unwrap_or(s).to_string()
    })
}

fn predicate(name: &str, a: &[Value], f: impl Fn(&str, &str) -> bool) -> R {
    exactly(name, a, 2)?;
    Ok(Value::bool(f(args::string(&a[0])?, args::string(&a[1])?)))
}

pub fn contains(a: &[Value]) -> R {
    predicate("contains", a, |x, s| s.contains(x))
}

pub fn has_prefix(a: &[Value]) -> R {
    predicate("hasPrefix", a, |x, s| s.starts_with(x))
}

pub fn has_suffix(a: &[Value]) -> R {
    predicate("hasSuffix", a, |x, s| s.ends_with(x))
}

/// A byte range of `s` as a string (a cut inside a character is replaced).
fn bytes_of(s: &str, from: usize, to: usize) -> String {
    String::from_utf8_lossy(&s.as_bytes()[from..to]).into_owned()
}

pub fn trunc(a: &[Value]) -> R {
    exactly("trunc", a, 2)?;
    let c = args::int(&a[0])?;
    let s = args::string(&a[1])?;
    let len = s.len() as i64;
    let out = if c < 0 && len + c > 0 {
        bytes_of(s, (len + c) as usize, s.len())
    } else if c >= 0 && len > c {
        bytes_of(s, 0, c as usize)
    } else {
        s.to_string()
    };
    keep(&a[1], out)
}

pub fn substr(a: &[Value]) -> R {
    exactly("substr", a, 3)?;
    let start = args::int(&a[0])?;
    let end = args::int(&a[1])?;
    let s = args::string(&a[2])?;
    let len = s.len() as i64;
    let slice = |from: i64, to: i64| -> Result<String, String> {
        if from < 0 || to > len || from > to {
            return Err(format!(
                "runtime error: slice bounds out of range [{from}:{to}]"
            ));
        }
        Ok(bytes_of(s, from as usize, to as usize))
    };
    let out = if start < 0 {
        slice(0, end)?
    } else if end < 0 || end > len {
        slice(start, len)?
    } else {
        slice(start, end)?
    };
    keep(&a[2], out)
}

pub fn repeat(a: &[Value]) -> R {
    exactly("repeat", a, 2)?;
    let count = args::int(&a[0])?;
    let s = args::string(&a[1])?;
    if count < 0 {
        return Err("strings: negative Repeat count".into());
    }
    check_len(s.len().saturating_mul(count as usize))?;
    bounded(s.repeat(count as usize))
}

pub fn replace(a: &[Value]) -> R {
    exactly("replace", a, 3)?;
    let old = args::string(&a[0])?;
    let new = args::string(&a[1])?;
    let s = args::string(&a[2])?;
    let out = if old.is_empty() {
        // Go inserts `new` before every character and at the end.
        let pieces = s.chars().count() + 1;
        check_len(s.len().saturating_add(new.len().saturating_mul(pieces)))?;
        let mut out = String::new();
        for c in s.chars() {
            out.push_str(new);
            out.push(c);
        }
        out.push_str(new);
        out
    } else {
        let count = s.matches(old).count();
        check_len(s.len().saturating_add(new.len().saturating_mul(count)))?;
        s.replace(old, new)
    };
    keep(&a[2], out)
}

pub fn indent(a: &[Value]) -> R {
    exactly("indent", a, 2)?;
    let spaces = args::int(&a[0])?;
    let s = args::string(&a[1])?;
    keep(&a[1], indented(spaces, s, false)?)
}

pub fn nindent(a: &[Value]) -> R {
    exactly("nindent", a, 2)?;
    let spaces = args::int(&a[0])?;
    let s = args::string(&a[1])?;
    keep(&a[1], indented(spaces, s, true)?)
}

fn indented(spaces: i64, s: &str, newline_first: bool) -> Result<String, String> {
    if spaces < 0 {
        return Err("strings: negative Repeat count".into());
    }
    let lines = s.bytes().filter(|&b| b == b'\n').count() + 1;
    check_len(
        s.len()
            .saturating_add((spaces as usize).saturating_mul(lines)),
    )?;
    let pad = " ".repeat(spaces as usize);
    let mut out = String::with_capacity(s.len() + pad.len() * lines + 1);
    if newline_first {
        out.push('\n');
    }
    out.push_str(&pad);
    out.push_str(&s.replace('\n', &format!("\n{pad}")));
    Ok(out)
}

pub fn plural(a: &[Value]) -> R {
    exactly("plural", a, 3)?;
    let one = args::string(&a[0])?;
    let many = args::string(&a[1])?;
    let count = args::int(&a[2])?;
    Ok(Value::str(if count == 1 { one } else { many }))
}

/// Sprig's `split`: a map `_0`, `_1`, … of the parts.
pub fn split(a: &[Value]) -> R {
    exactly("split", a, 2)?;
    let sep = args::string(&a[0])?;
    let s = args::string(&a[1])?;
    let parts = go_split(s, sep, usize::MAX)?;
    Ok(Value::map(
        parts
            .into_iter()
            .enumerate()
            .map(|(i, p)| (format!("_{i}"), Value::str(p)))
            .collect::<Map>(),
    ))
}

pub fn splitn(a: &[Value]) -> R {
    exactly("splitn", a, 3)?;
    let sep = args::string(&a[0])?;
    let n = args::int(&a[1])?;
    let s = args::string(&a[2])?;
    let parts = if n == 0 {
        Vec::new()
    } else {
        go_split(s, sep, if n < 0 { usize::MAX } else { n as usize })?
    };
    Ok(Value::map(
        parts
            .into_iter()
            .enumerate()
            .map(|(i, p)| (format!("_{i}"), Value::str(p)))
            .collect::<Map>(),
    ))
}

pub fn split_list(a: &[Value]) -> R {
    exactly("splitList", a, 2)?;
    let sep = args::string(&a[0])?;
    let s = args::string(&a[1])?;
    Ok(args::string_list(go_split(s, sep, usize::MAX)?))
}

/// `strings.SplitN`: an empty separator splits into characters.
fn go_split(s: &str, sep: &str, n: usize) -> Result<Vec<String>, String> {
    let parts: Vec<String> = if sep.is_empty() {
        let count = s.chars().count();
        args::check_items(count.min(n))?;
        let mut parts: Vec<String> = Vec::new();
        for (i, (at, c)) in s.char_indices().enumerate() {
            if i + 1 == n {
                parts.push(s[at..].to_string());
                break;
            }
            parts.push(c.to_string());
        }
        parts
    } else {
        args::check_items(s.matches(sep).count().saturating_add(1).min(n))?;
        s.splitn(n, sep).map(str::to_string).collect()
    };
    Ok(parts)
}

pub fn join(a: &[Value]) -> R {
    exactly("join", a, 2)?;
    let sep = args::string(&a[0])?;
    let parts = args::strslice(&a[1]);
    let total: usize = parts.iter().map(String::len).sum::<usize>()
        + sep.len().saturating_mul(parts.len().saturating_sub(1));
    check_len(total)?;
    bounded(parts.join(sep))
}

pub fn sort_alpha(a: &[Value]) -> R {
    exactly("sortAlpha", a, 1)?;
    let mut items = match &a[0].kind {
        Kind::List(_) => args::strslice(&a[0]),
        _ => vec![strval(&a[0])],
    };
    items.sort();
    Ok(args::string_list(items))
}

pub fn to_strings(a: &[Value]) -> R {
    exactly("toStrings", a, 1)?;
    Ok(args::string_list(args::strslice(&a[0])))
}

/// Sprig's `abbrev`: at most `width` bytes, ending in `...`.
pub fn abbrev(a: &[Value]) -> R {
    exactly("abbrev", a, 2)?;
    let width = args::int(&a[0])?;
    let s = args::string(&a[1])?;
    if width < 4 {
        return keep(&a[1], s.to_string());
    }
    keep(&a[1], abbreviate_full(s, 0, width as usize))
}

pub fn abbrevboth(a: &[Value]) -> R {
    exactly("abbrevboth", a, 3)?;
    let left = args::int(&a[0])?;
    let right = args::int(&a[1])?;
    let s = args::string(&a[2])?;
    if right < 4 || (left > 0 && right < 7) {
        return keep(&a[2], s.to_string());
    }
    keep(
        &a[2],
        abbreviate_full(s, left.max(0) as usize, right as usize),
    )
}

/// goutils' `AbbreviateFull` (`max_width` at least 4, at least 7 with an
/// offset, as the callers ensure).
fn abbreviate_full(s: &str, offset: usize, max_width: usize) -> String {
    let len = s.len();
    if len <= max_width {
        return s.to_string();
    }
    let mut offset = offset.min(len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    if offset <= 4 {
        return format!("{}...", bytes_of(s, 0, max_width - 3));
    }
    if offset + max_width - 3 < len {
        let rest = bytes_of(s, offset, len);
        return format!("...{}", abbreviate_full(&rest, 0, max_width - 3));
    }
    format!("...{}", bytes_of(s, len - (max_width - 3), len))
}

pub fn initials(a: &[Value]) -> R {
    unary("initials", a, |s| {
        s.split_whitespace()
            .filter_map(|w| w.chars().next())
            .collect()
    })
}

/// goutils' `Wrap(s, width)`: lines broken at spaces to at most `width`
/// characters; a longer word stays whole.
pub fn wrap(a: &[Value]) -> R {
    exactly("wrap", a, 2)?;
    let width = args::int(&a[0])?;
    let s = args::string(&a[1])?;
    keep(&a[1], wrap_with(s, width, "\n"))
}

pub fn wrap_with_fn(a: &[Value]) -> R {
    exactly("wrapWith", a, 3)?;
    let width = args::int(&a[0])?;
    let sep = args::string(&a[1])?;
    let s = args::string(&a[2])?;
    let out = wrap_with(s, width, sep);
    keep(&a[2], out)
}

/// goutils' `WrapCustom(s, width, sep, false)`.
fn wrap_with(s: &str, width: i64, sep: &str) -> String {
    let width = width.max(1) as usize;
    let chars: Vec<char> = s.chars().collect();
    let len = chars.len();
    let mut out = String::new();
    let mut offset = 0;
    while len - offset > width {
        if chars[offset] == ' ' {
            offset += 1;
            continue;
        }
        let window = &chars[offset..=offset + width];
        match window.iter().rposition(|&c| c == ' ') {
            Some(space) if space > 0 => {
                out.extend(&chars[offset..offset + space]);
                out.push_str(sep);
                offset += space + 1;
            }
            _ => {
                // A word longer than the width stays whole.
                match chars[offset + width..].iter().position(|&c| c == ' ') {
                    Some(p) => {
                        let end = offset + width + p;
                        out.extend(&chars[offset..end]);
                        out.push_str(sep);
                        offset = end + 1;
                    }
                    None => {
                        out.extend(&chars[offset..]);
                        offset = len;
                    }
                }
            }
        }
        if out.len() > super::super::value::MAX_STRING_BYTES {
            break;
        }
    }
    out.extend(&chars[offset.min(len)..]);
    out
}

/// Words as xstrings splits them for case conversion: runs of letters and
/// digits, split before an upper-case letter that follows a lower-case one.
fn words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous: Option<char> = None;
    for c in s.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous = None;
            continue;
        }
        if let Some(p) = previous {
            if c.is_uppercase() && (p.is_lowercase() || p.is_numeric()) {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
        previous = Some(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

pub fn snakecase(a: &[Value]) -> R {
    unary("snakecase", a, |s| {
        words(s)
            .iter()
            .map(|w| w.to_lowercase())
            .collect::<Vec<_>>()
            .join("_")
    })
}

pub fn kebabcase(a: &[Value]) -> R {
    unary("kebabcase", a, |s| {
        words(s)
            .iter()
            .map(|w| w.to_lowercase())
            .collect::<Vec<_>>()
            .join("-")
    })
}

/// xstrings' `ToCamelCase`: `_`-separated words joined, each capitalised.
pub fn camelcase(a: &[Value]) -> R {
    unary("camelcase", a, |s| {
        let mut out = String::new();
        for part in s.split('_') {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
        out
    })
}

/// Sprig's `toDecimal`: a Unix octal mode as a number (`"0777"` → 511).
pub fn to_decimal(a: &[Value]) -> R {
    exactly("toDecimal", a, 1)?;
    let s = strval(&a[0]);
    Ok(Value::int(i64::from_str_radix(&s, 8).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::super::find;
    use super::*;

    fn s(x: &str) -> Value {
        Value::str(x)
    }
    fn i(x: i64) -> Value {
        Value::int(x)
    }
    fn call(name: &str, a: Vec<Value>) -> String {
        let f = find(name).unwrap_or_else(|| panic!("no function {name}"));
        match f(&a) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }

    /// Expected outputs rendered by Helm v4.2.3 (helm-python-sdk). Argument
    /// errors are as Helm gives them for values (`.Values.x`), not for
    /// template literals, which Go's template checks before the call.
    #[test]
    fn string_functions_match_helm() {
        let cases: Vec<(&str, Vec<Value>, &str)> = vec![
            ("quote", vec![s("a\"b")], r#""a\"b""#),
            ("quote", vec![i(1), Value::NIL, s("x")], r#""1" "x""#),
            ("quote", vec![Value::float(1e6)], r#""1e+06""#),
            ("squote", vec![s("a"), i(2)], "'a' '2'"),
            ("upper", vec![s("héllo")], "HÉLLO"),
            ("lower", vec![s("ABC")], "abc"),
            (
                "title",
                vec![s("hello wORLD foo_bar a-b")],
                "Hello WORLD Foo_bar A-B",
            ),
            ("untitle", vec![s("Hello World")], "hello world"),
            ("trim", vec![s("  a b \n")], "a b"),
            ("trimAll", vec![s("$"), s("$5.00$")], "5.00"),
            ("trimSuffix", vec![s("-"), s("a--")], "a-"),
            ("trimPrefix", vec![s("-"), s("--a")], "-a"),
            ("trunc", vec![i(5), s("hello world")], "hello"),
            ("trunc", vec![i(-5), s("hello world")], "world"),
            ("trunc", vec![i(63), s("short")], "short"),
            ("substr", vec![i(1), i(3), s("hello")], "el"),
            ("substr", vec![i(-1), i(3), s("hello")], "hel"),
            ("substr", vec![i(2), i(99), s("hello")], "llo"),
            ("repeat", vec![i(3), s("ab")], "ababab"),
            ("replace", vec![s(" "), s("-"), s("a b c")], "a-b-c"),
            ("replace", vec![s(""), s("-"), s("ab")], "-a-b-"),
            ("indent", vec![i(2), s("a\nb")], "  a\n  b"),
            ("nindent", vec![i(2), s("a\nb")], "\n  a\n  b"),
            ("contains", vec![s("ell"), s("hello")], "true"),
            ("hasPrefix", vec![s("he"), s("hello")], "true"),
            ("hasSuffix", vec![s("x"), s("hello")], "false"),
            ("cat", vec![s("a"), i(1), Value::NIL, s("b")], "a 1 b"),
            ("split", vec![s("$"), s("a$b")], "map[_0:a _1:b]"),
            ("splitn", vec![s("$"), i(2), s("a$b$c")], "map[_0:a _1:b$c]"),
            ("splitList", vec![s(","), s("a,b,,c")], "[a b  c]"),
            ("splitList", vec![s(""), s("abc")], "[a b c]"),
            (
                "join",
                vec![s("-"), Value::list(vec![s("a"), i(1), Value::NIL])],
                "a-1",
            ),
            ("join", vec![s("-"), s("x")], "x"),
            (
                "sortAlpha",
                vec![Value::list(vec![s("b"), s("a"), i(3)])],
                "[3 a b]",
            ),
            ("toStrings", vec![Value::list(vec![i(1), s("a")])], "[1 a]"),
            ("toString", vec![Value::float(1.5)], "1.5"),
            ("plural", vec![s("one"), s("many"), i(2)], "many"),
            ("abbrev", vec![i(5), s("hello world")], "he..."),
            (
                "abbrevboth",
                vec![i(5), i(10), s("1234 5678 9123")],
                "...5678...",
            ),
            ("initials", vec![s("First Try")], "FT"),
            ("wrap", vec![i(5), s("Hello World")], "Hello\nWorld"),
            (
                "wrapWith",
                vec![i(5), s("\t"), s("Hello World")],
                "Hello\tWorld",
            ),
            ("snakecase", vec![s("FirstName")], "first_name"),
            ("kebabcase", vec![s("FirstName")], "first-name"),
            ("camelcase", vec![s("http_server")], "HttpServer"),
            ("swapcase", vec![s("This Is")], "tHIS iS"),
            ("nospace", vec![s("h e l l o")], "hello"),
            ("toDecimal", vec![s("0777")], "511"),
            (
                "upper",
                vec![Value::float(1.0)],
                "ERR wrong type for value; expected string; got float64",
            ),
            (
                "upper",
                vec![Value::NIL],
                "ERR invalid value; expected string",
            ),
            (
                "trunc",
                vec![Value::float(3.0), s("abc")],
                "ERR wrong type for value; expected int; got float64",
            ),
            ("quote", vec![], ""),
            (
                "indent",
                vec![i(2)],
                "ERR wrong number of args for indent: want 2 got 1",
            ),
        ];
        for (name, a, want) in cases {
            assert_eq!(call(name, a.clone()), want, "{name} {a:?}");
        }
    }

    #[test]
    fn string_transforms_keep_the_value_origin() {
        let at = Some(crate::source::Span::new(3, 9));
        let v = Value::str("a").at(at);
        for name in ["quote", "upper", "lower", "trim", "toString", "squote"] {
            assert_eq!(
                find(name).unwrap()(std::slice::from_ref(&v)).unwrap().at,
                at,
                "{name}"
            );
        }
        let r = find("nindent").unwrap()(&[i(2), v.clone()]).unwrap();
        assert_eq!(r.at, at);
    }

    #[test]
    fn huge_results_are_errors() {
        assert!(call("repeat", vec![i(1 << 40), s("ab")]).starts_with("ERR"));
        assert!(call("indent", vec![i(1 << 40), s("a\nb")]).starts_with("ERR"));
        assert!(call("repeat", vec![i(-1), s("ab")]).starts_with("ERR"));
    }
}
