//! Day-to-day use, each case found by trying it: paths and fingerprints that
//! do not depend on how a path was typed, config and policy errors reported
//! once and all at once, `rules`/`explain` under a config file, messages,
//! `--stdin-filename`, and the output formats people ask for.

mod common;

use common::{json, policy, stderr, stdout, write};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn policy_with_stdin(args: &[&str], dir: &Path, input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policy"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run policy");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// `(path, fingerprint)` of every finding of a JSON report.
fn paths_and_fingerprints(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["fingerprint"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn sarif_uris(report: &Value) -> Vec<String> {
    report["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn fingerprints_and_report_paths_are_relative_to_the_repository_root() {
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    write(root, "image/Dockerfile", "FROM alpine\nRUN apk add curl\n");
    let absolute = root.join("image/Dockerfile");
    let absolute = absolute.to_str().unwrap();
    let runs: [(&[&str], &Path); 5] = [
        (&["."], root),
        (&["image/Dockerfile"], root),
        (&["./image/Dockerfile"], root),
        (&[absolute], root),
        (&["Dockerfile"], &root.join("image")),
    ];
    let mut reports = Vec::new();
    for (paths, dir) in runs {
        let mut args = vec!["check", "--no-config", "--format", "json"];
        args.extend(paths);
        let report = json(&policy(&args, dir));
        let found = paths_and_fingerprints(&report);
        assert!(!found.is_empty(), "{paths:?}: {report}");
        assert!(
            found.iter().all(|(p, _)| p == "image/Dockerfile"),
            "{paths:?} from {dir:?}: {found:?}"
        );
        let mut args = vec!["check", "--no-config", "--format", "sarif"];
        args.extend(paths);
        let uris = sarif_uris(&json(&policy(&args, dir)));
        assert!(
            uris.iter().all(|u| u == "image/Dockerfile"),
            "{paths:?}: {uris:?}"
        );
        reports.push(found);
    }
    assert!(reports.windows(2).all(|w| w[0] == w[1]), "{reports:#?}");

    // A baseline written over the whole tree matches a run from the subdirectory.
    let out = policy(
        &["check", "--no-config", "--write-baseline", "base.json", "."],
        root,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = policy(
        &[
            "check",
            "--no-config",
            "--baseline",
            "../base.json",
            "Dockerfile",
        ],
        &root.join("image"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("in the baseline"), "{}", stdout(&out));
    // Human output keeps the path as it was typed.
    let human = stdout(&policy(
        &["check", "--no-config", "./image/Dockerfile"],
        root,
    ));
    assert!(human.contains("./image/Dockerfile:1"), "{human}");
}

#[test]
fn every_error_of_a_config_file_is_reported_at_once_in_line_order() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".policy.yaml",
        "fial-on: error\nseverity:\n  CP101: warning\nenabel: [CP101]\nfail-on: sometimes\n",
    );
    write(dir.path(), "Dockerfile", "FROM alpine:3.20\n");
    let out = policy(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let at = |what: &str| {
        err.find(what)
            .unwrap_or_else(|| panic!("no `{what}` in:\n{err}"))
    };
    assert!(at("`fial-on`") < at("`enabel`"), "{err}");
    assert!(at("`enabel`") < at("sometimes"), "{err}");
    assert!(err.contains("3 errors"), "{err}");
}

#[test]
fn unknown_rules_of_a_config_file_are_all_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".policy.yaml",
        "disable: [CP9999]\nseverity:\n  no-such-rule: info\n",
    );
    let out = policy(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let first = err.find("CP9999").expect(&err);
    let second = err.find("no-such-rule").expect(&err);
    assert!(first < second, "{err}");
}

#[test]
fn rules_and_explain_show_what_the_config_file_makes_of_each_rule() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".policy.yaml",
        "disable: [CP201]\nseverity:\n  CP101: info\n",
    );
    let out = policy(&["rules", "--format", "json"], dir.path());
    let list = json(&out);
    let rule = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))
            .clone()
    };
    assert_eq!(rule("CP101")["severity"], "info");
    assert_eq!(rule("CP101")["enabled"], true);
    assert_eq!(rule("CP201")["enabled"], false);
    assert_eq!(rule("CP601")["enabled"], true);

    let table = stdout(&policy(&["rules"], dir.path()));
    let line = |id: &str| {
        table
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("no {id} in {table}"))
            .to_string()
    };
    assert!(line("CP101").contains(" info "), "{}", line("CP101"));
    assert!(line("CP201").contains("(off)"), "{}", line("CP201"));
    assert!(!line("CP601").contains("(off)"), "{}", line("CP601"));

    let explain = stdout(&policy(&["explain", "CP101"], dir.path()));
    assert!(explain.contains("Severity: **info**"), "{explain}");
    assert!(explain.contains(".policy.yaml"), "{explain}");
    let explain = stdout(&policy(&["explain", "CP201"], dir.path()));
    assert!(explain.contains("off"), "{explain}");
    // Without the file, the defaults.
    let list = json(&policy(
        &["rules", "--no-config", "--format", "json"],
        dir.path(),
    ));
    let cp101 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "CP101")
        .unwrap();
    assert_eq!(cp101["severity"], "error");
}

