//! `# policy:ignore`, `# policy:ignore-file` and the `policy.container/ignore`
//! annotation, end to end through the binary.

mod common;
use common::{findings, json, policy, stderr, stdout, write};

fn s(rule: &str, line: u64, kind: &str) -> (String, u64, String) {
    (rule.to_string(), line, kind.to_string())
}

const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  annotations:
    policy.container/ignore: "CP303 -- requests are set by the VPA"
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        # policy:ignore CP301,CP302 -- sized by the platform team
        - name: api
          image: registry.example.com/api:1.4.2
          securityContext: # policy:ignore CP104 -- needs NET_BIND_SERVICE, tracked in OPS-7
            runAsNonRoot: true
            runAsUser: 10001
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsGroup: 10001
            seccompProfile: {type: RuntimeDefault}
          livenessProbe: {httpGet: {path: /healthz, port: 8080}}
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
      automountServiceAccountToken: false
"#;

#[test]
fn comments_and_annotations_suppress_what_they_cover() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "deploy.yaml", DEPLOYMENT);
    let out = policy(&["check", "--format", "json", "deploy.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(
        findings(&report),
        vec![
            // The comment before the list item covers the whole container.
            s("CP301", 17, "inline"),
            s("CP302", 17, "inline"),
            // The annotation covers the whole object.
            s("CP303", 17, "annotation"),
            // A comment after a key covers that key's node.
            s("CP104", 19, "inline"),
        ]
    );
    let first = &report["findings"][0]["suppression"];
    assert_eq!(first["reason"], "sized by the platform team");
    assert_eq!(first["line"], 16);
    assert_eq!(report["summary"]["suppressed"], 4);
    assert_eq!(report["summary"]["findings"], 0);

    // Human output: suppressed findings are counted, not shown.
    let out = policy(&["check", "deploy.yaml"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(!text.contains("CP301"), "{text}");
    assert!(
        text.contains("0 findings") && text.contains("4 suppressed"),
        "{text}"
    );
}

#[test]
fn a_suppression_covers_only_its_node() {
    let dir = tempfile::tempdir().unwrap();
    // The comment is before the second container only.
    write(
        dir.path(),
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: two\nspec:\n  containers:\n    - name: a\n      image: app:1.0\n    # policy:ignore CP101\n    - name: b\n      image: app:1.0\n      securityContext: {runAsUser: 0}\n    - name: c\n      image: app:1.0\n      securityContext: {runAsUser: 0}\n",
    );
    let out = policy(
        &["check", "--format", "json", "--enable", "CP101", "pod.yaml"],
        dir.path(),
    );
    let got: Vec<_> = findings(&json(&out))
        .into_iter()
        .filter(|f| f.0 == "CP101")
        .collect();
    // `a` sets no user (root too), `b` is covered, `c` is not.
    assert_eq!(
        got,
        vec![
            s("CP101", 7, ""),
            s("CP101", 12, "inline"),
            s("CP101", 15, "")
        ]
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "the unsuppressed root container fails"
    );
}

#[test]
fn dockerfile_comments_and_ignore_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        "# policy:ignore CP101 -- vendor base image runs as root\nFROM alpine:3.20\nHEALTHCHECK CMD [\"/bin/true\"]\nCMD [\"/bin/true\"]\n",
    );
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  web:\n    image: nginx:latest\n    read_only: true\n    user: \"10001\"\n# policy:ignore-file CP202, CP708 -- demo stack\n",
    );
    let out = policy(&["check", "--format", "json", "."], dir.path());
    let report = json(&out);
    let by_file = |path: &str| -> Vec<(String, u64, String)> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"] == path)
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                    f["suppression"]["kind"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    assert!(
        by_file("Dockerfile").contains(&s("CP101", 2, "inline")),
        "{:?}",
        by_file("Dockerfile")
    );
    let compose = by_file("compose.yaml");
    assert!(compose.contains(&s("CP202", 3, "file")), "{compose:?}");
    assert!(
        compose.iter().all(|f| f.0 != "CP202" || f.2 == "file"),
        "{compose:?}"
    );
}

