//! Hostile user policies (issue 10, D10/D11): a rule that runs away in time,
//! memory or recursion is stopped with an error naming it and the file, the
//! other rules' findings are still reported, and other files still checked.
//! Each runs the real binary under an address-space limit.

mod common;

use common::bounded::Limits;

use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

/// The address space the binary gets: far below what the hostile rules
/// reach unbounded (8 GB and more), well above a normal run.
const ADDRESS_SPACE: u64 = 2 << 30;
/// Hang guard only: each run should end within a few seconds.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// A rule that reports every Dockerfile: its finding must survive the bad rule.
const GOOD_RULE: &str = r#"package rules.good
import rego.v1
metadata := {"id": "GOOD001", "name": "good", "title": "t", "severity": "error", "tags": ["x"], "kinds": ["dockerfile"], "why": "w", "fix": "f"}
deny contains "the good rule ran" if input.kind == "dockerfile"
"#;

/// A user rule `BAD001` in `policies/bad.rego` with this body (after its
/// metadata), beside the good rule; two Dockerfiles to check.
fn tree(bad: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policies/good.rego", GOOD_RULE);
    write(
        dir.path(),
        "policies/bad.rego",
        &format!(
            "package rules.bad\nimport rego.v1\n\
             metadata := {{\"id\": \"BAD001\", \"name\": \"bad\", \"title\": \"t\", \"severity\": \"error\", \"tags\": [\"x\"], \"kinds\": [\"dockerfile\"], \"why\": \"w\", \"fix\": \"f\"}}\n\
             {bad}\n"
        ),
    );
    write(dir.path(), "one/Dockerfile", "FROM alpine:3.20\nUSER app\n");
    write(dir.path(), "two/Dockerfile", "FROM alpine:3.20\nUSER app\n");
    dir
}

/// The evaluators a hostile rule must be stopped on: the interpreter, and
/// the bytecode VM from the first document (by default it starts after a
/// few, which these runs of two files never reach).
const EVALUATORS: [&str; 2] = ["interpreter", "bytecode"];

/// Runs `policy` under [`ADDRESS_SPACE`], killing it past [`HANG_GUARD`],
/// with `POLICY_EVALUATOR=evaluator`.
fn limited(args: &[&str], dir: &Path, evaluator: &str) -> (Output, Duration) {
    let started = Instant::now();
    let limits = Limits {
        address_space: ADDRESS_SPACE,
        hang_guard: HANG_GUARD,
    };
    let env = [("POLICY_EVALUATOR", evaluator)];
    let output = common::bounded::run_bounded_with_env(args, dir, limits, None, &env);
    (output, started.elapsed())
}

/// Checks both Dockerfiles with the two rules; asserts the run ended with
/// exit 2 (not a signal), each file reports the good rule's finding and an
/// error naming the bad rule, its file and `expected`. Returns the run's time.
fn assert_stopped(bad: &str, extra: &[&str], expected: &str) -> Duration {
    let dir = tree(bad);
    let mut args = vec![
        "check",
        "one",
        "two",
        "--no-builtin",
        "--policy",
        "policies",
        "--format",
        "json",
    ];
    args.extend(extra);
    let mut took = Duration::ZERO;
    for evaluator in EVALUATORS {
        let (out, elapsed) = limited(&args, dir.path(), evaluator);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{evaluator}: exit {:?} (a signal means a crash)\n{}",
            out.status,
            stderr(&out)
        );
        let report: Value = json(&out);
        for file in ["one/Dockerfile", "two/Dockerfile"] {
            let good: Vec<&Value> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["path"] == file && f["rule"] == "GOOD001")
                .collect();
            assert_eq!(good.len(), 1, "{file}: the good rule's finding\n{report:#}");
            let error = report["errors"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["path"] == file)
                .unwrap_or_else(|| panic!("{file}: no error\n{report:#}"));
            let message = error["message"].as_str().unwrap();
            assert!(
                message.contains("BAD001")
                    && message.contains("policies/bad.rego")
                    && message.contains(expected),
                "{file}: {message}"
            );
        }
        took = took.max(elapsed);
    }
    took
}

