//! Build arguments in `FROM` image references, as `docker build` expands
//! them with no `--build-arg`: only the global `ARG`s (declared before the
//! first `FROM`) are visible there, an `ARG` without a default leaves its
//! variable unset, and `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
//! `${VAR:+alternative}`, `${VAR+alternative}`, `${VAR:?error}` and
//! `${VAR?error}` are expanded. What cannot be known here (an unset variable
//! with no default, a platform argument, a pattern operator) stays as
//! written, so a reference is never read with a wrong registry or tag.

use super::kubernetes::str_at;
use super::Path;
use crate::document::{Node, Value};
use std::collections::BTreeMap;

/// One global `ARG` and where it was declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The default, itself expanded; `None` when the `ARG` has none.
    pub value: Option<String>,
    /// The `NAME=value` pair of the `ARG` instruction.
    pub at: Path,
}

/// Global `ARG`s by name; a later declaration replaces an earlier one.
pub type Args = BTreeMap<String, Arg>;

/// Arguments BuildKit defines in the global scope from the build's
/// platforms: known only when a build runs, so never resolved here.
pub const PLATFORM_ARGS: &[&str] = &[
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
];

/// Deepest nesting of `${…}` in defaults: a hostile file cannot recurse far.
const MAX_DEPTH: usize = 16;
/// Longest expansion kept: past it the text stays as written (a chain of
/// `ARG`s doubling each other would otherwise grow without bound, and every
/// `FROM` of a hostile file could hold a copy). Far past any real image
/// reference (a repository name is at most 255 bytes).
pub const MAX_VALUE_BYTES: usize = 4 * 1024;

/// A text after expansion.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Expanded {
    pub text: String,
    /// Arguments whose value (default) was used, in order of first use.
    pub used: Vec<String>,
    /// Variables left as written, in order of first appearance.
    pub unresolved: Vec<String>,
}

/// The global `ARG`s of a parsed Dockerfile (see `parse::dockerfile`'s
/// document): each default expanded with the arguments declared before it.
pub fn global_args(doc: &Node) -> Args {
    let mut args = Args::new();
    let instructions = doc
        .get("instructions")
        .and_then(Node::as_seq)
        .unwrap_or(&[]);
    let given = doc.get("build_args");
    for (i, ins) in instructions.iter().enumerate() {
        match ins.get("stage").map(|n| &n.value) {
            Some(Value::Int(s)) if *s < 0 => {}
            _ => break,
        }
        if str_at(ins, &["cmd"]).as_deref() != Some("arg") {
            continue;
        }
        let pairs = ins.get("pairs").and_then(Node::as_seq).unwrap_or(&[]);
        for (pi, pair) in pairs.iter().enumerate() {
            let Some(name) = str_at(pair, &["key"]) else {
                continue;
            };
            // A build argument given to the build (a compose service's
            // `build.args`, kept under `build_args`) sets the value, as
            // `--build-arg` does for a declared `ARG`; later defaults see it.
            if let Some(value) = given.and_then(|g| g.get(&name)).and_then(Node::as_str) {
                let at = Path::root().key("build_args").key(&name);
                let value = Some(value.to_string());
                args.insert(name, Arg { value, at });
                continue;
            }
            // A default that cannot be fully expanded is unknown too.
            let value = str_at(pair, &["value"]).and_then(|v| {
                let e = expand(&v, &args);
                e.unresolved.is_empty().then_some(e.text)
            });
            let at = Path::root()
                .key("instructions")
                .index(i)
                .key("pairs")
                .index(pi);
            args.insert(name, Arg { value, at });
        }
    }
    args
}

/// `text` with the variables `args` resolve replaced; the others as written.
pub fn expand(text: &str, args: &Args) -> Expanded {
    let mut out = Expanded::default();
    let mut limit = Limit {
        bytes: MAX_VALUE_BYTES.max(text.len()),
        passed: false,
    };
    let text_out = expand_at(text, args, &mut out, &mut limit, 0);
    if limit.passed {
        return Expanded {
            text: text.to_string(),
            used: Vec::new(),
            unresolved: variable_names(text),
        };
    }
    out.text = text_out;
    out
}

