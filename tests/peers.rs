//! `docs/peers.tsv`, the map from peer tools' checks to rules, and the peers'
//! inline pragmas it drives, end to end through the binary.

mod common;
use common::{json, policy, require_or_skip, stderr, write};
use container_policy::engine::PolicySet;
use container_policy::peers::{checks, normalize, PEERS};
use serde_json::Value;
use std::collections::BTreeSet;

#[test]
fn every_row_names_a_known_peer_a_real_rule_or_a_reason() {
    let rules = PolicySet::builtin().unwrap();
    let ids: BTreeSet<&str> = rules.rules.iter().map(|r| r.meta.id.as_str()).collect();
    let table = container_policy::peers::TABLE;
    assert_eq!(table.lines().next(), Some("peer\tcheck\trule\tnote"));
    let mut seen = BTreeSet::new();
    for (n, line) in table.lines().enumerate().skip(1) {
        assert_eq!(line.split('\t').count(), 4, "line {}: {line:?}", n + 1);
    }
    for c in checks() {
        assert!(PEERS.contains(&c.peer), "{c:?}");
        assert_eq!(normalize(c.peer, c.check), c.check, "not normalized: {c:?}");
        assert!(seen.insert((c.peer, c.check)), "twice: {c:?}");
        for rule in &c.rules {
            assert!(ids.contains(rule), "{c:?}: no rule {rule}");
        }
        assert!(
            !c.rules.is_empty() || !c.note.is_empty(),
            "no rule and no reason: {c:?}"
        );
    }
    assert_eq!(checks().len(), table.lines().count() - 1);
}

/// Every Dockerfile and Kubernetes check of the installed Checkov has a row.
#[test]
fn every_checkov_check_has_a_row() {
    let checkov = std::process::Command::new("checkov")
        .args([
            "--list",
            "--framework",
            "dockerfile",
            "kubernetes",
            "--skip-download",
        ])
        .env("BC_SKIP_MAPPING", "TRUE")
        .output();
    let listed = match checkov {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).to_string(),
        _ => String::new(),
    };
    let missing = listed
        .is_empty()
        .then(|| "checkov (pip install checkov==3.3.30)".to_string());
    if !require_or_skip("the Checkov check list", missing) {
        return;
    }
    let re = regex::Regex::new(r"\|\s*(CKV2?_(?:DOCKER|K8S)_\d+)\s*\|").unwrap();
    let ids: BTreeSet<&str> = re
        .captures_iter(&listed)
        .map(|m| m.get(1).unwrap().as_str())
        .collect();
    assert!(ids.len() > 100, "{} ids", ids.len());
    let rows: BTreeSet<&str> = checks()
        .iter()
        .filter(|c| c.peer == "checkov")
        .map(|c| c.check)
        .collect();
    let unlisted: Vec<_> = ids.difference(&rows).collect();
    assert!(
        unlisted.is_empty(),
        "Checkov checks without a row: {unlisted:?}"
    );
}

/// `(rule, line, suppression.peer)` of every finding.
fn peer_suppressions(report: &Value) -> Vec<(String, u64, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["suppression"]["peer"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn row(rule: &str, line: u64, peer: &str) -> (String, u64, String) {
    (rule.to_string(), line, peer.to_string())
}

#[test]
fn hadolint_trivy_and_checkov_comments_suppress_the_mapped_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Dockerfile",
        "# hadolint global ignore=DL3007\n\
         # checkov:skip=CKV_DOCKER_2: a batch job has no health endpoint\n\
         FROM alpine:latest\n\
         # hadolint ignore=DL3004,DL3008\n\
         RUN sudo apk add curl\n\
         #trivy:ignore:AVD-DS-0002\n\
         USER root\n\
         # hadolint ignore=DL3020\n\
         WORKDIR /app\n",
    );
    let out = policy(&["check", "--format", "json", "Dockerfile"], dir.path());
    let report = json(&out);
    let found = peer_suppressions(&report);
    for expected in [
        row("CP202", 3, "hadolint global ignore=DL3007"),
        row("CP601", 3, "checkov:skip=CKV_DOCKER_2"),
        row("CP708", 5, "hadolint ignore=DL3004,DL3008"),
        row("CP101", 7, "trivy:ignore:AVD-DS-0002"),
    ] {
        assert!(
            found.contains(&expected),
            "{expected:?} not in {found:?}\n{}",
            stderr(&out)
        );
    }
    let reason = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "CP601")
        .map(|f| f["suppression"]["reason"].clone());
    assert_eq!(
        reason,
        Some(Value::from("a batch job has no health endpoint"))
    );
    // A peer pragma that matches nothing (DL3020 over a WORKDIR) is no
    // stale suppression: the peer still reads it.
    assert!(
        !found
            .iter()
            .any(|(rule, _, _)| rule == "CP001" || rule == "CP002"),
        "{found:?}"
    );
}

#[test]
fn checkov_and_kube_linter_annotations_suppress_the_mapped_rules_for_their_object() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "pod.yaml",
        "apiVersion: v1\n\
         kind: Pod\n\
         metadata:\n\
         \x20 name: debug\n\
         \x20 annotations:\n\
         \x20   checkov.io/skip1: CKV_K8S_16=debug pod, deleted after use\n\
         \x20   ignore-check.kube-linter.io/host-network: needs the node's network\n\
         spec:\n\
         \x20 hostNetwork: true\n\
         \x20 containers:\n\
         \x20   - name: shell\n\
         \x20     image: registry.example.com/shell:1.0\n\
         \x20     securityContext: {privileged: true}\n\
         ---\n\
         apiVersion: v1\n\
         kind: Pod\n\
         metadata: {name: other}\n\
         spec:\n\
         \x20 containers:\n\
         \x20   - name: shell\n\
         \x20     image: registry.example.com/shell:1.0\n\
         \x20     securityContext: {privileged: true}\n",
    );
    let out = policy(&["check", "--format", "json", "pod.yaml"], dir.path());
    let found = peer_suppressions(&json(&out));
    assert!(
        found.contains(&row("CP102", 13, "checkov:skip=CKV_K8S_16")),
        "{found:?}"
    );
    assert!(
        found.contains(&row("CP106", 9, "ignore-check.kube-linter.io/host-network")),
        "{found:?}"
    );
    // The other object is not covered.
    assert!(found.contains(&row("CP102", 22, "")), "{found:?}");
}
