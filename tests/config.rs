//! The config file end to end: the real binary on temporary trees with a
//! `.policy.yaml`, and the README's examples against the schema and loader.

mod common;
use common::{policy, write};

use container_policy::config::Config;
use container_policy::engine::PolicySet;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Output;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn json_report(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(out)
        )
    })
}

/// (rule, path, severity) of every finding, sorted.
fn findings(out: &Output) -> Vec<(String, String, String)> {
    let report = json_report(out);
    let mut found: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap().to_string();
            (text("rule"), text("path"), text("severity"))
        })
        .collect();
    found.sort();
    found
}

fn checked_paths(out: &Output) -> Vec<String> {
    let mut paths: Vec<String> = findings(out).into_iter().map(|(_, p, _)| p).collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Runs as root (CP101, error) and has no healthcheck (CP601, warning).
const ROOT_DOCKERFILE: &str = "FROM alpine:3.20\n";
/// Only CP601, a warning.
const WARNING_DOCKERFILE: &str = "FROM alpine:3.20\nUSER 10001\n";

#[test]
fn config_in_a_parent_directory_applies_and_the_command_line_wins() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".policy.yaml", "fail-on: warning\n");
    write(dir.path(), "app/Dockerfile", WARNING_DOCKERFILE);
    let app = dir.path().join("app");

    assert_eq!(policy(&["check"], &app).status.code(), Some(1));
    assert_eq!(
        policy(&["check", "--fail-on", "error"], &app).status.code(),
        Some(0)
    );
    assert_eq!(
        policy(&["check", "--no-config"], &app).status.code(),
        Some(0)
    );
}

#[test]
fn the_short_extension_is_found_too() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".policy.yml", "fail-on: warning\n");
    write(dir.path(), "Dockerfile", WARNING_DOCKERFILE);
    assert_eq!(policy(&["check"], dir.path()).status.code(), Some(1));
}

#[test]
fn config_named_with_the_flag_is_read_instead_of_the_nearest() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".policy.yaml", "fail-on: never\n");
    write(dir.path(), "ci/strict.yaml", "fail-on: warning\n");
    write(dir.path(), "Dockerfile", WARNING_DOCKERFILE);
    assert_eq!(policy(&["check"], dir.path()).status.code(), Some(0));
    assert_eq!(
        policy(&["check", "--config", "ci/strict.yaml"], dir.path())
            .status
            .code(),
        Some(1)
    );
    let missing = policy(&["check", "--config", "nope.yaml"], dir.path());
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("nope.yaml"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn include_and_exclude_filter_the_walk_but_not_named_files() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".policy.yaml",
        "include: [\"deploy/**\", \"docker/**\"]\nexclude: [\"**/testdata/**\", \"vendor/\"]\n",
    );
    for file in [
        "deploy/Dockerfile",
        "deploy/testdata/Dockerfile",
        "docker/Dockerfile",
        "docker/vendor/lib/Dockerfile",
        "other/Dockerfile",
    ] {
        write(dir.path(), file, ROOT_DOCKERFILE);
    }

    let out = policy(&["check", "--format", "json"], dir.path());
    assert_eq!(
        checked_paths(&out),
        ["deploy/Dockerfile", "docker/Dockerfile"]
    );

    // From a subdirectory the globs stay relative to the config file, and
    // paths are relative to its directory (the root: there is no `.git`).
    let out = policy(&["check", "--format", "json"], &dir.path().join("deploy"));
    assert_eq!(checked_paths(&out), ["deploy/Dockerfile"]);

    // Files named on the command line are checked, as ruff and ripgrep do.
    let out = policy(
        &[
            "check",
            "--format",
            "json",
            "other/Dockerfile",
            "deploy/testdata/Dockerfile",
        ],
        dir.path(),
    );
    assert_eq!(
        checked_paths(&out),
        ["deploy/testdata/Dockerfile", "other/Dockerfile"]
    );

    // ... unless force-exclude says otherwise (pre-commit passes file names).
    write(
        dir.path(),
        ".policy.yaml",
        "include: [\"deploy/\"]\nexclude: [testdata]\nforce-exclude: true\n",
    );
    let out = policy(
        &[
            "check",
            "--format",
            "json",
            "other/Dockerfile",
            "deploy/Dockerfile",
            "deploy/testdata/Dockerfile",
        ],
        dir.path(),
    );
    assert_eq!(checked_paths(&out), ["deploy/Dockerfile"]);
    let out = policy(
        &["check", "--format", "json", "deploy/testdata"],
        dir.path(),
    );
    assert_eq!(checked_paths(&out), Vec::<String>::new());
}

