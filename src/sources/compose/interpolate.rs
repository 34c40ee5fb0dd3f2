//! Compose's variable interpolation, without a shell: `$VAR`, `${VAR}`,
//! `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
//! `${VAR:+alternative}`, `${VAR+alternative}`, nested in defaults, and `$$`
//! for a literal `$`. Variables come from the project's `.env` only — never
//! from this process's environment, which in CI holds secrets. A variable
//! with no value and no default stays as written (`${TAG}`), so a rule sees
//! that it is unresolved rather than a wrong value.

use std::collections::BTreeMap;

/// Variables and the `.env` line that set each (for a related location).
pub type Variables = BTreeMap<String, Variable>;

#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    pub value: String,
    /// Byte range of the `KEY=value` line in the `.env` file.
    pub line: std::ops::Range<usize>,
}

/// A string after interpolation.
#[derive(Debug, Default, PartialEq)]
pub struct Interpolated {
    pub value: String,
    /// Variables whose value was used (their `.env` lines are related locations).
    pub used: Vec<String>,
    /// Variables with no value and no default: written back as they were.
    pub unresolved: Vec<String>,
}

/// Deepest nesting of `${…}` in defaults: a hostile file cannot recurse far.
const MAX_DEPTH: usize = 16;
/// Longest value interpolation may produce: past it the text stays as
/// written (`$A$A$A…` with a long `A`, or `.env` lines doubling each other,
/// would otherwise grow without bound).
pub const MAX_VALUE_BYTES: usize = 64 * 1024;

pub fn interpolate(text: &str, vars: &Variables) -> Interpolated {
    let mut out = Interpolated::default();
    out.value = bounded(text, vars, &mut out.used, &mut out.unresolved);
    out
}

/// [`expand`], or the text as written when the result would pass
/// [`MAX_VALUE_BYTES`].
fn bounded(
    text: &str,
    vars: &Variables,
    used: &mut Vec<String>,
    unresolved: &mut Vec<String>,
) -> String {
    match expand(text, vars, used, unresolved, 0) {
        value if value.len() <= MAX_VALUE_BYTES.max(text.len()) => value,
        _ => {
            used.clear();
            text.to_string()
        }
    }
}

fn is_name_start(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphabetic()
}

fn is_name(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphanumeric()
}

fn expand(
    text: &str,
    vars: &Variables,
    used: &mut Vec<String>,
    unresolved: &mut Vec<String>,
    depth: usize,
) -> String {
    if !text.contains('$') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let Some(off) = text[i..].find('$') else {
            out.push_str(&text[i..]);
            break;
        };
        out.push_str(&text[i..i + off]);
        i += off;
        if out.len() > MAX_VALUE_BYTES {
            // Too long already: the caller keeps the text as written.
            out.push_str(&text[i..]);
            break;
        }
        match bytes.get(i + 1) {
            Some(b'$') => {
                out.push('$');
                i += 2;
            }
            Some(b'{') => match braced_end(text, i + 2) {
                Some(end) if depth < MAX_DEPTH => {
                    let inner = &text[i + 2..end];
                    out.push_str(&braced(
                        inner,
                        &text[i..=end],
                        vars,
                        used,
                        unresolved,
                        depth,
                    ));
                    i = end + 1;
                }
                _ => {
                    // Unterminated (or too deep): compose rejects it; keep it visible.
                    out.push_str(&text[i..]);
                    break;
                }
            },
            Some(&c) if is_name_start(c) => {
                let end = (i + 1..bytes.len())
                    .find(|&j| !is_name(bytes[j]))
                    .unwrap_or(bytes.len());
                let name = &text[i + 1..end];
                match vars.get(name) {
                    Some(v) => {
                        used.push(name.to_string());
                        out.push_str(&v.value);
                    }
                    None => {
                        unresolved.push(name.to_string());
                        out.push_str(&text[i..end]);
                    }
                }
                i = end;
            }
            _ => {
                out.push('$');
                i += 1;
            }
        }
    }
    out
}

