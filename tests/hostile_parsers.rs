//! Hostile input to the parsers and the token scanner (issue 10): each case
//! builds its input here, runs the real binary (under a memory limit where
//! the defect was memory, with a generous hang guard where it was time),
//! and checks that the bound holds, that the error names the file and line,
//! and that a good file of the same run is still reported.

mod common;

use common::bounded::Limits;

use common::{json, stderr, write};
use serde_json::Value;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

/// Address space for one run: a normal run of these inputs needs well under
/// half of it (threads' stacks and the allocator's reservations included).
const MEMORY_LIMIT: u64 = 1 << 30;

/// A hang guard, not a timing assertion: the fixed cases finish in about a
/// second; before the fixes they ran for minutes.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// `policy ARGS` in `dir` under `prlimit --as=MEMORY_LIMIT`, killed after
/// [`HANG_GUARD`].
fn policy_bounded(args: &[&str], dir: &Path) -> Output {
    let limits = Limits {
        address_space: MEMORY_LIMIT,
        hang_guard: HANG_GUARD,
    };
    common::bounded::run_bounded(args, dir, limits, None)
}

/// A Pod with one finding (CP102 at line 9), the good file of each run.
const GOOD_POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: good
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext: {privileged: true}
";

fn rules_in(report: &Value, path: &str) -> Vec<(String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == path)
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn error_of<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == path)
        .unwrap_or_else(|| panic!("no error for {path}: {report:#}"))
}

/// `policy check --format json NAME good.yaml` on `text` written as `name`
/// beside [`GOOD_POD`]: the exit code and the report.
fn check_beside_good_pod(name: &str, text: &str) -> (Option<i32>, Value, String) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), name, text);
    write(dir.path(), "good.yaml", GOOD_POD);
    let out = policy_bounded(
        &["check", "--format", "json", name, "good.yaml"],
        dir.path(),
    );
    (out.status.code(), json(&out), stderr(&out))
}

fn assert_good_pod_reported(report: &Value) {
    assert!(
        rules_in(report, "good.yaml").contains(&("CP102".to_string(), 9)),
        "the good file is still checked: {report:#}"
    );
}

// ------------------------------------------------------------------ D1

#[test]
fn yaml_aliases_of_one_huge_scalar_are_bounded_in_bytes() {
    // 100 KB scalar, 5,000 aliases of it: 500 MB of copies from a 125 KB file.
    let mut text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\nbig: &a \"{}\"\ncopies:\n",
        "x".repeat(100_000)
    );
    for _ in 0..5_000 {
        text.push_str("  - *a\n");
    }
    let (code, report, err) = check_beside_good_pod("bomb.yaml", &text);
    assert_eq!(code, Some(2), "{err}");
    let error = error_of(&report, "bomb.yaml");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.starts_with("alias *a copies 100000 bytes, making more than 16777216 bytes"),
        "{message}"
    );
    // The alias that crosses 16 MiB: the 168th (lines 7, 8, …).
    assert_eq!(error["line"], 7 + 167, "{error}");
    assert_eq!(error["column"], 5);
    assert_good_pod_reported(&report);
}

/// Aliases of one string of tokens: each copy is reported where its alias
/// is, a token repeated in one string is one fact, and a document keeps at
/// most 10,000 token facts (this file would make 12,000 distinct ones, and
/// 60,000 before repeats were merged).
#[test]
fn token_facts_repeated_by_aliases_are_bounded() {
    let tokens = "ghp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA AKIAIOSFODNN7EXAMPLE ".repeat(5);
    let aliases = vec!["*x"; 6_000].join(",");
    let text = format!(
        "x-tokens: &x \"{tokens}\"\nservices:\n  app:\n    image: app:1\n    command: [{aliases}]\n"
    );
    let (code, report, err) = check_beside_good_pod("compose.yaml", &text);
    assert_eq!(code, Some(1), "{err}");
    let found = rules_in(&report, "compose.yaml");
    let tokens_at = |line| {
        found
            .iter()
            .filter(|(rule, l)| rule == "CP502" && *l == line)
            .count()
    };
    // Two token kinds in the anchor's string, on line 1.
    assert_eq!(tokens_at(1), 2, "{found:?}");
    // The first 9,998 of the 12,000 copies' facts, at their aliases on line 5.
    assert_eq!(tokens_at(5), 10_000 - 2, "{found:?}");
    assert_good_pod_reported(&report);
}

