//! Rendering small charts held in memory: values across subcharts,
//! dependencies, library charts, `.Files`, `.Capabilities`, CRDs, and the
//! map from rendered nodes back to template and values lines.

use super::chart::{build, RawFile, Unit};
use super::*;
use crate::parse::Document;

fn raw(files: &[(&str, &str)]) -> Vec<RawFile> {
    files
        .iter()
        .map(|(p, t)| RawFile {
            path: p.to_string(),
            bytes: t.as_bytes().into(),
        })
        .collect()
}

/// The chart's documents with the given `--set`s, and its files.
fn render_chart(
    files: &[(&str, &str)],
    set: &[&str],
) -> Result<(Vec<Document>, Vec<crate::source::SourceFile>), String> {
    let mut unit = Unit::default();
    let chart = build(raw(files), "c", &mut unit, 0).map_err(|e| e.message)?;
    let value_set = ValueSet {
        name: None,
        files: Vec::new(),
        set: set.iter().map(|s| s.to_string()).collect(),
    };
    let (loaded, missing) = render_one(&chart, &unit, &value_set, &ChartSettings::default(), false);
    if let Some(Loaded::Error(e)) = missing {
        return Err(e.message);
    }
    match loaded {
        Loaded::Parsed {
            primary,
            others,
            documents,
            ..
        } => {
            let mut files = vec![primary];
            files.extend(others);
            Ok((documents, files))
        }
        Loaded::Error(e) => Err(format!("{}:{:?}: {}", e.path, e.line, e.message)),
        other => Err(format!("{other:?}")),
    }
}

fn docs(files: &[(&str, &str)], set: &[&str]) -> Vec<serde_json::Value> {
    render_chart(files, set)
        .unwrap()
        .0
        .iter()
        .map(|d| d.node.to_json())
        .collect()
}

const CHART: &str = "apiVersion: v2\nname: c\nversion: 1.0\n";

#[test]
fn subcharts_get_their_values_and_the_parent_s_globals() {
    let out = docs(
        &[
            ("Chart.yaml", CHART),
            ("values.yaml", "global: {env: prod}\nsub: {port: 8080}\n"),
            ("charts/sub/Chart.yaml", "name: sub\nversion: 0.1.0\n"),
            ("charts/sub/values.yaml", "port: 80\nname: s\nglobal: {env: dev, zone: a}\n"),
            (
                "charts/sub/templates/cm.yaml",
                "kind: ConfigMap\ndata:\n  port: \"{{ .Values.port }}\"\n  name: {{ .Values.name }}\n  env: {{ .Values.global.env }}\n  zone: {{ .Values.global.zone }}\n  chart: {{ .Chart.Name }}-{{ .Chart.Version }}\n  template: {{ .Template.Name }}\n",
            ),
        ],
        &[],
    );
    assert_eq!(out.len(), 1);
    let data = &out[0]["data"];
    assert_eq!(data["port"], "8080");
    assert_eq!(data["name"], "s");
    assert_eq!(data["env"], "prod");
    assert_eq!(data["zone"], "a");
    assert_eq!(data["chart"], "sub-0.1.0");
    assert_eq!(data["template"], "c/charts/sub/templates/cm.yaml");
}

#[test]
fn conditions_tags_and_aliases_decide_which_dependencies_render() {
    let files = [
        ("Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\ndependencies:\n  - name: db\n    alias: primary\n    condition: primary.enabled\n  - name: db\n    alias: replica\n    tags: [replicas]\n"),
        ("values.yaml", "primary: {enabled: true}\ntags: {replicas: false}\n"),
        ("charts/db/Chart.yaml", "name: db\nversion: 1.0.0\n"),
        ("charts/db/templates/s.yaml", "kind: Service\nmetadata:\n  name: {{ .Chart.Name }}\n"),
    ];
    let names = |out: Vec<serde_json::Value>| -> Vec<String> {
        let mut n: Vec<String> = out
            .iter()
            .map(|d| d["metadata"]["name"].as_str().unwrap().to_string())
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(docs(&files, &[])), ["primary"]);
    assert_eq!(
        names(docs(&files, &["tags.replicas=true"])),
        ["primary", "replica"]
    );
    assert_eq!(
        names(docs(&files, &["primary.enabled=false"])),
        Vec::<String>::new()
    );
}

#[test]
fn library_charts_lend_helpers_and_render_nothing() {
    let out = docs(
        &[
            ("Chart.yaml", CHART),
            (
                "templates/cm.yaml",
                "kind: ConfigMap\ndata:\n  x: {{ include \"lib.name\" . }}\n",
            ),
            (
                "charts/lib/Chart.yaml",
                "name: lib\nversion: 1.0.0\ntype: library\n",
            ),
            (
                "charts/lib/templates/_h.tpl",
                "{{- define \"lib.name\" -}}from-lib{{- end }}\n",
            ),
            (
                "charts/lib/templates/cm.yaml",
                "kind: ConfigMap\nmetadata: {name: never}\n",
            ),
        ],
        &[],
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0]["data"]["x"], "from-lib");
}

