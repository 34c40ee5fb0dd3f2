//! The functions against Helm itself on many inputs: each call is written
//! as a template action with literal arguments, rendered by Helm v4
//! (`helm-python-sdk`), and compared with this crate's result as the
//! template engine prints it. Skipped, with a word on stderr, without
//! Python's Helm binding; under `POLICY_REQUIRE_TOOLS=1` that fails.

use super::super::value::{Kind, Value};
use super::find;
use super::fmt::quote;
use std::io::Write as _;
use std::process::{Command, Stdio};

/// Renders each template of a JSON list; prints a JSON list of outputs
/// (`{"error": …}` for a template Helm refuses). Charts of 100 templates;
/// a chart that fails is rendered again one template at a time.
const HELM_RENDER: &str = r#"
import json, os, shutil, sys, tempfile
import helm_python as h
def render(texts):
    d = tempfile.mkdtemp()
    try:
        c = os.path.join(d, 'c')
        os.makedirs(os.path.join(c, 'templates'))
        open(os.path.join(c, 'Chart.yaml'), 'w').write('apiVersion: v2\nname: c\nversion: 0.1.0\n')
        for i, t in enumerate(texts):
            open(os.path.join(c, 'templates', 't%05d.txt' % i), 'w').write(t)
        r = h.Chart.load(c).render(name='release-name', namespace='default')
        return [next((v for k, v in r.items() if k.endswith('/t%05d.txt' % i)), '') for i in range(len(texts))]
    finally:
        shutil.rmtree(d)
texts = json.load(sys.stdin)
out = []
for start in range(0, len(texts), 100):
    chunk = texts[start:start + 100]
    try:
        out += render(chunk)
    except Exception:
        for t in chunk:
            try:
                out += render([t])
            except Exception as e:
                out.append({'error': str(e)})
print(json.dumps(out))
"#;

/// Strings that exercise quoting, Unicode, whitespace and separators.
const STRINGS: &[&str] = &[
    "",
    " ",
    "hello",
    "Hello World",
    "  padded  ",
    "a-b_c.d",
    "CamelCaseString",
    "snake_case_string",
    "kebab-case-string",
    "HTTPServer2Go",
    "line1\nline2",
    "tab\tseparated",
    "quote\"and'apostrophe",
    "back\\slash",
    "ünïcödé ñ",
    "日本語テキスト",
    "emoji 😀 here",
    "true",
    "1e3",
    "0755",
    "-",
    "a: b",
    "key=value,other=thing",
    "/usr/local/bin/",
    "../rel/./path.tar.gz",
    "https://user@example.com:8080/p/a?q=1#f",
    "aGVsbG8=",
    "a,b,,c",
    "x",
    "The quick brown fox jumps over the lazy dog and keeps running past the end",
    "{\"a\": [1, 2.5e3, \"x\"], \"b\": {}}",
    "{\"a\":1,}",
    "[1, 2",
    "\"bad \\x escape\"",
    "tru",
    "1.",
    "-1e+",
    "{\"a\" 1}",
    "a: [1, {b: yes}]\nc: ~",
    "- x\n- 0x1F",
];

const UNARY: &[&str] = &[
    "upper",
    "lower",
    "title",
    "untitle",
    "trim",
    "nospace",
    "initials",
    "snakecase",
    "camelcase",
    "kebabcase",
    "swapcase",
    "b64enc",
    "b64dec",
    "b32enc",
    "sha1sum",
    "sha256sum",
    "adler32sum",
    "quote",
    "squote",
    "toString",
    "toJson",
    "toRawJson",
    "toPrettyJson",
    "toYaml",
    "toYamlPretty",
    "base",
    "dir",
    "ext",
    "clean",
    "isAbs",
    "kindOf",
    "typeOf",
    "empty",
    "toStrings",
    "sortAlpha",
    "urlParse",
    "regexQuoteMeta",
    "fromJson",
    "fromYaml",
    "fromYamlArray",
    "fromJsonArray",
    "semver",
    "atoi",
    "int",
    "float64",
];

const WITH_INT: &[&str] = &["trunc", "indent", "nindent", "abbrev", "wrap", "repeat"];

const BINARY: &[&str] = &[
    "trimSuffix",
    "trimPrefix",
    "trimAll",
    "contains",
    "hasPrefix",
    "hasSuffix",
    "splitList",
    "split",
    "cat",
    "list",
    "default",
    "coalesce",
    "ternary_like",
];

/// A Go template expression for a value: literals, `list` and `dict`.
fn literal(v: &Value) -> String {
    match &v.kind {
        Kind::Str(s) => quote(s),
        Kind::Int(i) => i.to_string(),
        Kind::Float(f) => {
            let text = super::super::value::go_float(*f);
            if text.contains(['.', 'e']) {
                text
            } else {
                format!("{text}.0")
            }
        }
        Kind::Bool(b) => b.to_string(),
        Kind::Nil => "nil".into(),
        Kind::List(items) => {
            let items: Vec<String> = items.iter().map(literal).collect();
            format!("(list {})", items.join(" ")).replace("(list )", "(list)")
        }
        Kind::Map(m) => {
            let pairs: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{} {}", quote(k), literal(v)))
                .collect();
            format!("(dict {})", pairs.join(" ")).replace("(dict )", "(dict)")
        }
        Kind::Object(_) => unreachable!("no objects among the inputs"),
    }
}