#[test]
fn a_chain_of_rules_doubling_a_string_stops_at_the_memory_limit() {
    // s40 would be 2^40 KiB.
    let mut bad = String::from("s0 := concat(\"\", [\"x\" | some _ in numbers.range(1, 1024)])\n");
    for i in 1..=40 {
        bad.push_str(&format!("s{i} := concat(\"\", [s{p}, s{p}])\n", p = i - 1));
    }
    bad.push_str("deny contains \"long\" if count(s40) > 0\n");
    assert_stopped(&bad, &[], "memory limit of 512 MiB");
}

#[test]
fn a_comprehension_repeating_a_string_stops_at_the_memory_limit() {
    // One concat of a million shared 1 KiB strings: 1 GiB in one call.
    let bad = r#"kib := concat("", ["x" | some _ in numbers.range(1, 1024)])
deny contains "long" if {
	s := concat(",", [kib | some _ in numbers.range(1, 1000000)])
	count(s) > 0
}"#;
    assert_stopped(bad, &["--eval-memory", "256"], "memory limit of 256 MiB");
}

#[test]
fn a_huge_range_is_refused_before_it_is_allocated() {
    let bad = r#"deny contains "many" if count(numbers.range(1, 1000000000000)) > 0"#;
    assert_stopped(bad, &[], "memory limit");
}

#[test]
fn marshalling_a_value_that_shares_its_parts_stops_at_the_memory_limit() {
    // 2^40 leaves reached through 40 levels of pairs.
    let mut bad = String::from("a0 := [\"xxxxxxxxxxxxxxxx\"]\n");
    for i in 1..=40 {
        bad.push_str(&format!("a{i} := [a{p}, a{p}]\n", p = i - 1));
    }
    bad.push_str("deny contains \"long\" if count(json.marshal(a40)) > 0\n");
    assert_stopped(&bad, &["--eval-memory", "64"], "memory limit of 64 MiB");
}

#[test]
fn a_recursive_function_is_an_error_not_a_crash() {
    let bad = r#"f(x) := y if {
	y := f(x + 1)
}
deny contains "deep" if f(0) > 0"#;
    // A mistake of the policy, whatever the input: reported once, at its line.
    let dir = tree(bad);
    let args = [
        "check",
        "one",
        "two",
        "--no-builtin",
        "--policy",
        "policies",
        "--format",
        "json",
    ];
    for evaluator in EVALUATORS {
        let (out, _) = limited(&args, dir.path(), evaluator);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let report: Value = json(&out);
        let errors = report["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{report:#}");
        assert_eq!(errors[0]["path"], "policies/bad.rego", "{report:#}");
        let message = errors[0]["message"].as_str().unwrap();
        assert!(
            message.contains("BAD001")
                && message.contains("recursion detected when calling function"),
            "{message}"
        );
        for file in ["one/Dockerfile", "two/Dockerfile"] {
            assert!(
                report["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["path"] == file && f["rule"] == "GOOD001"),
                "{file}: the good rule's finding\n{report:#}"
            );
        }
    }
}

#[test]
fn a_deep_chain_of_functions_is_an_error_not_a_crash() {
    let mut bad = String::from("f0(x) := x\n");
    for i in 1..=5000 {
        bad.push_str(&format!("f{i}(x) := f{p}(x + 1)\n", p = i - 1));
    }
    bad.push_str("deny contains \"deep\" if f5000(0) > 0\n");
    assert_stopped(&bad, &[], "more than 100 deep");
}

#[test]
fn a_slow_rule_stops_at_the_time_limit() {
    // 4 * 10^8 steps: minutes unbounded.
    let bad = r#"deny contains x if {
	some i in numbers.range(1, 20000)
	some j in numbers.range(1, 20000)
	x := i * j
	x < 0
}"#;
    let took = assert_stopped(bad, &["--eval-timeout", "2"], "time limit of 2 s");
    // Two files, one evaluation each past its limit; generous for a loaded
    // machine (before: 31.9 s for one 2 s limit).
    assert!(took < Duration::from_secs(60), "{took:?}");
}

