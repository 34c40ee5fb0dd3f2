//! The runtime stage, end to end with the real binary.
//!
//! Offline: saved `docker inspect` and `kubectl get pods -o json` output in
//! `testdata/runtime/`, drift against a compose file, probes against servers
//! this test starts on 127.0.0.1, and an unreachable engine.
//!
//! Live: against a real Docker engine, a `FROM scratch` busybox image runs a
//! hardened container and a careless one (both `--network host`, serving
//! only on 127.0.0.1); the test asserts the exact findings of each, HTTP and
//! TCP probes, drift against a compose file, and that everything it created
//! is removed. Without an engine (or busybox) it says it was skipped and
//! passes, unless POLICY_REQUIRE_TOOLS is set (CI sets it).

mod common;

use common::docker::{busybox, docker, docker_ok, engine_missing, Created};
use common::{json, policy, stderr, stdout};
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `(rule, resource)` of every finding in `path`, sorted.
fn rules_of(report: &Value, path: &str) -> BTreeSet<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == path)
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Rule ids of the findings about resources starting with `prefix`.
fn rules_about(report: &Value, prefix: &str) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["resource"].as_str().unwrap_or("").starts_with(prefix))
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// Every report of the runtime stage matches `schemas/report.schema.json`.
fn assert_valid(report: &Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "report does not match the schema:\n{}",
        errors.join("\n")
    );
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

// ---------------------------------------------------------------------------
// Offline

#[test]
fn saved_docker_inspect_output_is_checked_by_the_same_rules() {
    let out = policy(
        &["check", "testdata/runtime/inspect.json", "--format", "json"],
        repo_root(),
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = json(&out);
    assert_valid(&report);
    let hardened = "container cp-runtime-dev-hardened (74f4d30f2311, cp-runtime-dev:1)";
    assert_eq!(rules_about(&report, hardened), set(&["CP106", "CP802"]));
    assert_eq!(
        rules_about(&report, "container cp-runtime-dev-careless"),
        set(&[
            "CP101", "CP103", "CP104", "CP105", "CP106", "CP107", "CP301", "CP302", "CP401",
            "CP501", "CP601", "CP801", "CP802"
        ])
    );
    // Created with --privileged (it could not start where capabilities are
    // limited): judged by its configuration all the same.
    assert!(rules_about(&report, "container cp-runtime-dev-priv").contains("CP102"));
    // Exact positions in the saved file: `"User": ""` of the careless one.
    let root = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "CP101" && f["resource"].as_str().unwrap().contains("careless"))
        .unwrap();
    assert_eq!(
        (root["line"].as_u64(), root["column"].as_u64()),
        (Some(409), Some(13))
    );
    assert_eq!(root["kind"], "container");
    // The secret's value is never printed.
    let human = policy(
        &["check", "testdata/runtime/inspect.json", "--color", "never"],
        repo_root(),
    );
    assert!(!stdout(&human).contains("s3cr3t"), "{}", stdout(&human));
    assert!(stdout(&human).contains("\"API_TOKEN=*****************\""));
}

#[test]
fn an_unhealthy_container_reports_its_failing_check_redacted() {
    let out = policy(
        &[
            "check",
            "testdata/runtime/unhealthy.json",
            "--format",
            "json",
        ],
        repo_root(),
    );
    let report = json(&out);
    let unhealthy: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CP604")
        .collect();
    assert_eq!(unhealthy.len(), 1);
    assert_eq!(
        unhealthy[0]["message"],
        "container cp-runtime-dev-sick (be21c2ec4880, cp-runtime-dev:1) is unhealthy: 4 health checks in a row failed; the last failed with exit code 1: \"connection refused to db at 127.0.0.1:5432 token=ghp_************\""
    );
    assert_eq!(unhealthy[0]["line"], 21); // "Health": {
}

