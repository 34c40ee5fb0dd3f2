//! Helm charts are rendered as `helm template` (Helm v4.2) renders them,
//! and judged as its output would be. The oracle is Helm itself, through
//! its Python binding (`pip install helm-python-sdk`, no network), on the
//! real charts of `../shared/projects/helm/` (one Python process for all).

mod common;

use common::{repo_root, require_or_skip};
use container_policy::check::{self, Input, RunOptions};
use container_policy::discover;
use container_policy::engine::{Evaluator, PolicySet, Selection};
use container_policy::sources::helm;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Renderings policy makes object-identical to Helm's, of those Helm
/// makes: each chart with its own values, and with each of its `ci/`
/// values files (measured: 41 of 41 and 165 of 168; the target is
/// 95%). The 3 that differ hold `htpasswd`'s bcrypt hash, random in Helm
/// (a random salt) and a shorter fixed placeholder here (pushgateway's
/// basic-auth values), inside a base64 Secret value the mask cannot see into.
const MIN_IDENTICAL_DEFAULTS: usize = 41;
const MIN_IDENTICAL_CI: usize = 165;
/// Charts whose (rule, resource) findings are the same both ways
/// (measured: 41 of 41).
const MIN_SAME_FINDINGS: usize = 41;

/// A chart, rendered with its own values or with a values file over them.
type Case = (PathBuf, Option<PathBuf>);

fn charts_root() -> PathBuf {
    repo_root().join("../shared/projects/helm/prometheus-community")
}

fn missing() -> Option<String> {
    if !charts_root().is_dir() {
        return Some(format!("no {}", charts_root().display()));
    }
    let ok = Command::new("python3")
        .args(["-c", "import helm_python"])
        .output()
        .is_ok_and(|o| o.status.success());
    (!ok).then(|| "helm_python is not installed (pip install helm-python-sdk)".to_string())
}

/// Every chart directory (holding Chart.yaml) of the shared charts, sorted.
fn charts() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(charts_root())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("Chart.yaml").is_file())
        .collect();
    out.sort();
    out
}

/// Every chart with its own values, then with each file of its `ci/`
/// directory (the values its maintainers test it with).
fn cases() -> Vec<Case> {
    let mut out: Vec<Case> = charts().into_iter().map(|c| (c, None)).collect();
    for chart in charts() {
        let Ok(entries) = std::fs::read_dir(chart.join("ci")) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
            .collect();
        files.sort();
        out.extend(files.into_iter().map(|f| (chart.clone(), Some(f))));
    }
    out
}

fn case_arg((chart, values): &Case) -> String {
    match values {
        Some(v) => format!("{}::{}", chart.display(), v.display()),
        None => chart.display().to_string(),
    }
}

fn case_name((chart, values): &Case) -> String {
    let name = chart.file_name().unwrap().to_string_lossy().to_string();
    match values {
        Some(v) => format!("{name} -f {}", v.file_name().unwrap().to_string_lossy()),
        None => name,
    }
}

type Rendering = Result<BTreeMap<String, String>, String>;

/// What Helm rendered for each case: template → manifest, or its error.
fn oracle() -> &'static BTreeMap<Case, Rendering> {
    static ORACLE: OnceLock<BTreeMap<Case, Rendering>> = OnceLock::new();
    ORACLE.get_or_init(|| {
        let charts = cases();
        let out = Command::new("python3")
            .arg(repo_root().join("tests/helm_render.py"))
            .args(charts.iter().map(case_arg))
            .output()
            .expect("run python3");
        assert!(
            out.status.success(),
            "helm_render.py: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        charts
            .iter()
            .map(|dir| {
                let entry = &json["charts"][case_arg(dir).as_str()];
                let result = match entry["ok"].as_bool() {
                    Some(true) => Ok(entry["manifests"]
                        .as_object()
                        .unwrap()
                        .iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                        .collect()),
                    _ => Err(entry["error"].as_str().unwrap_or("").to_string()),
                };
                (dir.clone(), result)
            })
            .collect()
    })
}

/// `apiVersion/kind/namespace/name`: what objects are compared by.
fn key(doc: &Value) -> String {
    let meta = &doc["metadata"];
    format!(
        "{}/{}/{}/{}",
        doc["apiVersion"].as_str().unwrap_or(""),
        doc["kind"].as_str().unwrap_or(""),
        meta["namespace"].as_str().unwrap_or(""),
        meta["name"].as_str().unwrap_or("")
    )
}