/// The names of the variables written in `text`, in order, each once.
pub fn variable_names(text: &str) -> Vec<String> {
    let mut out = Expanded::default();
    let mut limit = Limit {
        bytes: usize::MAX,
        passed: false,
    };
    expand_at(text, &Args::new(), &mut out, &mut limit, 0);
    out.unresolved
}

/// Stops an expansion as soon as its output passes `bytes`.
struct Limit {
    bytes: usize,
    passed: bool,
}

fn is_name_start(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphabetic()
}

fn is_name(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphanumeric()
}

fn note(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_string());
    }
}

/// The value `name` holds without `--build-arg`: `None` when unset.
fn value_of<'a>(name: &str, args: &'a Args) -> Option<&'a str> {
    args.get(name).and_then(|a| a.value.as_deref())
}

fn expand_at(
    text: &str,
    args: &Args,
    out: &mut Expanded,
    limit: &mut Limit,
    depth: usize,
) -> String {
    if !text.contains('$') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut result = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if limit.passed || result.len() > limit.bytes {
            limit.passed = true;
            return result;
        }
        // A backslash keeps the next `$` literal, as the Dockerfile lexer does.
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'$') {
            result.push_str("\\$");
            i += 2;
            continue;
        }
        if bytes[i] != b'$' {
            let next = text[i..].find(['$', '\\']).map_or(text.len(), |n| i + n);
            let next = if next == i { i + 1 } else { next };
            result.push_str(&text[i..next]);
            i = next;
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'{') => match braced(text, i) {
                Some((end, name, op, word)) => {
                    let written = &text[i..end];
                    let braced = Braced {
                        written,
                        name,
                        op,
                        word,
                    };
                    result.push_str(&braced.resolve(args, out, limit, depth));
                    i = end;
                }
                None => {
                    // Unterminated: the rest is literal.
                    result.push_str(&text[i..]);
                    i = bytes.len();
                }
            },
            Some(&c) if is_name_start(c) => {
                let mut end = i + 1;
                while end < bytes.len() && is_name(bytes[end]) {
                    end += 1;
                }
                let name = &text[i + 1..end];
                match value_of(name, args).filter(|_| !is_platform(name)) {
                    Some(v) => {
                        note(&mut out.used, name);
                        result.push_str(v);
                    }
                    None => {
                        note(&mut out.unresolved, name);
                        result.push_str(&text[i..end]);
                    }
                }
                i = end;
            }
            _ => {
                result.push('$');
                i += 1;
            }
        }
    }
    if result.len() > limit.bytes {
        limit.passed = true;
    }
    result
}

fn is_platform(name: &str) -> bool {
    PLATFORM_ARGS.contains(&name)
}

/// `${name<op>word}` starting at `start`: (end, name, op, word). The word
/// may hold nested `${…}`.
fn braced(text: &str, start: usize) -> Option<(usize, &str, &str, &str)> {
    let bytes = text.as_bytes();
    let name_start = start + 2;
    let mut j = name_start;
    while j < bytes.len() && is_name(bytes[j]) {
        j += 1;
    }
    let name = &text[name_start..j];
    let op_len = match (bytes.get(j), bytes.get(j + 1)) {
        (Some(b'}'), _) => 0,
        (Some(b':'), Some(b'-' | b'+' | b'?')) => 2,
        (Some(b'#' | b'%' | b'/'), Some(b'#' | b'%' | b'/')) => 2,
        // Any other character is an operator we do not expand (whole, so
        // that a multi-byte one is not cut).
        (Some(_), _) => text[j..].chars().next().map_or(1, char::len_utf8),
        (None, _) => return None,
    };
    let op = &text[j..j + op_len];
    let word_start = j + op_len;
    let mut nesting = 0usize;
    let mut k = word_start;
    while k < bytes.len() {
        match bytes[k] {
            b'$' if bytes.get(k + 1) == Some(&b'{') => {
                nesting += 1;
                k += 2;
                continue;
            }
            b'}' if nesting == 0 => return Some((k + 1, name, op, &text[word_start..k])),
            b'}' => nesting -= 1,
            _ => {}
        }
        k += 1;
    }
    None
}