#[test]
fn kubectl_pod_lists_report_status_and_spec() {
    let out = policy(
        &["check", "testdata/runtime/pods.json", "--format", "json"],
        repo_root(),
    );
    let report = json(&out);
    assert_eq!(rules_about(&report, "Pod/api-"), set(&[]));
    let worker = rules_about(&report, "Pod/worker-");
    assert!(worker.contains("CP604") && worker.contains("CP501") && worker.contains("CP101"));
    let not_ready = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "CP604")
        .unwrap();
    assert_eq!(
        not_ready["message"],
        "Pod/worker-7c5b8d9f4-q8w7e container worker is not ready (CrashLoopBackOff, 12 restarts)"
    );
    assert_eq!(not_ready["kind"], "kubernetes");
}

#[test]
fn drift_against_a_compose_file_points_at_the_declaration() {
    let out = policy(
        &[
            "check",
            "--combine",
            "testdata/runtime/compose.yaml",
            "testdata/runtime/inspect.json",
            "--format",
            "json",
        ],
        repo_root(),
    );
    let report = json(&out);
    let drift: Vec<(u64, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CP910")
        .map(|f| {
            assert_eq!(f["path"], "testdata/runtime/compose.yaml");
            (
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // The hardened container (compose labels shop/web) matches its service.
    assert!(
        drift.iter().all(|(_, m)| !m.contains("hardened")),
        "{drift:?}"
    );
    // The careless one runs the same image without labels.
    let careless: BTreeSet<u64> = drift
        .iter()
        .filter(|(_, m)| m.starts_with("container cp-runtime-dev-careless"))
        .map(|(l, _)| *l)
        .collect();
    assert_eq!(careless, BTreeSet::from([7, 11, 12, 13, 14, 15, 16, 18]));
    assert!(drift.contains(&(
        11,
        "container cp-runtime-dev-careless (6b839e6d7369, cp-runtime-dev:1) runs as root, but service web declares user \"1001\"".to_string()
    )));
    // Without --combine (and without --runtime) there is no drift.
    let plain = policy(
        &["check", "testdata/runtime/", "--format", "json"],
        repo_root(),
    );
    assert!(!rules_of(&json(&plain), "testdata/runtime/compose.yaml")
        .iter()
        .any(|(r, _)| r == "CP910"));
}

#[test]
fn an_unreachable_engine_is_an_error_and_the_files_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("no-docker.sock");
    let host = format!("unix://{}", socket.display());
    let out = policy(
        &[
            "check",
            "--runtime",
            "--docker-host",
            &host,
            "testdata/runtime/compose.yaml",
            "--format",
            "json",
        ],
        repo_root(),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let report = json(&out);
    assert_valid(&report);
    assert!(!rules_of(&report, "testdata/runtime/compose.yaml").is_empty());
    let error = &report["errors"][0];
    assert_eq!(error["path"], host.as_str());
    let message = error["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!("cannot reach the Docker engine at {host}")),
        "{message}"
    );
    // Human output says so too.
    let human = policy(
        &["runtime", "--docker-host", &host, "--color", "never"],
        repo_root(),
    );
    assert_eq!(code(&human), 2);
    assert!(stdout(&human).contains("cannot reach the Docker engine"));
}

#[test]
fn runtime_flags_need_the_runtime_stage_and_probes_are_validated() {
    let out = policy(&["check", "--probe", "tcp://127.0.0.1:1", "."], repo_root());
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("--probe belongs to the runtime stage"),
        "{}",
        stderr(&out)
    );
    let out = policy(
        &[
            "runtime",
            "--no-engine",
            "--probe",
            "https://127.0.0.1:8443/",
        ],
        repo_root(),
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("https probes are not supported"),
        "{}",
        stderr(&out)
    );
    let out = policy(
        &[
            "runtime",
            "--no-engine",
            "--probe",
            "http://127.0.0.1:80/#retry=2",
        ],
        repo_root(),
    );
    assert!(
        stderr(&out).contains("unknown probe option `retry`"),
        "{}",
        stderr(&out)
    );
}

/// A tiny HTTP server on 127.0.0.1: `/health` is 200 `ok`, anything else 404.
fn http_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 2048];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let reply = if request.starts_with("GET /health ") {
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            } else {
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            };
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    port
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn probe_results(report: &Value) -> Vec<(String, String, String)> {
    report["probes"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        p["target"].as_str().unwrap().to_string(),
                        p["result"].as_str().unwrap().to_string(),
                        p["message"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn explicit_probes_pass_and_fail_in_every_format() {
    let port = http_server();
    let closed = closed_port();
    let health = format!("http://127.0.0.1:{port}/health");
    let args = |format: &str| -> Vec<String> {
        vec![
            "runtime".into(),
            "--no-engine".into(),
            "--probe".into(),
            format!("{health}#contains=ok&max-latency=5s"),
            "--probe".into(),
            format!("http://127.0.0.1:{port}/missing#retries=1&interval=50ms"),
            "--probe".into(),
            format!("tcp://127.0.0.1:{port}"),
            "--probe".into(),
            format!("tcp://127.0.0.1:{closed}#timeout=1s"),
            "--format".into(),
            format.into(),
        ]
    };
    let run = |format: &str| {
        let a = args(format);
        policy(
            &a.iter().map(String::as_str).collect::<Vec<_>>(),
            repo_root(),
        )
    };
    let out = run("json");
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = json(&out);
    assert_valid(&report);
    let results = probe_results(&report);
    assert_eq!(results.len(), 4);
    assert_eq!(results[0].0, health);
    assert_eq!(results[0].1, "pass");
    assert!(results[0].2.starts_with("200 OK in "), "{results:?}");
    assert_eq!(
        results[1],
        (
            format!("http://127.0.0.1:{port}/missing"),
            "fail".into(),
            "status 404 Not Found, expected 200-399 (2 attempts)".into()
        )
    );
    assert_eq!(results[2].1, "pass");
    assert!(results[2].2.starts_with("connected in "));
    assert_eq!(results[3].1, "fail");
    assert_eq!(results[3].2, "connection refused");
    assert_eq!(report["probes"][1]["status"], 404);
    assert_eq!(report["probes"][1]["attempts"], 2);
    // Failures are CP610 findings at the probe's URL.
    let failed: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["path"].as_str().unwrap()))
        .collect();
    let missing = format!("http://127.0.0.1:{port}/missing");
    let refused = format!("tcp://127.0.0.1:{closed}");
    assert_eq!(
        failed
            .iter()
            .map(|(r, p)| (*r, p.to_string()))
            .collect::<BTreeSet<_>>(),
        BTreeSet::from([("CP610", missing.clone()), ("CP610", refused.clone())])
    );
    assert_eq!(report["summary"]["probes"], 4);
    assert_eq!(report["summary"]["probes_failed"], 2);

    // JUnit: one case per probe in the `probes` suite.
    let junit = stdout(&run("junit"));
    let doc = roxmltree::Document::parse(&junit).unwrap();
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite") && n.attribute("name") == Some("probes"))
        .expect("a probes suite");
    assert_eq!(suite.attribute("tests"), Some("4"));
    assert_eq!(suite.attribute("failures"), Some("2"));
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("testsuite"))
            .count(),
        1,
        "{junit}"
    );
    // SARIF: failures are results, passes are results of kind `pass`.
    let sarif: Value = serde_json::from_str(&stdout(&run("sarif"))).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let kinds: Vec<(&str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap_or("fail"),
                r["level"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == ("pass", "none")).count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == ("fail", "error")).count(), 2);
    let uris: BTreeSet<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(missing.as_str()) && uris.contains(health.as_str()));
    // GitHub: an annotation without a file for a failure.
    let github = stdout(&run("github"));
    assert!(
        github.contains(&format!(
            "::error title=CP610 probe-failed::probe {refused}: connection refused"
        )),
        "{github}"
    );
    // Human: the summary counts them.
    let human = stdout(&run("human"));
    assert!(
        human.ends_with(
            "2 findings (2 error, 0 warning, 0 info) in 0 files; 4 probes: 2 passed, 2 failed\n"
        ),
        "{human}"
    );
}

