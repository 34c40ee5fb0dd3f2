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
        [("compose.override.yaml".to_string(), 3)]
    );
    // `${APP_UID:-0}` is root once interpolated, at the base file's line.
    assert!(
        findings_of(&report, "CP101").contains(&("compose.yaml".to_string(), 4)),
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
        (Some("compose.yaml"), Some(9))
    );
    let related = &f["related"][0];
    assert_eq!(related["path"], ".env");
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
            .any(|s| s["path"] == ".env" && s["reason"].as_str().unwrap().contains("outside")),
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

fn errors_of(report: &Value) -> Vec<String> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}:{} {}", e["path"], e["line"], e["message"]))
        .collect()
}

fn inspect_services(dir: &Path, file: &str) -> Value {
    let out = policy(&["inspect", file], dir);
    let inputs: Value = serde_json::from_slice(&out.stdout).unwrap();
    inputs[0]["document"]["services"].clone()
}

fn have_docker_compose(what: &str) -> bool {
    let missing = (!common::have("docker-compose"))
        .then(|| "docker-compose is not installed (apt-get install docker-compose)".to_string());
    require_or_skip(what, missing)
}

/// `COMPOSE_FILE` in `.env` replaces the default file list: the override
/// file is not read, the listed production file is merged.
#[test]
fn compose_file_from_dotenv_replaces_the_default_files() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.25\n    user: \"10001\"\n",
    );
    write(
        dir.path(),
        "compose.prod.yaml",
        "services:\n  web:\n    privileged: true\n    image: nginx:${TAG}\n",
    );
    write(
        dir.path(),
        ".env",
        "COMPOSE_FILE=compose.yaml:compose.prod.yaml\nTAG=1.27\n",
    );
    let report = check(dir.path(), &["."]);
    assert_eq!(
        findings_of(&report, "CP102"),
        [("compose.prod.yaml".to_string(), 3)]
    );
    assert_eq!(report["summary"]["files"], 1, "{report:#}");
    assert!(errors_of(&report).is_empty(), "{report:#}");
    let ours = inspect_services(dir.path(), "compose.yaml");
    assert_eq!(ours["web"]["image"], "nginx:1.27");
    if have_docker_compose("docker-compose oracle for COMPOSE_FILE") {
        let theirs = compose_config(dir.path());
        for field in ["image", "privileged", "user"] {
            assert_eq!(
                ours["web"][field], theirs["services"]["web"][field],
                "web.{field}"
            );
        }
    }
}

/// An entry of `COMPOSE_FILE` outside the project is not read: an error at
/// the `.env` line names it, and the other files are still judged.
#[test]
fn a_compose_file_entry_outside_the_project_is_an_error_naming_it() {
    let root = tempfile::tempdir().unwrap();
    write(
        root.path(),
        "elsewhere.yaml",
        "services:\n  web:\n    image: leaked:tag42\n",
    );
    let dir = root.path().join("app");
    write(
        &dir,
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.25\n    privileged: true\n",
    );
    write(
        &dir,
        ".env",
        "# files\nCOMPOSE_FILE=compose.yaml:../elsewhere.yaml\n",
    );
    let out = policy(&["check", ".", "--format", "json", "--no-config"], &dir);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("tag42"));
    let report = json(&out);
    let errors = errors_of(&report);
    assert_eq!(errors.len(), 1, "{report:#}");
    assert!(
        errors[0].starts_with("\".env\":2 ") && errors[0].contains("`../elsewhere.yaml`"),
        "{errors:?}"
    );
    assert_eq!(
        findings_of(&report, "CP102"),
        [("compose.yaml".to_string(), 4)]
    );
}

/// A service behind a profile that is not active is still judged (compose
/// would not start it, but it ships in the file); its dependencies are no
/// "not defined" error, and `input.context.compose` tells the rules which
/// services are inactive.
#[test]
fn services_of_inactive_profiles_are_judged_and_listed_as_inactive() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.25\n    user: \"10001\"\n  debug:\n    image: busybox:1.36\n    profiles: [debug]\n    privileged: true\n    depends_on: [web]\n  tools:\n    image: busybox:1.36\n    profiles: [tools]\n    user: \"10001\"\n",
    );
    write(dir.path(), ".env", "COMPOSE_PROFILES=tools\n");
    let report = check(dir.path(), &["."]);
    assert_eq!(
        findings_of(&report, "CP102"),
        [("compose.yaml".to_string(), 8)]
    );
    assert!(findings_of(&report, "CP906").is_empty(), "{report:#}");
    let out = policy(&["inspect", "compose.yaml"], dir.path());
    let inputs: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        inputs[0]["context"]["compose"],
        serde_json::json!({"active_profiles": ["tools"], "inactive_services": ["debug"]}),
        "{inputs:#}"
    );
}

