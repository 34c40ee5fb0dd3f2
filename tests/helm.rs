//! Helm charts end to end: rendered natively, findings at the template line
//! with the values line that set the value, value sets from the config and
//! the command line, errors at the template line, charts found by walking
//! and packaged charts read in place. The chart is `testdata/helm/app`.

mod common;

use common::{json, policy, repo_root, stderr, stdout, write};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn app() -> PathBuf {
    repo_root().join("testdata/helm/app")
}

/// A copy of the test chart at `dir/rel`, in a repository of its own.
fn copy_app(dir: &Path, rel: &str) -> PathBuf {
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    let to = dir.join(rel);
    common::copy_tree(&app(), &to);
    to
}

fn findings(report: &Value) -> Vec<&Value> {
    report["findings"].as_array().unwrap().iter().collect()
}

fn rule<'a>(report: &'a Value, id: &str) -> Vec<&'a Value> {
    findings(report)
        .into_iter()
        .filter(|f| f["rule"] == id && f["suppression"].is_null())
        .collect()
}

#[test]
fn a_values_driven_root_container_names_the_template_and_the_values_line() {
    let out = policy(&["check", "--format", "json", "."], &app());
    let report = json(&out);
    let root = rule(&report, "CP101");
    assert_eq!(root.len(), 1, "{}", stdout(&out));
    let f = root[0];
    // `{{- toYaml .Values.securityContext | nindent 12 }}` on line 21;
    // `runAsUser: 0` on line 9 of values.yaml.
    // JSON paths are relative to the repository's root.
    assert_eq!(f["path"], "testdata/helm/app/templates/deployment.yaml");
    assert_eq!(f["line"], 21);
    assert_eq!(f["related"][0]["path"], "testdata/helm/app/values.yaml");
    assert_eq!(f["related"][0]["line"], 9);
    assert_eq!(f["related"][0]["message"], "value set here");
    // A literal in the template maps byte for byte; its value from values.yaml.
    let port = rule(&report, "CP121");
    assert_eq!(port[0]["line"], 25);
    assert_eq!(port[0]["column"], 15);
    assert_eq!(port[0]["related"][0]["line"], 15);
    // No template is judged as raw YAML, and nothing is broken.
    assert!(
        report["errors"].as_array().is_none_or(|e| e.is_empty()),
        "{report}"
    );
    assert!(findings(&report).iter().all(|f| f["path"]
        .as_str()
        .unwrap()
        .starts_with("testdata/helm/app/templates/")));
    // SARIF carries the values line as a related location.
    let sarif = json(&policy(&["check", "--format", "sarif", "."], &app()));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let cp101 = results.iter().find(|r| r["ruleId"] == "CP101").unwrap();
    let related = &cp101["relatedLocations"][0]["physicalLocation"];
    assert_eq!(
        related["artifactLocation"]["uri"],
        "testdata/helm/app/values.yaml"
    );
    assert_eq!(related["region"]["startLine"], 9);
}

#[test]
fn a_prod_values_file_changes_the_findings() {
    let defaults = json(&policy(&["check", "--format", "json", "."], &app()));
    let prod = json(&policy(
        &[
            "check",
            "--format",
            "json",
            "--values",
            "values-prod.yaml",
            ".",
        ],
        &app(),
    ));
    for id in ["CP101", "CP103", "CP301", "CP302"] {
        assert_eq!(rule(&defaults, id).len(), 1, "{id} with the defaults");
        assert!(rule(&prod, id).is_empty(), "{id} with values-prod.yaml");
    }
    // --set goes over the files.
    let set = json(&policy(
        &[
            "check",
            "--format",
            "json",
            "--values",
            "values-prod.yaml",
            "--set",
            "securityContext.runAsUser=0",
            ".",
        ],
        &app(),
    ));
    assert_eq!(rule(&set, "CP101").len(), 1);
}

#[test]
fn value_sets_of_the_config_are_checked_in_one_run_as_separate_resources() {
    let dir = tempfile::tempdir().unwrap();
    copy_app(dir.path(), "deploy/app");
    write(
        dir.path(),
        ".policy.yaml",
        "helm:\n  charts:\n    - chart: deploy/app\n      release-name: shop\n      value-sets:\n        - name: defaults\n        - values: [deploy/app/values-prod.yaml]\n",
    );
    let report = json(&policy(&["check", "--format", "json", "."], dir.path()));
    let mut resources: Vec<&str> = rule(&report, "CP114")
        .iter()
        .map(|f| f["resource"].as_str().unwrap())
        .collect();
    resources.sort();
    assert_eq!(
        resources,
        [
            "Deployment/shop-app [defaults]",
            "Deployment/shop-app [values-prod.yaml]"
        ]
    );
    let root: Vec<&str> = rule(&report, "CP101")
        .iter()
        .map(|f| f["resource"].as_str().unwrap())
        .collect();
    assert_eq!(root, ["Deployment/shop-app container app [defaults]"]);
}