/// Lists, maps and numbers for the list, dict and math functions.
fn structured_calls() -> Vec<(String, Vec<Value>)> {
    let s = Value::str;
    let i = Value::int;
    let f = Value::float;
    let list = Value::list;
    let map = |pairs: Vec<(&str, Value)>| {
        Value::map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    };
    let lists = vec![
        list(vec![]),
        list(vec![s("a")]),
        list(vec![s("b"), s("a"), s("b"), i(1), i(1), s("")]),
        list(vec![i(3), f(1.5), Value::bool(false), s("x")]),
        list(vec![
            list(vec![i(1)]),
            map(vec![("k", s("v"))]),
            list(vec![i(1)]),
        ]),
    ];
    let maps = vec![
        map(vec![]),
        map(vec![("a", i(1)), ("b", s("")), ("c", list(vec![i(1)]))]),
        map(vec![
            ("a", s("x")),
            ("b", s("filled")),
            ("d", map(vec![("e", i(2))])),
        ]),
        map(vec![
            ("d", map(vec![("e", i(5)), ("f", Value::bool(false))])),
            ("c", list(vec![])),
        ]),
        map(vec![
            ("a", Value::bool(false)),
            ("b", f(0.0)),
            ("z", map(vec![("y", map(vec![("x", s("deep"))]))])),
        ]),
    ];
    let numbers = vec![
        i(0),
        i(7),
        i(-3),
        f(2.5),
        f(-0.5),
        s("12"),
        s("0x1f"),
        s("1.5"),
        Value::bool(true),
    ];
    let mut calls: Vec<(String, Vec<Value>)> = Vec::new();
    let mut add = |name: &str, args: Vec<Value>| calls.push((name.to_string(), args));
    for l in &lists {
        for name in [
            "first",
            "last",
            "rest",
            "initial",
            "reverse",
            "uniq",
            "compact",
            "toJson",
            "toYaml",
            "toYamlPretty",
            "kindOf",
            "typeOf",
            "empty",
            "sortAlpha",
            "toStrings",
        ] {
            add(name, vec![l.clone()]);
        }
        add("append", vec![l.clone(), s("z")]);
        add("prepend", vec![l.clone(), i(0)]);
        add("without", vec![l.clone(), s("b"), i(1)]);
        add("has", vec![s("a"), l.clone()]);
        add("has", vec![i(1), l.clone()]);
        add("join", vec![s("|"), l.clone()]);
        add("slice", vec![l.clone(), i(0)]);
        add("chunk", vec![i(2), l.clone()]);
        for m in &lists {
            add("concat", vec![l.clone(), m.clone()]);
            add("deepEqual", vec![l.clone(), m.clone()]);
        }
    }
    for m in &maps {
        // `keys` and `values` come in Go's random map order in Helm.
        for name in [
            "toJson",
            "toYaml",
            "toYamlPretty",
            "toPrettyJson",
            "kindOf",
            "empty",
            "deepCopy",
        ] {
            add(name, vec![m.clone()]);
        }
        add("hasKey", vec![m.clone(), s("a")]);
        add("get", vec![m.clone(), s("b")]);
        add("pick", vec![m.clone(), s("a"), s("d")]);
        add("omit", vec![m.clone(), s("a")]);
        add("set", vec![m.clone(), s("n"), i(1)]);
        add("unset", vec![m.clone(), s("a")]);
        add("dig", vec![s("d"), s("e"), s("none"), m.clone()]);
        add("pluck", vec![s("a"), m.clone(), maps[2].clone()]);
        add("default", vec![s("dflt"), m.clone()]);
        for n in &maps {
            add("merge", vec![m.clone(), n.clone()]);
            add("mergeOverwrite", vec![m.clone(), n.clone()]);
            add("merge", vec![map(vec![]), m.clone(), n.clone()]);
            add("mergeOverwrite", vec![map(vec![]), m.clone(), n.clone()]);
        }
    }
    for a in &numbers {
        for name in [
            "add1", "int", "int64", "float64", "ceil", "floor", "toString", "quote", "empty",
            "kindOf", "add1f",
        ] {
            add(name, vec![a.clone()]);
        }
        for b in &numbers {
            for name in [
                "add", "sub", "mul", "max", "min", "maxf", "minf", "addf", "subf", "mulf",
                "coalesce", "default",
            ] {
                add(name, vec![a.clone(), b.clone()]);
            }
            if !matches!(b.kind, Kind::Int(0)) && b.to_string() != "0" {
                add("div", vec![a.clone(), b.clone()]);
                add("mod", vec![a.clone(), b.clone()]);
            }
        }
        add("round", vec![a.clone(), i(1)]);
        add("ternary", vec![a.clone(), s("no"), Value::bool(true)]);
    }
    for n in [0i64, 1, 3, -2] {
        add("until", vec![i(n)]);
        add("seq", vec![i(n)]);
        add("seq", vec![i(n), i(2)]);
        add("untilStep", vec![i(n), i(6), i(2)]);
        add("list", vec![i(n), s("x")]);
        add("dict", vec![s("k"), i(n), i(n)]);
    }
    calls
}