#[test]
fn billion_laughs_and_deep_nesting_still_fail_fast() {
    let dir = tempfile::tempdir().unwrap();
    let mut laughs = String::from(
        "apiVersion: v1\nkind: ConfigMap\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        laughs.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], refs));
    }
    write(dir.path(), "laughs.yaml", &laughs);
    write(
        dir.path(),
        "deep.yaml",
        &format!(
            "apiVersion: v1\nkind: ConfigMap\ndata: {}\n",
            "[".repeat(100_000)
        ),
    );
    write(dir.path(), "good.yaml", GOOD_POD);
    let out = policy_bounded(
        &[
            "check",
            "--format",
            "json",
            "laughs.yaml",
            "deep.yaml",
            "good.yaml",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let report = json(&out);
    let laughs = error_of(&report, "laughs.yaml")["message"]
        .as_str()
        .unwrap();
    assert!(laughs.contains("possible alias bomb"), "{laughs}");
    let deep = error_of(&report, "deep.yaml");
    assert_eq!(deep["message"], "nesting deeper than 200 levels");
    assert_eq!(deep["line"], 3);
    assert_good_pod_reported(&report);
}

// ------------------------------------------------------------------ D2

/// A 14 MB Dockerfile of each shape (file, first lines, repeated unit, end).
fn big_dockerfiles() -> Vec<(&'static str, String)> {
    let size = 14 << 20;
    let build = |head: &str, unit: &str, tail: &str| {
        let mut text = head.to_string();
        text.push_str(&unit.repeat((size - head.len() - tail.len()) / unit.len()));
        text.push_str(tail);
        text
    };
    vec![
        (
            "Dockerfile.lines",
            build("FROM alpine:3.20\n", "RUN a\n", ""),
        ),
        (
            "Dockerfile.run",
            build(
                "FROM alpine:3.20\nRUN true \\\n",
                " a b c d e f g h \\\n",
                " end\n",
            ),
        ),
        (
            "Dockerfile.heredoc",
            build(
                "FROM alpine:3.20\nRUN <<EOF\n",
                "echo a b c && x | sh\n",
                "EOF\n",
            ),
        ),
        (
            "Dockerfile.env",
            build(
                "FROM alpine:3.20\nENV a0=b \\\n",
                " a=b c=d e=f g=h \\\n",
                " y=z\n",
            ),
        ),
    ]
}

#[test]
fn dockerfiles_cut_into_many_nodes_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let files = big_dockerfiles();
    for (name, text) in &files {
        write(dir.path(), name, text);
    }
    // Long words, not many: checked, with memory a small multiple of the text.
    let long_words = format!(
        "FROM alpine:3.20\nRUN echo \\\n{} end\n",
        format!("{} \\\n", "a".repeat(60_000)).repeat(230)
    );
    write(dir.path(), "Dockerfile.words", &long_words);
    write(dir.path(), "good.yaml", GOOD_POD);
    let mut args = vec!["check", "--format", "json", "good.yaml", "Dockerfile.words"];
    args.extend(files.iter().map(|(name, _)| *name));
    let out = policy_bounded(&args, dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let report = json(&out);
    // `RUN a` makes 20 nodes: the 10,000th crosses 200,000 (line 10,001).
    // The others are one instruction, counted before it is split.
    for ((name, _), line) in files.iter().zip([10_001, 2, 2, 2]) {
        let error = error_of(&report, name);
        assert_eq!(error["line"], line, "{name}: {error}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .starts_with("Dockerfile too large to check: its instructions, arguments and shell words make more than 200000 nodes"),
            "{name}: {error}"
        );
    }
    assert!(
        rules_in(&report, "Dockerfile.words").contains(&("CP101".to_string(), 1)),
        "{report:#}"
    );
    assert_good_pod_reported(&report);
}

// ------------------------------------------------------------------ D15

#[test]
fn from_without_an_image_is_an_error_and_the_rest_of_the_file_is_checked() {
    for (from, what) in [
        ("FROM", "FROM names no image"),
        ("FROM --platform=linux/amd64", "FROM names no image"),
        ("FROM AS build", "FROM has 2 arguments"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        // Line 3 is CP703 (ADD where COPY fits), line 4 CP708 (sudo).
        let text = format!(
            "FROM alpine:3.20 AS base\n{from}\nADD app.tar.gz.txt /app/\nRUN sudo make\nUSER 10001\n"
        );
        write(dir.path(), "Dockerfile", &text);
        write(dir.path(), "good.yaml", GOOD_POD);
        let out = common::policy(
            &["check", "--format", "json", "Dockerfile", "good.yaml"],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(2), "{from}: {}", stderr(&out));
        let report = json(&out);
        let error = error_of(&report, "Dockerfile");
        assert_eq!(error["line"], 2, "{from}: {error}");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.starts_with(what) && message.contains("write `FROM image[:tag] [AS name]`"),
            "{from}: {message}"
        );
        let found = rules_in(&report, "Dockerfile");
        for want in [("CP703", 3), ("CP708", 4)] {
            assert!(
                found.contains(&(want.0.to_string(), want.1)),
                "{from}: {want:?} missing from {found:?} ({report:#})"
            );
        }
        assert_good_pod_reported(&report);
        // As the Dockerfile images are compared with, it is an error too.
        let out = common::policy(
            &["check", "--dockerfile", "Dockerfile", "good.yaml"],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(2), "{from}");
        assert!(
            stderr(&out).contains(&format!("Dockerfile:2:1: {what}")),
            "{from}: {}",
            stderr(&out)
        );
    }
}

// ------------------------------------------------------------------ duplicate keys

const DUPLICATED_SECURITY_CONTEXT: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext:
        privileged: true
      resources: {limits: {cpu: 100m, memory: 64Mi}}
      securityContext:
        runAsNonRoot: true
";

#[test]
fn a_duplicate_key_is_reported_at_the_second_with_the_line_of_the_first() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", DUPLICATED_SECURITY_CONTEXT);
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    user: \"0\"\n    user: \"10001\"\n",
    );
    let out = common::policy(
        &["check", "--format", "json", "compose.yaml", "pod.yaml"],
        dir.path(),
    );
    let report = json(&out);
    let duplicates: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CP003")
        .collect();
    assert_eq!(duplicates.len(), 2, "{report:#}");
    let compose = duplicates[0];
    assert_eq!(compose["path"], "compose.yaml");
    assert_eq!(
        (&compose["line"], &compose["column"]),
        (&5.into(), &5.into())
    );
    assert_eq!(
        compose["message"],
        "key `user` is written twice in this mapping (first at line 4); only this one takes effect: remove or merge one"
    );
    assert_eq!(compose["severity"], "error");
    assert_eq!(compose["name"], "duplicate-key");
    let pod = duplicates[1];
    assert_eq!(pod["path"], "pod.yaml");
    assert_eq!((&pod["line"], &pod["column"]), (&12.into(), &7.into()));
    assert!(
        pod["message"].as_str().unwrap().starts_with(
            "key `securityContext` is written twice in this mapping (first at line 9)"
        ),
        "{pod}"
    );
    assert_eq!(pod["resource"], "Pod/app");
    assert_eq!(out.status.code(), Some(1));
    // The document keeps YAML's last-wins value: the privileged one is gone.
    let rules: Vec<(String, u64)> = rules_in(&report, "pod.yaml");
    assert!(!rules.iter().any(|(r, _)| r == "CP102"), "{rules:?}");
}

