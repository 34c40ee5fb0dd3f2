//! The CI formats end to end: `sarif`, `github` and `junit` from the real
//! binary, next to the JSON report of the same run. Every SARIF log produced
//! here is validated against the official SARIF 2.1.0 schema
//! (`schemas/sarif-schema-2.1.0.json`).

mod common;
use common::{policy, repo_root, write};

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;
use std::sync::LazyLock;

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// `policy check ARGS --format FORMAT`: the exit code and standard output.
fn check(args: &[&str], format: &str, dir: &Path) -> (i32, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", format]);
    let out = policy(&all, dir);
    (out.status.code().expect("exit code"), stdout(&out))
}

fn json(args: &[&str], dir: &Path) -> Value {
    let (_, text) = check(args, "json", dir);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The SARIF log of a run, checked against the official schema.
fn sarif(args: &[&str], dir: &Path) -> (i32, Value) {
    let (code, text) = check(args, "sarif", dir);
    let log: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    assert_valid_sarif(&log);
    (code, log)
}

static SARIF_SCHEMA: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
    let text = std::fs::read_to_string(repo_root().join("schemas/sarif-schema-2.1.0.json"))
        .expect("the SARIF schema is in schemas/");
    let schema: Value = serde_json::from_str(&text).unwrap();
    // Draft-04, by its `$schema`; its references are all `#/definitions/…`
    // inside the file, so nothing is fetched.
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
});

fn assert_valid_sarif(log: &Value) {
    let errors: Vec<String> = SARIF_SCHEMA
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "not valid SARIF 2.1.0:\n{}\n{log:#}",
        errors.join("\n")
    );
    // Draft-04 does not check `format: uri-reference`; do it here.
    for uri in uris(log) {
        assert!(
            uri.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)),
            "not a URI reference: {uri:?}"
        );
    }
}

#[test]
fn the_sarif_schema_check_catches_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", "FROM alpine:3.20\n");
    let (_, mut log) = sarif(&["Dockerfile"], dir.path());
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert_eq!(SARIF_SCHEMA.iter_errors(&log).count(), 2);
}

/// Every string under a key named `uri` or ending in `Uri`.
fn uris(value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if k == "uri" || k.ends_with("Uri") => found.push(s.clone()),
                    _ => found.extend(uris(v)),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| found.extend(uris(v))),
        _ => {}
    }
    found
}

fn run(log: &Value) -> &Value {
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    &runs[0]
}

fn results(log: &Value) -> &Vec<Value> {
    run(log)["results"].as_array().unwrap()
}

fn descriptors(log: &Value) -> &Vec<Value> {
    run(log)["tool"]["driver"]["rules"].as_array().unwrap()
}

fn location(result: &Value) -> &Value {
    &result["locations"][0]["physicalLocation"]
}

fn level(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "warning" => "warning",
        "info" => "note",
        other => panic!("severity {other}"),
    }
}

