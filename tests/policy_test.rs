//! `policy test`: the Rego unit tests of the built-in policies, and the runner
//! itself on small user policies in `testdata/policy-test/`.

use container_policy::engine::{LoadOptions, PolicySet};
use container_policy::testing;
use std::path::Path;
use std::process::{Command, Output};

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn policy_test(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policy"))
        .arg("test")
        .args(args)
        .current_dir(repo_root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run policy test")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        stdout(out),
        stderr(out)
    )
}

/// The summary line, which must be the last line of standard output.
fn summary(out: &Output) -> String {
    stdout(out).lines().last().unwrap_or_default().to_string()
}

/// Names of the `test_` rules of a Rego text (rule heads at line start, not functions).
fn test_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("test_")) {
        let name: String = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !line[name.len()..].trim_start().starts_with('(') && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn test_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            test_files(&path, out);
        } else if path.to_string_lossy().ends_with("_test.rego") {
            out.push(path);
        }
    }
}

/// Every `test_` rule of the built-in `_test.rego` files.
fn builtin_test_count() -> usize {
    let mut files = Vec::new();
    test_files(&repo_root().join("policies"), &mut files);
    assert!(!files.is_empty(), "no _test.rego files under policies/");
    files
        .iter()
        .map(|f| test_names(&std::fs::read_to_string(f).unwrap()).len())
        .sum()
}

#[test]
fn builtin_policy_tests_pass() {
    let out = policy_test(&[]);
    let n = builtin_test_count();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(
        summary(&out),
        format!("{n} passed, 0 failed"),
        "{}",
        describe(&out)
    );
    // Without --verbose only failures are listed: here, nothing but the summary.
    assert_eq!(stdout(&out).lines().count(), 1, "{}", describe(&out));
}

/// No built-in rule ships without unit tests: every `policies/rules/<name>.rego`
/// has a `policies/rules/<name>_test.rego` with at least one `test_` rule of its
/// package. Rules whose metadata says `"engine": true` are exempt: their file
/// holds only metadata, the finding comes from Rust code (suppressions) and the
/// fixtures cover it.
#[test]
fn every_builtin_rule_has_unit_tests() {
    // Loaded without tests, a rule's `file` is its own file, not its test file.
    let rules = PolicySet::builtin()
        .expect("load the built-in policies")
        .rules;
    let with_tests = PolicySet::load(&LoadOptions {
        tests: true,
        ..Default::default()
    })
    .expect("load the built-in policies with their tests");
    let tests = testing::discover(with_tests.files.iter());

    let mut rule_files: Vec<String> = std::fs::read_dir(repo_root().join("policies/rules"))
        .expect("read policies/rules")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".rego") && !name.ends_with("_test.rego"))
        .map(|name| format!("policies/rules/{name}"))
        .collect();
    rule_files.sort();

    let mut checked = 0;
    let mut missing = Vec::new();
    for file in &rule_files {
        let rule = rules
            .iter()
            .find(|r| r.file == *file)
            .unwrap_or_else(|| panic!("{file} is not loaded as a built-in rule"));
        if rule.meta.engine {
            continue;
        }
        checked += 1;
        let test_file = format!("{}_test.rego", file.trim_end_matches(".rego"));
        let prefix = format!("{}.", rule.package);
        if !tests
            .iter()
            .any(|t| t.file == test_file && t.name.starts_with(&prefix))
        {
            missing.push(format!(
                "{test_file} ({} {}: no `test_` rule in package {})",
                rule.meta.id, rule.meta.name, rule.package
            ));
        }
    }
    assert!(checked > 0, "no rule files under policies/rules");
    assert!(
        missing.is_empty(),
        "{} built-in rule(s) without Rego unit tests; add each file with `test_` rules in the \
         rule's package (README \"Testing policies\"):\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}

#[test]
fn verbose_lists_every_test_with_its_location() {
    let out = policy_test(&["--verbose", "--run", r"^data\.rules\.run_as_root\."]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let text =
        std::fs::read_to_string(repo_root().join("policies/rules/run_as_root_test.rego")).unwrap();
    let names = test_names(&text);
    assert!(names.len() >= 2);
    let text_out = stdout(&out);
    let lines: Vec<&str> = text_out.lines().collect();
    assert_eq!(lines.len(), names.len() + 1, "{}", describe(&out));
    for name in &names {
        let line = text
            .lines()
            .position(|l| l.starts_with(&format!("{name} ")))
            .unwrap()
            + 1;
        let expected = format!(
            "PASS data.rules.run_as_root.{name} (policies/rules/run_as_root_test.rego:{line})"
        );
        assert!(
            lines.contains(&expected.as_str()),
            "no `{expected}` in\n{}",
            describe(&out)
        );
    }
    assert_eq!(summary(&out), format!("{} passed, 0 failed", names.len()));
}

#[test]
fn failing_test_is_reported_with_file_and_line() {
    let out = policy_test(&["testdata/policy-test/failing"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l
            == "FAIL data.k8s.labels.test_labelled_deployment_denied (testdata/policy-test/failing/labels_test.rego:10)"),
        "{}",
        describe(&out)
    );
    // Passing tests are not listed without --verbose.
    assert!(
        !text.contains("test_missing_team_label_denied"),
        "{}",
        describe(&out)
    );
    assert_eq!(summary(&out), "1 passed, 1 failed");
}

#[test]
fn run_filters_tests_by_name() {
    let out = policy_test(&["testdata/policy-test/failing", "--run", "missing_team"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(summary(&out), "1 passed, 0 failed");

    let out = policy_test(&["--run", r"^data\.lib\."]);
    // Every test of package `lib`, whichever file of policies/lib holds it.
    let mut lib_files = Vec::new();
    test_files(&repo_root().join("policies/lib"), &mut lib_files);
    let lib: Vec<String> = lib_files
        .iter()
        .flat_map(|f| test_names(&std::fs::read_to_string(f).unwrap()))
        .collect();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(summary(&out), format!("{} passed, 0 failed", lib.len()));

    let out = policy_test(&["--run", "no_such_test"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(
        stderr(&out).contains("no test matches --run"),
        "{}",
        describe(&out)
    );
}

#[test]
fn syntax_error_exits_2_with_file_and_line() {
    let out = policy_test(&["testdata/policy-test/syntax-error"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    let err = stderr(&out);
    assert!(
        err.contains("cannot load policy testdata/policy-test/syntax-error/broken.rego"),
        "{}",
        describe(&out)
    );
    assert!(
        err.contains("testdata/policy-test/syntax-error/broken.rego:8:1"),
        "{}",
        describe(&out)
    );
    assert!(!stdout(&out).contains("passed"), "{}", describe(&out));
}

#[test]
fn user_tests_can_use_lib_and_do_not_run_builtin_tests() {
    let out = policy_test(&["--verbose", "testdata/policy-test/uses-lib"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(summary(&out), "2 passed, 0 failed", "{}", describe(&out));
    assert!(!stdout(&out).contains("data.lib."), "{}", describe(&out));
}

#[test]
fn no_tests_exits_2() {
    let out = policy_test(&["testdata/policy-test/uses-lib/registry.rego"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(
        stderr(&out).contains("no tests found"),
        "{}",
        describe(&out)
    );
}