#[test]
fn config_values_files_stay_inside_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    copy_app(dir.path(), "app");
    write(
        dir.path(),
        ".policy.yaml",
        "helm:\n  charts:\n    - chart: app\n      values: [../../etc/passwd]\n",
    );
    let out = policy(&["check", "."], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("leads out of its directory"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_required_value_is_an_error_at_the_template_line() {
    let dir = tempfile::tempdir().unwrap();
    let chart = copy_app(dir.path(), "app");
    write(
        &chart,
        "templates/secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: {{ required \"dbPassword is required\" .Values.dbPassword }}\n",
    );
    let out = policy(&["check", "--format", "json", "."], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let report = json(&out);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(errors[0]["path"], "app/templates/secret.yaml");
    assert_eq!(errors[0]["line"], 6);
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("dbPassword is required"), "{message}");
    assert!(
        message.contains("execution error at (app/templates/secret.yaml:6"),
        "{message}"
    );
    // The chart's value set with the password renders and is checked.
    let out = policy(
        &["check", "--format", "json", "--set", "dbPassword=x", "app"],
        dir.path(),
    );
    assert!(json(&out)["errors"].as_array().is_none_or(|e| e.is_empty()));
}

#[test]
fn a_chart_nested_in_a_repository_is_found_by_walking() {
    let dir = tempfile::tempdir().unwrap();
    copy_app(dir.path(), "deploy/charts-src/app");
    write(
        dir.path(),
        "k8s/plain.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n",
    );
    let out = policy(&["check", "--format", "json", "."], dir.path());
    let report = json(&out);
    assert!(
        report["errors"].as_array().is_none_or(|e| e.is_empty()),
        "templates must not be parsed as YAML: {report}"
    );
    let paths: std::collections::BTreeSet<&str> = findings(&report)
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains("deploy/charts-src/app/templates/deployment.yaml"),
        "{paths:?}"
    );
    assert!(paths.contains("k8s/plain.yaml"), "{paths:?}");
    // values-prod.yaml is listed as skipped, with why.
    let skipped = report["skipped"].as_array().unwrap();
    assert!(skipped.iter().any(|s| s["path"]
        .as_str()
        .unwrap()
        .ends_with("app/values-prod.yaml")
        && s["reason"].as_str().unwrap().contains("helm template")));
}

#[test]
fn a_template_named_alone_is_checked_through_its_chart() {
    let out = policy(
        &["check", "--format", "json", "templates/deployment.yaml"],
        &app(),
    );
    let report = json(&out);
    assert!(
        report["errors"].as_array().is_none_or(|e| e.is_empty()),
        "{report}"
    );
    assert_eq!(rule(&report, "CP101").len(), 1);
}

#[test]
fn a_packaged_chart_is_read_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("app-0.1.0.tgz");
    let status = std::process::Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(repo_root().join("testdata/helm"))
        .arg("app")
        .status()
        .expect("tar");
    assert!(status.success());
    let out = policy(&["check", "--format", "json", "app-0.1.0.tgz"], dir.path());
    let report = json(&out);
    let root = rule(&report, "CP101");
    assert_eq!(root.len(), 1, "{report}");
    assert_eq!(root[0]["path"], "app-0.1.0.tgz/templates/deployment.yaml");
    assert_eq!(root[0]["line"], 21);
    assert_eq!(root[0]["related"][0]["path"], "app-0.1.0.tgz/values.yaml");
}

#[test]
fn a_dependency_that_is_not_vendored_names_helm_dependency_build() {
    let dir = tempfile::tempdir().unwrap();
    let chart = copy_app(dir.path(), "app");
    let meta = std::fs::read_to_string(chart.join("Chart.yaml")).unwrap();
    write(
        &chart,
        "Chart.yaml",
        &format!("{meta}dependencies:\n  - name: redis\n    version: 1.0.0\n    repository: https://charts.example.com\n"),
    );
    let out = policy(&["check", "--format", "json", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out);
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("helm dependency build"), "{message}");
    assert!(message.contains("redis"), "{message}");
    assert_eq!(report["errors"][0]["line"], 8);
    // The rest of the chart is still checked.
    assert_eq!(rule(&report, "CP101").len(), 1);
}

/// A kustomization's `helmCharts` entry: the vendored chart inflated with
/// `valuesInline` and `additionalValuesFiles`, then transformed (the
/// namespace); the chart's files judged only through it.
#[test]
fn a_kustomization_inflates_its_vendored_chart() {
    let dir = repo_root().join("testdata/helm/kustomized");
    let out = policy(&["check", "--format", "json", "--no-config", "."], &dir);
    let report = json(&out);
    assert!(
        report["errors"].as_array().is_none_or(|e| e.is_empty()),
        "{report}"
    );
    assert_eq!(report["summary"]["files"], 1, "{report}");
    // `valuesInline` runs the pod as 10001: no root finding.
    assert!(rule(&report, "CP101").is_empty(), "{report}");
    // `additionalValuesFiles` sets the `latest` tag, at the template line.
    let latest = rule(&report, "CP202");
    assert_eq!(latest.len(), 1, "{report}");
    assert!(latest[0]["path"]
        .as_str()
        .unwrap()
        .ends_with("kustomized/charts/web/templates/deployment.yaml"));
    let inspected = policy(&["inspect", "kustomization.yaml"], &dir);
    let inputs = json(&inspected);
    let namespaces: Vec<&str> = inputs
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["document"]["metadata"]["namespace"].as_str().unwrap())
        .collect();
    assert_eq!(namespaces, ["shop", "shop"]);
}

#[test]
fn a_chart_that_is_not_vendored_is_an_error_naming_where_it_goes() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "kustomization.yaml",
        "helmCharts:\n  - name: minecraft\n    repo: https://itzg.github.io/minecraft-server-charts\n    version: 3.1.3\n",
    );
    let out = policy(
        &["check", "--format", "json", "--no-config", "."],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let report = json(&out);
    let error = &report["errors"][0];
    assert_eq!(error["line"], 2, "{report}");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("policy fetches nothing"), "{message}");
    assert!(message.contains("charts/minecraft"), "{message}");
}
