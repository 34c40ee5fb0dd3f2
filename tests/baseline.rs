//! `--write-baseline` and `--baseline`, end to end through the binary.

mod common;
use common::{findings, json, policy, stderr, write};

const OLD: &str =
    "FROM debian:latest\nRUN apt-get update && apt-get install -y curl\nCMD [\"curl\"]\n";

#[test]
fn a_baseline_hides_known_findings_even_after_lines_move() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", OLD);
    let before = json(&policy(
        &["check", "--format", "json", "Dockerfile"],
        dir.path(),
    ));
    let known = findings(&before).len();
    assert!(known >= 3, "{before:#}");

    // Adopting: writing the baseline is a clean run, and the file is a JSON report.
    let out = policy(
        &["check", "--write-baseline", "baseline.json", "Dockerfile"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(written["findings"], before["findings"]);

    // Lines shift: a comment block on top. Nothing new is reported.
    write(
        dir.path(),
        "Dockerfile",
        &format!("# syntax=docker/dockerfile:1\n# The legacy image.\n\n{OLD}"),
    );
    let out = policy(
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "baseline.json",
            "Dockerfile",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(findings(&report), vec![]);
    assert_eq!(report["summary"]["baselined"], known);

    // A new problem is reported, and only it.
    write(
        dir.path(),
        "Dockerfile",
        &format!("{OLD}RUN sudo apt-get install -y jq\n"),
    );
    let out = policy(
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "warning",
            "--baseline",
            "baseline.json",
            "Dockerfile",
        ],
        dir.path(),
    );
    let report = json(&out);
    let new: Vec<_> = findings(&report).into_iter().map(|f| (f.0, f.1)).collect();
    assert!(new.contains(&("CP708".to_string(), 4)), "{new:?}");
    assert!(new.iter().all(|(_, line)| *line == 4), "{new:?}");
    assert_eq!(report["summary"]["baselined"], known);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_fixed_finding_does_not_hide_a_new_one_of_the_same_rule() {
    let dir = tempfile::tempdir().unwrap();
    // Two images with the latest tag; each has its own fingerprint.
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  a:\n    image: redis:latest\n  b:\n    image: nginx:latest\n",
    );
    policy(
        &[
            "check",
            "--write-baseline",
            "b.json",
            "--enable",
            "CP202",
            "compose.yaml",
        ],
        dir.path(),
    );
    write(
        dir.path(),
        "compose.yaml",
        "services:\n  a:\n    image: redis:7.2\n  b:\n    image: nginx:latest\n  c:\n    image: postgres:latest\n",
    );
    let out = policy(
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "b.json",
            "compose.yaml",
        ],
        dir.path(),
    );
    let latest: Vec<_> = findings(&json(&out))
        .into_iter()
        .filter(|f| f.0 == "CP202")
        .map(|f| f.1)
        .collect();
    assert_eq!(latest, vec![7], "only the new service's image is new");
}

#[test]
fn bad_baselines_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", OLD);
    write(
        dir.path(),
        "broken.json",
        "{\"findings\": [\n  {\"rule\": \"CP101\",}\n]}\n",
    );
    write(
        dir.path(),
        "old.json",
        "{\"findings\": [{\"rule\": \"CP101\"}]}\n",
    );
    let cases = [
        ("missing.json", "cannot read"),
        ("broken.json", "line 2, column"),
        ("old.json", "has no `fingerprint`"),
        ("Dockerfile", "not a JSON report"),
    ];
    for (file, says) in cases {
        let out = policy(&["check", "--baseline", file, "Dockerfile"], dir.path());
        assert_eq!(out.status.code(), Some(2), "{file}");
        let err = stderr(&out);
        assert!(err.contains(file) && err.contains(says), "{file}: {err}");
    }
}