/// `include` (compose v2.20; Debian's docker-compose 1.29 predates it, so
/// the expectations are written by hand from the specification): the
/// included file's services are part of the project, interpolated with the
/// `.env` of its own directory, and the file is not judged alone.
#[test]
fn included_services_join_the_project_and_are_not_judged_alone() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "compose.yaml",
        "include:\n  - db/compose.yaml\nservices:\n  web:\n    image: nginx:1.25\n    user: \"10001\"\n    depends_on: [db]\n",
    );
    write(
        dir.path(),
        "db/compose.yaml",
        "services:\n  db:\n    image: postgres:${PG_TAG}\n    user: \"999\"\n",
    );
    write(dir.path(), "db/.env", "PG_TAG=latest\n");
    let report = check(dir.path(), &["."]);
    assert!(findings_of(&report, "CP906").is_empty(), "{report:#}");
    let latest: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CP202")
        .collect();
    assert_eq!(latest.len(), 1, "{report:#}");
    assert_eq!(latest[0]["path"], "db/compose.yaml");
    assert_eq!(latest[0]["line"], 3);
    assert_eq!(latest[0]["related"][0]["path"], "db/.env");
    assert_eq!(report["summary"]["files"], 1, "{report:#}");
    assert!(errors_of(&report).is_empty(), "{report:#}");
    let services = inspect_services(dir.path(), "compose.yaml");
    assert_eq!(services["db"]["image"], "postgres:latest");
}

/// A service both in the project and in an included file is an error at
/// the `include` entry, as compose rejects it.
#[test]
fn a_service_defined_twice_through_include_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "compose.yaml",
        "include:\n  - path: other.yaml\nservices:\n  web:\n    image: nginx:1.25\n",
    );
    write(
        dir.path(),
        "other.yaml",
        "services:\n  web:\n    image: httpd:2.4\n",
    );
    let report = check(dir.path(), &["."]);
    let errors = errors_of(&report);
    assert_eq!(errors.len(), 1, "{report:#}");
    assert!(
        errors[0].starts_with("\"compose.yaml\":2 ") && errors[0].contains("`web`"),
        "{errors:?}"
    );
}

/// A service's `env_file` joins its environment: a secret written there is
/// found at its line in the env file and never printed.
#[test]
fn a_secret_in_an_env_file_is_found_at_its_line_and_masked() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  api:\n    image: app:1.0\n    user: \"10001\"\n    env_file: [app.env]\n    environment:\n      MODE: prod\n",
    );
    write(
        dir.path(),
        "app.env",
        "# api settings\nLOG_LEVEL=info\nDB_PASSWORD=Zq8vLr2mNp4TxK9w\n",
    );
    let out = policy(
        &["check", ".", "--format", "json", "--no-config"],
        dir.path(),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Zq8vLr2mNp4TxK9w"), "{text}");
    let report = json(&out);
    assert_eq!(findings_of(&report, "CP501"), [("app.env".to_string(), 3)]);
    let human = policy(&["check", ".", "--no-config"], dir.path());
    assert!(!String::from_utf8_lossy(&human.stdout).contains("Zq8vLr2mNp4TxK9w"));
    let services = inspect_services(dir.path(), "compose.yaml");
    assert_eq!(services["api"]["environment"]["LOG_LEVEL"], "info");
    assert_eq!(services["api"]["environment"]["MODE"], "prod");
    if have_docker_compose("docker-compose oracle for env_file") {
        let theirs = compose_config(dir.path());
        assert_eq!(
            services["api"]["environment"]["LOG_LEVEL"],
            theirs["services"]["api"]["environment"]["LOG_LEVEL"]
        );
    }
}

/// A file read by `extends: {file}` is judged through the project only:
/// walking the directory gives each finding once.
#[test]
fn an_extended_file_is_not_also_judged_alone() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  web:\n    extends:\n      file: common.yaml\n      service: base\n    image: nginx:1.25\n    user: \"10001\"\n",
    );
    write(
        dir.path(),
        "common.yaml",
        "services:\n  base:\n    image: nginx:1.25\n    privileged: true\n",
    );
    let report = check(dir.path(), &["."]);
    assert_eq!(
        findings_of(&report, "CP102"),
        [("common.yaml".to_string(), 4)]
    );
    assert_eq!(report["summary"]["files"], 1, "{report:#}");
}