#[test]
fn declared_probes_run_only_on_loopback_and_point_at_the_manifest() {
    let port = http_server();
    let closed = closed_port();
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "deploy.yaml",
        &format!(
            r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.0
          ports:
            - name: http
              containerPort: {port}
          livenessProbe:
            httpGet:
              path: /health
              port: http
          readinessProbe:
            tcpSocket:
              port: {closed}
          startupProbe:
            httpGet:
              host: example.com
              path: /health
              port: 80
"#
        ),
    );
    common::write(
        dir.path(),
        "compose.yaml",
        &format!(
            r#"services:
  api:
    image: registry.example.com/api:1.0
    network_mode: host
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost:{port}/missing"]
"#
        ),
    );
    let out = policy(
        &[
            "runtime",
            "--no-engine",
            "--probe-declared",
            "deploy.yaml",
            "compose.yaml",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = json(&out);
    let results = probe_results(&report);
    let got: Vec<(String, String)> = results
        .iter()
        .map(|(t, r, _)| (t.clone(), r.clone()))
        .collect();
    let want: Vec<(String, String)> = [
        (format!("http://localhost:{port}/missing"), "fail"),
        (format!("http://127.0.0.1:{port}/health"), "pass"),
        (format!("tcp://127.0.0.1:{closed}"), "fail"),
        ("http://example.com:80/health".to_string(), "skipped"),
    ]
    .into_iter()
    .map(|(t, r)| (t, r.to_string()))
    .collect();
    assert_eq!(got, want);
    assert!(
        results[3].2.contains("not a loopback address"),
        "{results:?}"
    );
    assert_eq!(report["probes"][1]["declared_at"], "deploy.yaml:14:11");
    // Failures point at the declaration; static findings of the files are
    // not reported by `policy runtime`.
    let findings: BTreeSet<(String, u64, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        BTreeSet::from([
            ("compose.yaml".to_string(), 5, "CP610".to_string()),
            ("deploy.yaml".to_string(), 18, "CP610".to_string()),
        ])
    );
    // Without --probe-declared nothing is sent.
    let quiet = policy(
        &["runtime", "--no-engine", "deploy.yaml", "--format", "json"],
        dir.path(),
    );
    assert_eq!(code(&quiet), 0, "{}", stdout(&quiet));
    assert!(json(&quiet)["probes"].is_null());
}

// ---------------------------------------------------------------------------
// Live, against a Docker engine

/// Skips (or, with POLICY_REQUIRE_TOOLS, fails) when there is no engine.
fn engine_available() -> bool {
    common::require_or_skip("the live runtime test", engine_missing())
}

fn wait_healthy(name: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let status = docker_ok(&["inspect", "--format", "{{.State.Health.Status}}", name]);
        if status == "healthy" {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{name} did not become healthy: {status}; logs: {}",
            String::from_utf8_lossy(&docker(&["logs", name]).stderr)
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[test]
fn live_containers_probes_and_drift() {
    if !engine_available() {
        return;
    }
    let prefix = format!("cp-runtime-test-{}", std::process::id());
    let mut created = Created {
        image: format!("{prefix}:1"),
        containers: Vec::new(),
    };

    // The image: busybox on scratch, its applets installed, a /health page.
    let context = tempfile::tempdir().unwrap();
    std::fs::copy(busybox().unwrap(), context.path().join("busybox")).unwrap();
    common::write(context.path(), "www/health", "ok\n");
    common::write(
        context.path(),
        "Dockerfile",
        "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\nCOPY www /www\n",
    );
    let image = created.image.clone();
    docker_ok(&[
        "build",
        "--network",
        "none",
        "-q",
        "-t",
        &image,
        &context.path().to_string_lossy(),
    ]);

    let port = closed_port();
    let listen = format!("127.0.0.1:{port}");
    let hardened = format!("{prefix}-hardened");
    let careless = format!("{prefix}-careless");
    created.containers.push(hardened.clone());
    created.containers.push(careless.clone());
    let health_cmd = format!("wget -qO- http://{listen}/health || exit 1");
    let project = format!("{prefix}-shop");
    docker_ok(&[
        "run",
        "-d",
        "--name",
        &hardened,
        "--network",
        "host",
        "--user",
        "1001",
        "--read-only",
        "--memory",
        "64m",
        "--cpus",
        "0.5",
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        "--restart",
        "unless-stopped",
        "--log-opt",
        "max-size=1m",
        "--health-cmd",
        &health_cmd,
        "--health-interval",
        "1s",
        "--health-start-period",
        "1s",
        "--label",
        &format!("com.docker.compose.project={project}"),
        "--label",
        "com.docker.compose.service=web",
        &image,
        "httpd",
        "-f",
        "-p",
        &listen,
        "-h",
        "/www",
    ]);
    // `--privileged` needs every capability; where the engine runs with
    // fewer it cannot start, and the container stays `created`: it is
    // checked by its configuration all the same.
    let run = docker(&[
        "run",
        "-d",
        "--name",
        &careless,
        "--network",
        "host",
        "--privileged",
        "-e",
        "API_TOKEN=tok-9f8e7d6c5b4a3210",
        &image,
        "sleep",
        "600",
    ]);
    if !run.status.success() {
        let state = docker_ok(&["inspect", "--format", "{{.State.Status}}", &careless]);
        assert_eq!(state, "created", "{}", String::from_utf8_lossy(&run.stderr));
        eprintln!("note: the privileged container could not start here; checking it as created");
    }
    wait_healthy(&hardened);

    let health = format!("http://{listen}/health");
    let out = policy(
        &[
            "runtime",
            "--container",
            &hardened,
            "--container",
            &careless,
            "--probe",
            &format!("{health}#contains=ok"),
            "--probe",
            &format!("http://{listen}/nope"),
            "--probe",
            &format!("tcp://{listen}"),
            "--format",
            "json",
        ],
        repo_root(),
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = json(&out);
    assert_valid(&report);
    assert_eq!(report["errors"], Value::Array(vec![]), "{report}");
    assert_eq!(report["summary"]["containers"], 2);
    let short = |name: &str| docker_ok(&["inspect", "--format", "{{.Id}}", name])[..12].to_string();
    let hardened_resource = format!("container {hardened} ({}, {image})", short(&hardened));
    let careless_resource = format!("container {careless} ({}, {image})", short(&careless));
    assert_eq!(
        rules_of(&report, &format!("docker://{hardened}")),
        BTreeSet::from([("CP106".to_string(), hardened_resource.clone())]),
        "the hardened container only shares the host network"
    );
    let careless_rules: BTreeSet<String> = rules_of(&report, &format!("docker://{careless}"))
        .into_iter()
        .map(|(rule, resource)| {
            assert_eq!(resource, careless_resource);
            rule
        })
        .collect();
    assert_eq!(
        careless_rules,
        set(&[
            "CP101", "CP102", "CP103", "CP104", "CP106", "CP301", "CP302", "CP401", "CP501",
            "CP601", "CP801", "CP802"
        ])
    );
    // Positions are in the container's inspect JSON.
    let secret = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "CP501")
        .unwrap();
    assert!(secret["line"].as_u64().unwrap() > 1);
    let results = probe_results(&report);
    assert_eq!(results[0].0, health);
    assert_eq!(results[0].1, "pass", "{results:?}");
    assert_eq!(results[1].1, "fail");
    assert_eq!(results[1].2, "status 404 Not Found, expected 200-399");
    assert_eq!(results[2].1, "pass");
    assert!(!stdout(&out).contains("tok-9f8e7d6c5b4a3210"));

    // Selection by label and by compose project: the running hardened one.
    for selector in [
        vec![
            "--label".to_string(),
            format!("com.docker.compose.project={project}"),
        ],
        vec!["--compose-project".to_string(), project.clone()],
    ] {
        let mut args = vec!["runtime".to_string()];
        args.extend(selector);
        args.extend(["--format".into(), "json".into()]);
        let out = policy(
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            repo_root(),
        );
        let report = json(&out);
        assert_eq!(report["summary"]["containers"], 1, "{report}");
        assert!(!rules_of(&report, &format!("docker://{hardened}")).is_empty());
    }

    // Drift: a compose file describing the hardened service.
    let declared = tempfile::tempdir().unwrap();
    common::write(
        declared.path(),
        "compose.yaml",
        &format!(
            r#"name: {project}
services:
  web:
    image: {image}
    network_mode: host
    user: "1001"
    read_only: true
    cap_drop: [ALL]
    security_opt: ["no-new-privileges:true"]
    mem_limit: 64m
    cpus: 0.5
    restart: unless-stopped
    healthcheck:
      test: ["CMD-SHELL", "{health_cmd}"]
"#
        ),
    );
    let out = policy(
        &[
            "runtime",
            "--container",
            &hardened,
            "--container",
            &careless,
            "--probe-declared",
            "compose.yaml",
            "--format",
            "json",
        ],
        declared.path(),
    );
    let report = json(&out);
    let drift: BTreeSet<(u64, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "compose.yaml")
        .map(|f| {
            assert_eq!(f["rule"], "CP910", "{f}");
            let message = f["message"].as_str().unwrap();
            // The hardened container is what the file says; the careless one
            // (same image, no compose labels) contradicts it.
            assert!(message.starts_with(&careless_resource), "{message}");
            (
                f["line"].as_u64().unwrap(),
                message[careless_resource.len()..].to_string(),
            )
        })
        .collect();
    assert_eq!(
        drift,
        BTreeSet::from([
            (
                3,
                " runs privileged, but service web does not declare it".to_string()
            ),
            (
                6,
                " runs as root, but service web declares user \"1001\"".to_string()
            ),
            (
                7,
                " has a writable root filesystem, but service web declares it read-only"
                    .to_string()
            ),
            (
                8,
                " keeps the default capabilities, but service web drops ALL".to_string()
            ),
            (
                9,
                " allows privilege escalation, but service web disables it".to_string()
            ),
            (
                10,
                " has no memory limit, but service web declares 64m".to_string()
            ),
            (
                11,
                " has no CPU limit, but service web declares 0.5".to_string()
            ),
            (
                13,
                " has no healthcheck, but service web declares one".to_string()
            ),
        ])
    );
    // The compose healthcheck's URL, probed from here (network_mode: host).
    let declared_probes = probe_results(&report);
    assert_eq!(declared_probes.len(), 1, "{declared_probes:?}");
    assert_eq!(declared_probes[0].0, health);
    assert_eq!(declared_probes[0].1, "pass");

    // --exec-healthchecks runs each container's own healthcheck command.
    let sick = format!("{prefix}-sick");
    created.containers.push(sick.clone());
    docker_ok(&[
        "run",
        "-d",
        "--name",
        &sick,
        "--network",
        "none",
        "--user",
        "1001",
        "--health-cmd",
        "echo db down token=ghp_abcdefghijklmnopqrstuvwxyz0123456789; exit 3",
        "--health-interval",
        "1h",
        &image,
        "sleep",
        "600",
    ]);
    let out = policy(
        &[
            "runtime",
            "--container",
            &hardened,
            "--container",
            &careless,
            "--container",
            &sick,
            "--exec-healthchecks",
            "--format",
            "json",
        ],
        repo_root(),
    );
    let report = json(&out);
    assert_valid(&report);
    let execs: Vec<(String, String)> = probe_results(&report)
        .into_iter()
        .map(|(target, result, _)| (target, result))
        .collect();
    assert_eq!(
        execs,
        vec![
            (format!("exec://{hardened}"), "pass".to_string()),
            (format!("exec://{sick}"), "fail".to_string()),
        ]
    );
    let failed = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "CP610")
        .expect("a failed healthcheck is a finding");
    assert_eq!(failed["path"], format!("docker://{sick}").as_str());
    assert_eq!(failed["logical_location"], "Config.Healthcheck");
    assert_eq!(
        failed["message"],
        "healthcheck `CMD-SHELL echo db down token=ghp_************; exit 3` run through exec failed: exit code 3: \"db down token=ghp_************\""
    );
    assert!(!stdout(&out).contains("ghp_abcdef"));

    // Clean-up: nothing of ours is left.
    created.remove_all();
    let left = docker_ok(&["ps", "-a", "--filter", &format!("name={prefix}"), "-q"]);
    assert_eq!(left, "", "containers left behind");
    let images = docker_ok(&["images", "-q", &image]);
    assert_eq!(images, "", "image left behind");
}