/// One `${name<op>word}` as written.
struct Braced<'a> {
    written: &'a str,
    name: &'a str,
    op: &'a str,
    word: &'a str,
}

impl Braced<'_> {
    fn resolve(&self, args: &Args, out: &mut Expanded, limit: &mut Limit, depth: usize) -> String {
        let Braced {
            written,
            name,
            op,
            word,
        } = *self;
        let unknown = |out: &mut Expanded| {
            if !name.is_empty() {
                note(&mut out.unresolved, name);
            }
            written.to_string()
        };
        if name.is_empty() || is_platform(name) || depth >= MAX_DEPTH {
            return unknown(out);
        }
        let value = value_of(name, args);
        let set_nonempty = value.is_some_and(|v| !v.is_empty());
        let mut word_value = |out: &mut Expanded| expand_at(word, args, out, limit, depth + 1);
        match op {
            "" => match value {
                Some(v) => {
                    note(&mut out.used, name);
                    v.to_string()
                }
                None => unknown(out),
            },
            ":-" | "-" => {
                let take_value = if op == ":-" {
                    set_nonempty
                } else {
                    value.is_some()
                };
                if take_value {
                    note(&mut out.used, name);
                    value.unwrap_or_default().to_string()
                } else {
                    word_value(out)
                }
            }
            ":+" | "+" => {
                let take_word = if op == ":+" {
                    set_nonempty
                } else {
                    value.is_some()
                };
                if take_word {
                    note(&mut out.used, name);
                    word_value(out)
                } else {
                    String::new()
                }
            }
            // `:?`/`?` fail the build when unset; when set they are the value.
            ":?" | "?" => match value {
                Some(v) if op == "?" || !v.is_empty() => {
                    note(&mut out.used, name);
                    v.to_string()
                }
                _ => unknown(out),
            },
            // Pattern operators (`#`, `%`, `/`): not worth a matcher here.
            _ => unknown(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::dockerfile;

    fn args_of(dockerfile: &str) -> Args {
        global_args(&dockerfile::parse(dockerfile).unwrap().to_node())
    }

    fn expanded(dockerfile: &str, text: &str) -> (String, Vec<String>, Vec<String>) {
        let e = expand(text, &args_of(dockerfile));
        (e.text, e.used, e.unresolved)
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn global_defaults_resolve_plain_and_braced_variables() {
        let df = "ARG REGISTRY=ghcr.io/acme\nARG TAG=1.4\nFROM x\n";
        assert_eq!(
            expanded(df, "${REGISTRY}/app:$TAG"),
            (
                "ghcr.io/acme/app:1.4".into(),
                names(&["REGISTRY", "TAG"]),
                vec![]
            )
        );
    }

    #[test]
    fn an_arg_without_default_stays_as_written() {
        let df = "ARG REGISTRY=ghcr.io\nARG TAG\nFROM x\n";
        assert_eq!(
            expanded(df, "${REGISTRY}/app:${TAG}"),
            (
                "ghcr.io/app:${TAG}".into(),
                names(&["REGISTRY"]),
                names(&["TAG"])
            )
        );
        // Undeclared is unset too.
        assert_eq!(
            expanded(df, "$BASE"),
            ("$BASE".into(), vec![], names(&["BASE"]))
        );
    }

    #[test]
    fn only_args_before_the_first_from_are_global() {
        let df = "ARG A=1\nFROM x\nARG B=2\nFROM y\n";
        let args = args_of(df);
        assert_eq!(args.keys().collect::<Vec<_>>(), ["A"]);
        assert_eq!(
            args["A"].at,
            Path::root()
                .key("instructions")
                .index(0)
                .key("pairs")
                .index(0)
        );
    }

    #[test]
    fn modifiers_follow_docker() {
        let df = "ARG SET=v\nARG EMPTY=\nARG UNSET\nFROM x\n";
        let cases = [
            ("${SET:-d}", "v"),
            ("${EMPTY:-d}", "d"),
            ("${EMPTY-d}", ""),
            ("${UNSET:-d}", "d"),
            ("${UNSET-d}", "d"),
            ("${SET:+alt}", "alt"),
            ("${EMPTY:+alt}", ""),
            ("${EMPTY+alt}", "alt"),
            ("${UNSET:+alt}", ""),
            ("${SET:?err}", "v"),
            ("${UNSET:-${SET}-x}", "v-x"),
        ];
        for (text, want) in cases {
            let e = expand(text, &args_of(df));
            assert_eq!((text, e.text.as_str()), (text, want));
            assert!(e.unresolved.is_empty(), "{text}");
        }
        for (text, name) in [("${UNSET:?set it}", "UNSET"), ("${SET#v}", "SET")] {
            let e = expand(text, &args_of(df));
            assert_eq!(e.text, text);
            assert_eq!(e.unresolved, names(&[name]));
        }
        // A default holding an unset variable: that variable stays.
        let e = expand("${UNSET:-$NOPE}", &args_of(df));
        assert_eq!((e.text.as_str(), e.unresolved), ("$NOPE", names(&["NOPE"])));
    }

    #[test]
    fn defaults_expand_earlier_args_and_a_redeclaration_replaces() {
        let df = "ARG V=3.12\nARG BASE=python:${V}-slim\nARG T=1\nARG T\nFROM x\n";
        let args = args_of(df);
        assert_eq!(args["BASE"].value.as_deref(), Some("python:3.12-slim"));
        assert_eq!(args["T"].value, None);
    }

    #[test]
    fn platform_arguments_are_never_resolved() {
        let df = "ARG TARGETARCH=amd64\nFROM x\n";
        assert_eq!(
            expanded(df, "app:${TARGETARCH}"),
            ("app:${TARGETARCH}".into(), vec![], names(&["TARGETARCH"]))
        );
    }

    #[test]
    fn literal_dollars_and_unterminated_braces_stay() {
        let df = "ARG A=1\nFROM x\n";
        assert_eq!(expanded(df, "a$-b").0, "a$-b");
        assert_eq!(expanded(df, "a\\$A").0, "a\\$A");
        assert_eq!(expanded(df, "a${A").0, "a${A");
    }

    #[test]
    fn non_ascii_text_is_kept_whole() {
        let df = "ARG A=1\nFROM x\n";
        for text in ["${Aé}", "${é}", "$é", "é${A:-é}é", "${A:-é"] {
            let e = expand(text, &args_of(df));
            assert!(e.text.contains('é'), "{text} -> {}", e.text);
        }
        assert_eq!(expanded(df, "é${A:-x}é").0, "é1é");
    }

    #[test]
    fn expansion_is_bounded() {
        let mut df = String::from("ARG A0=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n");
        for i in 1..40 {
            df.push_str(&format!("ARG A{i}=${{A{p}}}${{A{p}}}\n", p = i - 1));
        }
        df.push_str("FROM x\n");
        let args = args_of(&df);
        assert!(args
            .values()
            .all(|a| a.value.as_ref().is_none_or(|v| v.len() <= MAX_VALUE_BYTES)));
        let e = expand("${A39}", &args);
        assert_eq!(e.text, "${A39}");
        assert_eq!(e.unresolved, names(&["A39"]));
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "${U:-".repeat(100) + &"}".repeat(100);
        let e = expand(&deep, &Args::new());
        assert!(e.text.len() <= deep.len());
        assert_eq!(e.unresolved, names(&["U"]));
    }
}
