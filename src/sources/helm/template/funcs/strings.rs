//! Sprig's string functions. Go strings are bytes: `trunc` and `substr`
//! cut bytes, and a cut inside a character leaves U+FFFD where Go would
//! leave a broken byte.

use super::super::value::{Kind, Map, Value};
use super::args::{self, bounded, check_len, exactly, strval};
use super::case;
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
    unary("upper", a, |s| s.chars().map(case::to_upper).collect())
}

pub fn lower(a: &[Value]) -> R {
    unary("lower", a, |s| s.chars().map(case::to_lower).collect())
}

pub fn trim(a: &[Value]) -> R {
    unary("trim", a, |s| {
        s.trim_matches(char::is_whitespace).to_string()
    })
}

/// goutils' `DeleteWhiteSpace`: it reads the text byte by byte, so when a
/// space is removed every non-ASCII byte comes out as the Latin-1
/// character of that value (`ü` → `Ã¼`), as in Helm.
pub fn nospace(a: &[Value]) -> R {
    unary("nospace", a, |s| {
        let space = |b: u8| (b as char).is_whitespace();
        if !s.bytes().any(space) {
            return s.to_string();
        }
        s.bytes()
            .filter(|&b| !space(b))
            .map(|b| b as char)
            .collect()
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
                out.push(case::to_upper(c));
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
                out.push(case::to_lower(c));
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
            .map(|c| {
                if c.is_uppercase() {
                    case::to_lower(c)
                } else if c.is_lowercase() {
                    case::to_upper(c)
                } else {
                    c
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

/// A byte range of `s` as a string; each byte of a character cut in two
/// becomes U+FFFD, as Go's encoders write a broken byte.
fn bytes_of(s: &str, from: usize, to: usize) -> String {
    text_of(&s.as_bytes()[from..to])
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
    text_of(&abbreviate_bytes(s.as_bytes(), offset, max_width))
}

/// `AbbreviateFull` on bytes, as Go slices strings.
fn abbreviate_bytes(s: &[u8], offset: usize, max_width: usize) -> Vec<u8> {
    let len = s.len();
    if len <= max_width {
        return s.to_vec();
    }
    let mut offset = offset.min(len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    if offset <= 4 {
        return [&s[..max_width - 3], b"..."].concat();
    }
    if offset + max_width - 3 < len {
        let rest = abbreviate_bytes(&s[offset..], 0, max_width - 3);
        return [b"...", rest.as_slice()].concat();
    }
    [b"...", &s[len - (max_width - 3)..]].concat()
}

/// Bytes as text, each byte of a broken character as U+FFFD.
fn text_of(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        out.extend(std::iter::repeat_n('\u{FFFD}', chunk.invalid().len()));
    }
    out
}

/// goutils' `Initials`: the first byte after each run of spaces, read
/// as a Latin-1 character (so `ü` gives `Ã`, as in Helm).
pub fn initials(a: &[Value]) -> R {
    unary("initials", a, |s| {
        let mut out = String::new();
        let mut gap = true;
        for b in s.bytes() {
            if (b as char).is_whitespace() {
                gap = true;
            } else if gap {
                out.push(b as char);
                gap = false;
            }
        }
        out
    })
}

/// goutils' `Wrap(s, width)`: lines broken at spaces to at most `width`
/// bytes; a longer word stays whole.
pub fn wrap(a: &[Value]) -> R {
    exactly("wrap", a, 2)?;
    let width = args::int(&a[0])?;
    let s = args::string(&a[1])?;
    keep(&a[1], wrap_custom(s, width, "\n", false))
}

/// `wrapWith width sep s`: as `wrap`, with `sep` for the line break, and
/// a longer word cut at the width.
pub fn wrap_with_fn(a: &[Value]) -> R {
    exactly("wrapWith", a, 3)?;
    let width = args::int(&a[0])?;
    let sep = args::string(&a[1])?;
    let s = args::string(&a[2])?;
    let out = wrap_custom(s, width, sep, true);
    keep(&a[2], out)
}

/// goutils' `WrapCustom`, on bytes as Go's is.
fn wrap_custom(s: &str, width: i64, sep: &str, wrap_long_words: bool) -> String {
    let sep = if sep.is_empty() { "\n" } else { sep };
    let width = width.max(1).min(s.len() as i64 + 1) as usize;
    let b = s.as_bytes();
    let len = b.len();
    let mut out: Vec<u8> = Vec::with_capacity(len + 8);
    let mut offset = 0;
    while len - offset > width {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = width + offset + 1;
        match b[offset..end].iter().rposition(|&c| c == b' ') {
            Some(space) => {
                out.extend_from_slice(&b[offset..offset + space]);
                out.extend_from_slice(sep.as_bytes());
                offset += space + 1;
            }
            None if wrap_long_words => {
                out.extend_from_slice(&b[offset..offset + width]);
                out.extend_from_slice(sep.as_bytes());
                offset += width;
            }
            None => match b[offset + width..].iter().position(|&c| c == b' ') {
                None => {
                    out.extend_from_slice(&b[offset..]);
                    offset = len;
                }
                Some(index) => {
                    let space = index + width + offset;
                    out.extend_from_slice(&b[offset..space]);
                    out.extend_from_slice(sep.as_bytes());
                    offset = space + 1;
                }
            },
        }
        if out.len() > super::super::value::MAX_STRING_BYTES {
            break;
        }
    }
    out.extend_from_slice(&b[offset.min(len)..]);
    text_of(&out)
}

pub fn snakecase(a: &[Value]) -> R {
    unary("snakecase", a, |s| case::lower_words(s, '_'))
}

pub fn kebabcase(a: &[Value]) -> R {
    unary("kebabcase", a, |s| case::lower_words(s, '-'))
}

/// Sprig's `camelcase`: xstrings' `ToPascalCase` (`http_server` →
/// `HttpServer`).
pub fn camelcase(a: &[Value]) -> R {
    unary("camelcase", a, case::pascal)
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