/// `docker-compose.prod.yml` beside `docker-compose.yml`, amending its
/// services (no image of its own), is judged merged over the base, as
/// `docker compose -f docker-compose.yml -f docker-compose.prod.yml`.
#[test]
fn a_fragment_file_is_judged_merged_over_its_base() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "docker-compose.yml",
        "services:\n  web:\n    image: nginx:1.25\n    user: \"10001\"\n    depends_on: [db]\n  db:\n    image: postgres:16\n    user: \"999\"\n",
    );
    write(
        dir.path(),
        "docker-compose.prod.yml",
        "services:\n  web:\n    privileged: true\n    depends_on: [db]\n",
    );
    let report = check(dir.path(), &["."]);
    assert_eq!(
        findings_of(&report, "CP102"),
        [("docker-compose.prod.yml".to_string(), 3)]
    );
    assert!(findings_of(&report, "CP906").is_empty(), "{report:#}");
    assert!(errors_of(&report).is_empty(), "{report:#}");
    // The base's own findings come once, from the base, not again from
    // the fragment merged over it.
    let findings = report["findings"].as_array().unwrap();
    let mut places: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {}:{} {}", f["rule"], f["path"], f["line"], f["message"]))
        .collect();
    let all = places.len();
    places.sort();
    places.dedup();
    assert_eq!(places.len(), all, "{report:#}");
    assert!(
        findings_of(&report, "CP301").contains(&("docker-compose.yml".to_string(), 2)),
        "{report:#}"
    );
    let ours = inspect_services(dir.path(), "docker-compose.prod.yml");
    assert_eq!(ours["web"]["image"], "nginx:1.25");
    if have_docker_compose("docker-compose oracle for a fragment") {
        let out = std::process::Command::new("docker-compose")
            .args([
                "-f",
                "docker-compose.yml",
                "-f",
                "docker-compose.prod.yml",
                "config",
            ])
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs = container_policy::parse::parse_yaml(&String::from_utf8_lossy(&out.stdout))
            .unwrap()[0]
            .node
            .to_json();
        for field in ["image", "privileged", "user"] {
            assert_eq!(
                ours["web"][field], theirs["services"]["web"][field],
                "web.{field}"
            );
        }
    }
}

/// A secret-looking default is a literal secret: with no `.env` value,
/// `${DB_PASSWORD:-s3cr3t…}` is the password the service gets.
#[test]
fn a_secret_looking_default_is_a_literal_secret() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  db:\n    image: postgres:16\n    user: \"999\"\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:-Hx7qPw3zLm9Rt2Vk}\n      POSTGRES_USER: ${DB_USER:-app}\n",
    );
    let out = policy(
        &["check", ".", "--format", "json", "--no-config"],
        dir.path(),
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Hx7qPw3zLm9Rt2Vk"));
    let report = json(&out);
    assert_eq!(
        findings_of(&report, "CP501"),
        [("compose.yaml".to_string(), 6)]
    );
    // With the value set in `.env`, the finding is about that value, at the
    // compose line with the `.env` line related.
    write(dir.path(), ".env", "DB_PASSWORD=${PLACEHOLDER}\n");
    let report = check(dir.path(), &["."]);
    assert!(findings_of(&report, "CP501").is_empty(), "{report:#}");
}