#[test]
fn an_error_in_a_user_policy_is_reported_once_at_the_policy_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "policy/bad.rego",
        "package main\nimport rego.v1\n\ndeny contains msg if {\n  nofunc(input)\n  msg := \"x\"\n}\n",
    );
    write(dir.path(), "a/Dockerfile", "FROM alpine:3.20\nUSER 1000\n");
    write(dir.path(), "b/Dockerfile", "FROM alpine:3.20\nUSER 1000\n");
    let out = policy(
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "-p",
            "policy",
            "a",
            "b",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0]["path"], "policy/bad.rego");
    assert_eq!(errors[0]["line"], 5);
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("nofunc"), "{message}");
}

#[test]
fn a_gzipped_docker_save_archive_gets_the_gzip_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut gz = flate2_free_gzip(b"not really a tar, but gzip magic is what counts");
    gz.truncate(gz.len());
    std::fs::write(dir.path().join("app.tar.gz"), &gz).unwrap();
    let out = policy(&["check", "--no-config", "app.tar.gz"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out) + &stderr(&out);
    assert!(text.contains("gzip-compressed"), "{text}");
    assert!(text.contains("gunzip"), "{text}");
    assert!(!text.contains("UTF-8"), "{text}");
}

/// A gzip member with stored (uncompressed) deflate blocks: the magic bytes
/// and a valid stream, without a gzip library.
fn flate2_free_gzip(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.push(1); // final stored block
    let len = data.len() as u16;
    out.extend(len.to_le_bytes());
    out.extend((!len).to_le_bytes());
    out.extend(data);
    out.extend([0u8; 8]); // crc and size: not checked before the message
    out
}

#[test]
fn messages_read_as_english() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        "FROM alpine:3.20\nENV AWS_ACCESS_KEY_ID=AKIAQ3EGRTXW7KJ5LM2P\nUSER 1000\n",
    );
    write(
        dir.path(),
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers:\n    - name: c\n      image: nginx:1.27\n",
    );
    let report = json(&policy(
        &["check", "--no-config", "--format", "json", "."],
        dir.path(),
    ));
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    let secret = messages
        .iter()
        .find(|m| m.contains("aws-access-key-id"))
        .expect("CP502");
    assert!(secret.starts_with("an aws-access-key-id"), "{secret}");
    let pid = messages
        .iter()
        .find(|m| m.contains("PID namespace"))
        .expect("CP106");
    assert!(!pid.contains("port"), "{pid}");
}

#[test]
fn stdin_filename_names_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let dockerfile =
        "FROM alpine\n# policy:ignore CP201 pinned by the digest the build adds\nUSER 1000\n";
    let out = policy_with_stdin(
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--stdin-filename",
            "svc/Dockerfile",
            "-",
        ],
        dir.path(),
        dockerfile,
    );
    let report = json(&out);
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty(), "{report}");
    assert!(
        findings.iter().all(|f| f["path"] == "svc/Dockerfile"),
        "{report}"
    );
    assert!(findings.iter().any(|f| f["rule"] == "CP601"), "{report}");
    // Kind from the name, as for a file: no --kind needed for YAML either.
    let out = policy_with_stdin(
        &[
            "check",
            "--no-config",
            "--format",
            "compact",
            "--stdin-filename",
            "k8s/pod.yaml",
        ],
        dir.path(),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers:\n    - name: c\n      image: nginx:1.27\n",
    );
    let text = stdout(&out);
    assert!(text.contains("k8s/pod.yaml:6:"), "{text}{}", stderr(&out));
}

