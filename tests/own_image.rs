//! The production image (./Dockerfile, built offline by .ci/build-image,
//! which .ci/test runs and names in `POLICY_IMAGE`): small, runs read-only
//! as a non-root user with no network, reports what the binary reports, and
//! passes its own checks.

mod common;

use common::docker::{docker, docker_ok, engine_missing};
use common::{policy, repo_root, require_or_skip};
use serde_json::Value;
use std::path::Path;

/// The image to test, or why there is none.
fn image() -> Option<String> {
    if let Some(why) = engine_missing() {
        require_or_skip("the production image", Some(why));
        return None;
    }
    let name = std::env::var("POLICY_IMAGE").ok().filter(|n| !n.is_empty());
    let missing = name
        .is_none()
        .then(|| "POLICY_IMAGE is not set (run `.ci/build-image`, which prints it)".to_string());
    if !require_or_skip("the production image", missing) {
        return None;
    }
    name
}

/// (rule, path, line, column, message) of each finding.
fn findings(report: &Value) -> Vec<(String, String, u64, u64, String)> {
    report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("not a report: {report}"))
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["path"].as_str().unwrap().trim_start_matches("./").into(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["message"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[test]
fn the_image_is_small_non_root_and_labelled() {
    let Some(image) = image() else { return };
    let size: u64 = docker_ok(&["image", "inspect", "--format", "{{.Size}}", &image])
        .parse()
        .unwrap();
    assert!(size < 20 << 20, "the image is {size} bytes");
    let user = docker_ok(&["image", "inspect", "--format", "{{.Config.User}}", &image]);
    assert_eq!(user, "65532:65532");
    let labels = docker_ok(&[
        "image",
        "inspect",
        "--format",
        "{{json .Config.Labels}}",
        &image,
    ]);
    let labels: Value = serde_json::from_str(&labels).unwrap();
    for key in ["source", "version", "licenses", "revision"] {
        let value = &labels[format!("org.opencontainers.image.{key}")];
        assert!(
            value.as_str().is_some_and(|v| !v.is_empty()),
            "{key}: {labels}"
        );
    }
}

#[test]
fn the_image_read_only_without_network_reports_what_the_binary_reports() {
    let Some(image) = image() else { return };
    // A copy outside any repository: both runs then show paths relative
    // to the directory checked.
    let copy = tempfile::tempdir().unwrap();
    // Readable by the image's user.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(copy.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    common::copy_tree(&repo_root().join("testdata/examples"), copy.path());
    let examples = copy.path();
    let mount = format!("{}:/src:ro", examples.display());
    let out = docker(&[
        "run",
        "--rm",
        "--read-only",
        "--user",
        "65532",
        "--network",
        "none",
        "-v",
        &mount,
        &image,
        "check",
        ".",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let from_image: Value = serde_json::from_slice(&out.stdout).unwrap();
    let local = policy(&["check", ".", "--format", "json"], examples);
    let from_binary: Value = serde_json::from_slice(&local.stdout).unwrap();
    assert!(!findings(&from_binary).is_empty());
    assert_eq!(findings(&from_image), findings(&from_binary));
}

#[test]
fn the_image_and_its_dockerfile_pass_their_own_checks() {
    let Some(image) = image() else { return };
    let root = repo_root();
    let dockerfile = policy(
        &["check", "Dockerfile", "--no-config", "--fail-on", "warning"],
        root,
    );
    assert_eq!(
        dockerfile.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&dockerfile.stdout)
    );
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("image.tar");
    docker_ok(&["save", "-o", archive.to_str().unwrap(), &image]);
    let saved = policy(
        &["check", "image.tar", "--no-config", "--fail-on", "warning"],
        dir.path(),
    );
    assert_eq!(
        saved.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&saved.stdout),
        String::from_utf8_lossy(&saved.stderr)
    );
    assert!(Path::new(&archive).is_file());
}
