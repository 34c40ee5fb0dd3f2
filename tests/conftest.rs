//! conftest compatibility, end to end: the real binary runs the conftest-style
//! policies of `testdata/conftest/policy` (written as conftest's documentation
//! writes them) over the inputs next to them.
//!
//! Expected findings are written by hand from conftest's documented behaviour
//! (conftest.dev: rules `deny`/`violation`/`warn` with optional `_suffix` in
//! namespace `main` unless `--namespace`/`--all-namespaces`; `exception`
//! exempts `deny_<name>`/`violation_<name>` and is tallied separately; a
//! Dockerfile's input is the array of `{Cmd, SubCmd, JSON, Flags, Value,
//! Stage}` commands) and from conftest's `policy/engine.go` (exceptions are
//! queried per rule as `data.<ns>.exception[_][_] == <rule without prefix>`,
//! so one exception entry exempts every rule of the namespace with that
//! name, whether or not the rule fired). Lines are the ones this tool adds.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const POLICY: &str = "testdata/conftest/policy";
const DOCKERFILE: &str = "testdata/conftest/Dockerfile";
const COMPOSE: &str = "testdata/conftest/compose.yaml";
const DEPLOYMENT: &str = "testdata/conftest/deployment.yaml";

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn policy(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policy"))
        .args(args)
        .current_dir(repo_root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run policy")
}

/// `policy check --no-builtin --policy <policy> <args> --format json`: the exit code and report.
fn check(policy_dir: &str, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--no-builtin", "--policy", policy_dir];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = policy(&all);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
    assert_valid(&report, "schemas/report.schema.json");
    (out.status.code().unwrap(), report)
}

fn assert_valid(value: &Value, schema: &str) {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(repo_root().join(schema)).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not valid:\n{}", errors.join("\n"));
}

/// (file name, rule, severity, line, message), in report order.
type Row = (String, String, String, u64, String);

fn rows(report: &Value) -> Vec<Row> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn expect(rows: &[(&str, &str, &str, u64, &str)]) -> Vec<Row> {
    rows.iter()
        .map(|(f, r, s, l, m)| {
            (
                f.to_string(),
                r.to_string(),
                s.to_string(),
                *l,
                m.to_string(),
            )
        })
        .collect()
}

const EXEMPTED: &str = r#"exempted by an exception (data.main.exception[_][_] == "run_as_root")"#;

/// What namespace `main` reports for `deployment.yaml`.
fn main_deployment_rows() -> Vec<(&'static str, &'static str, &'static str, u64, &'static str)> {
    vec![
        // `_loc` names the container (the list item starts at `- name: web`);
        // the message uses data.conftest.file.name.
        (
            "deployment.yaml",
            "main.violation_run_as_root",
            "error",
            11,
            "deployment.yaml: container web must set securityContext.runAsNonRoot",
        ),
        // No `_loc`: the longest scalar in the message, `example/web:2.1`.
        (
            "deployment.yaml",
            "main.violation_resources",
            "error",
            12,
            "container web has no resources.limits (image example/web:2.1)",
        ),
        // Second document (node-agent, labelled allow-root): the exception
        // lists `run_as_root`, which exempts both rules of `main` with that
        // name. deny_run_as_root (a Dockerfile rule) had no result: the
        // document's first line; violation_run_as_root's dropped result was
        // at its `_loc`, the `agent` container.
        (
            "deployment.yaml",
            "main.deny_run_as_root",
            "info",
            16,
            EXEMPTED,
        ),
        (
            "deployment.yaml",
            "main.violation_run_as_root",
            "info",
            26,
            EXEMPTED,
        ),
    ]
}

#[test]
fn default_namespace_is_main_with_real_lines() {
    let (code, report) = check(POLICY, &[DOCKERFILE, COMPOSE, DEPLOYMENT]);
    assert_eq!(code, 1, "deny and violation results fail the run");
    let mut want = expect(&[
        // Dockerfile, Rego v0 rules over the command array.
        // No result names anything: the first instruction (line 1 is a comment).
        (
            "Dockerfile",
            "main.warn_no_healthcheck",
            "warning",
            2,
            "no HEALTHCHECK: the orchestrator cannot tell a hung container from a working one",
        ),
        // `_loc: i`, the index of `COPY . .` in the input (0 is the comment).
        (
            "Dockerfile",
            "main.warn_copy_all",
            "warning",
            4,
            "the whole build context is copied; copy only what the build needs",
        ),
        // The Value item `alpine:latest` occurs in the message.
        (
            "Dockerfile",
            "main.deny",
            "error",
            7,
            "alpine:latest: use a pinned version instead of latest",
        ),
        // The instruction's Original `USER root` occurs in the message.
        (
            "Dockerfile",
            "main.deny_run_as_root",
            "error",
            9,
            "USER root: the image must not run as root",
        ),
        // compose, Rego v1: the scalar `nginx:latest`; then no scalar but the key `privileged`.
        (
            "compose.yaml",
            "main.warn_latest",
            "warning",
            3,
            "service web uses nginx:latest; pin a version",
        ),
        (
            "compose.yaml",
            "main.deny",
            "error",
            8,
            "service worker runs privileged",
        ),
    ]);
    want.extend(expect(&main_deployment_rows()));
    assert_eq!(rows(&report), want);

    let findings = report["findings"].as_array().unwrap();
    for f in findings {
        assert!(f["line"].as_u64().unwrap() >= 1 && f["column"].as_u64().unwrap() >= 1);
        let tags: Vec<&str> = f["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        let exempted = f["message"] == EXEMPTED;
        assert_eq!(tags.contains(&"exception"), exempted, "{f}");
        assert!(tags.contains(&"conftest"));
    }
    // Columns too: the Value item itself, not the whole instruction.
    let latest = findings.iter().find(|f| f["rule"] == "main.deny").unwrap();
    assert_eq!(
        (latest["column"].as_u64(), latest["end_column"].as_u64()),
        (Some(6), Some(19))
    );
    // The rule's own name next to the namespaced id.
    assert_eq!(latest["name"], "deny");
    // Keys of a result object other than `msg` are kept as metadata.
    let limits = findings
        .iter()
        .find(|f| f["rule"] == "main.violation_resources")
        .unwrap();
    assert_eq!(
        limits["metadata"],
        serde_json::json!({"details": {"container": "web", "missing": "resources.limits"}})
    );
    assert!(latest.get("metadata").is_none());
    assert_eq!(report["summary"]["error"], 5);
    assert_eq!(report["summary"]["warning"], 3);
    assert_eq!(report["summary"]["info"], 2);
}

#[test]
fn namespace_glob_selects_other_packages_only() {
    let (code, report) = check(POLICY, &["--namespace", "kubernetes.*", DEPLOYMENT]);
    assert_eq!(code, 1);
    assert_eq!(
        rows(&report),
        expect(&[
            // No scalar of the message in the document: the key `hostNetwork`.
            (
                "deployment.yaml",
                "kubernetes.security.warn_host_network",
                "warning",
                9,
                "hostNetwork: true shares the node's network namespace"
            ),
            // `_loc` as a dotted string.
            (
                "deployment.yaml",
                "kubernetes.security.deny_privileged",
                "error",
                14,
                "container web is privileged"
            ),
        ])
    );
    // The `exception` of `main` does not apply to another namespace, and a
    // pattern is not a prefix: `kubernetes` alone selects nothing here.
    let (code, report) = check(POLICY, &["--namespace", "kubernetes", DEPLOYMENT]);
    assert_eq!((code, rows(&report)), (0, vec![]));
}

#[test]
fn all_namespaces_runs_every_user_package() {
    let (code, report) = check(POLICY, &["--all-namespaces", DEPLOYMENT]);
    assert_eq!(code, 1);
    let mut want = expect(&main_deployment_rows());
    want.extend(expect(&[
        (
            "deployment.yaml",
            "kubernetes.security.warn_host_network",
            "warning",
            9,
            "hostNetwork: true shares the node's network namespace",
        ),
        (
            "deployment.yaml",
            "kubernetes.security.deny_privileged",
            "error",
            14,
            "container web is privileged",
        ),
    ]));
    want.sort_by_key(|r| r.3);
    assert_eq!(rows(&report), want);
}

#[test]
fn exceptions_are_counted_and_never_fail() {
    // Only the exempted document: its one violation is dropped, the two
    // exemptions are reported as info, and the run passes.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo_root().join(DEPLOYMENT)).unwrap();
    let agent = text.split("---\n").nth(1).unwrap();
    let file = dir.path().join("agent.yaml");
    std::fs::write(&file, agent).unwrap();
    let (code, report) = check(POLICY, &[file.to_str().unwrap()]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        rows(&report),
        expect(&[
            ("agent.yaml", "main.deny_run_as_root", "info", 1, EXEMPTED),
            (
                "agent.yaml",
                "main.violation_run_as_root",
                "info",
                11,
                EXEMPTED
            ),
        ])
    );
    assert_eq!(report["summary"]["error"], 0);
    assert_eq!(report["summary"]["exceptions"], 2);
}

#[test]
fn warnings_alone_exit_0() {
    let (code, report) = check(POLICY, &["testdata/conftest/warn-only/compose.yaml"]);
    assert_eq!(code, 0);
    assert_eq!(
        rows(&report),
        expect(&[(
            "compose.yaml",
            "main.warn_latest",
            "warning",
            3,
            "service cache uses redis:latest; pin a version"
        )])
    );
    let (code, _) = check(
        POLICY,
        &[
            "--fail-on",
            "warning",
            "testdata/conftest/warn-only/compose.yaml",
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn dockerfile_input_and_file_info_as_conftest_gives_them() {
    let (_, report) = check(
        "testdata/conftest/dump",
        &["--namespace", "dump", DOCKERFILE],
    );
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    let dir = repo_root().join("testdata/conftest");
    let file = format!("file Dockerfile in {}", dir.display());
    assert!(messages.contains(&file.as_str()), "{messages:?}");
    let input: Value = messages
        .iter()
        .find(|m| m.starts_with('['))
        .map(|m| serde_json::from_str(m).unwrap())
        .expect("the input echoed");
    assert_valid(&input, "schemas/conftest-dockerfile-input.schema.json");
    let cmd = |c: &str, sub: &str, json: bool, flags: &[&str], value: &[&str], stage: u64| {
        serde_json::json!({"Cmd": c, "SubCmd": sub, "JSON": json, "Flags": flags,
                           "Value": value, "Stage": stage})
    };
    let mut comment = cmd(
        "comment",
        "",
        false,
        &[],
        &["syntax=docker/dockerfile:1"],
        0,
    );
    comment["Flags"] = Value::Null;
    assert_eq!(
        input,
        serde_json::json!([
            comment,
            cmd("from", "", false, &[], &["golang:1.22", "AS", "build"], 0),
            cmd("workdir", "", false, &[], &["/src"], 0),
            cmd("copy", "", false, &[], &[".", "."], 0),
            cmd(
                "run",
                "",
                false,
                &[],
                &["go build -o /out/app ./cmd/app"],
                0
            ),
            cmd("from", "", false, &[], &["alpine:latest"], 1),
            cmd(
                "copy",
                "",
                false,
                &["--from=build"],
                &["/out/app", "/usr/local/bin/app"],
                1
            ),
            cmd("user", "", false, &[], &["root"], 1),
            cmd("entrypoint", "", true, &[], &["/usr/local/bin/app"], 1),
        ])
    );
}

#[test]
fn yaml_input_is_the_document_itself() {
    let (_, report) = check("testdata/conftest/dump", &["--namespace", "dump", COMPOSE]);
    let input: Value = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| serde_json::from_str(f["message"].as_str().unwrap()).ok())
        .next()
        .expect("the input echoed");
    assert_eq!(
        input,
        serde_json::json!({"services": {
            "web": {"image": "nginx:latest", "ports": ["8080:80"]},
            "worker": {"image": "example/worker:1.4", "privileged": true},
        }})
    );
}