#[test]
fn compact_format_is_one_line_per_finding() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", "FROM alpine\n");
    let out = policy(&["check", "--no-config", "--format", "compact"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.contains(&"Dockerfile:1:6: warning CP201 image \"alpine\" has no tag, so it means whatever `latest` is today; pin a version such as alpine:<version>"),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Dockerfile:1:1: error CP101 ")),
        "{text}"
    );
    let report = json(&policy(
        &["check", "--no-config", "--format", "json"],
        dir.path(),
    ));
    let count = report["findings"].as_array().unwrap().len();
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("Dockerfile:"))
            .count(),
        count,
        "{text}"
    );
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/Dockerfile", "FROM alpine\n");
    write(dir.path(), "b/Dockerfile", "FROM alpine\n");
    let out = policy(&["check", "--no-config", "--statistics"], dir.path());
    let text = stdout(&out);
    let stats: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert!(
        stats
            .iter()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["2", "CP201", "image-untagged", "warning"]),
        "{text}"
    );
    assert!(
        stats
            .iter()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["2", "CP101", "run-as-root", "error"]),
        "{text}"
    );
    let plain = stdout(&policy(&["check", "--no-config"], dir.path()));
    assert!(!plain.contains("image-untagged warning"), "{plain}");
}

#[test]
fn verbose_lists_every_file_and_what_became_of_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", "FROM alpine:3.20\nUSER 1000\n");
    write(dir.path(), "notes.txt", "hello\n");
    write(dir.path(), "data.yaml", "just: data\n");
    let out = policy(
        &["check", "--no-config", "--verbose", ".", "notes.txt"],
        dir.path(),
    );
    let err = stderr(&out);
    assert!(err.contains("checked: ./Dockerfile (dockerfile)"), "{err}");
    assert!(err.contains("skipped: notes.txt"), "{err}");
    assert!(err.contains("data.yaml"), "{err}");
    // Not on standard output, and nothing without the flag.
    assert!(!stdout(&out).contains("checked: "), "{}", stdout(&out));
    let quiet = policy(&["check", "--no-config", "."], dir.path());
    assert!(!stderr(&quiet).contains("checked: "), "{}", stderr(&quiet));
}

#[test]
fn no_progress_indicator_when_standard_error_is_piped() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..200 {
        write(
            dir.path(),
            &format!("s{i}/Dockerfile"),
            "FROM alpine:3.20\nUSER 1000\n",
        );
    }
    let out = policy(
        &["check", "--no-config", "--progress-after", "0"],
        dir.path(),
    );
    let err = stderr(&out);
    assert!(!err.contains('\r'), "{err:?}");
    assert!(!err.contains("files checked"), "{err:?}");
}

#[test]
fn a_progress_line_on_a_terminal_is_erased_at_the_end() {
    if !common::require_or_skip(
        "the progress line on a terminal",
        (!common::have("script")).then(|| "`script` (util-linux) is not installed".into()),
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", "FROM alpine:3.20\nUSER 1000\n");
    // `script` runs the command on a pseudo-terminal: standard error is a terminal.
    let command = format!(
        "{} check --no-config --progress-after 0 .",
        env!("CARGO_BIN_EXE_policy")
    );
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.path())
        .env_remove("CI")
        .env("NO_COLOR", "1")
        .output()
        .expect("run script");
    let text = String::from_utf8_lossy(&out.stdout);
    let shown = text
        .find("checking: ")
        .unwrap_or_else(|| panic!("{text:?}"));
    assert!(text[shown..].contains("/1 inputs\r\x1b[K"), "{text:?}");
    // In CI, never.
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir.path())
        .env("CI", "true")
        .output()
        .expect("run script");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("checking: "),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
