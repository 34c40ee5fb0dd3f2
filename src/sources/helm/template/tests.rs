//! The engine end to end through [`Templates`]: each construct, Go's
//! printing, Helm's errors with their locations, the limits, the source map,
//! and every template of the real charts in `../shared`.

use super::funcs::Func;
use super::value::Value;
use super::{Limits, Rendered, Segment, Templates};
use crate::source::{FileId, Span};

/// Stand-ins for functions the functions side provides, as Helm defines
/// them, so the engine's handling of them is tested here.
pub fn test_function(name: &str) -> Option<Func> {
    Some(match name {
        "required" => {
            |args: &[Value]| match args {
                [warn, value] => match (&value.kind, warn.as_str()) {
                    (_, None) => Err("wrong type for value; expected string; got ".to_string()
                        + warn.type_name()),
                    (super::Kind::Nil, Some(w)) => Err(w.to_string()),
                    (super::Kind::Str(s), Some(w)) if s.is_empty() => Err(w.to_string()),
                    _ => Ok(value.clone()),
                },
                _ => Err(format!(
                    "wrong number of args for required: want 2 got {}",
                    args.len()
                )),
            }
        }
        "fail" => |args: &[Value]| Err(args.first().map(|a| a.to_string()).unwrap_or_default()),
        "quote" => |args: &[Value]| {
            let at = args.iter().find_map(|a| a.at);
            let quoted: Vec<String> = args
                .iter()
                .filter(|a| !a.is_nil())
                .map(|a| format!("{:?}", a.to_string()))
                .collect();
            Ok(Value::str(quoted.join(" ")).at(at))
        },
        _ => return None,
    })
}

fn data(json: &str) -> Value {
    Value::from_json(&serde_json::from_str(json).expect("test data is JSON"))
}

fn render_with(limits: Limits, text: &str, json: &str) -> Result<String, String> {
    let mut t = Templates::new(limits);
    t.add("t", FileId(1), text).map_err(|e| e.message)?;
    t.render("t", &data(json))
        .map(|r| r.text)
        .map_err(|e| e.message)
}

fn render(text: &str, json: &str) -> Result<String, String> {
    render_with(Limits::default(), text, json)
}

/// One line per case: template, data, expected output (or `ERR message`).
fn check(cases: &[(&str, &str, &str)]) {
    for (text, json, expected) in cases {
        let got = match render(text, json) {
            Ok(out) => out,
            Err(e) => format!("ERR {e}"),
        };
        assert_eq!(got, *expected, "template: {text}");
    }
}

