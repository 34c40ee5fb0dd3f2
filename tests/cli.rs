//! End-to-end tests: the real binary on real files in temporary trees.

mod common;
use common::{policy, repo_root, write};

use serde_json::Value;
use std::process::{Command, Output, Stdio};

fn json_report(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// (rule, path suffix, line) triples of a JSON report.
fn locations(report: &Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Every violation of a JSON Schema, with where it is.
fn schema_errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn assert_valid_report(report: &Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors = schema_errors(&validator, report);
    assert!(
        errors.is_empty(),
        "report does not match schemas/report.schema.json:\n{}",
        errors.join("\n")
    );
}

#[test]
fn examples_report_exact_locations_and_exit_1() {
    let out = policy(
        &["check", "testdata/examples", "--format", "json"],
        repo_root(),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_report(&out);
    assert_valid_report(&report);
    let found = locations(&report);
    for (rule, file, line) in [
        ("CP101", "api/Dockerfile", 11),   // final stage FROM, no USER
        ("CP501", "api/Dockerfile", 14),   // ENV API_TOKEN=...
        ("CP503", "api/Dockerfile", 16),   // COPY deploy/id_rsa
        ("CP704", "api/Dockerfile", 13),   // curl | sh
        ("CP701", "api/Dockerfile", 12),   // apt-get install without --no-install-recommends
        ("CP501", "api/compose.yaml", 18), // POSTGRES_PASSWORD: example
        ("CP201", "api/compose.yaml", 15), // image: postgres
        ("CP202", "api/compose.yaml", 23), // :latest
        ("CP102", "api/compose.yaml", 24), // privileged: true
        ("CP107", "api/compose.yaml", 26), // docker.sock
        ("CP106", "k8s/worker.yaml", 13),  // hostNetwork: true
        ("CP105", "k8s/worker.yaml", 20),  // add: ["SYS_ADMIN"]
        ("CP502", "k8s/worker.yaml", 23),  // ghp_ token
        ("CP504", "k8s/worker.yaml", 32),  // Secret stringData
    ] {
        assert!(
            found
                .iter()
                .any(|(r, p, l)| r == rule && p.ends_with(file) && *l == line),
            "expected {rule} at {file}:{line}; got {found:#?}"
        );
    }
    // The hardened Deployment is clean apart from nothing: no finding on api.yaml.
    assert!(
        !found.iter().any(|(_, p, _)| p.ends_with("k8s/api.yaml")),
        "{found:#?}"
    );
    assert_eq!(report["summary"]["errors"], 0);
}

#[test]
fn secrets_are_never_printed_in_any_format() {
    for format in ["human", "json", "sarif", "github", "junit"] {
        let out = policy(
            &["check", "testdata/examples", "--format", format],
            repo_root(),
        );
        let text = String::from_utf8_lossy(&out.stdout);
        for secret in [
            "s3cr3t-t0ken-value",
            "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
            "correct-horse-battery-staple",
        ] {
            assert!(
                !text.contains(secret),
                "{format} output prints a secret:\n{text}"
            );
        }
        assert!(text.contains("CP501"), "{format}: {text}");
    }
}

#[test]
fn malformed_file_is_reported_with_its_line_and_the_others_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bad/compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n   ports: [80\n",
    );
    write(
        dir.path(),
        "good/Dockerfile",
        "FROM alpine:3.20\nRUN echo hi\n",
    );
    write(
        dir.path(),
        "broken/Dockerfile",
        "FROM alpine:3.20\nENV ONLYKEY\n",
    );
    let out = policy(&["check", ".", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let report = json_report(&out);
    assert_valid_report(&report);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    let by_path = |suffix: &str| {
        errors
            .iter()
            .find(|e| e["path"].as_str().unwrap().ends_with(suffix))
            .unwrap()
    };
    assert!(by_path("bad/compose.yaml")["line"].as_u64().unwrap() >= 3);
    assert_eq!(by_path("broken/Dockerfile")["line"], 2);
    // The good Dockerfile is still checked: no USER, so CP101 at its FROM.
    assert!(locations(&report)
        .iter()
        .any(|(r, p, l)| r == "CP101" && p.ends_with("good/Dockerfile") && *l == 1));
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    // Only a warning-level finding: a healthcheck is missing.
    write(dir.path(), "Dockerfile", "FROM alpine:3.20\nUSER 10001\n");
    assert_eq!(
        policy(&["check", "Dockerfile"], dir.path()).status.code(),
        Some(0)
    );
    assert_eq!(
        policy(&["check", "--fail-on", "warning", "Dockerfile"], dir.path())
            .status
            .code(),
        Some(1)
    );
    // The last of repeated flags wins, as with most CLIs.
    assert_eq!(
        policy(
            &[
                "check",
                "--fail-on",
                "warning",
                "--fail-on",
                "never",
                "Dockerfile"
            ],
            dir.path()
        )
        .status
        .code(),
        Some(0)
    );
    write(
        dir.path(),
        "root/Dockerfile",
        "FROM alpine:3.20\nUSER root\n",
    );
    assert_eq!(
        policy(&["check", "root/Dockerfile"], dir.path())
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        policy(
            &["check", "--fail-on", "never", "root/Dockerfile"],
            dir.path()
        )
        .status
        .code(),
        Some(0)
    );
    // Usage errors exit 2.
    assert_eq!(
        policy(&["check", "--enable", "no-such-rule"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        policy(&["check", "missing-file"], dir.path()).status.code(),
        Some(2)
    );
    assert_eq!(
        policy(&["check", "--format", "xml"], dir.path())
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn stdin_needs_a_kind_and_reports_as_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policy"))
        .args(["check", "-", "--kind", "dockerfile", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"FROM ubuntu:latest\nUSER 1000\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let report = json_report(&out);
    assert!(
        locations(&report).contains(&("CP202".into(), "-".into(), 1)),
        "{report:#}"
    );
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(policy(&["check", "-"], dir.path()).status.code(), Some(2));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let one = policy(
        &["check", "testdata", "--format", "json", "-j", "1"],
        repo_root(),
    );
    let two = policy(
        &["check", "testdata", "--format", "json", "-j", "2"],
        repo_root(),
    );
    let four = policy(
        &["check", "testdata", "--format", "json", "-j", "4"],
        repo_root(),
    );
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(one.stdout, four.stdout);
}

#[test]
fn files_only_named_like_dockerfiles_do_not_fail_a_run() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "policies/dockerfile.rego",
        "package dockerfile\n\ndeny contains msg if { false }\n",
    );
    write(
        dir.path(),
        "Dockerfile.notes",
        "Build with make; AKIAIOSFODNN7EXAMPLE is the test key\n",
    );
    std::fs::write(
        dir.path().join("dockerfile.png"),
        b"\x89PNG\r\n\x1a\n\xff\xfe",
    )
    .unwrap();
    write(
        dir.path(),
        "Dockerfile.prod",
        "# syntax=docker/dockerfile:1\nFROM alpine:latest\n",
    );
    let out = policy(&["check", ".", "--format", "json"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_report(&out);
    assert!(
        report["errors"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    // The real variant is checked; the others are listed with the reason.
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "Dockerfile.prod" && f["rule"] == "CP202"),
        "{report:#}"
    );
    let skipped: Vec<(&str, &str)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        skipped,
        [
            (
                "Dockerfile.notes",
                "named like a Dockerfile, but its first line is no Dockerfile instruction"
            ),
            (
                "policies/dockerfile.rego",
                "named like a Dockerfile, but its first line is no Dockerfile instruction"
            ),
        ]
        .iter()
        .filter(|(p, _)| !p.ends_with(".rego"))
        .copied()
        .collect::<Vec<_>>(),
        "{report:#}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("AKIA"));
}

#[test]
fn unnamed_objects_and_byte_order_marks_read_right() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pod.yaml",
        "\u{feff}apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - {name: a, image: nginx:1.27, securityContext: {privileged: true}}\n",
    );
    write(
        dir.path(),
        "Dockerfile",
        "\u{feff}FROM alpine:latest\nUSER 1000\n",
    );
    let out = policy(&["check", ".", "--format", "json"], dir.path());
    let report = json_report(&out);
    let find = |rule: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule)
            .cloned()
            .unwrap_or_else(|| panic!("no {rule}: {report:#}"))
    };
    assert_eq!(find("CP102")["resource"], "Pod/<unnamed> container a");
    // `FROM alpine:latest` after the mark: the image starts at column 6.
    let latest = find("CP202");
    assert_eq!(
        (latest["line"].as_u64(), latest["column"].as_u64()),
        (Some(1), Some(6))
    );
}

#[test]
fn explicit_unrecognized_files_are_skipped_not_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "workflow.yaml", "on: push\njobs: {}\n");
    write(dir.path(), "notes.txt", "hello\n");
    let out = policy(
        &["check", "workflow.yaml", "notes.txt", "--format", "json"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let report = json_report(&out);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 2, "{report:#}");
    // In a directory walk they are silently ignored.
    let out = policy(&["check", ".", "--format", "json"], dir.path());
    assert_eq!(json_report(&out)["skipped"].as_array().unwrap().len(), 0);
}

#[test]
fn gitignored_files_and_vcs_folders_are_not_walked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitignore", "ignored/\n");
    write(dir.path(), "ignored/Dockerfile", "FROM x\n");
    write(dir.path(), ".git/Dockerfile", "FROM x\n");
    write(
        dir.path(),
        ".devcontainer/Dockerfile",
        "FROM alpine:3.20\nUSER 1000\n",
    );
    let out = policy(&["check", ".", "--format", "json"], dir.path());
    let report = json_report(&out);
    let paths: Vec<String> = locations(&report).into_iter().map(|(_, p, _)| p).collect();
    assert!(
        paths.iter().all(|p| p.contains(".devcontainer")),
        "{paths:?}"
    );
    assert_eq!(report["summary"]["files"], 1);
}

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang_or_fail() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/Dockerfile", "FROM alpine:3.20\nUSER 1000\n");
    std::os::unix::fs::symlink("..", dir.path().join("a/loop")).unwrap();
    let out = policy(&["check", ".", "--format", "json"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(json_report(&out)["summary"]["files"], 1);
}

#[test]
fn rules_and_explain() {
    let out = policy(&["rules", "--format", "json"], repo_root());
    let rules: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"CP101") && ids.contains(&"CP203"));
    for tag in [
        "non-root",
        "pinned-image",
        "resource-limits",
        "read-only-rootfs",
        "secrets",
        "health",
        "privilege",
    ] {
        assert!(
            rules.as_array().unwrap().iter().any(|r| r["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == tag)),
            "no rule tagged {tag}"
        );
    }
    let out = policy(&["explain", "run-as-root"], repo_root());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("# CP101") && text.contains("## How to fix") && text.contains("Bad:"),
        "{text}"
    );
    assert_eq!(
        policy(&["explain", "CP999"], repo_root()).status.code(),
        Some(2)
    );
}

#[test]
fn human_output_is_snapshot_stable() {
    let out = policy(
        &[
            "check",
            "testdata/examples/api/Dockerfile",
            "--color",
            "never",
        ],
        repo_root(),
    );
    insta::assert_snapshot!("human_dockerfile", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn json_output_is_snapshot_stable() {
    let out = policy(
        &[
            "check",
            "testdata/examples/k8s/worker.yaml",
            "--format",
            "json",
        ],
        repo_root(),
    );
    insta::assert_snapshot!("json_worker", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn hostile_yaml_is_bounded_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut bomb = String::from("apiVersion: v1\nkind: ConfigMap\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    write(dir.path(), "bomb.yaml", &bomb);
    write(
        dir.path(),
        "deep.yaml",
        &format!(
            "apiVersion: v1\nkind: ConfigMap\ndata: {}\n",
            "[".repeat(50_000)
        ),
    );
    let huge = format!(
        "apiVersion: v1\nkind: ConfigMap\ndata:\n{}",
        "  k: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n".repeat(300_000)
    );
    write(dir.path(), "huge.yaml", &huge);
    write(dir.path(), "ok/Dockerfile", "FROM alpine:3.20\nUSER 1000\n");
    let started = std::time::Instant::now();
    let out = policy(&["check", ".", "--format", "json"], dir.path());
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(2));
    let report = json_report(&out);
    let errors = report["errors"].as_array().unwrap();
    let message = |file: &str| {
        errors
            .iter()
            .find(|e| e["path"].as_str().unwrap().ends_with(file))
            .map(|e| e["message"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no error for {file}: {errors:#?}"))
    };
    assert!(
        message("bomb.yaml").contains("alias"),
        "{}",
        message("bomb.yaml")
    );
    assert!(
        message("deep.yaml").contains("nesting"),
        "{}",
        message("deep.yaml")
    );
    assert!(
        message("huge.yaml").contains("limit"),
        "{}",
        message("huge.yaml")
    );
    // The good file is still checked.
    assert_eq!(report["summary"]["files"], 1);
}

#[test]
fn policies_cannot_reach_the_network_or_the_environment() {
    for (file, function) in [
        ("testdata/safety/network.rego", "http.send"),
        ("testdata/safety/environment.rego", "opa.runtime"),
    ] {
        let out = policy(
            &[
                "check",
                "testdata/examples/api/Dockerfile",
                "--no-builtin",
                "--policy",
                file,
            ],
            repo_root(),
        );
        assert_eq!(out.status.code(), Some(2), "{file}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(function) && stderr.contains(file),
            "{stderr}"
        );
    }
}

#[test]
fn a_runaway_policy_is_stopped_and_named() {
    let started = std::time::Instant::now();
    let out = policy(
        &[
            "check",
            "testdata/examples/api/Dockerfile",
            "--no-builtin",
            "--policy",
            "testdata/safety/runaway.rego",
            "--eval-timeout",
            "0.5",
        ],
        repo_root(),
    );
    assert_eq!(out.status.code(), Some(2));
    // The file's error (the other rules' findings are still reported).
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("RUN001") && stdout.contains("time limit"),
        "{stdout}"
    );
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}

/// `schemas/input.schema.json` with the `model.schema.json#/$defs/...`
/// references resolved into one document (the validator runs offline).
fn input_schema() -> Value {
    let read = |p: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(repo_root().join(p)).unwrap()).unwrap()
    };
    let text = std::fs::read_to_string(repo_root().join("schemas/input.schema.json"))
        .unwrap()
        .replace("model.schema.json#/$defs/", "#/$defs/");
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    let model = read("schemas/model.schema.json");
    for (name, def) in model["$defs"].as_object().unwrap() {
        schema["$defs"][name] = def.clone();
    }
    schema
}

#[test]
fn inspect_prints_inputs_that_match_the_documented_schema() {
    let out = policy(&["inspect", "testdata/examples"], repo_root());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let inputs: Value = serde_json::from_slice(&out.stdout).unwrap();
    let inputs = inputs.as_array().unwrap();
    let kinds: std::collections::BTreeSet<&str> =
        inputs.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["compose", "dockerfile", "kubernetes"]
    );
    let validator = jsonschema::validator_for(&input_schema()).expect("input schema compiles");
    for input in inputs {
        let errors = schema_errors(&validator, input);
        assert!(
            errors.is_empty(),
            "{}: {}",
            input["path"],
            errors.join("\n")
        );
    }
    // Secrets are redacted here too: no output prints one.
    let text = String::from_utf8_lossy(&out.stdout);
    for secret in [
        "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
        "s3cr3t-t0ken-value",
        "correct-horse-battery-staple",
    ] {
        assert!(!text.contains(secret), "inspect prints {secret}");
    }
}

/// `inspect` reads through the check pipeline: a `docker image inspect`
/// array is one input per image, as rules see it (it used to print the
/// whole array as one document, which no rule ever saw).
#[test]
fn inspect_shows_each_image_of_an_inspect_array_as_rules_see_it() {
    let dir = tempfile::tempdir().unwrap();
    let image = |id: &str, user: &str| {
        serde_json::json!({
            "Id": id, "Os": "linux", "Architecture": "amd64",
            "Config": {"User": user},
            "RootFS": {"Type": "layers", "Layers": []}
        })
    };
    let array = serde_json::json!([image("sha256:aa", "0"), image("sha256:bb", "10001")]);
    let path = dir.path().join("images.json");
    std::fs::write(&path, serde_json::to_string_pretty(&array).unwrap()).unwrap();
    let out = policy(&["inspect", path.to_str().unwrap()], repo_root());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let inputs: Value = serde_json::from_slice(&out.stdout).unwrap();
    let inputs = inputs.as_array().unwrap();
    assert_eq!(inputs.len(), 2, "{inputs:#?}");
    let ids: Vec<&str> = inputs
        .iter()
        .map(|i| i["document"]["Id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["sha256:aa", "sha256:bb"]);
    assert!(inputs.iter().all(|i| i["kind"] == "image"));
    // And `check` judges the same two documents.
    let out = policy(
        &["check", path.to_str().unwrap(), "--format", "json"],
        repo_root(),
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["documents"], 2, "{report:#}");
}
