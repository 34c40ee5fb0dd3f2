//! Sprig's regular expression functions. Go's RE2 syntax and Rust's
//! `regex` crate agree on what charts use (classes, groups, `$1` and
//! `${name}` in replacements, leftmost-first matching). An invalid pattern
//! is an error (Sprig's `MustCompile` panics), except in `regexMatch`,
//! which answers false.

use super::super::value::Value;
use super::args::{self, exactly};
use regex::Regex;

type R = Result<Value, String>;

/// Patterns compile within this many bytes of program (hostile charts).
const MAX_REGEX_BYTES: usize = 1 << 20;

/// Go's `\d`, `\s`, `\w` and `\b` are ASCII-only; Rust's are Unicode.
/// Rewrites them as the ASCII classes they are in Go (a class inside a
/// class is a union in Rust's syntax: `[\w-]` becomes `[[0-9A-Za-z_]-]`).
fn go_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('d') => out.push_str("[0-9]"),
            Some('D') => out.push_str("[^0-9]"),
            Some('s') => out.push_str("[\\t\\n\\f\\r ]"),
            Some('S') => out.push_str("[^\\t\\n\\f\\r ]"),
            Some('w') => out.push_str("[0-9A-Za-z_]"),
            Some('W') => out.push_str("[^0-9A-Za-z_]"),
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn compile(pattern: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(&go_classes(pattern))
        .size_limit(MAX_REGEX_BYTES * 8)
        .dfa_size_limit(MAX_REGEX_BYTES * 8)
        .build()
        .map_err(|e| {
            let detail = e.to_string();
            let last = detail.lines().last().unwrap_or("").trim();
            let last = last.strip_prefix("error: ").unwrap_or(last);
            format!("regexp: Compile(`{pattern}`): error parsing regexp: {last}")
        })
}

pub fn is_match(a: &[Value]) -> R {
    exactly("regexMatch", a, 2)?;
    let pattern = args::string(&a[0])?;
    let s = args::string(&a[1])?;
    Ok(Value::bool(compile(pattern).is_ok_and(|r| r.is_match(s))))
}

pub fn must_match(a: &[Value]) -> R {
    exactly("mustRegexMatch", a, 2)?;
    let r = compile(args::string(&a[0])?)?;
    Ok(Value::bool(r.is_match(args::string(&a[1])?)))
}

fn find_all_impl(name: &str, a: &[Value]) -> R {
    exactly(name, a, 3)?;
    let r = compile(args::string(&a[0])?)?;
    let s = args::string(&a[1])?;
    let n = args::int(&a[2])?;
    let limit = if n < 0 { usize::MAX } else { n as usize };
    let found: Vec<String> = r
        .find_iter(s)
        .take(limit)
        .map(|m| m.as_str().to_string())
        .collect();
    args::check_items(found.len())?;
    Ok(args::string_list(found))
}

pub fn find_all(a: &[Value]) -> R {
    find_all_impl("regexFindAll", a)
}

pub fn must_find_all(a: &[Value]) -> R {
    find_all_impl("mustRegexFindAll", a)
}

fn find_impl(name: &str, a: &[Value]) -> R {
    exactly(name, a, 2)?;
    let r = compile(args::string(&a[0])?)?;
    let s = args::string(&a[1])?;
    Ok(Value::str(r.find(s).map_or("", |m| m.as_str())))
}

pub fn find(a: &[Value]) -> R {
    find_impl("regexFind", a)
}

pub fn must_find(a: &[Value]) -> R {
    find_impl("mustRegexFind", a)
}

fn replace_impl(name: &str, a: &[Value], literal: bool) -> R {
    exactly(name, a, 3)?;
    let r = compile(args::string(&a[0])?)?;
    let s = args::string(&a[1])?;
    let replacement = args::string(&a[2])?;
    let out = if literal {
        r.replace_all(s, regex::NoExpand(replacement)).into_owned()
    } else {
        r.replace_all(s, replacement).into_owned()
    };
    Ok(args::bounded(out)?.at(a[1].at))
}

pub fn replace_all(a: &[Value]) -> R {
    replace_impl("regexReplaceAll", a, false)
}

pub fn must_replace_all(a: &[Value]) -> R {
    replace_impl("mustRegexReplaceAll", a, false)
}

pub fn replace_all_literal(a: &[Value]) -> R {
    replace_impl("regexReplaceAllLiteral", a, true)
}

pub fn must_replace_all_literal(a: &[Value]) -> R {
    replace_impl("mustRegexReplaceAllLiteral", a, true)
}

fn split_impl(name: &str, a: &[Value]) -> R {
    exactly(name, a, 3)?;
    let r = compile(args::string(&a[0])?)?;
    let s = args::string(&a[1])?;
    let n = args::int(&a[2])?;
    let parts: Vec<String> = match n {
        0 => Vec::new(),
        n if n < 0 => r.split(s).map(str::to_string).collect(),
        n => r.splitn(s, n as usize).map(str::to_string).collect(),
    };
    args::check_items(parts.len())?;
    Ok(args::string_list(parts))
}

pub fn split(a: &[Value]) -> R {
    split_impl("regexSplit", a)
}

pub fn must_split(a: &[Value]) -> R {
    split_impl("mustRegexSplit", a)
}

/// Go's `regexp.QuoteMeta`: backslashes before `\.+*?()|[]{}^$`.
pub fn quote_meta(a: &[Value]) -> R {
    exactly("regexQuoteMeta", a, 1)?;
    let s = args::string(&a[0])?;
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    args::bounded(out)
}

#[cfg(test)]
mod tests {
    use super::super::find as function;
    use super::*;

    fn call(name: &str, a: Vec<Value>) -> String {
        match function(name).unwrap()(&a) {
            Ok(v) => v.to_string(),
            Err(e) => format!("ERR {e}"),
        }
    }

    /// Expected outputs rendered by Helm v4.2.3.
    #[test]
    fn regex_functions_match_helm() {
        let s = Value::str;
        let i = Value::int;
        let cases: Vec<(&str, Vec<Value>, &str)> = vec![
            ("regexMatch", vec![s("^[a-z]+$"), s("abc")], "true"),
            ("regexMatch", vec![s("("), s("abc")], "false"),
            ("regexFind", vec![s("[0-9]+"), s("ab12cd34")], "12"),
            ("regexFindAll", vec![s("[0-9]"), s("a1b2c3"), i(2)], "[1 2]"),
            (
                "regexFindAll",
                vec![s("[0-9]"), s("a1b2c3"), i(-1)],
                "[1 2 3]",
            ),
            (
                "regexReplaceAll",
                vec![s("a(x*)b"), s("-ab-axxb-"), s("${1}W")],
                "-W-xxW-",
            ),
            (
                "regexReplaceAll",
                vec![s("a(x*)b"), s("-ab-axxb-"), s("$1W")],
                "---",
            ),
            (
                "regexReplaceAllLiteral",
                vec![s("a(x*)b"), s("-ab-axxb-"), s("${1}")],
                "-${1}-${1}-",
            ),
            ("regexSplit", vec![s("z+"), s("pizza"), i(-1)], "[pi a]"),
            ("regexSplit", vec![s("z+"), s("pizza"), i(1)], "[pizza]"),
            ("regexQuoteMeta", vec![s("1.2.3+x")], r"1\.2\.3\+x"),
        ];
        for (name, a, want) in cases {
            assert_eq!(call(name, a.clone()), want, "{name} {a:?}");
        }
        assert!(call("regexFind", vec![s("("), s("x")]).starts_with("ERR regexp: Compile(`(`)"));
    }
}