#[test]
fn a_runaway_conftest_rule_is_named_and_the_others_still_report() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "policy/main.rego",
        r#"package main
import rego.v1
deny contains "the good rule ran" if input[_].Cmd == "from"
f(x) := y if {
	y := f(x + 1)
}
deny_recursive contains "deep" if f(0) > 0
deny_huge contains "many" if count(numbers.range(1, 1000000000000)) > 0
"#,
    );
    write(dir.path(), "one/Dockerfile", "FROM alpine:3.20\n");
    write(dir.path(), "two/Dockerfile", "FROM alpine:3.20\n");
    let (out, _) = limited(
        &[
            "check",
            "one",
            "two",
            "--no-builtin",
            "--policy",
            "policy",
            "--format",
            "json",
        ],
        dir.path(),
        "interpreter",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let report = json(&out);
    for file in ["one/Dockerfile", "two/Dockerfile"] {
        assert!(
            report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["path"] == file && f["message"] == "the good rule ran"),
            "{file}\n{report:#}"
        );
        let error = report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["path"] == file)
            .unwrap_or_else(|| panic!("{file}: no error\n{report:#}"));
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains("main.deny_huge") && message.contains("memory limit"),
            "{file}: {message}"
        );
    }
    // The recursion is the policy's own mistake: once, at its line.
    let recursion: Vec<&Value> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["message"]
                .as_str()
                .unwrap()
                .contains("recursion detected")
        })
        .collect();
    assert_eq!(recursion.len(), 1, "{report:#}");
    assert_eq!(recursion[0]["path"], "policy/main.rego");
    assert!(recursion[0]["message"]
        .as_str()
        .unwrap()
        .contains("main.deny_recursive"));
}

#[test]
fn a_huge_sprintf_width_is_refused_before_it_is_allocated() {
    let bad = r#"deny contains "wide" if count(sprintf("%4000000000d", [1])) > 0"#;
    assert_stopped(bad, &[], "memory limit");
}

#[test]
fn a_regex_replacement_multiplying_a_string_stops_at_the_memory_limit() {
    // Each of a million characters becomes 2 KiB: 2 GiB from one call.
    let bad = r#"kib := concat("", ["y" | some _ in numbers.range(1, 1024)])
mib := concat("", [kib | some _ in numbers.range(1, 1024)])
deny contains "long" if count(regex.replace(mib, "y", concat("", [kib, kib]))) > 0"#;
    assert_stopped(bad, &[], "memory limit");
}