/// A production stack declared in `.policy.yaml` is judged merged with its
/// env file; findings point at the production file's line, and what the
/// project itself already reports is not repeated.
#[test]
fn a_stack_declared_in_the_config_is_judged_merged() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "docker-compose.yml",
        "services:\n  web:\n    image: shop:${TAG:-1.0}\n    user: \"10001\"\n",
    );
    write(
        dir.path(),
        "deploy/prod.yml",
        "services:\n  web:\n    cap_add: [SYS_ADMIN]\n",
    );
    write(dir.path(), ".env.prod", "TAG=latest\n");
    write(
        dir.path(),
        ".policy.yaml",
        "compose:\n  stacks:\n    - files: [docker-compose.yml, deploy/prod.yml]\n      env-file: .env.prod\n",
    );
    let out = policy(&["check", ".", "--format", "json"], dir.path());
    let report = json(&out);
    assert_eq!(
        findings_of(&report, "CP105"),
        [("deploy/prod.yml".to_string(), 3)]
    );
    let latest: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CP202")
        .collect();
    assert_eq!(latest.len(), 1, "{report:#}");
    assert_eq!(latest[0]["path"], "docker-compose.yml");
    assert_eq!(latest[0]["line"], 3);
    assert_eq!(latest[0]["related"][0]["path"], ".env.prod");
    // The project alone and the stack both judge `web`: its findings that
    // do not depend on the stack come once.
    let cp301 = findings_of(&report, "CP301");
    assert_eq!(cp301.len(), 1, "{report:#}");
    assert!(errors_of(&report).is_empty(), "{report:#}");
    if have_docker_compose("docker-compose oracle for a stack") {
        let out = std::process::Command::new("docker-compose")
            .args(["-f", "docker-compose.yml", "-f", "deploy/prod.yml"])
            .args(["--env-file", ".env.prod", "config"])
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs = container_policy::parse::parse_yaml(&String::from_utf8_lossy(&out.stdout))
            .unwrap()[0]
            .node
            .to_json();
        assert_eq!(theirs["services"]["web"]["image"], "shop:latest");
        assert_eq!(theirs["services"]["web"]["cap_add"][0], "SYS_ADMIN");
    }
}

/// A stack file outside the config file's directory is a config error at
/// its line.
#[test]
fn a_stack_file_outside_the_config_directory_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.25\n",
    );
    write(
        dir.path(),
        ".policy.yaml",
        "compose:\n  stacks:\n    - files:\n        - compose.yaml\n        - ../prod.yml\n",
    );
    let out = policy(&["check", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("../prod.yml") && text.contains(".policy.yaml:5"),
        "{text}"
    );
}

/// Files that include each other are an error naming the cycle, and a file
/// including another many times over stays bounded.
#[test]
fn include_cycles_and_fan_out_are_bounded_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "compose.yaml",
        "include:\n  - a.yaml\nservices:\n  web:\n    image: nginx:1.25\n",
    );
    write(
        dir.path(),
        "a.yaml",
        "include:\n  - b.yaml\nservices:\n  a:\n    image: nginx:1.25\n",
    );
    write(
        dir.path(),
        "b.yaml",
        "include:\n  - a.yaml\nservices:\n  b:\n    image: nginx:1.25\n",
    );
    let report = check(dir.path(), &["."]);
    let errors = errors_of(&report);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("\"b.yaml\":2 ") && e.contains("cycle")),
        "{errors:?}"
    );
    // What was read before the cycle is still judged.
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "b.yaml" && f["message"].as_str().unwrap().contains("service b")),
        "{report:#}"
    );

    let dir = tempfile::tempdir().unwrap();
    let many = "include:\n".to_string() + &"  - c.yaml\n".repeat(20);
    write(
        dir.path(),
        "compose.yaml",
        &(many.clone() + "services: {}\n"),
    );
    write(
        dir.path(),
        "c.yaml",
        &(many.replace("c.yaml", "d.yaml") + "services: {}\n"),
    );
    write(
        dir.path(),
        "d.yaml",
        "services:\n  d:\n    image: nginx:1.25\n",
    );
    let start = std::time::Instant::now();
    let report = check(dir.path(), &["."]);
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
    assert!(
        errors_of(&report)
            .iter()
            .any(|e| e.contains("more than 64 files")),
        "{report:#}"
    );
}

/// An `env_file` or an `include` outside the project's directory is not
/// read: listed as skipped, its values never printed. (`env_file` given as
/// a string and as a list merges as one list, as compose merges it.)
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
    let mut skipped: Vec<String> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["reason"].as_str().unwrap().contains("outside"))
        .map(|s| s["path"].as_str().unwrap().to_string())
        .collect();
    skipped.sort();
    assert_eq!(
        skipped,
        ["../host.env", "../other.yaml", "linked.env"],
        "{report:#}"
    );
}