/// Values that differ on every render (random passwords, generated
/// certificates, checksums of them) replaced by their length.
fn mask(doc: &mut Value) {
    fn walk(v: &mut Value, random: bool) {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    let random = random || k.starts_with("checksum/");
                    walk(child, random);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, random)),
            Value::String(s) if random || s.contains("-----BEGIN") => {
                *v = Value::String(format!("<{} bytes>", s.len()))
            }
            _ => {}
        }
    }
    let secret = doc["kind"] == "Secret";
    if let Some(map) = doc.as_object_mut() {
        for (k, child) in map.iter_mut() {
            walk(child, secret && (k == "data" || k == "stringData"));
        }
    }
}

/// Helm's manifests as objects, read by the same YAML parser.
fn helm_objects(manifests: &BTreeMap<String, String>) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for text in manifests.values() {
        let Ok(docs) = container_policy::parse::parse_yaml(text) else {
            continue;
        };
        for doc in docs {
            let mut json = doc.node.to_json();
            if json.is_object() {
                mask(&mut json);
                out.insert(key(&json), json);
            }
        }
    }
    out
}

fn target(path: &Path) -> discover::Target {
    discover::Target {
        display: path.to_string_lossy().into_owned(),
        path: path.to_path_buf(),
        explicit: true,
        kind: None,
        skip: None,
    }
}

/// Settings that render the chart of `case` with its values file, as
/// `--values` does for a chart named on the command line.
fn options((chart, values): &Case) -> RunOptions {
    let mut options = RunOptions::default();
    if let Some(file) = values {
        options.sources.helm = helm::Options {
            charts: Vec::new(),
            command_line: Some(helm::ChartSettings {
                value_sets: vec![helm::ValueSet {
                    name: None,
                    files: vec![(file.clone(), file.display().to_string())],
                    set: Vec::new(),
                }],
                ..Default::default()
            }),
            named: vec![std::fs::canonicalize(chart).unwrap()],
        };
    }
    options
}

/// The objects policy renders for a case (CRDs of `crds/` left out, as
/// Helm's render leaves them), or its error.
fn rendered(case: &Case) -> Result<BTreeMap<String, Value>, String> {
    let mut docs = BTreeMap::new();
    let mut error = None;
    for read in check::rule_inputs(
        Input::File(target(&case.0.join("Chart.yaml"))),
        &options(case),
    ) {
        match read {
            Ok(inputs) => {
                for input in inputs {
                    let input = serde_json::to_value(&input).unwrap();
                    let mut doc = input["document"].clone();
                    mask(&mut doc);
                    docs.insert(key(&doc), doc);
                }
            }
            Err(outcome) => {
                let message = format!("{:?}", outcome.error.map(|e| e.message));
                // Dependencies not vendored: reported, the rest rendered.
                if !message.contains("helm dependency build") {
                    error = Some(message);
                }
            }
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(docs),
    }
}

fn without_crds(helm: &BTreeMap<String, Value>, ours: &mut BTreeMap<String, Value>) {
    ours.retain(|k, v| helm.contains_key(k) || v["kind"] != "CustomResourceDefinition");
}

/// Compares every case of `ci` (or not): `(identical, Helm renders,
/// both fail, Helm fails)` and a line per case.
fn compare(ci: bool, report: &mut Vec<String>) -> (usize, usize, usize, usize) {
    let (mut same, mut helm_renders, mut both_fail, mut helm_fails) = (0, 0, 0, 0);
    for (case, want) in oracle().iter().filter(|(c, _)| c.1.is_some() == ci) {
        let name = case_name(case);
        let got = rendered(case);
        let want = match want {
            Ok(manifests) => manifests,
            Err(e) => {
                helm_fails += 1;
                both_fail += usize::from(got.is_err());
                report.push(format!(
                    "{name}: Helm fails ({}); policy {}",
                    e.lines().next().unwrap_or(""),
                    if got.is_err() {
                        "fails too"
                    } else {
                        "renders it"
                    }
                ));
                continue;
            }
        };
        helm_renders += 1;
        let want = helm_objects(want);
        match got {
            Err(e) => report.push(format!("{name}: DIFFERENT: policy fails: {e}")),
            Ok(mut got) => {
                without_crds(&want, &mut got);
                if got == want {
                    same += 1;
                    report.push(format!("{name}: identical ({} objects)", want.len()));
                    continue;
                }
                let keys: BTreeSet<&String> = want.keys().chain(got.keys()).collect();
                let wrong: Vec<String> = keys
                    .into_iter()
                    .filter(|k| want.get(*k) != got.get(*k))
                    .take(3)
                    .map(|k| {
                        let w = want.get(k).map(Value::to_string).unwrap_or_default();
                        let g = got.get(k).map(Value::to_string).unwrap_or_default();
                        let at = w
                            .bytes()
                            .zip(g.bytes())
                            .position(|(a, b)| a != b)
                            .unwrap_or(w.len().min(g.len()));
                        let from = at.saturating_sub(60);
                        let cut = |s: &str| {
                            s.get(from..(at + 100).min(s.len()))
                                .unwrap_or("")
                                .to_string()
                        };
                        format!("  {k}\n    helm:   …{}\n    policy: …{}", cut(&w), cut(&g))
                    })
                    .collect();
                report.push(format!(
                    "{name}: DIFFERENT ({} vs {} objects)\n{}",
                    want.len(),
                    got.len(),
                    wrong.join("\n")
                ));
            }
        }
    }
    (same, helm_renders, both_fail, helm_fails)
}

#[test]
fn rendered_charts_match_helm_object_by_object() {
    if !require_or_skip("helm parity", missing()) {
        return;
    }
    let mut report = Vec::new();
    let (same, renders, both_fail, fails) = compare(false, &mut report);
    eprintln!("{}", report.join("\n"));
    eprintln!("helm parity: {same} of {renders} charts Helm renders are object-identical; {both_fail} of {fails} Helm fails on fail here too");
    assert_eq!(both_fail, fails, "a chart Helm fails on must fail here too");
    assert!(
        same >= MIN_IDENTICAL_DEFAULTS,
        "only {same} of {renders} charts identical (floor {MIN_IDENTICAL_DEFAULTS})"
    );
}

#[test]
fn charts_rendered_with_their_ci_values_match_helm() {
    if !require_or_skip("helm parity with ci values", missing()) {
        return;
    }
    let mut report = Vec::new();
    let (same, renders, both_fail, fails) = compare(true, &mut report);
    eprintln!("{}", report.join("\n"));
    eprintln!("helm parity (ci values): {same} of {renders} renderings are object-identical; {both_fail} of {fails} Helm fails on fail here too");
    assert_eq!(
        both_fail, fails,
        "a rendering Helm fails on must fail here too"
    );
    assert!(
        same >= MIN_IDENTICAL_CI,
        "only {same} of {renders} identical (floor {MIN_IDENTICAL_CI})"
    );
}

fn evaluator() -> &'static Evaluator {
    static EVALUATOR: OnceLock<Evaluator> = OnceLock::new();
    EVALUATOR.get_or_init(|| {
        PolicySet::builtin()
            .expect("built-in policies")
            .evaluator(&Selection::default())
            .expect("evaluator")
    })
}