/// Each result is the JSON report's finding of the same index, told in SARIF.
fn assert_results_match_findings(log: &Value, report: &Value) {
    let results = results(log);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    let rules = descriptors(log);
    for (r, f) in results.iter().zip(findings) {
        assert_eq!(r["ruleId"], f["rule"]);
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"], "ruleIndex of {r:#}");
        assert_eq!(r["level"], level(f["severity"].as_str().unwrap()));
        assert_eq!(r["message"]["text"], f["message"]);
        let region = &location(r)["region"];
        assert_eq!(
            [
                &region["startLine"],
                &region["startColumn"],
                &region["endLine"],
                &region["endColumn"]
            ],
            [&f["line"], &f["column"], &f["end_line"], &f["end_column"]],
            "{r:#}\n{f:#}"
        );
        assert_eq!(
            r["partialFingerprints"]["policyFingerprint/v2"], f["fingerprint"],
            "{r:#}"
        );
        if let Some(resource) = f.get("resource") {
            assert_eq!(r["locations"][0]["logicalLocations"][0]["name"], *resource);
        }
        assert_eq!(
            r.get("suppressions").is_some(),
            f.get("suppression").is_some(),
            "{r:#}"
        );
    }
    let ids: Vec<&str> = rules.iter().map(|d| d["id"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(
        ids.len(),
        unique.len(),
        "one descriptor per rule id: {ids:?}"
    );
}

#[test]
fn sarif_of_the_examples_tells_what_the_json_report_does() {
    let args = ["testdata/examples"];
    let (code, log) = sarif(&args, repo_root());
    assert_eq!(code, 1);
    assert_eq!(log["version"], "2.1.0");
    assert_results_match_findings(&log, &json(&args, repo_root()));

    let run = run(&log);
    assert_eq!(run["tool"]["driver"]["name"], "policy");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let first = location(&results(&log)[0]);
    assert_eq!(
        first["artifactLocation"]["uri"],
        "testdata/examples/api/Dockerfile"
    );
    assert_eq!(first["artifactLocation"]["uriBaseId"], "%SRCROOT%");

    // Every rule that ran has a descriptor, not only those that fired; a
    // built-in rule's help is its page under docs/rules/.
    let rules = descriptors(&log);
    let by_id: BTreeMap<&str, &Value> = rules
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d))
        .collect();
    assert!(
        by_id.contains_key("CP708"),
        "sudo-in-run ran but did not fire"
    );
    for d in rules {
        let id = d["id"].as_str().unwrap();
        let uri = d["helpUri"].as_str().unwrap();
        let page = format!("docs/rules/{id}.md");
        assert!(uri.ends_with(&format!("/blob/main/{page}")), "{uri}");
        assert!(repo_root().join(&page).is_file(), "{page}");
        for key in ["name", "shortDescription", "fullDescription", "help"] {
            assert!(d.get(key).is_some(), "{id} has no {key}");
        }
        assert!(d["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## How to fix"));
    }
    let cp101 = by_id["CP101"];
    assert_eq!(cp101["name"], "run-as-root");
    assert_eq!(cp101["shortDescription"]["text"], "Container runs as root");
    assert_eq!(cp101["defaultConfiguration"]["level"], "error");
    assert!(cp101["properties"]["tags"]
        .as_array()
        .unwrap()
        .contains(&"security".into()));
    assert_eq!(cp101["properties"]["security-severity"], "8.0");
    let hygiene = by_id["CP701"];
    assert_eq!(hygiene["defaultConfiguration"]["level"], "note");
    assert!(hygiene["properties"].get("security-severity").is_none());
}

#[test]
fn sarif_keeps_suppressed_findings_with_their_justification() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        "# policy:ignore CP101 -- vendor base image, fixed upstream\nFROM alpine:3.20\nCMD [\"./app\"]\n",
    );
    let (code, log) = sarif(&["Dockerfile"], dir.path());
    assert_eq!(code, 0, "the only error is suppressed");
    assert_results_match_findings(&log, &json(&["Dockerfile"], dir.path()));
    let suppressed: Vec<&Value> = results(&log)
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1, "{log:#}");
    assert_eq!(suppressed[0]["ruleId"], "CP101");
    let suppression = &suppressed[0]["suppressions"][0];
    assert_eq!(suppression["kind"], "inSource");
    assert_eq!(suppression["status"], "accepted");
    assert_eq!(
        suppression["justification"],
        "vendor base image, fixed upstream"
    );
    assert_eq!(
        suppression["location"]["physicalLocation"]["region"]["startLine"],
        1
    );

    // GitHub is not told about it; JUnit shows it as skipped.
    let (_, github) = check(&["Dockerfile"], "github", dir.path());
    assert!(!github.contains("CP101"), "{github}");
    let (_, junit) = check(&["Dockerfile"], "junit", dir.path());
    let xml = roxmltree::Document::parse(&junit).unwrap();
    let skipped = xml
        .descendants()
        .find(|n| n.has_tag_name("skipped"))
        .expect("a skipped test case");
    assert_eq!(
        skipped.attribute("message"),
        Some("suppressed: vendor base image, fixed upstream")
    );
    assert!(skipped
        .parent()
        .unwrap()
        .attribute("name")
        .unwrap()
        .starts_with("CP101 run-as-root"));
}

