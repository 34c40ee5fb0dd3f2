//! Compose projects are judged as `docker compose` assembles them: the
//! project file, its override file merged over it, `.env` interpolated.
//! Findings point at the file and line that set the value. Where Debian's
//! `docker-compose` is installed, its `config` output is the oracle for
//! the merged values.

mod common;

use common::{json, policy, require_or_skip, write};
use serde_json::Value;
use std::path::Path;

const BASE: &str = "\
services:
  web:
    image: nginx:${NGINX_TAG:-1.25}
    user: \"${APP_UID:-0}\"
    depends_on: [db]
    environment:
      MODE: base
  cache:
    image: redis:${REDIS_TAG}
";

const OVERRIDE: &str = "\
services:
  web:
    privileged: true
    environment:
      MODE: dev
  db:
    image: postgres:16
";

const DOTENV: &str = "# pinned in CI\nREDIS_TAG=latest\n";

fn project(dir: &Path) {
    write(dir, "compose.yaml", BASE);
    write(dir, "compose.override.yaml", OVERRIDE);
    write(dir, ".env", DOTENV);
}

fn findings_of(report: &Value, rule: &str) -> Vec<(String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// `docker-compose config` of the project in `dir`, with none of this
/// process's environment (docker-compose reads it; policy never does).
fn compose_config(dir: &Path) -> Value {
    let out = std::process::Command::new("docker-compose")
        .arg("config")
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    container_policy::parse::parse_yaml(&text).unwrap()[0]
        .node
        .to_json()
}

fn check(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["check", "--format", "json", "--no-config"];
    all.extend_from_slice(args);
    json(&policy(&all, dir))
}

#[test]
fn the_override_is_merged_and_findings_point_at_the_file_that_set_the_value() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    let report = check(dir.path(), &["."]);
    // privileged comes from the override file, at its line.
    assert_eq!(
        findings_of(&report, "CP102"),
        [("./compose.override.yaml".to_string(), 3)]
    );
    // `${APP_UID:-0}` is root once interpolated, at the base file's line.
    assert!(
        findings_of(&report, "CP101").contains(&("./compose.yaml".to_string(), 4)),
        "{report:#}"
    );
    // `db` is defined in the override: no undefined dependency.
    assert!(findings_of(&report, "CP906").is_empty(), "{report:#}");
    // One project, not the override file judged alone as well.
    assert_eq!(report["summary"]["files"], 1, "{report:#}");
    assert!(
        report["errors"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
}

#[test]
fn a_value_from_env_names_the_env_line_as_related() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    let report = check(dir.path(), &["."]);
    let latest: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CP202")
        .collect();
    assert_eq!(latest.len(), 1, "{report:#}");
    let f = latest[0];
    assert_eq!(
        (f["path"].as_str(), f["line"].as_u64()),
        (Some("./compose.yaml"), Some(9))
    );
    let related = &f["related"][0];
    assert_eq!(related["path"], "./.env");
    assert_eq!(related["line"], 2);
    assert!(related["message"].as_str().unwrap().contains("REDIS_TAG"));
}

#[test]
fn a_variable_without_a_value_stays_unresolved_not_wrong() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "compose.yaml", BASE);
    let out = policy(&["inspect", "compose.yaml"], dir.path());
    let inputs: Value = serde_json::from_slice(&out.stdout).unwrap();
    let services = &inputs[0]["document"]["services"];
    assert_eq!(services["cache"]["image"], "redis:${REDIS_TAG}");
    assert_eq!(services["web"]["image"], "nginx:1.25");
    assert_eq!(services["web"]["user"], "0");
}

#[test]
fn a_staged_override_file_alone_checks_its_project() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    // What a pre-commit hook passes when only the override changed.
    let report = check(dir.path(), &["compose.override.yaml"]);
    assert_eq!(
        findings_of(&report, "CP102"),
        [("compose.override.yaml".to_string(), 3)]
    );
    assert!(findings_of(&report, "CP906").is_empty(), "{report:#}");
}

#[test]
fn a_suppression_in_the_override_file_covers_its_value() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    write(
        dir.path(),
        "compose.override.yaml",
        &OVERRIDE.replace(
            "    privileged: true\n",
            "    # policy:ignore CP102 -- dev only\n    privileged: true\n",
        ),
    );
    let report = check(dir.path(), &["."]);
    let cp102: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CP102")
        .collect();
    assert_eq!(cp102.len(), 1);
    assert_eq!(cp102[0]["suppression"]["kind"], "inline");
    assert!(findings_of(&report, "CP001").is_empty(), "{report:#}");
}