#[test]
fn duplicate_keys_can_be_disabled_suppressed_and_reseverity_d() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", DUPLICATED_SECURITY_CONTEXT);
    let count = |args: &[&str]| {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        all.push("pod.yaml");
        let report = json(&common::policy(&all, dir.path()));
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "CP003")
            .map(|f| {
                (
                    f["severity"].as_str().unwrap().to_string(),
                    f["suppression"]["kind"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(count(&[]), [("error".to_string(), String::new())]);
    assert!(count(&["--disable", "CP003"]).is_empty());
    assert!(count(&["--disable", "duplicate-key"]).is_empty());
    assert_eq!(
        count(&["--severity", "CP003=warning"]),
        [("warning".to_string(), String::new())]
    );
    let suppressed = DUPLICATED_SECURITY_CONTEXT.replace(
        "      securityContext:\n        runAsNonRoot",
        "      # policy:ignore CP003 -- merged by our tooling\n      securityContext:\n        runAsNonRoot",
    );
    write(dir.path(), "pod.yaml", &suppressed);
    assert_eq!(count(&[]), [("error".to_string(), "inline".to_string())]);
}

// ------------------------------------------------------------------ D20

#[path = "hostile_parsers/old_tokens.rs"]
mod old_tokens;

use container_policy::secrets::{find_tokens, MAX_URL_AUTHORITY_BYTES};

/// Every file of the rule fixtures and examples, and of the corpus when it
/// is there (`POLICY_CORPUS`, else `../shared/corpus`; without it, that part
/// is reported skipped).
fn real_texts() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![root.join("testdata")];
    match common::corpus_dir() {
        Ok(corpus) => stack.push(corpus),
        Err(why) => {
            common::require_or_skip("the token scanner comparison over the corpus", Some(why));
        }
    }
    let mut out = Vec::new();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((path.display().to_string(), text));
            }
        }
    }
    out
}