#[test]
fn sarif_reports_files_that_cannot_be_checked_as_notifications() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bad/compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n   ports: [80\n",
    );
    write(dir.path(), "good/Dockerfile", "FROM alpine:3.20\n");
    let (code, log) = sarif(&["."], dir.path());
    assert_eq!(code, 2);
    let report = json(&["."], dir.path());
    assert_results_match_findings(&log, &report);
    let invocation = &run(&log)["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notifications = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notifications.len(), 1, "{notifications:#?}");
    let n = &notifications[0];
    assert_eq!(n["level"], "error");
    assert!(n["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("could not check this file: "));
    let at = &n["locations"][0]["physicalLocation"];
    // `./bad/compose.yaml` as shown, a plain relative URI in SARIF.
    assert_eq!(at["artifactLocation"]["uri"], "bad/compose.yaml");
    assert_eq!(at["region"]["startLine"], report["errors"][0]["line"]);
    // The other file is still checked.
    assert!(results(&log)
        .iter()
        .any(|r| r["ruleId"] == "CP101"
            && location(r)["artifactLocation"]["uri"] == "good/Dockerfile"));
}

#[test]
fn sarif_describes_conftest_rules_one_by_one() {
    let args = [
        "--no-builtin",
        "--policy",
        "testdata/conftest/policy",
        "testdata/conftest/Dockerfile",
    ];
    let (_, log) = sarif(&args, repo_root());
    let report = json(&args, repo_root());
    assert_results_match_findings(&log, &report);
    let fired: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(fired.len() > 1, "{fired:?}");
    assert!(fired.contains("main.deny_run_as_root"), "{fired:?}");
    let described: BTreeSet<&str> = descriptors(&log)
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    // Every conftest rule that ran is described, also those that found
    // nothing here (the Kubernetes and compose rules of the same policy).
    assert!(described.is_superset(&fired), "{described:?} vs {fired:?}");
    assert!(
        described.contains("main.violation_resources"),
        "{described:?}"
    );
    let root = descriptors(&log)
        .iter()
        .find(|d| d["id"] == "main.deny_run_as_root")
        .unwrap();
    assert_eq!(root["name"], "deny_run_as_root");
    assert_eq!(root["defaultConfiguration"]["level"], "error");
    assert!(
        root.get("helpUri").is_none(),
        "no page documents a user rule"
    );
    assert!(root["help"]["text"]
        .as_str()
        .unwrap()
        .contains("package `main`"));
}

#[test]
fn sarif_uris_are_percent_encoded() {
    let dir = tempfile::tempdir().unwrap();
    let text = "FROM alpine:3.20\nUSER 10001\n";
    write(dir.path(), "my app, v2/Dockerfile", text);
    write(dir.path(), "ops:1/Dockerfile", text);
    write(dir.path(), "abs/Dockerfile", text);
    let absolute = dir.path().join("abs/Dockerfile");
    // Outside the directory the run starts in (the root here): a file URI.
    let elsewhere = tempfile::tempdir().unwrap();
    write(elsewhere.path(), "Dockerfile", text);
    let outside = elsewhere.path().join("Dockerfile");
    let args = [
        "my app, v2",
        "ops:1",
        absolute.to_str().unwrap(),
        outside.to_str().unwrap(),
    ];
    let (_, log) = sarif(&args, dir.path());
    assert_results_match_findings(&log, &json(&args, dir.path()));
    let uris: BTreeSet<String> = results(&log)
        .iter()
        .map(|r| {
            let a = &location(r)["artifactLocation"];
            format!("{} {}", a["uri"].as_str().unwrap(), a["uriBaseId"])
        })
        .collect();
    let expected: BTreeSet<String> = [
        "my%20app%2C%20v2/Dockerfile \"%SRCROOT%\"".to_string(),
        "ops%3A1/Dockerfile \"%SRCROOT%\"".to_string(),
        // Absolute, but inside the root: relative like the others.
        "abs/Dockerfile \"%SRCROOT%\"".to_string(),
        format!("file://{} null", outside.display()),
    ]
    .into();
    assert_eq!(uris, expected);
}

/// A tree whose annotations need GitHub's escaping: a message with `%` and a
/// line break (a team rule), a directory named with a comma and a colon, a
/// suppressed finding, a rule spanning several lines and a broken file.
fn team_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "rules/team_registry.rego",
        r#"package rules.team_registry

import rego.v1

metadata := {
	"id": "TEAM001", "name": "team-registry", "title": "Images come from the team registry",
	"severity": "error", "tags": ["supply-chain"], "kinds": ["dockerfile", "compose"],
	"why": "Only the team registry is scanned.", "fix": "Push the image to registry.example.com.",
}

deny contains {"msg": msg, "at": img.at} if {
	some img in input.images
	img.registry != "registry.example.com"
	msg := concat("", [img.ref, " is not from registry.example.com, where 100% of images are scanned\nsee the registry guide"])
}
"#,
    );
    write(
        dir.path(),
        "rules/owner_label.rego",
        r#"package rules.owner_label

import rego.v1

metadata := {
	"id": "TEAM002", "name": "owner-label", "title": "Services name an owner",
	"severity": "warning", "tags": ["hygiene"], "kinds": ["compose"],
	"why": "An alert needs someone to go to.", "fix": "Add an `owner` label.",
}

deny contains {"msg": "no `owner` label, so nobody is paged", "at": w.at.self} if {
	some w in input.workloads
	not w.labels.owner
}
"#,
    );
    write(dir.path(), "svc,a:b/Dockerfile", "FROM alpine:3.20\n");
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    user: \"10001\"\n",
    );
    write(
        dir.path(),
        "legacy/Dockerfile",
        "# policy:ignore TEAM001 -- vendor image, replaced in Q3\nFROM vendor/app:1.2\n",
    );
    write(
        dir.path(),
        "broken.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: [\n",
    );
    dir
}

