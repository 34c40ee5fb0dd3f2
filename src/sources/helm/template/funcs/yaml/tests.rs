use super::*;

#[path = "helm_cases.rs"]
mod helm_cases;

/// A value as Helm reads it from `values.yaml` (`key: <text>`).
fn value(text: &str) -> Value {
    let doc = parse_v2(&format!("v: {text}\n")).unwrap();
    doc.get("v").cloned().unwrap()
}

fn call(name: &str, a: Vec<Value>) -> String {
    match super::super::find(name).unwrap()(&a) {
        Ok(v) => v.to_string(),
        Err(e) => format!("ERR {e}"),
    }
}

#[test]
fn to_yaml_matches_helm_byte_for_byte() {
    for (text, v2, v3) in helm_cases::CASES {
        let v = value(text);
        assert_eq!(marshal(&v, Flavor::V2).unwrap(), *v2, "toYaml of {text}");
        assert_eq!(
            marshal(&v, Flavor::V3).unwrap(),
            *v3,
            "toYamlPretty of {text}"
        );
    }
}

#[test]
fn to_yaml_reads_back_as_the_same_value() {
    for (text, _, _) in helm_cases::CASES {
        let v = value(text);
        for flavor in [Flavor::V2, Flavor::V3] {
            // Helm trims the document's last line break (a `|+` block then
            // reads back one shorter); the document itself reads back whole.
            let yaml = marshal(&v, flavor).unwrap() + "\n";
            assert_eq!(parse_v2(&yaml).unwrap(), v, "{text} as\n{yaml}");
        }
    }
}

#[test]
fn to_yaml_keeps_the_value_origin_and_fails_quietly() {
    let at = Some(crate::source::Span::new(4, 8));
    let v = Value::str("x").at(at);
    assert_eq!(to_yaml(&[v]).unwrap().at, at);
    assert_eq!(call("toYaml", vec![Value::float(f64::NAN)]), "");
    assert!(call("mustToYaml", vec![Value::float(f64::NAN)]).starts_with("ERR"));
    assert_eq!(call("toYaml", vec![Value::NIL]), "null");
    assert_eq!(call("toYaml", vec![Value::int(3)]), "3");
}

#[test]
fn keys_sort_in_go_yaml_natural_order() {
    let mut keys = vec![
        "a10", "a2", "A", "_x", "a_", "a1", "b", "10", "9", "a01", "a001",
    ];
    keys.sort_by(|a, b| natural_cmp(a, b));
    assert_eq!(
        keys,
        ["_x", "9", "10", "A", "a_", "a1", "a01", "a001", "a2", "a10", "b"]
    );
}

/// Expected outputs rendered by Helm v4.2.3.
#[test]
fn from_yaml_reads_yaml_1_1_as_helm_does() {
    let s = Value::str;
    let table = Value::map(
        [
            ("s", s("x\"y")),
            ("w", Value::float(3.0)),
            ("i", Value::int(2)),
            ("l", Value::list(vec![s("a"), Value::int(1)])),
            ("t", value("{k: v, q: {z: 1}}")),
            ("aot", value("[{a: 1}, {a: 2}]")),
            ("e", Value::list(vec![])),
            ("m", Value::map(Map::new())),
            ("key with space", Value::int(1)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
    );
    let cases: Vec<(&str, Vec<Value>, &str)> = vec![
        ("fromYaml", vec![s("a: 1\nb: [x, 2]")], "map[a:1 b:[x 2]]"),
        ("toToml", vec![table], "e = []\ni = 2\n\"key with space\" = 1\nl = [\"a\", 1]\ns = \"x\\\"y\"\nw = 3.0\n\n[[aot]]\n  a = 1.0\n\n[[aot]]\n  a = 2.0\n\n[m]\n\n[t]\n  k = \"v\"\n  [t.q]\n    z = 1.0\n"),
        ("toToml", vec![Value::list(vec![Value::int(1)])], "[1]"),
        ("toToml", vec![s("x")], "\"x\""),
        ("fromYaml", vec![s("- 1")], "map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}]"),
        ("fromYaml", vec![s("")], "map[]"),
        ("fromYamlArray", vec![s("- 1\n- b")], "[1 b]"),
        ("fromYamlArray", vec![s("a: 1")], "[error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}]"),
        ("fromYaml", vec![s("a: yes\nb: 0755\nc: 1e3\nd: ~\ne: 2001-12-14\nf: '0755'\ng: 1_000\nn: on\ny: 0x1F")], "map[a:true b:493 c:1000 d:<nil> e:2001-12-14 f:0755 false:true g:1000 true:31]"),
        ("fromYaml", vec![s("yes: 1\nn: 2\n10: 3")], "map[10:3 false:2 true:1]"),
        ("toToml", vec![value("{a: 1, b: {c: x}, l: [1, 2]}")], "a = 1.0\nl = [1.0, 2.0]\n\n[b]\n  c = \"x\"\n"),
    ];
    for (name, a, want) in cases {
        assert_eq!(call(name, a.clone()), want, "{name} {a:?}");
    }
    let err = call("fromYaml", vec![s("a: [")]);
    assert!(
        err.starts_with("map[Error:error converting YAML to JSON: yaml: line 1: "),
        "{err}"
    );
}

#[test]
fn scalars_resolve_as_go_yaml_v2_does() {
    for (text, plain) in [
        ("hello", true),
        ("true", false),
        ("yes", false),
        ("Off", false),
        ("~", false),
        ("", false),
        ("12", false),
        ("-12", false),
        ("1.5", false),
        ("1e5", false),
        (".5", false),
        ("0x1F", false),
        ("0o17", false),
        ("1_000", false),
        ("10:30", false),
        ("8080:80", true),
        ("2001-12-14", false),
        ("2001-12-14t21:59:43Z", false),
        ("2001-12-32", true),
        ("1.2.3", true),
        ("v1", true),
        ("1e999", true),
        ("<<", true),
        ("-", true),
    ] {
        assert_eq!(plain_reads_as_string(text), plain, "{text:?}");
    }
}

#[path = "real_charts.rs"]
mod real_charts;

#[test]
fn values_nodes_keep_their_spans() {
    let text = "image:\n  tag: yes\n  n: 0755\n";
    let docs = parser::parse(text, &parser::Limits::default()).unwrap();
    let v = value_from_node(&docs[0].node, text);
    let image = v.get("image").unwrap();
    let tag = image.get("tag").unwrap();
    assert_eq!(tag, &Value::bool(true));
    let span = tag.at.unwrap();
    assert_eq!(&text[span.start..span.end], "yes");
    assert_eq!(image.get("false"), Some(&Value::float(493.0)));
}