/// The result as the engine prints it (nil prints nothing in Helm).
fn printed(r: &Result<Value, String>) -> Option<String> {
    match r {
        Ok(v) if v.is_nil() => Some(String::new()),
        Ok(v) => Some(v.to_string()),
        Err(_) => None,
    }
}

/// YAML syntax errors are worded by the parser (libyaml's words in Helm,
/// saphyr's here); both say it is one, in Helm's frame.
fn same_yaml_syntax_error(ours: &Option<String>, theirs: &Option<String>) -> bool {
    const FRAME: &str = "error converting YAML to JSON: yaml: ";
    let framed = |s: &Option<String>| {
        s.as_deref().is_some_and(|s| {
            s.starts_with(&format!("map[Error:{FRAME}")) || s.starts_with(&format!("[{FRAME}"))
        })
    };
    framed(ours) && framed(theirs)
}

fn skip(why: &str) {
    let required =
        std::env::var_os("POLICY_REQUIRE_TOOLS").is_some_and(|v| !v.is_empty() && v != "0");
    assert!(!required, "POLICY_REQUIRE_TOOLS is set, but {why}");
    let _ = writeln!(std::io::stderr(), "skipped: functions against Helm: {why}");
}

#[test]
fn functions_agree_with_helm_on_many_inputs() {
    let mut calls: Vec<(String, Vec<Value>)> = Vec::new();
    for s in STRINGS {
        for name in UNARY {
            calls.push((name.to_string(), vec![Value::str(*s)]));
        }
        for name in WITH_INT {
            for n in [0i64, 1, 4, 7, 20] {
                calls.push((name.to_string(), vec![Value::int(n), Value::str(*s)]));
            }
        }
        for name in ["trunc", "abbrevboth"] {
            let extra = if name == "abbrevboth" {
                vec![Value::int(9)]
            } else {
                vec![]
            };
            for n in [-3i64, 5] {
                let mut a = vec![Value::int(n)];
                a.extend(extra.clone());
                a.push(Value::str(*s));
                calls.push((name.to_string(), a));
            }
        }
        for (sep_index, t) in ["-", " ", "a", ",", ""].iter().enumerate() {
            for name in BINARY {
                if *name == "ternary_like" {
                    continue;
                }
                calls.push((name.to_string(), vec![Value::str(*t), Value::str(*s)]));
            }
            calls.push((
                "replace".into(),
                vec![Value::str(*t), Value::str("+"), Value::str(*s)],
            ));
            calls.push((
                "substr".into(),
                vec![
                    Value::int(sep_index as i64 - 1),
                    Value::int(3),
                    Value::str(*s),
                ],
            ));
        }
        for pattern in ["[a-z]+", "^\\s*(\\w+)", "o(.)", "[0-9]"] {
            calls.push((
                "regexMatch".into(),
                vec![Value::str(pattern), Value::str(*s)],
            ));
            calls.push((
                "regexFind".into(),
                vec![Value::str(pattern), Value::str(*s)],
            ));
            calls.push((
                "regexFindAll".into(),
                vec![Value::str(pattern), Value::str(*s), Value::int(-1)],
            ));
            calls.push((
                "regexReplaceAll".into(),
                vec![Value::str(pattern), Value::str(*s), Value::str("<$1>")],
            ));
            calls.push((
                "regexSplit".into(),
                vec![Value::str(pattern), Value::str(*s), Value::int(-1)],
            ));
        }
    }
    calls.extend(structured_calls());
    let texts: Vec<String> = calls
        .iter()
        .map(|(name, a)| {
            let args: Vec<String> = a.iter().map(literal).collect();
            format!("{{{{ {name} {} }}}}", args.join(" "))
        })
        .collect();
    let child = Command::new("python3")
        .arg("-c")
        .arg(HELM_RENDER)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return skip(&format!("python3: {e}")),
    };
    let input = serde_json::to_vec(&texts).unwrap();
    // A script that fails at import exits before reading: the broken pipe
    // is reported below as its failure, with its stderr.
    let _ = child.stdin.take().unwrap().write_all(&input);
    let output = child.wait_with_output().unwrap();
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        return skip(&format!(
            "Helm's Python binding failed: {}",
            err.lines().last().unwrap_or("")
        ));
    }
    let helm: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let mut differences = Vec::new();
    for ((name, a), (text, theirs)) in calls.iter().zip(texts.iter().zip(&helm)) {
        let ours = printed(&find(name).unwrap()(a));
        let theirs = theirs.as_str().map(str::to_string);
        if ours != theirs && !same_yaml_syntax_error(&ours, &theirs) {
            differences.push(format!("{text}\n  ours: {ours:?}\n  helm: {theirs:?}"));
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "{} calls, {} differ from Helm",
        calls.len(),
        differences.len()
    );
    let shown: Vec<&String> = differences.iter().take(200).collect();
    assert!(
        differences.is_empty(),
        "{}",
        shown
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