#[test]
fn rule_selection_and_severity_from_config_under_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".policy.yaml",
        "enable: [supply-chain]\ndisable: [run-as-root]\nseverity:\n  CP601: error\n",
    );
    write(dir.path(), "Dockerfile", ROOT_DOCKERFILE);
    let rules = |args: &[&str]| -> Vec<(String, String)> {
        let mut all = vec!["check", "--format", "json"];
        all.extend(args);
        let out = policy(&all, dir.path());
        findings(&out)
            .into_iter()
            .map(|(rule, _, severity)| (rule, severity))
            .collect()
    };
    let pair = |r: &str, s: &str| (r.to_string(), s.to_string());

    // CP203 is opt-in, enabled by its tag; CP101 is disabled by name.
    assert_eq!(rules(&[]), [pair("CP203", "info"), pair("CP601", "error")]);
    // The command line adds to the file's lists and wins over them.
    assert_eq!(
        rules(&[
            "--enable",
            "CP101",
            "--disable",
            "CP203",
            "--severity",
            "CP601=info"
        ]),
        [pair("CP101", "error"), pair("CP601", "info")]
    );
    assert_eq!(
        rules(&["--no-config"]),
        [pair("CP101", "error"), pair("CP601", "warning")]
    );
}

#[test]
fn profiles_from_config_and_flag_then_enable_and_disable() {
    let dir = tempfile::tempdir().unwrap();
    // Runs privileged (CP102, minimal), without memory limit (CP301,
    // default) or process limit (CP304, strict only).
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  app:\n    image: registry.example.com/app:1.0\n    privileged: true\n",
    );
    let rules = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--format", "json"];
        all.extend(args);
        let mut ids: Vec<String> = findings(&policy(&all, dir.path()))
            .into_iter()
            .map(|(rule, _, _)| rule)
            .collect();
        ids.dedup();
        ids
    };
    let default = rules(&[]);
    assert!(default.contains(&"CP102".into()) && default.contains(&"CP301".into()));
    assert!(!default.contains(&"CP304".into()), "{default:?}");
    assert_eq!(rules(&["--profile", "minimal"]), ["CP102"]);
    let strict = rules(&["--profile", "strict"]);
    assert!(strict.contains(&"CP304".into()) && strict.contains(&"CP301".into()));

    write(
        dir.path(),
        ".policy.yaml",
        "profile: minimal\nenable: [CP301]\n",
    );
    assert_eq!(rules(&[]), ["CP102", "CP301"]);
    // The flag's profile wins over the file's; the file's lists still apply.
    let strict = rules(&["--profile", "strict", "--disable", "CP102"]);
    assert!(strict.contains(&"CP304".into()) && !strict.contains(&"CP102".into()));

    // The user's own rules run in every profile unless they name one.
    write(
        dir.path(),
        "policy/own.rego",
        "package rules.own\nimport rego.v1\nmetadata := {\"id\": \"OWN001\", \"name\": \"own\", \"title\": \"t\", \"severity\": \"info\", \"tags\": [\"test\"], \"kinds\": [\"compose\"], \"why\": \"w\", \"fix\": \"f\"}\ndeny contains \"always\" if input.kind == \"compose\"\n",
    );
    write(
        dir.path(),
        ".policy.yaml",
        "profile: minimal\npolicies: [policy/]\n",
    );
    assert_eq!(rules(&[]), ["CP102", "OWN001"]);

    write(dir.path(), ".policy.yaml", "profile: paranoid\n");
    let out = policy(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(".policy.yaml:1:10"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn base_image_parameters_extend_the_known_tables() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        "FROM registry.example.com/base/runtime:2\nCOPY app /app\n",
    );
    let ids = |out: &Output| -> Vec<String> {
        findings(out).into_iter().map(|(rule, _, _)| rule).collect()
    };
    let out = policy(&["check", "--format", "json"], dir.path());
    assert_eq!(ids(&out), ["CP101", "CP601"]);
    write(
        dir.path(),
        ".policy.yaml",
        "parameters:\n  nonroot-base-images: [\"registry.example.com/base/*\"]\n  healthcheck-exempt-base-images: [\"registry.example.com/base/runtime:*\"]\n",
    );
    let out = policy(&["check", "--format", "json"], dir.path());
    assert_eq!(ids(&out), Vec::<String>::new(), "{}", stderr(&out));
    // `policy explain` lists the user's entries with the built-in ones.
    let out = policy(&["explain", "CP101"], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("`registry.example.com/base/*`"), "{text}");
    assert!(text.contains("`cgr.dev/chainguard/*`"), "{text}");
}