/// The index of the `}` closing a `${` whose content starts at `from`.
fn braced_end(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 2;
                continue;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

fn braced(
    inner: &str,
    whole: &str,
    vars: &Variables,
    used: &mut Vec<String>,
    unresolved: &mut Vec<String>,
    depth: usize,
) -> String {
    let name_end = inner
        .bytes()
        .position(|c| !is_name(c))
        .unwrap_or(inner.len());
    let name = &inner[..name_end];
    let rest = &inner[name_end..];
    let value = vars.get(name);
    let (empty_counts, op, arg) = if let Some(arg) = rest.strip_prefix(':') {
        (true, arg.chars().next(), arg.get(1..).unwrap_or(""))
    } else {
        (false, rest.chars().next(), rest.get(1..).unwrap_or(""))
    };
    let set = value.is_some_and(|v| !(empty_counts && v.value.is_empty()));
    let mut take = |v: &Variable| {
        used.push(name.to_string());
        v.value.clone()
    };
    match (op, value) {
        (None, Some(v)) if name_end > 0 => take(v),
        (Some('-'), Some(v)) if set => take(v),
        (Some('-'), _) => expand(arg, vars, used, unresolved, depth + 1),
        (Some('+'), Some(_)) if set => {
            used.push(name.to_string());
            expand(arg, vars, used, unresolved, depth + 1)
        }
        (Some('+'), _) => String::new(),
        (Some('?'), Some(v)) if set => take(v),
        _ => {
            // No value: `${VAR}`, `${VAR:?message}`, or not a variable at all.
            unresolved.push(name.to_string());
            whole.to_string()
        }
    }
}

/// Parses a `.env` file as compose reads it: `KEY=VALUE` lines, `export`
/// prefixes, `#` comments, single quotes (literal), double quotes (with
/// `\n`-style escapes), and unquoted values with a trailing ` #` comment
/// removed. Values interpolate earlier variables, as compose does.
pub fn parse_dotenv(text: &str) -> Variables {
    let mut vars = Variables::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let range = start..start + line.trim_end_matches(['\r', '\n']).len();
        start += line.len();
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        let Some((key, raw)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() || !key.bytes().all(is_name) {
            continue;
        }
        let raw = raw.trim_start();
        let value = if let Some(body) = raw.strip_prefix('\'') {
            body.split_once('\'').map_or(body, |(v, _)| v).to_string()
        } else if let Some(body) = raw.strip_prefix('"') {
            let body = closing_quote(body).map_or(body, |end| &body[..end]);
            let unescaped = unescape(body);
            bounded(&unescaped, &vars, &mut Vec::new(), &mut Vec::new())
        } else {
            let value = match raw.find(" #") {
                Some(i) => &raw[..i],
                None => raw,
            };
            bounded(value.trim_end(), &vars, &mut Vec::new(), &mut Vec::new())
        };
        vars.insert(key.to_string(), Variable { value, line: range });
    }
    vars
}

fn closing_quote(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn unescape(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Variables {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    Variable {
                        value: v.to_string(),
                        line: 0..0,
                    },
                )
            })
            .collect()
    }

    fn value(text: &str, v: &Variables) -> String {
        interpolate(text, v).value
    }

    #[test]
    fn defaults_apply_as_compose_applies_them() {
        let v = vars(&[("SET", "x"), ("EMPTY", "")]);
        assert_eq!(value("${UNSET:-0}", &v), "0");
        assert_eq!(value("${EMPTY:-d}", &v), "d");
        assert_eq!(value("${EMPTY-d}", &v), "");
        assert_eq!(value("${UNSET-d}", &v), "d");
        assert_eq!(value("${SET:-d}", &v), "x");
        assert_eq!(value("${SET:+alt}", &v), "alt");
        assert_eq!(value("${EMPTY:+alt}", &v), "");
        assert_eq!(value("${EMPTY+alt}", &v), "alt");
        assert_eq!(value("redis:${REDIS_TAG:-latest}", &v), "redis:latest");
        assert_eq!(value("${UNSET:-${SET}}", &v), "x");
        assert_eq!(value("$SET/$$HOME", &v), "x/$HOME");
    }

    #[test]
    fn a_variable_without_value_stays_as_written() {
        let v = vars(&[]);
        let got = interpolate("app:${TAG}", &v);
        assert_eq!(got.value, "app:${TAG}");
        assert_eq!(got.unresolved, ["TAG"]);
        assert_eq!(value("${TAG:?set TAG}", &v), "${TAG:?set TAG}");
        assert_eq!(value("$TAG-x", &v), "$TAG-x");
        assert_eq!(value("${unterminated", &v), "${unterminated");
        assert_eq!(value("cost: 5$", &v), "cost: 5$");
    }

    #[test]
    fn used_variables_are_named() {
        let v = vars(&[("UID", "1000")]);
        let got = interpolate("${UID}:${GID:-1000}", &v);
        assert_eq!(got.value, "1000:1000");
        assert_eq!(got.used, ["UID"]);
        assert!(got.unresolved.is_empty());
    }

    #[test]
    fn dotenv_lines_quotes_comments_and_exports() {
        let text = "# comment\nA=1\nexport B = two words # note\nC='lit $A'\nD=\"q\\n$A\"\nE=${A}x\nnot a line\n";
        let v = parse_dotenv(text);
        assert_eq!(v["A"].value, "1");
        assert_eq!(v["B"].value, "two words");
        assert_eq!(v["C"].value, "lit $A");
        assert_eq!(v["D"].value, "q\n1");
        assert_eq!(v["E"].value, "1x");
        assert_eq!(&text[v["A"].line.clone()], "A=1");
        assert_eq!(v.len(), 5);
    }

    #[test]
    fn growth_is_bounded() {
        // Each `.env` line doubling the last would reach 2^40 bytes.
        let mut text = String::from("A0=xxxxxxxxxxxxxxxx\n");
        for i in 1..40 {
            text.push_str(&format!("A{i}=${{A{}}}${{A{}}}\n", i - 1, i - 1));
        }
        let v = parse_dotenv(&text);
        assert!(v.values().all(|x| x.value.len() <= MAX_VALUE_BYTES));
        let many = "$A39".repeat(10_000);
        assert!(interpolate(&many, &v).value.len() <= MAX_VALUE_BYTES.max(many.len()));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = "${A:-".repeat(10_000) + &"}".repeat(10_000);
        let got = interpolate(&text, &vars(&[]));
        assert!(!got.value.is_empty());
    }
}