#[test]
fn text_actions_and_trimming() {
    check(&[
        ("plain text", "{}", "plain text"),
        ("a {{- 1 -}} b", "{}", "a1b"),
        ("a\n  {{- \"x\" }}\n  b", "{}", "ax\n  b"),
        ("a {{- /* note */ -}}\n b", "{}", "ab"),
        ("{{/* a\nmultiline comment */}}x", "{}", "x"),
        ("{{ .a }}-{{ .b.c }}", r#"{"a":"x","b":{"c":"y"}}"#, "x-y"),
        ("{{ . }}", r#""dot""#, "dot"),
        (
            "{{ \"a\\tb\" }}{{ `raw\\n` }}{{ 'a' }}",
            "{}",
            "a\tbraw\\n97",
        ),
        (
            "{{ 0x1F }} {{ 1_000 }} {{ 1e3 }} {{ -2.5 }} {{ 017 }}",
            "{}",
            "31 1000 1000 -2.5 15",
        ),
        ("{{ true }} {{ false }}", "{}", "true false"),
        ("{{ (.a) }}{{ (.m).k }}", r#"{"a":"x","m":{"k":"v"}}"#, "xv"),
    ]);
}

#[test]
fn go_prints_values_and_helm_prints_nil_as_nothing() {
    check(&[
        (
            "{{ .n }} {{ .f }} {{ .big }} {{ .small }}",
            r#"{"n":3,"f":1.5,"big":1000000,"small":0.00001}"#,
            "3 1.5 1e+06 1e-05",
        ),
        ("{{ .m }}", r#"{"m":{"b":2,"a":"x"}}"#, "map[a:x b:2]"),
        ("{{ .l }}", r#"{"l":["a",1,null,true]}"#, "[a 1 <nil> true]"),
        ("[{{ .missing }}][{{ .nul }}]", r#"{"nul":null}"#, "[][]"),
        ("{{ $ }}", r#"{"a":1}"#, "map[a:1]"),
    ]);
}

#[test]
fn missing_keys_and_field_errors_are_gos() {
    check(&[
        ("{{ .a.b }}", "{}", "ERR template: t:1:3: executing \"t\" at <.a.b>: nil pointer evaluating interface {}.b"),
        ("{{ .a.b }}", r#"{"a":"s"}"#, "ERR template: t:1:3: executing \"t\" at <.a.b>: can't evaluate field b in type interface {}"),
        ("{{ with .a }}{{ .b }}{{ end }}", r#"{"a":"s"}"#, "ERR template: t:1:16: executing \"t\" at <.b>: can't evaluate field b in type string"),
        ("{{ $x := .missing }}[{{ $x.b }}]", "{}", "[]"),
        ("[{{ (.missing).b }}]", "{}", "[]"),
        ("{{ range .l }}{{ .a }}{{ end }}", r#"{"l":[null]}"#, "ERR template: t:1:17: executing \"t\" at <.a>: nil pointer evaluating interface {}.a"),
        ("x\n  {{ .a.b }}", "{}", "ERR template: t:2:5: executing \"t\" at <.a.b>: nil pointer evaluating interface {}.b"),
        ("{{ .a \"arg\" }}", r#"{"a":{}}"#, "ERR template: t:1:3: executing \"t\" at <.a>: a is not a method but has arguments"),
        ("{{ nil }}", "{}", "ERR template: t:1:3: executing \"t\" at <nil>: nil is not a command"),
        ("{{ 1 2 }}", "{}", "ERR template: t:1:3: executing \"t\" at <1>: can't give argument to non-function 1"),
        ("{{ template \"nope\" }}", "{}", "ERR template: t:1:12: executing \"t\" at <template \"nope\">: template \"nope\" not defined"),
    ]);
}

#[test]
fn variables_scope_as_in_go() {
    check(&[
        ("{{ $x := 1 }}{{ $x = 2 }}{{ $x }}", "{}", "2"),
        (
            "{{ $x := 1 }}{{ if true }}{{ $x = 3 }}{{ $y := 4 }}{{ end }}{{ $x }}",
            "{}",
            "3",
        ),
        (
            "{{ with $x := .a }}{{ $x }}{{ . }}{{ end }}",
            r#"{"a":"v"}"#,
            "vv",
        ),
        (
            "{{ define \"d\" }}{{ $.k }}{{ end }}{{ template \"d\" .m }}",
            r#"{"m":{"k":"in"}}"#,
            "in",
        ),
        (
            "{{ range .l }}{{ $.top }}{{ end }}",
            r#"{"l":[1,2],"top":"T"}"#,
            "TT",
        ),
    ]);
}

#[test]
fn control_structures() {
    check(&[
        ("{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}", r#"{"b":1}"#, "B"),
        ("{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}", "{}", "C"),
        ("{{ if \"\" }}x{{ end }}{{ if 0 }}x{{ end }}{{ if .e }}x{{ end }}", r#"{"e":{}}"#, ""),
        ("{{ with .a }}{{ . }}{{ else with .b }}b{{ . }}{{ else }}none{{ end }}", r#"{"b":2}"#, "b2"),
        ("{{ with .a }}{{ . }}{{ else }}none{{ end }}", "{}", "none"),
        ("{{ range $i, $v := .l }}{{ $i }}={{ $v }},{{ end }}", r#"{"l":["a","b"]}"#, "0=a,1=b,"),
        ("{{ range $k, $v := .m }}{{ $k }}={{ $v }},{{ end }}", r#"{"m":{"b":1,"a":2}}"#, "a=2,b=1,"),
        ("{{ range $v := .l }}{{ $v }}{{ end }}", r#"{"l":["a","b"]}"#, "ab"),
        ("{{ range 3 }}{{ . }}{{ end }}", "{}", "012"),
        ("{{ range $i := 2 }}{{ $i }}{{ end }}", "{}", "01"),
        ("{{ range .n }}{{ . }}{{ end }}", r#"{"n":3}"#, "ERR template: t:1:9: executing \"t\" at <.n>: range can't iterate over 3"),
        ("{{ range .e }}x{{ else }}empty{{ end }}{{ range .missing }}x{{ else }}!{{ end }}", r#"{"e":[]}"#, "empty!"),
        ("{{ range .l }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ if eq . \"d\" }}{{ break }}{{ end }}{{ . }}{{ end }}", r#"{"l":["a","b","c","d","e"]}"#, "ac"),
        ("{{ range .l }}{{ range . }}{{ if eq . 2 }}{{ break }}{{ end }}{{ . }}{{ end }};{{ end }}", "{\"l\":[[1,2,3],[4]]}", "ERR template: t:1:33: executing \"t\" at <eq . 2>: error calling eq: incompatible types for comparison"),
        ("{{ range $x := .l }}{{ range $x }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ . }}{{ end }};{{ end }}", "{\"l\":[[1,2,3],[4]]}", "1;4;"),
    ]);
}

#[test]
fn define_template_block_and_include() {
    check(&[
        ("{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" \"hi\" }}", "{}", "[hi]"),
        ("{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" }}", "{}", "[]"),
        ("{{ block \"b\" .v }}<{{ . }}>{{ end }}", r#"{"v":1}"#, "<1>"),
        ("{{- define \"x\" -}}\n  x{{ .a }}\n{{- end -}}\n{{ include \"x\" . }}|{{ include \"x\" . | len }}", r#"{"a":"y"}"#, "xy|2"),
        ("{{ $s := include \"x\" . }}{{ define \"x\" }}in{{ end }}{{ $s }}{{ $s }}", "{}", "inin"),
        ("{{ include \"nope\" . }}", "{}", "ERR template: t:1:3: executing \"t\" at <include \"nope\" .>: error calling include: template: no template \"nope\" associated with template \"gotpl\""),
        ("{{ define \"x\" }}{{ .a.b }}{{ end }}{{ include \"x\" . }}", "{}", "ERR template: t:1:38: executing \"t\" at <include \"x\" .>: error calling include: template: t:1:19: executing \"x\" at <.a.b>: nil pointer evaluating interface {}.b"),
    ]);
}

#[test]
fn logic_and_comparison_builtins() {
    check(&[
        ("{{ and 1 0 2 }} {{ and 1 2 }} {{ or 0 \"\" \"x\" }} [{{ or 0 \"\" }}]", "{}", "0 2 x []"),
        ("{{ or true (index nil 1) }} {{ and false (index nil 1) }}", "{}", "true false"),
        ("{{ .a | and 1 }} {{ not .a }} {{ not 0 }}", r#"{"a":"v"}"#, "v false true"),
        ("{{ eq .n 1.0 }} {{ eq .s \"x\" \"y\" }} {{ ne .s \"y\" }} {{ eq .missing nil }}", r#"{"n":1,"s":"y"}"#, "true true false true"),
        ("{{ eq .n 1 }}", r#"{"n":1}"#, "ERR template: t:1:3: executing \"t\" at <eq .n 1>: error calling eq: incompatible types for comparison"),
        ("{{ lt 1 2 }} {{ le 2 2 }} {{ gt \"b\" \"a\" }} {{ ge 1.5 2.5 }}", "{}", "true true true false"),
        ("{{ len .l }} {{ len .m }} {{ len \"héllo\" }}", r#"{"l":[1,2],"m":{"a":1}}"#, "2 1 6"),
        ("{{ index .m \"a\" 1 }} [{{ index .m \"zz\" }}] {{ slice .l 1 }}", r#"{"m":{"a":["x","y"]},"l":[1,2,3]}"#, "y [] [2 3]"),
        ("{{ html \"<a&b>\" }} {{ js \"it's\" }} {{ urlquery \"a b\" }}", "{}", "&lt;a&amp;b&gt; it\\'s a+b"),
        ("{{ lookup \"v1\" \"Secret\" \"default\" \"x\" | len }}", "{}", "0"),
        ("{{ not }}", "{}", "ERR template: t:1:3: executing \"t\" at <not>: wrong number of args for not: want 1 got 0"),
    ]);
}

#[test]
fn tpl_renders_text_at_run_time() {
    check(&[
        ("{{ tpl \"{{ .a }}-{{ .b }}\" . }}", r#"{"a":"x","b":1}"#, "x-1"),
        ("{{ tpl .t . }}", r#"{"t":"{{ .name }}!","name":"n"}"#, "n!"),
        ("{{ tpl \"{{ define \\\"in\\\" }}I{{ end }}{{ include \\\"in\\\" . }}\" . }}", "{}", "I"),
        ("{{ tpl \"{{ define \\\"in\\\" }}I{{ end }}\" . }}{{ include \"in\" . }}", "{}", "ERR template: t:1:46: executing \"t\" at <include \"in\" .>: error calling include: template: no template \"in\" associated with template \"gotpl\""),
        ("{{ tpl \"{{ .a.b }}\" . }}", "{}", "ERR template: t:1:3: executing \"t\" at <tpl \"{{ .a.b }}\" .>: error calling tpl: error during tpl function execution for \"{{ .a.b }}\": template: gotpl:1:3: executing \"gotpl\" at <.a.b>: nil pointer evaluating interface {}.b"),
        ("{{ tpl \"{{ .x\" . }}", "{}", "ERR template: t:1:3: executing \"t\" at <tpl \"{{ .x\" .>: error calling tpl: cannot parse template \"{{ .x\": template: gotpl:1: unclosed action"),
    ]);
}

#[test]
fn required_and_fail_read_as_helm_writes_them() {
    check(&[
        ("x\n  {{ required \"set image.tag\" .Values.tag }}", r#"{"Values":{}}"#, "ERR execution error at (t:2:5): set image.tag"),
        ("{{ .Values.tag | required \"need tag\" }}", r#"{"Values":{"tag":""}}"#, "ERR execution error at (t:1:17): need tag"),
        ("{{ required \"ok\" .v }}", r#"{"v":"set"}"#, "set"),
        ("{{ define \"h\" }}{{ fail \"boom\" }}{{ end }}\n{{ include \"h\" . }}", "{}", "ERR execution error at (t:2:3): boom"),
        ("{{ tpl \"{{ fail \\\"deep\\\" }}\" . }}", "{}", "ERR execution error at (t:1:3): deep"),
        ("{{ required \"only one\" }}", "{}", "ERR template: t:1:3: executing \"t\" at <required>: wrong number of args for required: want 2 got 1"),
    ]);
}

#[test]
fn limits_stop_hostile_templates() {
    let small = |steps: u64, bytes: usize, depth: usize| Limits {
        max_steps: steps,
        max_output_bytes: bytes,
        max_depth: depth,
    };
    let err = render_with(
        small(1_000, 1 << 20, 100),
        "{{ range 100000000 }}{{ end }}",
        "{}",
    )
    .unwrap_err();
    assert!(err.contains("limit max_steps"), "{err}");
    let err = render_with(
        small(1 << 30, 100, 100),
        "{{ range 1000 }}0123456789{{ end }}",
        "{}",
    )
    .unwrap_err();
    assert!(err.contains("limit max_output_bytes"), "{err}");
    let err = render_with(
        small(1 << 30, 1 << 20, 10),
        "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}",
        "{}",
    )
    .unwrap_err();
    assert!(err.contains("limit max_depth"), "{err}");
    let err = render_with(
        small(1 << 30, 1 << 20, 10),
        "{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}",
        "{}",
    )
    .unwrap_err();
    assert!(err.contains("limit max_depth"), "{err}");
    // A string doubled in a loop stops at the output bound of one include.
    let doubling = "{{ define \"d\" }}{{ . }}{{ . }}{{ end }}{{ $s := \"x\" }}{{ range 64 }}{{ $s = include \"d\" $s }}{{ end }}";
    let err = render_with(small(1 << 40, 1 << 20, 100), doubling, "{}").unwrap_err();
    assert!(err.contains("max_output_bytes"), "{err}");
}

#[test]
fn helm_stops_an_include_recursing_past_a_thousand() {
    let err = render(
        "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}",
        "{}",
    )
    .unwrap_err();
    assert!(
        err.contains(
            "rendering template has a nested reference name: r: unable to execute template"
        ),
        "{}",
        &err[err.len().saturating_sub(300)..]
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let ifs = format!(
        "{}x{}",
        "{{ if true }}".repeat(3_000),
        "{{ end }}".repeat(3_000)
    );
    let err = render(&ifs, "{}").unwrap_err();
    assert!(err.contains("max expression depth exceeded"), "{err}");
    let parens = format!("{{{{ {}1{} }}}}", "(".repeat(3_000), ")".repeat(3_000));
    assert!(render(&parens, "{}")
        .unwrap_err()
        .contains("max expression depth exceeded"));
    let fine = format!(
        "{}x{}",
        "{{ if true }}".repeat(500),
        "{{ end }}".repeat(500)
    );
    assert_eq!(render(&fine, "{}").unwrap(), "x");
}

#[test]
fn later_definitions_replace_earlier_ones_unless_empty() {
    let mut t = Templates::new(Limits::default());
    t.add("a", FileId(1), "{{ define \"h\" }}one{{ end }}")
        .unwrap();
    t.add("b", FileId(2), "{{ define \"h\" }}two{{ end }}")
        .unwrap();
    t.add(
        "c",
        FileId(3),
        "{{ define \"h\" }} {{/* empty */}} {{ end }}",
    )
    .unwrap();
    t.add("main", FileId(4), "{{ template \"h\" }}").unwrap();
    assert_eq!(t.render("main", &Value::NIL).unwrap().text, "two");
}

#[test]
fn parse_errors_point_into_the_file() {
    let mut t = Templates::new(Limits::default());
    let err = t
        .add(
            "chart/templates/x.yaml",
            FileId(7),
            "a: 1\nb: {{ .x | nope }}\n",
        )
        .unwrap_err();
    assert_eq!(
        err.message,
        "template: chart/templates/x.yaml:2: function \"nope\" not defined"
    );
    assert_eq!(err.at, Span::new(16, 20).in_file(FileId(7)));
}

#[test]
fn execution_errors_point_into_the_file() {
    let mut t = Templates::new(Limits::default());
    t.add("h", FileId(2), "{{ define \"h\" }}{{ .a.b }}{{ end }}")
        .unwrap();
    t.add("t", FileId(1), "x: {{ include \"h\" . }}").unwrap();
    let err = t.render("t", &data("{}")).unwrap_err();
    assert_eq!(err.at, Span::new(6, 19).in_file(FileId(1)));
}

fn seg(
    output: std::ops::Range<usize>,
    file: u32,
    template: std::ops::Range<usize>,
    literal: bool,
    value: Option<Span>,
) -> Segment {
    Segment {
        output,
        template: Span::new(template.start, template.end).in_file(FileId(file)),
        literal,
        value,
    }
}

#[test]
fn segments_map_output_to_template_and_values() {
    let values_tag = Span::new(40, 46).in_file(FileId(9));
    let mut values = super::Map::new();
    values.insert("tag".into(), Value::str("v1.2").at(Some(values_tag)));
    let mut root = super::Map::new();
    root.insert("Values".into(), Value::map(values));
    let data = Value::map(root);

    let mut t = Templates::new(Limits::default());
    t.add(
        "h",
        FileId(2),
        "{{ define \"img\" }}repo:{{ .Values.tag }}{{ end }}",
    )
    .unwrap();
    let text =
        "image: {{ .Values.tag | quote }}\n{{- template \"img\" . }}\nx: {{ include \"img\" . }}\n";
    t.add("t", FileId(1), text).unwrap();
    let Rendered {
        text: out,
        segments,
    } = t.render("t", &data).unwrap();
    assert_eq!(out, "image: \"v1.2\"repo:v1.2\nx: repo:v1.2\n");
    assert_eq!(
        segments,
        vec![
            seg(0..7, 1, 0..7, true, None),
            seg(7..13, 1, 7..32, false, Some(values_tag)),
            seg(13..18, 2, 18..23, true, None),
            seg(18..22, 2, 23..40, false, Some(values_tag)),
            seg(22..26, 1, 56..60, true, None),
            seg(26..35, 1, 60..81, false, None),
            seg(35..36, 1, 81..82, true, None),
        ]
    );
    // Literal segments map byte for byte; together they cover the output.
    let mut covered = 0;
    for s in &segments {
        assert_eq!(s.output.start, covered);
        covered = s.output.end;
        if s.literal {
            let src = if s.template.file == FileId(1) {
                text.to_string()
            } else {
                "{{ define \"img\" }}repo:{{ .Values.tag }}{{ end }}".into()
            };
            assert_eq!(
                &out[s.output.clone()],
                &src[s.template.start..s.template.end]
            );
        }
    }
    assert_eq!(covered, out.len());
}

/// Every template and helper of the real charts under `../shared` parses.
#[test]
fn every_real_chart_template_parses() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/projects/helm/prometheus-community");
    if !root.is_dir() {
        if std::env::var("POLICY_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("{} is missing and POLICY_REQUIRE_TOOLS=1", root.display());
        }
        eprintln!("skipped: {} is missing", root.display());
        return;
    }
    let mut files = Vec::new();
    collect_templates(&root, 0, &mut files);
    files.sort();
    assert!(
        files.len() > 100,
        "only {} templates found under {}",
        files.len(),
        root.display()
    );
    let mut failures = Vec::new();
    let mut t = Templates::new(Limits::default());
    for (i, path) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path).expect("template is UTF-8 text");
        let name = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        if let Err(e) = t.add(&name, FileId(i as u32), &text) {
            failures.push(e.message);
        }
    }
    eprintln!("parsed {} chart templates", files.len());
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

fn collect_templates(dir: &std::path::Path, depth: usize, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && depth < 12 {
            collect_templates(&path, depth + 1, out);
        } else if path.components().any(|c| c.as_os_str() == "templates")
            && path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "tpl" || e == "yml" || e == "txt")
        {
            out.push(path);
        }
    }
}