const TEAM: &[&str] = &["--no-builtin", "--policy", "rules", "."];

#[test]
fn github_annotations_are_escaped_as_the_toolkit_does() {
    let dir = team_tree();
    let (code, out) = check(TEAM, "github", dir.path());
    assert_eq!(code, 2);
    insta::assert_snapshot!("github_team", out);
    let (_, log) = sarif(TEAM, dir.path());
    assert_results_match_findings(&log, &json(TEAM, dir.path()));
}

#[test]
fn junit_is_well_formed_whatever_the_messages_hold() {
    let dir = team_tree();
    let (_, out) = check(TEAM, "junit", dir.path());
    let xml = roxmltree::Document::parse(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let root = xml.root_element();
    assert_eq!(
        counts(root),
        [("tests", 5), ("failures", 3), ("errors", 1), ("skipped", 1)].into()
    );
    let failure = xml
        .descendants()
        .find(|n| n.has_tag_name("failure") && n.attribute("type") == Some("TEAM001"))
        .unwrap();
    assert!(
        failure
            .attribute("message")
            .unwrap()
            .contains("100% of images are scanned\nsee"),
        "a line break survives in an attribute"
    );
    let error = xml.descendants().find(|n| n.has_tag_name("error")).unwrap();
    assert!(error.text().unwrap().starts_with("broken.yaml:4:"));
}

/// A `<testsuites>` or `<testsuite>` element's counts.
fn counts(node: roxmltree::Node) -> BTreeMap<&'static str, usize> {
    ["tests", "failures", "errors", "skipped"]
        .into_iter()
        .map(|k| (k, node.attribute(k).unwrap().parse().unwrap()))
        .collect()
}