#[test]
fn fail_on_and_combine_from_config() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".policy.yaml",
        "fail-on: never\ncombine: true\n",
    );
    write(dir.path(), "Dockerfile", ROOT_DOCKERFILE);
    write(
        dir.path(),
        "web.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx:1.27}]\n",
    );
    let out = policy(&["check", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rules: Vec<String> = findings(&out).into_iter().map(|(r, _, _)| r).collect();
    assert!(rules.iter().any(|r| r == "CP101"), "{rules:?}");
    // Cross-document rules ran: no NetworkPolicy selects the Deployment.
    assert!(rules.iter().any(|r| r == "CP901"), "{rules:?}");
    assert_eq!(
        policy(&["check", "--fail-on", "error"], dir.path())
            .status
            .code(),
        Some(1)
    );
}

const PARAMETERS_PROBE: &str = r#"package rules.parameters_probe

import rego.v1

metadata := {
	"id": "TEST001", "name": "parameters-probe", "title": "Shows data.parameters",
	"severity": "error", "tags": ["test"], "kinds": ["dockerfile"],
	"why": "To prove the contract.", "fix": "Nothing.",
}

deny contains json.marshal(data.parameters) if data.parameters

deny contains sprintf("registry %s, labels %d, budget %d, uids %d-%d", [
	data.parameters.allowed_registries[1],
	count(data.parameters.required_labels),
	data.parameters.image_size_budget,
	data.parameters.allowed_uid_ranges[0].min,
	data.parameters.allowed_uid_ranges[0].max,
])
"#;

#[test]
fn parameters_reach_rego_as_data_parameters() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policy/probe.rego", PARAMETERS_PROBE);
    write(dir.path(), "Dockerfile", WARNING_DOCKERFILE);
    write(
        dir.path(),
        ".policy.yaml",
        r#"policies: [policy/]
enable: [TEST001]
parameters:
  allowed-registries: [registry.example.com, ghcr.io/example]
  allowed-uid-ranges: ["10000-65535", 1001]
  image-size-budget: 200MB
  required-labels: [app.kubernetes.io/name, team]
"#,
    );
    let out = policy(&["check", "--format", "json"], dir.path());
    let messages: Vec<String> = json_report(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "TEST001")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}\n{}", stderr(&out));
    let parameters: Value = serde_json::from_str(&messages[1]).unwrap();
    assert_eq!(
        parameters,
        json!({
            "allowed_registries": ["registry.example.com", "ghcr.io/example"],
            "allowed_uid_ranges": [{"min": 10000, "max": 65535}, {"min": 1001, "max": 1001}],
            "image_size_budget": 200_000_000,
            "required_labels": ["app.kubernetes.io/name", "team"],
        })
    );
    assert_eq!(
        messages[0],
        "registry ghcr.io/example, labels 2, budget 200000000, uids 10000-65535"
    );

    // Absent parameters are absent, not null.
    write(
        dir.path(),
        ".policy.yaml",
        "policies: [policy/]\nparameters:\n  required-labels: [team]\n",
    );
    let out = policy(&["check", "--format", "json"], dir.path());
    let report = json_report(&out);
    let probe = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "TEST001")
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(probe["message"], r#"{"required_labels":["team"]}"#);
}