#[test]
fn stale_and_unknown_suppressions_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        "# policy:ignore CP101 -- fixed since: the user is set below\nFROM alpine:3.20\nUSER 10001\n# policy:ignore CP10l vendor\nHEALTHCHECK CMD [\"/bin/true\"]\nCMD [\"/bin/true\"]\n",
    );
    let out = policy(&["check", "--format", "json", "Dockerfile"], dir.path());
    let report = json(&out);
    let got = findings(&report);
    assert_eq!(
        got,
        vec![s("CP001", 1, ""), s("CP002", 4, ""), s("CP002", 4, ""),],
        "{report:#}"
    );
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(messages[0].contains("suppression of CP101 matches no finding"));
    assert!(messages.iter().any(|m| m.contains("`CP10l`")));
    assert!(messages
        .iter()
        .any(|m| m.contains("`vendor`") && m.contains(" -- ")));
    // Warnings: clean at the default threshold, failing at --fail-on warning.
    assert_eq!(out.status.code(), Some(0));
    let strict = policy(&["check", "--fail-on", "warning", "Dockerfile"], dir.path());
    assert_eq!(strict.status.code(), Some(1));
    // Like any rule, they can be disabled.
    let quiet = policy(
        &[
            "check",
            "--format",
            "json",
            "--disable",
            "suppression",
            "Dockerfile",
        ],
        dir.path(),
    );
    assert_eq!(findings(&json(&quiet)), vec![]);
}

#[test]
fn a_suppression_of_a_rule_that_did_not_run_is_not_stale() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        "FROM alpine:3.20\nUSER 10001\n# policy:ignore CP203 -- digests are pinned by renovate\nHEALTHCHECK CMD [\"/bin/true\"]\n",
    );
    // CP203 is opt-in: not run, so its suppression is not judged.
    let out = policy(&["check", "--format", "json", "Dockerfile"], dir.path());
    assert_eq!(findings(&json(&out)), vec![]);
    // Enabled, and with nothing to suppress on that line, it is stale.
    let out = policy(
        &[
            "check",
            "--format",
            "json",
            "--enable",
            "CP203",
            "Dockerfile",
        ],
        dir.path(),
    );
    assert!(findings(&json(&out)).contains(&s("CP001", 3, "")));
}

#[test]
fn conftest_rules_are_suppressed_by_name() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "policy/base.rego",
        "package main\n\ndeny contains msg if {\n\tsome i in input\n\ti.Cmd == \"from\"\n\tcontains(i.Value[0], \"latest\")\n\tmsg := \"do not use latest\"\n}\n",
    );
    write(
        dir.path(),
        "Dockerfile",
        "# policy:ignore deny -- base image is rebuilt nightly\nFROM alpine:latest\nUSER 10001\n",
    );
    let out = policy(
        &[
            "check",
            "--format",
            "json",
            "--no-builtin",
            "-p",
            "policy",
            "Dockerfile",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(findings(&json(&out)), vec![s("main.deny", 2, "inline")]);
}

/// A `policy.container/ignore` label in an image's config covers the whole
/// image (a Dockerfile's `LABEL` carries it there); a stale one is reported.
#[test]
fn an_image_label_suppresses_for_the_whole_image() {
    let dir = tempfile::tempdir().unwrap();
    let image = |labels: &str| {
        format!(
            r#"{{"architecture": "amd64", "os": "linux",
  "config": {{"User": "10001", "Labels": {{{labels}}}}},
  "rootfs": {{"type": "layers", "diff_ids": []}}}}"#
        )
    };
    write(
        dir.path(),
        "cli.image.json",
        &image(r#""policy.container/ignore": "CP601 -- a command-line tool, nothing to probe""#),
    );
    write(dir.path(), "plain.image.json", &image(""));
    let out = policy(
        &["check", "--format", "json", "--no-config", "."],
        dir.path(),
    );
    let report = json(&out);
    let of = |file: &str| -> Vec<(String, Option<String>)> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"].as_str().unwrap().ends_with(file))
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["suppression"]["reason"].as_str().map(str::to_string),
                )
            })
            .collect()
    };
    assert!(
        of("cli.image.json").contains(&(
            "CP601".to_string(),
            Some("a command-line tool, nothing to probe".to_string())
        )),
        "{}",
        stdout(&out)
    );
    assert!(
        of("plain.image.json").contains(&("CP601".to_string(), None)),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
}