/// `!reset` and `!override` in the override file (compose v2.24; Debian's
/// docker-compose 1.29 predates them, so expectations are hand-written from
/// the specification): the reset attribute is gone, the overridden one is
/// the override's alone.
#[test]
fn reset_and_override_tags_in_the_override_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.25\n    user: \"10001\"\n    cap_add: [SYS_ADMIN]\n    ports: [\"8080:80\"]\n    environment:\n      A: \"1\"\n      B: \"2\"\n",
    );
    write(
        dir.path(),
        "compose.override.yaml",
        "services:\n  web:\n    cap_add: !reset []\n    ports: !override [\"9090:80\"]\n    environment: !override\n      C: \"3\"\n",
    );
    let report = check(dir.path(), &["."]);
    assert!(findings_of(&report, "CP105").is_empty(), "{report:#}");
    let web = &inspect_services(dir.path(), "compose.yaml")["web"];
    assert!(web.get("cap_add").is_none(), "{web:#}");
    assert_eq!(web["ports"], serde_json::json!(["9090:80"]));
    assert_eq!(web["environment"], serde_json::json!({"C": "3"}));
}

const BUILT: &str = "\
services:
  app:
    build:
      context: .
      dockerfile: docker/app/Dockerfile
      args:
        BASE: python:latest
  worker:
    build:
      context: .
      dockerfile: docker/app/Dockerfile
      args:
        - BASE=python:3.12
";

const BUILT_DOCKERFILE: &str = "\
ARG BASE=python:3.12-slim
FROM ${BASE}
COPY . /app
USER 1000
";

fn built_project(dir: &Path) {
    write(dir, "compose.yaml", BUILT);
    write(dir, "docker/app/Dockerfile", BUILT_DOCKERFILE);
    write(
        dir,
        "id_rsa",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
    );
}

#[test]
fn a_dockerfile_built_by_compose_gets_its_build_args_and_context() {
    let dir = tempfile::tempdir().unwrap();
    built_project(dir.path());
    let report = check(dir.path(), &["."]);
    let dockerfile = "docker/app/Dockerfile".to_string();
    // `FROM ${BASE}` is the `python:latest` the first service's
    // `build.args` gives, and names the compose line that set it.
    let latest: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CP202")
        .collect();
    assert_eq!(latest.len(), 1, "{report:#}");
    assert_eq!(
        (latest[0]["path"].as_str(), latest[0]["line"].as_u64()),
        (Some(&*dockerfile), Some(2))
    );
    assert_eq!(
        latest[0]["related"][0]["path"], "compose.yaml",
        "{report:#}"
    );
    assert_eq!(latest[0]["related"][0]["line"], 7, "{report:#}");
    // The context is the project's directory, so `COPY . /app` ships the
    // key beside compose.yaml, though the Dockerfile's own directory has none.
    assert_eq!(
        findings_of(&report, "CP507"),
        [(dockerfile.clone(), 3)],
        "{report:#}"
    );
    // The services build an image whose final stage sets `USER 1000`: not
    // root, though they set no `user:`.
    assert!(
        !findings_of(&report, "CP101")
            .iter()
            .any(|(p, _)| p == "./compose.yaml"),
        "{report:#}"
    );
    // Judged once, through the project, not also alone.
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["path"].as_str())
        .filter(|p| p.ends_with("Dockerfile"))
        .collect();
    assert!(paths.iter().all(|p| *p == dockerfile), "{paths:?}");
    assert_eq!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "CP507")
            .count(),
        1
    );
}

#[test]
fn a_dockerfile_checked_alone_keeps_its_own_directory_as_the_context() {
    let dir = tempfile::tempdir().unwrap();
    built_project(dir.path());
    let report = check(dir.path(), &["docker/app/Dockerfile"]);
    // No compose project in the run: `docker build docker/app` semantics,
    // the ARG's default, and no key in that context.
    assert!(findings_of(&report, "CP202").is_empty(), "{report:#}");
    assert!(findings_of(&report, "CP507").is_empty(), "{report:#}");
}

#[test]
fn a_build_context_outside_the_project_is_not_read_through_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
    write(dir.path(), "app/Dockerfile", BUILT_DOCKERFILE);
    write(
        dir.path(),
        "deploy/compose.yaml",
        "services:\n  app:\n    build:\n      context: ..\n      dockerfile: app/Dockerfile\n      args:\n        BASE: python:latest\n",
    );
    let report = check(dir.path(), &["."]);
    // The Dockerfile is judged alone (its own directory as the context).
    assert!(findings_of(&report, "CP202").is_empty(), "{report:#}");
    assert!(findings_of(&report, "CP507").is_empty(), "{report:#}");
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "app/Dockerfile"),
        "{report:#}"
    );
}
