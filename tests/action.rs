//! The GitHub Action (action.yml), run as GitHub would run its check step:
//! its `run` script with bash, its inputs' defaults as the environment its
//! `env:` maps them to, over a copy of the bundled examples, with the image
//! .ci/build-image built (`POLICY_IMAGE`).

mod common;

use common::{repo_root, require_or_skip};
use serde_json::Value;
use std::process::Command;

#[test]
fn the_action_annotates_fails_and_writes_sarif() {
    let missing = common::docker::engine_missing().or_else(|| {
        std::env::var("POLICY_IMAGE")
            .is_err()
            .then(|| "POLICY_IMAGE is not set (run `.ci/build-image`)".to_string())
    });
    if !require_or_skip("the GitHub Action", missing) {
        return;
    }
    let text = std::fs::read_to_string(repo_root().join("action.yml")).unwrap();
    let action = container_policy::parse::parse_yaml(&text).unwrap()[0]
        .node
        .to_json();
    let step = &action["runs"]["steps"][0];
    let script = step["run"].as_str().expect("the first step runs a script");
    let inputs = &action["inputs"];
    let default = |name: &str| inputs[name]["default"].as_str().unwrap().to_string();

    let workspace = tempfile::tempdir().unwrap();
    common::copy_tree(&repo_root().join("testdata/examples"), workspace.path());
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(script)
        .env("GITHUB_WORKSPACE", workspace.path());
    // `env:` of the step: each variable from an input (`${{ inputs.x }}`);
    // the image input names the image under test.
    for (var, value) in step["env"].as_object().unwrap() {
        let input = value
            .as_str()
            .and_then(|v| v.strip_prefix("${{ inputs."))
            .and_then(|v| v.strip_suffix(" }}"))
            .expect("env from an input");
        let value = match input {
            "image" => std::env::var("POLICY_IMAGE").unwrap(),
            other => default(other),
        };
        cmd.env(var, value);
    }
    let out = cmd.output().unwrap();
    let log = String::from_utf8_lossy(&out.stdout);
    // The examples hold error findings: the step fails, as `fail-on: error` asks.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{log}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(log.contains("::error file="), "{log}");
    let sarif: Value = serde_json::from_slice(
        &std::fs::read(workspace.path().join(default("sarif"))).expect("the SARIF file"),
    )
    .unwrap();
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
}
