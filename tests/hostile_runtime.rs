//! The runtime stage against hostile input (issue 10: D13, D14, D19): a
//! probe text that cut an escape inside a character, manifests that ask for
//! endless waits, probe targets that never answer, and a fake Docker engine
//! that streams without end. Each run is bounded in time (a hang guard
//! kills it) and, where memory is at stake, in address space (`prlimit
//! --as`); each limit hit is a clear error, and a good file checked in the
//! same run is still reported.
//!
//! The tests against a real engine (exec healthchecks of slow containers)
//! say they were skipped when there is none, unless POLICY_REQUIRE_TOOLS is
//! set. All traffic goes to 127.0.0.1 or a unix socket in a temporary
//! directory.

mod common;

use common::bounded::Limits;

use common::docker::{busybox, docker_ok, engine_missing, Created};
use common::{json, repo_root, stderr, write};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::unix::net::UnixListener;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

/// Address space given to a run that must stay bounded: the binary needs
/// about 100 MB of it; a body read whole would pass it within a second.
const MEMORY_LIMIT: u64 = 1 << 30;

/// Runs the binary under `prlimit --as=LIMIT`, killed (and the test
/// failed) past `guard`: a hang is a failure, not a stuck test.
fn policy_bounded(args: &[&str], dir: &Path, limit: u64, guard: Duration) -> Output {
    let limits = Limits {
        address_space: limit,
        hang_guard: guard,
    };
    common::bounded::run_bounded(args, dir, limits, None)
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// `(path, line, message)` of every error of a JSON report.
fn errors_of(report: &Value) -> Vec<(String, Option<u64>, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["line"].as_u64(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A Dockerfile with a finding (CP101, root user), checked in the same run
/// as the hostile input: it must still be reported.
fn good_file(dir: &Path) {
    write(dir, "Dockerfile", "FROM alpine:3.20\nRUN echo hi\n");
}

fn assert_good_file_reported(report: &Value) {
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "Dockerfile"),
        "the good file's findings are missing: {report}"
    );
}

// ---------------------------------------------------------------------------
// D19: probe options

#[test]
fn a_probe_escape_cut_inside_a_character_is_an_error_naming_the_probe() {
    for probe in [
        "http://127.0.0.1:1/#contains=%aé",
        "http://127.0.0.1:1/#contains=%é",
        "http://127.0.0.1:1/#contains=50%",
        "http://127.0.0.1:1/#contains=%ff",
    ] {
        let out = policy_bounded(
            &["runtime", "--no-engine", "--probe", probe],
            repo_root(),
            MEMORY_LIMIT,
            Duration::from_secs(60),
        );
        assert_eq!(code(&out), 2, "{probe}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{err}");
        assert!(err.contains(&format!("invalid --probe `{probe}`")), "{err}");
    }
}

#[test]
fn a_timeout_that_is_not_a_number_is_an_error() {
    for flag in ["--probe-timeout", "--engine-timeout", "--runtime-timeout"] {
        let out = policy_bounded(
            &[
                "runtime",
                "--no-engine",
                flag,
                "NaN",
                "--probe",
                "tcp://127.0.0.1:1",
            ],
            repo_root(),
            MEMORY_LIMIT,
            Duration::from_secs(60),
        );
        assert_eq!(code(&out), 2, "{flag}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            err.contains(&format!("{flag}: expected a number of seconds")),
            "{err}"
        );
    }
}

// ---------------------------------------------------------------------------
// D14: probe waits

/// A port that accepts connections (the kernel's backlog) and never answers.
fn silent_port() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

/// A server on 127.0.0.1 that answers 200 and then streams a body without end.
fn endless_http_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut buf = [0u8; 2048];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\n\r\n");
                let chunk = vec![b'x'; 64 * 1024];
                while stream.write_all(&chunk).is_ok() {}
            });
        }
    });
    port
}

fn deployment(probes: &[(u16, u64)]) -> String {
    let mut text = String::new();
    for (i, (port, timeout)) in probes.iter().enumerate() {
        text.push_str(&format!(
            r#"---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web{i}
spec:
  template:
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.0
          livenessProbe:
            httpGet:
              path: /health
              port: {port}
            timeoutSeconds: {timeout}
"#
        ));
    }
    text
}

#[test]
fn a_declared_probe_timeout_is_capped() {
    let (_listener, port) = silent_port();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "deploy.yaml", &deployment(&[(port, 100_000)]));
    // Before the cap this waited 100,000 s.
    let out = policy_bounded(
        &[
            "runtime",
            "--no-engine",
            "--probe-declared",
            "deploy.yaml",
            "--format",
            "json",
        ],
        dir.path(),
        MEMORY_LIMIT,
        Duration::from_secs(45),
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = json(&out);
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "CP610")
        .unwrap_or_else(|| panic!("no CP610: {report}"));
    assert_eq!(finding["path"], "deploy.yaml");
    assert_eq!(finding["line"], 12);
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .ends_with("no answer within 10.0 s (timeoutSeconds: 100000 is capped at 10 s)"),
        "{finding}"
    );
}