/// `(rule, resource)` of every finding of the built-in rules on a unit;
/// every finding on a chart is inside the chart's files at a line ≥ 1.
fn findings_of(input: Input) -> BTreeSet<(String, String)> {
    let outcome = check::run(evaluator(), vec![input]);
    for f in outcome.findings() {
        assert!(f.line >= 1, "{} at line 0 of {}", f.rule, f.path);
    }
    outcome
        .findings()
        .map(|f| {
            let resource = f.resource.clone().unwrap_or_default();
            (f.rule.clone(), resource)
        })
        .collect()
}

#[test]
fn findings_on_charts_match_findings_on_helm_s_output() {
    if !require_or_skip("helm finding parity", missing()) {
        return;
    }
    let (mut same, mut compared) = (0, 0);
    let mut report = Vec::new();
    let scratch = tempfile::tempdir().unwrap();
    for ((dir, values), want) in oracle() {
        let Ok(manifests) = want else { continue };
        if values.is_some() {
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        compared += 1;
        let out = scratch.path().join(format!("{name}.yaml"));
        let text: Vec<&str> = manifests.values().map(String::as_str).collect();
        std::fs::write(&out, format!("---\n{}", text.join("\n---\n"))).unwrap();
        let want = findings_of(Input::File(target(&out)));
        let got = findings_of(Input::File(target(&dir.join("Chart.yaml"))));
        // CRDs are Helm's output too, but not of its render.
        let got: BTreeSet<_> = got
            .into_iter()
            .filter(|(_, r)| !r.starts_with("CustomResourceDefinition/"))
            .collect();
        if got == want {
            same += 1;
            continue;
        }
        let only_helm: Vec<_> = want.difference(&got).take(4).collect();
        let only_ours: Vec<_> = got.difference(&want).take(4).collect();
        report.push(format!(
            "{name}: only on Helm's output {only_helm:?}; only on the chart {only_ours:?}"
        ));
    }
    eprintln!("{}", report.join("\n"));
    eprintln!(
        "helm finding parity: {same} of {compared} charts give the same (rule, resource) findings"
    );
    assert!(
        same >= MIN_SAME_FINDINGS,
        "only {same} of {compared} charts agree (floor {MIN_SAME_FINDINGS})"
    );
}