#[test]
fn a_non_ascii_digit_in_a_sprintf_width_does_not_crash() {
    let dir = tree(r#"deny contains sprintf("%²s", ["a"]) if true"#);
    for evaluator in EVALUATORS {
        let (out, _) = limited(
            &[
                "check",
                "one",
                "--no-builtin",
                "--policy",
                "policies",
                "--format",
                "json",
            ],
            dir.path(),
            evaluator,
        );
        // Findings, no error: before, a panic (exit 101).
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert_eq!(json(&out)["errors"], serde_json::json!([]));
    }
}

/// A package split over several files, each defining the same function (a
/// user's `package lib` beside the built-in one, helpers spread over files):
/// every definition runs in its own module, with its own imports and
/// bindings. regorus ran each with the first file's, which failed with
/// "binding plan not found" or read the wrong module (vendor/regorus
/// PATCHES.md, patch 8).
#[test]
fn a_function_defined_in_several_files_of_a_package_runs_each_in_its_own() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "policies/helpers_a.rego",
        "package helpers\nimport rego.v1\nflagged(user) if user == \"root\"\n",
    );
    // Enough rules before the definition that its expressions are numbered
    // past every expression of the first file.
    let filler: String = (0..40)
        .map(|i| format!("filler_{i} := [x | some x in [{i}, {i}, {i}]; x > 0]\n"))
        .collect();
    write(
        dir.path(),
        "policies/helpers_b.rego",
        &format!(
            "package helpers\nimport rego.v1\nimport data.names\n{filler}\
             flagged(user) if {{\n\tsome admin in names.admins\n\tlower(user) == admin\n}}\n"
        ),
    );
    write(
        dir.path(),
        "policies/names.rego",
        "package names\nimport rego.v1\nadmins := [\"admin\", \"toor\"]\n",
    );
    write(
        dir.path(),
        "policies/rule.rego",
        "package rules.flagged_user\nimport rego.v1\nimport data.helpers\n\
         metadata := {\"id\": \"USR001\", \"name\": \"flagged-user\", \"title\": \"t\", \"severity\": \"error\", \"tags\": [\"x\"], \"kinds\": [\"dockerfile\"], \"why\": \"w\", \"fix\": \"f\"}\n\
         deny contains {\"msg\": sprintf(\"user %s is flagged\", [ins.value[0]]), \"at\": [\"instructions\", i]} if {\n\
         \tsome i, ins in input.document.instructions\n\tins.cmd == \"user\"\n\thelpers.flagged(ins.value[0])\n}\n",
    );
    write(
        dir.path(),
        "root/Dockerfile",
        "FROM alpine:3.20\nUSER root\n",
    );
    write(
        dir.path(),
        "admin/Dockerfile",
        "FROM alpine:3.20\nUSER Admin\n",
    );
    write(dir.path(), "app/Dockerfile", "FROM alpine:3.20\nUSER app\n");
    let out = policy(
        &[
            "check",
            ".",
            "--no-builtin",
            "-p",
            "policies",
            "--format",
            "json",
        ],
        dir.path(),
    );
    let report = json(&out);
    assert_eq!(report["errors"], serde_json::json!([]), "{}", stderr(&out));
    let mut flagged: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{}:{} {}",
                f["path"].as_str().unwrap(),
                f["line"],
                f["rule"].as_str().unwrap()
            )
        })
        .collect();
    flagged.sort();
    assert_eq!(
        flagged,
        ["admin/Dockerfile:2 USR001", "root/Dockerfile:2 USR001"],
        "{report:#}"
    );
}

/// Nested literals (`[[[…1…]]]`, `{{{…1…}}}`) parse in linear time: the
/// parser tried each level as a comprehension, failed and parsed it again
/// as a literal, so depth 30 ran for hours (vendor/regorus PATCHES.md,
/// patch 9). A policy comes from the checked repository's `.policy.yaml`.
#[test]
fn deeply_nested_literals_do_not_hang_loading() {
    let depth = 30;
    let dir = tree(&format!(
        "x := {}1{}\ny := {}1{}\ndeny contains \"nested\" if {{ count(x) == 1; count(y) == 1 }}",
        "[".repeat(depth),
        "]".repeat(depth),
        "{".repeat(depth),
        "}".repeat(depth),
    ));
    let (out, _) = limited(
        &[
            "check",
            "one",
            "--no-builtin",
            "--policy",
            "policies",
            "--format",
            "json",
        ],
        dir.path(),
        "bytecode",
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: Value = json(&out);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["BAD001", "GOOD001"], "{report:#}");
}

/// Nesting past the parser's limit is an error naming the policy, not a
/// stack overflow (5,000 levels over as many lines aborted the process),
/// and a nested literal on one line past the column limit is an error, not
/// a hang (the comprehension check hit the lexer's error and backtracked
/// at every level).
#[test]
fn nesting_past_the_limit_is_an_error_not_a_crash_or_a_hang() {
    let wide = format!("\"{}\"", "a".repeat(1100));
    for (depth, separator, inner, expected) in [
        (5000, "\n", "1", "expression nesting too deep"),
        (28, "", wide.as_str(), "maximum column width"),
    ] {
        let dir = tree(&format!(
            "x := {}{inner}{}\ndeny contains \"nested\" if count(x) == 1",
            format!("[{separator}").repeat(depth),
            format!("{separator}]").repeat(depth),
        ));
        let (out, _) = limited(
            &["check", "one", "--no-builtin", "--policy", "policies"],
            dir.path(),
            "bytecode",
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "depth {depth}: {err}");
        assert!(
            err.contains("policies/bad.rego") && err.contains(expected),
            "depth {depth}: {err}"
        );
    }
}
