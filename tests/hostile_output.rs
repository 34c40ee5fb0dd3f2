//! Hostile input against the output and the command line (issue 10: D3,
//! D4/D5, D7, D12, D18, EPIPE): the real binary on inputs built here, with a
//! hang guard (never a timing assertion) and, for resources, a memory limit.

mod common;

use common::bounded::Limits;
use common::{json, policy, stderr, stdout, write};

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// Far above what any of these runs takes once fixed: only a hang trips it.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// Address space the binary may use in the resource tests (`prlimit --as`).
const MEMORY_LIMIT: u64 = 1 << 30;

/// A good file checked in the same run as the hostile one: its finding
/// must still be reported.
const GOOD_DOCKERFILE: &str = "FROM debian:bookworm-slim\nRUN true\n";

/// Runs the binary in `dir` under the memory limit, killed at the hang guard.
fn run_bounded(args: &[&str], dir: &Path, stdin: Option<&[u8]>) -> Output {
    let limits = Limits {
        address_space: MEMORY_LIMIT,
        hang_guard: HANG_GUARD,
    };
    common::bounded::run_bounded(args, dir, limits, stdin)
}

/// A Kubernetes `List` of `n` Pods minified onto one line, each with
/// findings (root, no limits, `latest` image…).
fn minified_pods(n: usize) -> String {
    let pods: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"pod-{i:05}"}},"spec":{{"containers":[{{"name":"app","image":"nginx"}}]}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[{}]}}"#,
        pods.join(",")
    )
}

fn count_findings(dir: &Path, path: &str) -> (usize, u64) {
    let out = policy(&["check", path, "--format", "json"], dir);
    let report = json(&out);
    let findings = report["findings"].as_array().unwrap();
    let max_column = findings
        .iter()
        .map(|f| f["column"].as_u64().unwrap())
        .max()
        .unwrap_or(0);
    (findings.len(), max_column)
}

#[test]
fn a_finding_past_column_65535_does_not_crash_the_report() {
    let dir = tempfile::tempdir().unwrap();
    // One minified Pod whose containers come after 70,000 columns of an
    // annotation: miette's padding panicked there (exit 101).
    let pad = "x".repeat(70_000);
    write(
        dir.path(),
        "pod.json",
        &format!(
            r#"{{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"web","annotations":{{"pad":"{pad}"}}}},"spec":{{"containers":[{{"name":"app","image":"nginx"}}]}}}}"#
        ),
    );
    write(dir.path(), "Dockerfile", GOOD_DOCKERFILE);
    let (findings, max_column) = count_findings(dir.path(), "pod.json");
    assert!(max_column > 65_535, "max column {max_column}");

    let out = run_bounded(&["check", ".", "--kind", "kubernetes"], dir.path(), None);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(text.contains("./Dockerfile:1:1"), "good file not reported");
    // The header keeps the file's own line and column.
    assert!(
        text.contains(&format!("pod.json:1:{max_column}]")),
        "no header at column {max_column}"
    );
    assert!(text.len() < (findings + 2) * 4096, "{} bytes", text.len());
}

#[test]
fn a_long_line_is_cut_around_each_span() {
    let dir = tempfile::tempdir().unwrap();
    // 1,000 Pods, 130 KB on one line: each finding printed the whole line.
    write(dir.path(), "pods.json", &minified_pods(1000));
    let (findings, _) = count_findings(dir.path(), "pods.json");
    let out = run_bounded(&["check", "pods.json"], dir.path(), None);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // A window of the line: each finding costs well under a kilobyte.
    assert!(
        text.len() < (findings + 2) * 4096,
        "{} bytes of output for {findings} findings",
        text.len()
    );
    assert!(text.contains(r#""metadata":{"name":"pod-00999"},"spec""#));
    let longest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 300, "a line of {longest} characters");
}

#[test]
fn snippet_work_does_not_grow_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    // 4,000 Pods, 0.5 MB on one line, 36,000 findings: reading the whole
    // line for each finding is 10^10 bytes of work (the hang guard trips).
    write(dir.path(), "pods.json", &minified_pods(4000));
    write(dir.path(), "Dockerfile", GOOD_DOCKERFILE);
    for format in ["human", "json", "sarif", "github", "junit"] {
        let out = run_bounded(
            &["check", ".", "--kind", "kubernetes", "--format", format],
            dir.path(),
            None,
        );
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("Dockerfile"),
            "{format}: good file not reported"
        );
    }
}

