//! The build context through a real `docker build`: the secret files
//! CP507 reports are exactly the secret-looking files that end up in the
//! image, and a `.dockerignore` entry removes both the file from the image
//! and the finding. Skipped without a Docker engine (fails under
//! POLICY_REQUIRE_TOOLS=1); nothing is pulled (`FROM scratch`).

mod common;
use common::docker::{docker, docker_ok, engine_missing, Created};
use common::{json, policy, require_or_skip, write};
use std::collections::BTreeSet;
use std::path::Path;

/// The files CP507 names in a JSON report: "COPY . ships A (kind), B (kind)
/// from the build context …".
fn reported(dir: &Path) -> BTreeSet<String> {
    let out = policy(&["check", "Dockerfile", "--format", "json"], dir);
    let mut names = BTreeSet::new();
    for f in json(&out)["findings"].as_array().unwrap() {
        if f["rule"] != "CP507" {
            continue;
        }
        let message = f["message"].as_str().unwrap();
        let listed = message
            .split_once(" ships ")
            .and_then(|(_, rest)| rest.split_once(" from the build context"))
            .unwrap_or_else(|| panic!("{message}"))
            .0;
        for item in listed.split(", ") {
            names.insert(item.split_once(" (").map_or(item, |(n, _)| n).to_string());
        }
    }
    names
}

/// Every regular file of the image `tag`, relative to `/ctx/`.
fn shipped(tag: &str) -> BTreeSet<String> {
    let container = docker_ok(&["create", tag, "/none"]);
    let export = docker(&["export", &container]);
    let _ = docker(&["rm", "-f", &container]);
    assert!(export.status.success());
    let mut archive = tar::Archive::new(&export.stdout[..]);
    archive
        .entries()
        .unwrap()
        .flatten()
        .filter(|e| e.header().entry_type().is_file())
        .filter_map(|e| {
            let path = e.path().ok()?.to_string_lossy().to_string();
            path.strip_prefix("ctx/").map(str::to_string)
        })
        .collect()
}

fn build(dir: &Path, tag: &str) {
    let out = docker(&[
        "build",
        "--network",
        "none",
        "-q",
        "-t",
        tag,
        &dir.to_string_lossy(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn reported_context_secrets_are_exactly_those_the_image_gets() {
    if !require_or_skip("the build-context test", engine_missing()) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "Dockerfile", "FROM scratch\nCOPY . /ctx/\nUSER 10001\n");
    write(d, "app.py", "print('hi')\n");
    write(d, ".env", "DB_PASSWORD=hunter2-not-real\n");
    write(d, "deploy/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----\n");
    write(
        d,
        "config/.npmrc",
        "//registry.npmjs.org/:_authToken=npm_0123456789abcdefghijklmnopqrstuvwxyz\n",
    );
    write(d, ".dockerignore", "config/\n");
    let tag = format!("policy-test-context:{}", std::process::id());
    let mut created = Created {
        image: tag.clone(),
        containers: Vec::new(),
    };
    build(d, &tag);
    let in_image = shipped(&tag);
    let secret_like =
        |name: &String| !matches!(name.as_str(), "app.py" | "Dockerfile" | ".dockerignore");
    let shipped_secrets: BTreeSet<String> = in_image
        .iter()
        .filter(|n| secret_like(n))
        .cloned()
        .collect();
    assert!(
        in_image.contains("app.py") && !in_image.contains("config/.npmrc"),
        "{in_image:?}"
    );
    assert_eq!(reported(d), shipped_secrets);
    assert!(shipped_secrets.contains(".env") && shipped_secrets.contains("deploy/id_rsa"));

    // Ignoring `.env` takes it out of the image and out of the report.
    write(d, ".dockerignore", "config/\n.env\n");
    build(d, &tag);
    let in_image = shipped(&tag);
    assert!(!in_image.contains(".env"), "{in_image:?}");
    let shipped_secrets: BTreeSet<String> = in_image
        .iter()
        .filter(|n| secret_like(n))
        .cloned()
        .collect();
    assert_eq!(reported(d), shipped_secrets);
    assert_eq!(
        shipped_secrets,
        BTreeSet::from(["deploy/id_rsa".to_string()])
    );
    created.remove_all();
}