#[test]
fn the_runtime_stage_deadline_bounds_every_probe_and_names_what_did_not_finish() {
    let (_listener, silent) = silent_port();
    let endless = endless_http_server();
    let dir = tempfile::tempdir().unwrap();
    good_file(dir.path());
    // Thirty declared probes that would each wait 8 s, sixteen at a time.
    write(dir.path(), "deploy.yaml", &deployment(&[(silent, 8); 30]));
    let slow = format!("http://127.0.0.1:{silent}/#timeout=600s&retries=20&interval=60s");
    let flood = format!("http://127.0.0.1:{endless}/#contains=never&timeout=60s");
    let out = policy_bounded(
        &[
            "check",
            "--runtime",
            "--no-engine",
            "--runtime-timeout",
            "3",
            "--probe",
            &slow,
            "--probe",
            &flood,
            "--probe-declared",
            "Dockerfile",
            "deploy.yaml",
            "--format",
            "json",
        ],
        dir.path(),
        MEMORY_LIMIT,
        Duration::from_secs(40),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let report = json(&out);
    assert_good_file_reported(&report);
    let errors = errors_of(&report);
    let slow_target = format!("http://127.0.0.1:{silent}/");
    assert!(
        errors.iter().any(|(path, line, message)| path == &slow_target
            && line.is_none()
            && message == &format!("probe {slow_target} did not finish within the runtime stage's 3 s; raise --runtime-timeout, or select fewer containers or probes")),
        "{errors:?}"
    );
    // Every declared probe is an error at its line, none a silent pass.
    let declared: Vec<_> = errors
        .iter()
        .filter(|(path, ..)| path == "deploy.yaml")
        .collect();
    assert_eq!(declared.len(), 30, "{errors:?}");
    assert!(declared.iter().all(|(_, line, message)| line.is_some()
        && message.contains("did not finish within the runtime stage's 3 s")));
    // The endless body is read up to its cap, then judged within the deadline.
    let probes = report["probes"].as_array().unwrap();
    let flood_result = probes
        .iter()
        .find(|p| p["target"] == format!("http://127.0.0.1:{endless}/").as_str())
        .unwrap();
    assert!(
        flood_result["result"] == "fail" || flood_result["result"] == "skipped",
        "{flood_result}"
    );
    assert_eq!(probes.iter().filter(|p| p["result"] == "pass").count(), 0);
}

// ---------------------------------------------------------------------------
// D13: a fake engine on a unix socket

/// How the fake engine answers a request path.
#[derive(Clone, Copy)]
enum Engine {
    /// `/containers/json` never ends.
    EndlessList,
    /// One container is listed; its inspect never ends.
    EndlessInspect,
}

/// A fake Docker engine on a unix socket in `dir`; returns its `unix://` address.
fn fake_engine(dir: &Path, engine: Engine) -> String {
    let socket = dir.join("engine.sock");
    let listener = UnixListener::bind(&socket).unwrap();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let request = String::from_utf8_lossy(&request);
                let path = request.split(' ').nth(1).unwrap_or("").to_string();
                let path = path.split('?').next().unwrap_or("");
                let full = |body: &str| {
                    format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    )
                };
                let endless = path.ends_with("/containers/json")
                    && matches!(engine, Engine::EndlessList)
                    || path.ends_with("/containers/hostile-id/json");
                if endless {
                    let _ = stream.write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                    );
                    let mut chunk = format!("{:x}\r\n", 64 * 1024).into_bytes();
                    chunk.extend(std::iter::repeat_n(b' ', 64 * 1024));
                    chunk.extend_from_slice(b"\r\n");
                    while stream.write_all(&chunk).is_ok() {}
                } else if path.ends_with("/_ping") {
                    let _ = stream.write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK",
                    );
                } else if path.ends_with("/containers/json") {
                    let _ = stream.write_all(
                        full(r#"[{"Id":"hostile-id","Names":["/hostile"],"State":"running"}]"#)
                            .as_bytes(),
                    );
                } else {
                    let _ = stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 26\r\n\r\n{\"message\":\"no such path\"}",
                    );
                }
            });
        }
    });
    format!("unix://{}", socket.display())
}

fn check_against(engine: Engine) -> (Output, String) {
    let dir = tempfile::tempdir().unwrap();
    good_file(dir.path());
    let host = fake_engine(dir.path(), engine);
    let out = policy_bounded(
        &[
            "check",
            "--runtime",
            "--docker-host",
            &host,
            "Dockerfile",
            "--format",
            "json",
        ],
        dir.path(),
        MEMORY_LIMIT,
        Duration::from_secs(60),
    );
    (out, host)
}

