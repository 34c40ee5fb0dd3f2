//! Helpers shared by the end-to-end tests: run the real binary in a directory.
#![allow(dead_code)]

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn policy(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policy"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run policy")
}

pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

pub fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(out), stderr(out)))
}

/// `(rule, line, suppression kind or "")` of every finding in a JSON report.
pub fn findings(report: &Value) -> Vec<(String, u64, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["suppression"]["kind"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// A copy of the directory tree `from` at `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(entry.file_name());
        match entry.file_type().unwrap().is_dir() {
            true => copy_tree(&entry.path(), &dest),
            false => {
                std::fs::copy(entry.path(), dest).unwrap();
            }
        }
    }
}

pub fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Whether a test that needs `what` can run here. `missing` says why it
/// cannot; then the test is reported as `skipped: …` on stderr and should
/// return, except under `POLICY_REQUIRE_TOOLS=1` (CI), where it panics so
/// that a green run means the test ran.
pub fn require_or_skip(what: &str, missing: Option<String>) -> bool {
    let Some(why) = missing else {
        return true;
    };
    let required =
        std::env::var_os("POLICY_REQUIRE_TOOLS").is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "POLICY_REQUIRE_TOOLS is set, but {what} cannot run: {why}"
    );
    // Straight to the process's stderr: the test harness captures
    // `eprintln!` of passing tests, and a skip must be seen.
    let _ = writeln!(std::io::stderr(), "skipped: {what}: {why}");
    false
}

/// Whether `tool --version` runs and succeeds.
pub fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The real-world corpus (`$POLICY_CORPUS`, else `../shared/corpus`), or why
/// it is not there.
pub fn corpus_dir() -> Result<PathBuf, String> {
    let dir = std::env::var_os("POLICY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/corpus"));
    if dir.join("INDEX.tsv").is_file() {
        Ok(dir)
    } else {
        Err(format!(
            "no corpus at {} (set POLICY_CORPUS)",
            dir.display()
        ))
    }
}

pub mod bounded;
pub mod docker;
pub mod image;