/// The counts a suite's test cases add up to.
fn counted(suite: roxmltree::Node) -> BTreeMap<&'static str, usize> {
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let with = |tag: &str| {
        cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name(tag)))
            .count()
    };
    [
        ("tests", cases.len()),
        ("failures", with("failure")),
        ("errors", with("error")),
        ("skipped", with("skipped")),
    ]
    .into()
}

#[test]
fn junit_of_the_examples_has_a_suite_per_file_and_a_case_per_rule_and_resource() {
    let args = ["testdata/examples"];
    let (code, out) = check(&args, "junit", repo_root());
    assert_eq!(code, 1);
    let xml = roxmltree::Document::parse(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let report = json(&args, repo_root());
    let findings = report["findings"].as_array().unwrap();
    let root = xml.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<&str> = suites
        .iter()
        .map(|s| s.attribute("name").unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "testdata/examples/api/Dockerfile",
            "testdata/examples/api/compose.yaml",
            "testdata/examples/k8s/api.yaml",
            "testdata/examples/k8s/worker.yaml",
        ]
    );
    let mut total = BTreeMap::new();
    for suite in &suites {
        let path = suite.attribute("name").unwrap();
        assert_eq!(counts(*suite), counted(*suite), "{path}");
        for (k, v) in counts(*suite) {
            *total.entry(k).or_insert(0) += v;
        }
        // One failing case per rule and resource, listing each finding.
        let groups: BTreeMap<(&str, Option<&str>), usize> = findings
            .iter()
            .filter(|f| f["path"] == path)
            .fold(BTreeMap::new(), |mut m, f| {
                let key = (f["rule"].as_str().unwrap(), f["resource"].as_str());
                *m.entry(key).or_insert(0) += 1;
                m
            });
        let failures: Vec<_> = suite
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .collect();
        assert_eq!(failures.len(), groups.len(), "{path}");
        for failure in failures {
            let case = failure.parent().unwrap();
            let rule = failure.attribute("type").unwrap();
            assert!(case.attribute("name").unwrap().starts_with(rule));
            assert_eq!(case.attribute("classname"), Some(path));
            let lines = failure.text().unwrap().lines().count();
            let listed: usize = groups
                .iter()
                .filter(|((r, resource), _)| {
                    *r == rule
                        && resource.is_none_or(|res| {
                            case.attribute("name")
                                .unwrap()
                                .ends_with(&format!(": {res}"))
                        })
                })
                .map(|(_, n)| n)
                .sum();
            assert_eq!(lines, listed, "{}", case.attribute("name").unwrap());
            assert!(failure.text().unwrap().starts_with(&format!("{path}:")));
        }
    }
    assert_eq!(counts(root), total);
    // The hardened Deployment passes every Kubernetes rule that ran.
    let clean = suites[2];
    assert_eq!(counts(clean)["failures"], 0);
    assert!(
        counts(clean)["tests"] > 10,
        "passing cases: {:?}",
        counts(clean)
    );
    assert!(clean
        .children()
        .any(|c| c.attribute("name") == Some("CP101 run-as-root")));
}

#[test]
fn several_formats_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", "FROM alpine:3.20\n");
    let out = policy(
        &[
            "check",
            "Dockerfile",
            "--format",
            "sarif=out.sarif",
            "--format",
            "junit=out.xml",
            "--format",
            "human",
            "--color",
            "never",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let human = stdout(&out);
    assert!(human.contains("CP101/run-as-root"), "{human}");
    assert!(human.contains("in 1 file"), "{human}");
    let log: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.sarif")).unwrap())
            .unwrap();
    assert_valid_sarif(&log);
    assert!(results(&log).iter().any(|r| r["ruleId"] == "CP101"));
    let xml = std::fs::read_to_string(dir.path().join("out.xml")).unwrap();
    roxmltree::Document::parse(&xml).unwrap();
}