#[test]
fn an_endless_container_list_is_an_error_within_the_memory_bound() {
    let (out, host) = check_against(Engine::EndlessList);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let report = json(&out);
    assert_good_file_reported(&report);
    assert_eq!(
        errors_of(&report),
        vec![(
            host.clone(),
            None,
            "listing containers: the engine's answer is larger than 32 MiB, the most policy reads from one call; check that --docker-host is a Docker engine, or select fewer containers with --container, --label or --compose-project".to_string()
        )]
    );
}

#[test]
fn an_endless_inspect_is_an_error_naming_the_container() {
    let (out, _) = check_against(Engine::EndlessInspect);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let report = json(&out);
    assert_good_file_reported(&report);
    assert_eq!(
        errors_of(&report),
        vec![(
            "docker://hostile".to_string(),
            None,
            "inspecting container hostile: the engine's answer is larger than 32 MiB, the most policy reads from one call; check that --docker-host is a Docker engine, or select fewer containers with --container, --label or --compose-project".to_string()
        )]
    );
}

// ---------------------------------------------------------------------------
// D14: healthchecks run through exec, against a real engine

/// Skips (or, with POLICY_REQUIRE_TOOLS, fails) when there is no engine.
fn engine_available() -> bool {
    common::require_or_skip("the exec healthcheck test", engine_missing())
}

/// Busybox on scratch, its applets installed.
fn busybox_image(created: &Created) {
    let context = tempfile::tempdir().unwrap();
    std::fs::copy(busybox().unwrap(), context.path().join("busybox")).unwrap();
    write(
        context.path(),
        "Dockerfile",
        "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n",
    );
    docker_ok(&[
        "build",
        "--network",
        "none",
        "-q",
        "-t",
        &created.image,
        &context.path().to_string_lossy(),
    ]);
}

/// Starts a container whose healthcheck runs `check` with `timeout`;
/// Docker's own checks are an hour apart, so only policy runs it.
fn start(created: &mut Created, name: String, label: &str, check: &str, timeout: &str) {
    created.containers.push(name.clone());
    docker_ok(&[
        "run",
        "-d",
        "--name",
        &name,
        "--network",
        "none",
        "--label",
        label,
        "--health-cmd",
        check,
        "--health-timeout",
        timeout,
        "--health-interval",
        "1h",
        &created.image,
        "sleep",
        "600",
    ]);
}

#[test]
fn healthchecks_through_exec_are_capped_and_run_a_few_at_a_time() {
    if !engine_available() {
        return;
    }
    let prefix = format!("cp-hostile-runtime-{}", std::process::id());
    let mut created = Created {
        image: format!("{prefix}:1"),
        containers: Vec::new(),
    };
    busybox_image(&created);
    let label = format!("cp.test={prefix}");
    // Twenty slow but healthy containers (4 s each, their own timeout 30 s),
    // and one whose healthcheck would run for 1,000 s (its timeout 1,000 s).
    for i in 0..20 {
        start(
            &mut created,
            format!("{prefix}-slow{i}"),
            &label,
            "sleep 4",
            "30s",
        );
    }
    let stuck = format!("{prefix}-stuck");
    start(&mut created, stuck.clone(), &label, "sleep 1000", "1000s");
    let dir = tempfile::tempdir().unwrap();
    good_file(dir.path());
    // One at a time this took 20 × 4 s + 1,000 s.
    let out = policy_bounded(
        &[
            "check",
            "--runtime",
            "--label",
            &label,
            "--exec-healthchecks",
            "Dockerfile",
            "--format",
            "json",
        ],
        dir.path(),
        MEMORY_LIMIT,
        Duration::from_secs(55),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let report = json(&out);
    assert_good_file_reported(&report);
    let probes = report["probes"].as_array().unwrap();
    let passed = probes.iter().filter(|p| p["result"] == "pass").count();
    assert_eq!(passed, 20, "{probes:?}");
    let errors = errors_of(&report);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (path, line, message) = &errors[0];
    assert_eq!(path, &format!("docker://{stuck}"));
    assert!(line.is_some());
    assert_eq!(
        message,
        "the healthcheck did not finish within 10 s, the most policy waits for one (its own timeout is 1000 s); it may still run in the container, as the Engine API cannot stop it"
    );
    // The stage deadline stops what is left, naming each container.
    let out = policy_bounded(
        &[
            "runtime",
            "--label",
            &label,
            "--exec-healthchecks",
            "--runtime-timeout",
            "2",
            "--format",
            "json",
        ],
        dir.path(),
        MEMORY_LIMIT,
        Duration::from_secs(30),
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let errors = errors_of(&json(&out));
    assert_eq!(errors.len(), 21, "{errors:?}");
    assert!(
        errors.iter().all(
            |(path, _, message)| path.starts_with(&format!("docker://{prefix}-"))
                && message.contains(
                    "did not finish within the runtime stage's 2 s; raise --runtime-timeout"
                )
        ),
        "{errors:?}"
    );
}