#[test]
fn long_lines_in_yaml_are_cut_around_the_span_and_short_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let filler = "x".repeat(100_000);
    write(
        dir.path(),
        "pod.yaml",
        &format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations: {{a: {filler}}}\nspec:\n  containers:\n  - {{name: app, image: nginx, note: {filler}}}\n"
        ),
    );
    let out = run_bounded(&["check", "pod.yaml"], dir.path(), None);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        text.contains(" 7 │   containers:"),
        "short context lines are whole"
    );
    assert!(
        !text.contains(&"x".repeat(1000)),
        "a long line is printed whole"
    );
    assert!(text.len() < 64 * 1024, "{} bytes of output", text.len());
}

#[test]
fn terminal_escapes_from_input_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    // A clear-screen and title sequence and a right-to-left override in a
    // line with a finding, in a file name, and in a parse error.
    write(
        dir.path(),
        "Dockerfile",
        "FROM debian:bookworm-slim\nRUN curl -fsSL https://x.example/i.sh | sh # \x1b[2J\x1b]0;pwned\x07 \u{202e}kcah\n",
    );
    write(
        dir.path(),
        "bad\x1b[31m.Dockerfile",
        "FROM debian:bookworm-slim\nRUN true\n",
    );
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  web:\n    image: \"a\x1b[2Jb\n",
    );
    write(dir.path(), "notes\u{202e}txt.md", "# notes\n");
    for format in ["human", "github"] {
        let out = policy(
            &["check", ".", "notes\u{202e}txt.md", "--format", format],
            dir.path(),
        );
        let text = stdout(&out);
        assert_eq!(out.status.code(), Some(2), "{format}: {}", stderr(&out));
        for raw in ['\x1b', '\x07', '\u{202e}'] {
            assert!(
                !text.contains(raw),
                "{format}: {raw:?} printed raw:\n{text}"
            );
        }
        assert!(text.contains("\\x1b"), "{format}: ESC not shown:\n{text}");
        assert!(
            text.contains("\\u{202e}"),
            "{format}: override not shown:\n{text}"
        );
        assert!(
            text.contains("bad\\x1b[31m.Dockerfile"),
            "{format}: file name:\n{text}"
        );
    }
    // An error on standard error (a CI log, not a terminal).
    let out = policy(&["check", ".", "--enable", "x\x1b[2J"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`x\\x1b[2J`"), "{}", stderr(&out));
}

#[test]
fn escaped_snippets_keep_carets_under_the_span() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        "FROM debian:bookworm-slim\nENV A=\"\x1b\x1b\x1b\" API_TOKEN=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
    );
    let out = policy(&["check", "Dockerfile"], dir.path());
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    // The token's finding: its line, then the underline.
    let (line, underline) = lines
        .windows(2)
        .map(|w| (w[0], w[1]))
        .find(|(l, u)| l.contains("API_TOKEN=") && u.trim_start().starts_with('·'))
        .expect("the token's snippet");
    let column = |s: &str, pat: &str| s[..s.find(pat).unwrap()].chars().count();
    // Under the (masked) token, after the escaped `\x1b`s.
    assert!(line.contains(r#"A="\x1b\x1b\x1b""#), "{line}");
    assert_eq!(
        column(line, "API_TOKEN=") + "API_TOKEN=".len(),
        column(underline, "─"),
        "\n{line}\n{underline}"
    );
}

#[test]
fn oversized_and_endless_inputs_are_refused_per_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", GOOD_DOCKERFILE);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.yaml")).unwrap();

    // --data /dev/zero: a device never ends.
    let out = run_bounded(
        &["check", "Dockerfile", "--data", "/dev/zero"],
        dir.path(),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/dev/zero") && stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );

    // --baseline and --dockerfile through a link to /dev/zero.
    for option in ["--baseline", "--dockerfile"] {
        let out = run_bounded(
            &["check", "Dockerfile", option, "zero.yaml"],
            dir.path(),
            None,
        );
        assert_eq!(out.status.code(), Some(2), "{option}");
        let err = stderr(&out);
        assert!(
            err.contains("zero.yaml") && err.contains("not a regular file"),
            "{option}: {err}"
        );
    }

    // 20 MiB on standard input: read up to the limit, then refused; the
    // Dockerfile of the same run is still reported.
    let big = "# filler\n".repeat(2 << 20);
    let out = run_bounded(
        &[
            "check",
            "-",
            "Dockerfile",
            "--kind",
            "dockerfile",
            "--format",
            "json",
        ],
        dir.path(),
        Some(big.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let report = json(&out);
    let error = &report["errors"][0];
    assert_eq!(error["path"], "-");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("16777216 byte limit"),
        "{error}"
    );
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["path"] == "Dockerfile"));
}

