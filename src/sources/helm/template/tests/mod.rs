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

mod recorded;
mod recorded_funcs;

#[test]
fn renders_as_helm_rendered_the_recorded_cases() {
    check_recorded(recorded::CASES);
}

#[test]
fn calls_functions_as_helm_did_in_the_recorded_cases() {
    check_recorded(recorded_funcs::CASES);
}

fn check_recorded(cases: &[(&str, &str, &str)]) {
    let mut wrong = Vec::new();
    for (text, json, expected) in cases {
        let got = match render(text, json) {
            Ok(out) => out,
            Err(e) => format!("ERR {e}"),
        };
        if got != *expected {
            wrong.push(format!(
                "template: {text}\n  Helm: {expected}\n  here: {got}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} differ from Helm:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

/// A helper file `h` and a template `t`, as a chart's `_helpers.tpl` and a
/// manifest: `define`s and errors that cross files.
fn render_two(helper: &str, text: &str, json: &str) -> Result<String, String> {
    let mut t = Templates::new(Limits::default());
    t.add("h", FileId(2), helper).map_err(|e| e.message)?;
    t.add("t", FileId(1), text).map_err(|e| e.message)?;
    t.render("t", &data(json))
        .map(|r| r.text)
        .map_err(|e| e.message)
}

/// Recorded from Helm v4 as for [`recorded::CASES`], the helper as
/// `c/templates/_h.tpl` and the template as `c/templates/out.txt`.
#[test]
fn helpers_and_errors_across_files_as_helm_renders_them() {
    for (helper, text, json, expected) in [
        ("{{ define \"x\" }}[{{ . }}]{{ end }}", "{{ template \"x\" \"hi\" }}{{ template \"x\" }}", "{}", "[hi][]"),
        ("{{- define \"x\" -}}\n  x{{ .a }}\n{{- end -}}", "{{ include \"x\" . }}|{{ include \"x\" . | len }}", r#"{"a":"y"}"#, "xy|2"),
        ("{{ define \"x\" }}in{{ end }}", "{{ $s := include \"x\" . }}{{ $s }}{{ $s }}", "{}", "inin"),
        ("{{ define \"x\" }}{{ .a.b }}{{ end }}", "{{ include \"x\" . }}", "{}",
         "ERR t:1:3\n  executing \"t\" at <include \"x\" .>:\n    error calling include:\nh:1:21\n  executing \"x\" at <.a.b>:\n    nil pointer evaluating interface {}.b"),
        ("{{ define \"x\" }}{{ .a.b }}{{ end }}{{ define \"y\" }}{{ include \"x\" . }}{{ end }}", "{{ include \"y\" . }}", "{}",
         "ERR t:1:3\n  executing \"t\" at <include \"y\" .>:\n    error calling include:\nh:1:54\n  executing \"y\" at <include \"x\" .>:\n    error calling include:\nh:1:21\n  executing \"x\" at <.a.b>:\n    nil pointer evaluating interface {}.b"),
        ("{{ define \"x\" }}{{ eq 1 2.0 }}{{ end }}", "{{ include \"x\" . }}", "{}",
         "ERR template: t:1:3: executing \"t\" at <include \"x\" .>: error calling include: template: h:1:19: executing \"x\" at <eq 1 2.0>: error calling eq: incompatible types for comparison: int and float64"),
        ("{{ define \"x\" }}{{ .a.b }}{{ end }}", "{{ template \"x\" . }}", "{}",
         "ERR h:1:21\n  executing \"x\" at <.a.b>:\n    nil pointer evaluating interface {}.b"),
        ("{{ define \"x\" }}{{ required \"msg x\" .a }}{{ end }}", "a\n{{ include \"x\" . }}", "{}", "ERR execution error at (t:2:3): msg x"),
    ] {
        let got = match render_two(helper, text, json) {
            Ok(out) => out,
            Err(e) => format!("ERR {e}"),
        };
        assert_eq!(got, expected, "helper: {helper}\ntemplate: {text}");
    }
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
fn no_value_is_cut_from_the_output_and_its_map() {
    let mut t = Templates::new(Limits::default());
    let text = "a<no value>b{{ .v }}c";
    t.add("t", FileId(1), text).unwrap();
    let out = t.render("t", &data(r#"{"v":"x<no value>y"}"#)).unwrap();
    assert_eq!(out.text, "abxyc");
    assert_eq!(
        out.segments,
        vec![
            seg(0..1, 1, 0..1, true, None),
            seg(1..2, 1, 11..12, true, None),
            seg(2..3, 1, 12..20, false, None),
            seg(3..4, 1, 12..20, false, None),
            seg(4..5, 1, 20..21, true, None),
        ]
    );
}

#[test]
fn big_strings_cost_steps() {
    let limits = Limits {
        max_steps: 5_000,
        ..Limits::default()
    };
    // About 2 MB built in 20 iterations: cheap in nodes, dear in bytes.
    let doubling =
        "{{ $s := \"x\" }}{{ range 20 }}{{ $s = printf \"%s%s\" $s $s }}{{ end }}{{ len $s }}";
    let err = render_with(limits, doubling, "{}").unwrap_err();
    assert!(err.contains("limit max_steps"), "{err}");
    assert_eq!(render(doubling, "{}").unwrap(), "1048576");
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
        "parse error at (chart/templates/x.yaml:2): function \"nope\" not defined"
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

#[test]
fn recursion_limit_is_reached_before_the_stack_ends() {
    let nested = format!(
        "{{{{ define \"r\" }}}}{}{{{{ include \"r\" . }}}}{}{{{{ end }}}}{{{{ include \"r\" . }}}}",
        "{{ if true }}".repeat(900),
        "{{ end }}".repeat(900)
    );
    let err = render(&nested, "{}").unwrap_err();
    assert!(
        err.contains("nesting deeper than"),
        "{}",
        &err[..err.len().min(400)]
    );
}

#[test]
fn recursion_through_parentheses_is_bounded_too() {
    let nested = format!(
        "{{{{ define \"r\" }}}}{{{{ {}include \"r\" .{} }}}}{{{{ end }}}}{{{{ include \"r\" . }}}}",
        "not (".repeat(900),
        ")".repeat(900)
    );
    let err = render(&nested, "{}").unwrap_err();
    assert!(
        err.contains("nesting deeper than"),
        "{}",
        &err[..err.len().min(400)]
    );
}