/// Debian's `docker-compose config` merges and interpolates the same
/// project; the values rules see must be the ones it prints.
#[test]
fn merged_values_match_docker_compose_config() {
    let missing = (!common::have("docker-compose"))
        .then(|| "docker-compose is not installed (apt-get install docker-compose)".to_string());
    if !require_or_skip("docker-compose oracle", missing) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    let theirs = compose_config(dir.path());
    let out = policy(&["inspect", "compose.yaml"], dir.path());
    let ours: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ours = &ours[0]["document"]["services"];
    let theirs = &theirs["services"];
    for (service, field) in [
        ("web", "image"),
        ("web", "user"),
        ("web", "privileged"),
        ("cache", "image"),
        ("db", "image"),
    ] {
        assert_eq!(
            ours[service][field], theirs[service][field],
            "{service}.{field}"
        );
    }
    assert_eq!(
        ours["web"]["environment"]["MODE"],
        theirs["web"]["environment"]["MODE"]
    );
}

/// A `.env` that is a symlink out of the project (in a pull request,
/// `.env -> /proc/self/environ` would put the CI job's environment into
/// findings) is not read, and is listed as skipped.
#[test]
fn a_dotenv_symlink_out_of_the_project_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "environ", "LEAK_TAG=leakedvalue42\n");
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  web:\n    image: app:${LEAK_TAG}\n    user: \"10001\"\n",
    );
    std::os::unix::fs::symlink(outside.path().join("environ"), dir.path().join(".env")).unwrap();
    let out = policy(
        &["check", ".", "--format", "json", "--no-config"],
        dir.path(),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("leakedvalue42"), "{text}");
    let report = json(&out);
    let skipped = report["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .any(|s| s["path"] == "./.env" && s["reason"].as_str().unwrap().contains("outside")),
        "{report:#}"
    );
    let out = policy(&["inspect", "compose.yaml"], dir.path());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("leakedvalue42"));
}

/// `extends` from another file: the base service's values are merged under
/// the service, and a finding on one of them points at the other file.
#[test]
fn extends_merges_the_base_service_and_points_into_its_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  web:\n    extends:\n      file: common.yaml\n      service: base\n    image: nginx:1.25\n    user: \"10001\"\n",
    );
    write(
        dir.path(),
        "common.yaml",
        "services:\n  base:\n    privileged: true\n    command: [serve]\n",
    );
    let report = check(dir.path(), &["compose.yaml"]);
    let cp102: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CP102")
        .collect();
    assert_eq!(cp102.len(), 1, "{report:#}");
    assert_eq!(cp102[0]["path"], "common.yaml");
    assert_eq!(cp102[0]["line"], 3);
    assert!(cp102[0]["message"].as_str().unwrap().contains("web"));
    let missing = (!common::have("docker-compose"))
        .then(|| "docker-compose is not installed (apt-get install docker-compose)".to_string());
    if require_or_skip("docker-compose oracle for extends", missing) {
        let theirs = compose_config(dir.path());
        let ours: Value =
            serde_json::from_slice(&policy(&["inspect", "compose.yaml"], dir.path()).stdout)
                .unwrap();
        let ours = &ours[0]["document"]["services"]["web"];
        for field in ["privileged", "command", "image", "user"] {
            assert_eq!(ours[field], theirs["services"]["web"][field], "web.{field}");
        }
    }
}

/// A file `extends` names outside the project's directory is not read.
#[test]
fn extends_does_not_read_outside_the_project() {
    let root = tempfile::tempdir().unwrap();
    write(
        root.path(),
        "secret.yaml",
        "services:\n  base:\n    image: leaked:tag42\n",
    );
    let dir = root.path().join("app");
    write(
        &dir,
        "compose.yaml",
        "services:\n  web:\n    extends:\n      file: ../secret.yaml\n      service: base\n    user: \"10001\"\n",
    );
    let out = policy(&["check", ".", "--format", "json", "--no-config"], &dir);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("tag42"), "{text}");
    let report = json(&out);
    assert!(
        report["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["reason"].as_str().unwrap().contains("outside")),
        "{report:#}"
    );
}

/// An `env_file` or an `include` outside the project's directory is not
/// read: listed as skipped, its values never printed.
#[test]
fn env_files_and_includes_outside_the_project_are_not_read() {
    let root = tempfile::tempdir().unwrap();
    write(root.path(), "host.env", "LEAKED=leakedvalue42\n");
    write(
        root.path(),
        "other.yaml",
        "services:\n  other:\n    image: leaked:tag42\n",
    );
    let dir = root.path().join("app");
    write(
        &dir,
        "compose.yaml",
        "include:\n  - ../other.yaml\nservices:\n  web:\n    image: nginx:1.25\n    env_file: ../host.env\n",
    );
    std::os::unix::fs::symlink(root.path().join("host.env"), dir.join("linked.env")).unwrap();
    write(
        &dir,
        "compose.override.yaml",
        "services:\n  web:\n    env_file: [linked.env]\n",
    );
    let out = policy(&["check", ".", "--format", "json", "--no-config"], &dir);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains("leakedvalue42") && !text.contains("tag42"),
        "{text}"
    );
    let report = json(&out);
    let skipped: Vec<String> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["reason"].as_str().unwrap().contains("outside"))
        .map(|s| s["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(skipped.len(), 3, "{report:#}");
}