#[test]
fn config_data_over_the_limit_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", GOOD_DOCKERFILE);
    // 1 GiB of zeros, sparse: nothing to commit, everything to read.
    let big = std::fs::File::create(dir.path().join("big.yaml")).unwrap();
    big.set_len(1 << 30).unwrap();
    write(dir.path(), ".policy.yaml", "data: [big.yaml]\n");
    let out = run_bounded(&["check", "."], dir.path(), None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("big.yaml"), "{err}");
    assert!(err.contains("larger than the 16777216 byte limit"), "{err}");
}

#[test]
fn jobs_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", GOOD_DOCKERFILE);
    // 10,000 threads would reserve 20 GB of stacks, far over the limit.
    let out = run_bounded(&["check", ".", "-j", "10000"], dir.path(), None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("note: -j 10000 is more than"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("Dockerfile:1:1"));
}

#[test]
fn a_closed_pipe_ends_the_run_quietly_with_its_status() {
    let dir = tempfile::tempdir().unwrap();
    // Far more output than a pipe buffers, so writing fails once closed.
    for i in 0..300 {
        write(dir.path(), &format!("d{i:03}/Dockerfile"), GOOD_DOCKERFILE);
    }
    for format in ["human", "json", "sarif", "github", "junit"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_policy"))
            .args(["check", ".", "--format", format])
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The reader is dropped: `| head -1`.
        let out = child.wait_with_output().unwrap();
        assert!(!first.is_empty());
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{format}");
    }
}

#[test]
fn a_closed_pipe_on_stderr_or_for_explain_is_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", GOOD_DOCKERFILE);
    let closed = |args: &[&str], stdout_closed: bool| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_policy"))
            .args(args)
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before the first write.
        if stdout_closed {
            drop(child.stdout.take());
        } else {
            drop(child.stderr.take());
        }
        child.wait().unwrap().code()
    };
    // A usage error printed to a closed stderr (`2>&1 | head -0`).
    assert_eq!(
        closed(&["check", ".", "--enable", "no-such-rule"], false),
        Some(2)
    );
    assert_eq!(closed(&["check", ".", "-j", "10000"], false), Some(1));
    assert_eq!(closed(&["explain", "CP101"], true), Some(0));
}

#[test]
fn a_config_error_past_column_65535_is_reported_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    // One flow sequence of 14,000 ids on one line, the bad one last: the
    // config-error snippet padded its caret past miette's limit (exit 101).
    let ids = vec!["CP101"; 14_000].join(", ");
    write(
        dir.path(),
        ".policy.yaml",
        &format!("disable: [{ids}, nosuch]\n"),
    );
    write(dir.path(), "Dockerfile", GOOD_DOCKERFILE);
    let out = run_bounded(&["check", "."], dir.path(), None);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("nosuch"), "{text}");
    assert!(text.contains(".policy.yaml:1:"), "{text}");
    assert!(text.len() < 4096, "{} bytes", text.len());
}

#[test]
fn a_baseline_may_be_larger_than_one_checked_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", GOOD_DOCKERFILE);
    // A baseline grows with the run: 20 MiB (about 330,000 findings) is read,
    // while a checked file that size is refused.
    let entry = format!(r#"{{"fingerprint":"{}"}}"#, "0".repeat(32));
    let entries = vec![entry.as_str(); 20 * 1024 * 1024 / entry.len()].join(",");
    write(
        dir.path(),
        "baseline.json",
        &format!(r#"{{"findings":[{entries}]}}"#),
    );
    let out = run_bounded(
        &["check", "Dockerfile", "--baseline", "baseline.json"],
        dir.path(),
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("Dockerfile:1:1"), "{}", stdout(&out));
}

#[test]
fn thousands_of_suppression_comments_cost_little() {
    let dir = tempfile::tempdir().unwrap();
    // Each comment looked for the node starting on its line through the whole
    // document, counting columns on the way: 300 of them took 95 s.
    let mut text = String::from("FROM debian:bookworm-slim\n");
    for _ in 0..4000 {
        text.push_str("# policy:ignore CP701 -- reviewed\nRUN true\n");
    }
    write(dir.path(), "Dockerfile", &text);
    let out = run_bounded(&["check", ".", "--format", "json"], dir.path(), None);
    let report = json(&out);
    assert!(report["errors"].as_array().unwrap().is_empty(), "{report}");
    assert!(!report["findings"].as_array().unwrap().is_empty());
}