#[test]
fn import_values_lift_a_child_s_exports() {
    let out = docs(
        &[
            ("Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\ndependencies:\n  - name: sub\n    import-values: [data]\n"),
            ("values.yaml", "own: 1\n"),
            ("charts/sub/Chart.yaml", "name: sub\nversion: 1.0.0\n"),
            ("charts/sub/values.yaml", "exports:\n  data:\n    imported: yes-it-is\n"),
            ("templates/cm.yaml", "kind: ConfigMap\ndata:\n  x: {{ .Values.imported }}\n"),
        ],
        &[],
    );
    assert_eq!(out[0]["data"]["x"], "yes-it-is");
}

#[test]
fn files_capabilities_and_crds() {
    let out = docs(
        &[
            ("Chart.yaml", CHART),
            ("files/a.conf", "k=v\n"),
            ("crds/x.yaml", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: xs.example.com}\n"),
            (
                "templates/cm.yaml",
                "kind: ConfigMap\ndata:\n  a: {{ .Files.Get \"files/a.conf\" | quote }}\n  kube: {{ .Capabilities.KubeVersion.Version }}\n  apps: {{ .Capabilities.APIVersions.Has \"apps/v1\" | quote }}\n  none: {{ .Capabilities.APIVersions.Has \"x/v9\" | quote }}\n{{ (.Files.Glob \"files/*\").AsConfig | indent 2 }}\n---\n# only a comment\n---\n",
            ),
        ],
        &[],
    );
    assert_eq!(out.len(), 2, "{out:?}");
    assert_eq!(out[0]["kind"], "CustomResourceDefinition");
    let data = &out[1]["data"];
    assert_eq!(data["a"], "k=v\n");
    assert_eq!(data["kube"], "v1.36.0");
    assert_eq!(data["apps"], "true");
    assert_eq!(data["none"], "false");
    assert_eq!(data["a.conf"], "k=v\n");
}

#[test]
fn nodes_point_at_template_bytes_and_printed_values_at_their_values_line() {
    let template = "kind: Pod\nspec:\n  securityContext:\n    {{- toYaml .Values.sc | nindent 4 }}\n  name: {{ .Values.name }}\n";
    let values = "name: web\nsc:\n  runAsUser: 0\n  fsGroup: 2000\n";
    let (documents, files) = render_chart(
        &[
            ("Chart.yaml", CHART),
            ("values.yaml", values),
            ("templates/pod.yaml", template),
        ],
        &[],
    )
    .unwrap();
    let doc = &documents[0];
    let file_of = |span: crate::source::Span| &files[span.file.0 as usize];
    // A literal key maps byte for byte.
    let spec = doc.node.entry("spec").unwrap();
    assert_eq!(file_of(spec.key_span).slice(spec.key_span), "spec");
    let spec = &spec.value;
    // A value printed by toYaml: the action's line, and its own values line.
    let sc = spec.get("securityContext").unwrap();
    let user = sc.entry("runAsUser").unwrap();
    assert_eq!(
        file_of(user.value.span).path.as_ref(),
        "c/templates/pod.yaml"
    );
    assert_eq!(file_of(user.value.span).line_of(user.value.span.start), 4);
    let related = &doc.related[&user.value.span];
    assert_eq!(file_of(related.span).path.as_ref(), "c/values.yaml");
    assert_eq!(file_of(related.span).line_of(related.span.start), 3);
    let group = sc.get("fsGroup").unwrap();
    assert_eq!(
        file_of(doc.related[&group.span].span).line_of(doc.related[&group.span].span.start),
        4
    );
    // A scalar printed in place.
    let name = spec.get("name").unwrap();
    assert_eq!(file_of(name.span).slice(name.span), "{{ .Values.name }}");
    assert_eq!(
        file_of(doc.related[&name.span].span).line_of(doc.related[&name.span].span.start),
        1
    );
}

#[test]
fn template_errors_are_at_the_template_line_with_helm_s_message() {
    let err = render_chart(
        &[
            ("Chart.yaml", CHART),
            ("templates/a.yaml", "kind: A\n\nx: {{ fail \"no way\" }}\n"),
        ],
        &[],
    )
    .unwrap_err();
    assert!(err.starts_with("c/templates/a.yaml:Some(3)"), "{err}");
    assert!(err.contains("no way"), "{err}");
    let err = render_chart(
        &[
            ("Chart.yaml", CHART),
            ("templates/a.yaml", "kind: A\nx: {{ .Values.a\n"),
        ],
        &[],
    )
    .unwrap_err();
    assert!(err.starts_with("c/templates/a.yaml:Some(2)"), "{err}");
    let err = render_chart(
        &[
            ("Chart.yaml", CHART),
            ("templates/a.yaml", "kind: A\nx: [\n"),
        ],
        &[],
    )
    .unwrap_err();
    assert!(
        err.contains("YAML parse error on c/templates/a.yaml"),
        "{err}"
    );
}

#[test]
fn a_schema_failure_is_at_the_values_line() {
    let err = render_chart(
        &[
            ("Chart.yaml", CHART),
            ("values.yaml", "replicas: 1\nport: \"80\"\n"),
            (
                "values.schema.json",
                r#"{"properties": {"port": {"type": "integer"}}}"#,
            ),
            ("templates/a.yaml", "kind: A\n"),
        ],
        &[],
    )
    .unwrap_err();
    assert!(err.starts_with("c/values.yaml:Some(2)"), "{err}");
    assert!(err.contains("got string, want integer"), "{err}");
}