#[test]
fn rules_and_explain_load_the_configured_policies() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policy/probe.rego", PARAMETERS_PROBE);
    write(
        dir.path(),
        ".policy.yaml",
        "policies: [policy/]\nno-builtin: true\n",
    );
    let out = policy(&["rules"], dir.path());
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains("TEST001"), "{listed}{}", stderr(&out));
    assert!(!listed.contains("CP101"), "{listed}");
    let out = policy(&["explain", "parameters-probe"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Exit 2 and a diagnostic at `.policy.yaml:LINE:COL` that says `words`.
fn assert_config_error(config: &str, line_column: &str, words: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".policy.yaml", config);
    write(dir.path(), "Dockerfile", WARNING_DOCKERFILE);
    let out = policy(&["check"], dir.path());
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{config}\n{text}");
    assert!(
        text.contains(&format!(".policy.yaml:{line_column}]")),
        "expected the error at {line_column}:\n{text}"
    );
    for word in words {
        assert!(text.contains(word), "expected `{word}` in:\n{text}");
    }
    assert!(
        out.stdout.is_empty(),
        "nothing is checked with a bad config"
    );
}

#[test]
fn unknown_keys_are_errors_with_a_suggestion() {
    assert_config_error(
        "include: [deploy/]\n\nfial-on: warning\n",
        "3:1",
        &["unknown key `fial-on`", "did you mean `fail-on`?"],
    );
    assert_config_error(
        "parameters:\n  required-labels: [team]\n  allowed-registry: [ghcr.io]\n",
        "3:3",
        &[
            "unknown key `parameters.allowed-registry`",
            "did you mean `allowed-registries`?",
        ],
    );
    assert_config_error(
        "colour: red\n",
        "1:1",
        &["unknown key `colour`", "known keys here: include, exclude"],
    );
}

#[test]
fn wrong_types_and_bad_values_are_errors_at_the_value() {
    assert_config_error(
        "combine: yes\n",
        "1:10",
        &["`combine`: invalid type: string \"yes\", expected a boolean"],
    );
    assert_config_error(
        "enable: CP101\n",
        "1:9",
        &["`enable`: invalid type: string \"CP101\", expected a sequence"],
    );
    assert_config_error(
        "fail-on: sometimes\n",
        "1:10",
        &["`fail-on`: unknown variant `sometimes`", "`warning`"],
    );
    assert_config_error(
        "severity:\n  CP201: fatal\n",
        "2:10",
        &["`severity.CP201`: unknown variant `fatal`"],
    );
    assert_config_error("- fail-on\n", "1:1", &["expected a mapping"]);
    assert_config_error(
        "parameters: [a]\n",
        "1:13",
        &["`parameters`: expected a mapping"],
    );
}

#[test]
fn bad_parameters_are_errors_at_the_value() {
    assert_config_error(
        "parameters:\n  allowed-uid-ranges: [1001, \"65535-10000\"]\n",
        "2:30",
        &[
            "`parameters.allowed-uid-ranges[1]`",
            "the range `65535-10000` ends before it starts",
        ],
    );
    assert_config_error(
        "parameters:\n  allowed-uid-ranges: [-1]\n",
        "2:24",
        &["-1 is negative"],
    );
    assert_config_error(
        "parameters:\n  allowed-uid-ranges: [root]\n",
        "2:24",
        &["`root` is not a uid"],
    );
    assert_config_error(
        "parameters:\n  image-size-budget: 200 MBs\n",
        "2:22",
        &["`parameters.image-size-budget`", "`200 MBs` is not a size"],
    );
}

#[test]
fn unknown_rules_are_errors_at_their_entry() {
    assert_config_error(
        "enable: [CP203]\ndisable: [CP101, CP9999]\n",
        "2:18",
        &["no rule, rule name or tag is called `CP9999`"],
    );
    assert_config_error(
        "severity:\n  run-as-rot: error\n",
        "2:3",
        &["`run-as-rot`", "did you mean `run-as-root`?"],
    );
}

#[test]
fn yaml_and_glob_syntax_errors_are_shown_at_their_line() {
    assert_config_error("include: [deploy/\nexclude: []\n", "2:8", &["config-error"]);
    assert_config_error("exclude: [\"a/{b\"]\n", "1:11", &["invalid glob"]);
    assert_config_error(
        "fail-on: error\n---\nfail-on: never\n",
        "3:1",
        &["one YAML document"],
    );
}

#[test]
fn empty_config_is_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".policy.yaml", "# nothing yet\n");
    write(dir.path(), "Dockerfile", WARNING_DOCKERFILE);
    assert_eq!(policy(&["check"], dir.path()).status.code(), Some(0));
}

/// Every ```yaml block of the README that starts with `# .policy.yaml`.
fn readme_config_examples() -> Vec<String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .filter(|block| block.starts_with("# .policy.yaml\n"))
        .map(str::to_string)
        .collect()
}

#[test]
fn readme_examples_match_the_schema_and_load() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("schemas/config.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let rules = PolicySet::builtin().unwrap().rules;
    let examples = readme_config_examples();
    assert!(
        !examples.is_empty(),
        "README.md has no `# .policy.yaml` example"
    );
    for example in examples {
        let node = &container_policy::parse::parse_yaml(&example).unwrap()[0].node;
        let errors: Vec<String> = validator
            .iter_errors(&node.to_json())
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{example}\n{}", errors.join("\n"));
        let config = Config::parse(Path::new("README.md"), example.clone())
            .unwrap_or_else(|e| panic!("{e:?}"));
        config
            .check_selectors(&rules)
            .unwrap_or_else(|e| panic!("{e:?}"));
    }
}

#[test]
fn schema_rejects_what_the_loader_rejects() {
    let schema: Value = serde_json::from_str(&container_policy::config::schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for bad in [
        json!({"fial-on": "error"}),
        json!({"fail-on": "sometimes"}),
        json!({"parameters": {"image-size-budget": "200 MBs"}}),
        json!({"parameters": {"allowed-uid-ranges": ["a-b"]}}),
        json!({"severity": {"CP201": "fatal"}}),
    ] {
        assert!(!validator.is_valid(&bad), "schema accepts {bad}");
        let yaml = serde_json::to_string(&bad).unwrap();
        assert!(
            Config::parse(Path::new("x.yaml"), yaml).is_err(),
            "loader accepts {bad}"
        );
    }
    assert!(validator.is_valid(&json!({
        "parameters": {"image-size-budget": "1.5 GiB", "allowed-uid-ranges": [0, "1-2"]}
    })));
}