#[test]
fn the_linear_scanner_finds_what_the_old_one_found_in_real_files() {
    let mut files = 0;
    let mut tokens = 0;
    for (path, text) in real_texts() {
        // Each file whole, and each line as the strings of a document are.
        let old = old_tokens::find_tokens(&text);
        assert_eq!(find_tokens(&text), old, "{path}");
        for line in text.lines() {
            assert_eq!(
                find_tokens(line),
                old_tokens::find_tokens(line),
                "{path}: {line}"
            );
        }
        files += 1;
        tokens += old.len();
    }
    assert!(files > 300 && tokens > 10, "{files} files, {tokens} tokens");
}

/// Strings made of token prefixes and the bytes around their bodies, where
/// the old scanner was slow and the new one remembers runs: both must agree.
#[test]
fn the_linear_scanner_finds_what_the_old_one_found_in_token_soup() {
    const PIECES: &[&str] = &[
        "eyJ",
        "eyJhbGciOiJIUzI1NiJ9",
        ".",
        "xoxb-",
        "xoxp-",
        "1",
        "7",
        "a",
        "Z",
        "-",
        "_",
        "-----BEGIN ",
        "RSA PRIVATE KEY",
        "PRIVATE KEY",
        "-----",
        "-----END ",
        "LS0tLS1CRUdJTi",
        "BSU0EgUFJJVkFURSBLRVktLS0tLQ",
        "://",
        "https://",
        "{",
        "}",
        "${",
        "$(",
        ")",
        "@",
        ":",
        "/",
        " ",
        "\n",
        "ghp_",
        "github_pat_",
        "AKIA",
        "AIza",
        "sk_live_",
        "sk-proj-",
        "npm_",
        "glpat-",
        "SK",
        "0123456789abcdef",
        "hooks.slack.com/services/",
        "T0/B1/x",
        "é",
        "pypi-AgEIcHlwaS5vcmc",
        "user:pa55word@db",
    ];
    // A fixed xorshift: the same strings on every run.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut found = 0;
    for _ in 0..20_000 {
        let mut s = String::new();
        let len = next() % 60;
        for _ in 0..len {
            let piece = PIECES[(next() % PIECES.len() as u64) as usize];
            for _ in 0..1 + next() % 3 {
                s.push_str(piece);
            }
        }
        // Authorities past the documented bound are not read any more.
        if s.len() > MAX_URL_AUTHORITY_BYTES {
            s.truncate(s.floor_char_boundary_compat(MAX_URL_AUTHORITY_BYTES));
        }
        // The same tokens, ordered and nested as `find_tokens` hands them out.
        let old = container_policy::secrets::in_order(old_tokens::find_tokens(&s));
        assert_eq!(find_tokens(&s), old, "{s:?}");
        found += old.len();
    }
    assert!(found > 1000, "{found}");
}

trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, at: usize) -> usize;
}

impl FloorCharBoundary for String {
    fn floor_char_boundary_compat(&self, mut at: usize) -> usize {
        while !self.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}

/// 1 MB strings built to make a scanner rescan: each was seconds to minutes
/// before (see the report of issue 10), each is one linear pass now.
fn crafted_strings() -> Vec<(&'static str, String)> {
    let mb = 1 << 20;
    let fill = |unit: &str| unit.repeat(mb / unit.len());
    let jwt_block = format!("{}.eyJ{}", "-eyJ".repeat(1000), "a".repeat(65_536));
    vec![
        ("url authorities", fill("a://{")),
        (
            "private key headers",
            fill("-----BEGIN RSA PRIVATE KEY-----"),
        ),
        ("base64 key headers", fill("+LS0tLS1CRUdJTi")),
        ("jwt headers", fill("-eyJ")),
        ("jwt payloads", jwt_block.repeat(mb / jwt_block.len())),
        ("slack prefixes", fill("xoxb-")),
        ("distinct tokens", {
            let mut s = String::new();
            let mut k = 0u64;
            while s.len() < mb {
                s.push_str(&format!("ghp_{:036} ", k));
                k += 1;
            }
            s
        }),
    ]
}

#[test]
fn crafted_strings_are_scanned_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for (i, (shape, text)) in crafted_strings().into_iter().enumerate() {
        let name = format!("crafted-{i}.yaml");
        write(
            dir.path(),
            &name,
            &format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  x: \"{text}\"\n"),
        );
        names.push((name, shape));
    }
    write(dir.path(), "good.yaml", GOOD_POD);
    let mut args = vec!["check", "--format", "json", "good.yaml"];
    args.extend(names.iter().map(|(name, _)| name.as_str()));
    let out = policy_bounded(&args, dir.path());
    let report = json(&out);
    assert!(
        report["errors"].as_array().unwrap().is_empty(),
        "{:#}",
        report["errors"]
    );
    assert_eq!(report["summary"]["files"], names.len() + 1);
    // The distinct tokens are all reported, each at its own column.
    let tokens = rules_in(&report, &names[6].0);
    assert!(
        tokens.len() > 25_000,
        "{} {:#}",
        tokens.len(),
        report["summary"]
    );
    assert_good_pod_reported(&report);
}

/// CI once failed on a panic: "failed to spawn thread" under a 1 GiB
/// address-space limit. Across limits from tight to roomy, a run either
/// checks (on fewer threads, with a note, where its workers cannot start)
/// or says why not; it never panics.
#[test]
fn worker_threads_that_cannot_start_leave_the_check_to_one_thread() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.yaml", GOOD_POD);
    let mut fell_back = false;
    for mib in (96..=320u64).step_by(16) {
        let limits = Limits {
            address_space: mib << 20,
            hang_guard: HANG_GUARD,
        };
        let out = common::bounded::run_bounded(
            &["check", "-j", "8", "good.yaml", "--format", "json"],
            dir.path(),
            limits,
            None,
        );
        let err = stderr(&out);
        assert!(
            out.status.code() != Some(101) && !err.contains("panicked"),
            "{mib} MiB: {err}"
        );
        if err.contains("note: cannot start the worker threads") && out.status.code() == Some(1) {
            assert_good_pod_reported(&json(&out));
            fell_back = true;
        }
    }
    assert!(fell_back, "no limit made the worker threads fail to start");
}
