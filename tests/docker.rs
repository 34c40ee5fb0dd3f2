//! Images built by a real Docker engine, saved with `docker save` and
//! checked. Needs a running engine (`docker info`) and Debian's
//! `busybox-static` (`/bin/busybox`); without them the test says why it was
//! skipped and passes, unless `POLICY_REQUIRE_TOOLS` is set (CI sets it;
//! `.ci/start-docker` installs and starts the engine).

mod common;

use common::{json, policy, stderr};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn docker(args: &[&str], dir: &Path) -> Result<String, String> {
    let out = Command::new("docker")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run docker: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "docker {}: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).to_string())
}

fn rules_at(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["logical_location"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn images_built_and_saved_by_docker_are_checked() {
    if !common::require_or_skip("the docker image test", common::docker::engine_missing()) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ctx = dir.path();
    std::fs::copy(common::docker::busybox().unwrap(), ctx.join("busybox")).unwrap();
    common::write(ctx, "id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
    common::write(
        ctx,
        "good.Dockerfile",
        "FROM scratch\nCOPY busybox /bin/busybox\nUSER 10001\nHEALTHCHECK CMD [\"/bin/busybox\", \"true\"]\nCMD [\"/bin/busybox\", \"sleep\", \"3600\"]\n",
    );
    common::write(
        ctx,
        "bad.Dockerfile",
        "FROM scratch\nCOPY busybox /bin/busybox\nENV API_TOKEN=s3cr3t-t0ken-value-1234\nCOPY id_rsa /root/.ssh/id_rsa\nRUN [\"/bin/busybox\", \"rm\", \"-f\", \"/root/.ssh/id_rsa\"]\nCMD [\"/bin/busybox\", \"sleep\", \"3600\"]\n",
    );
    let suffix = std::process::id();
    let good = format!("policy-test/good:{suffix}");
    let bad = format!("policy-test/bad:{suffix}");
    let result = (|| -> Result<(), String> {
        for (tag, file, tar) in [
            (&good, "good.Dockerfile", "good.tar"),
            (&bad, "bad.Dockerfile", "bad.tar"),
        ] {
            docker(
                &[
                    "build",
                    "--network",
                    "none",
                    "-q",
                    "-t",
                    tag,
                    "-f",
                    file,
                    ".",
                ],
                ctx,
            )?;
            docker(&["save", "-o", tar, tag], ctx)?;
        }
        Ok(())
    })();
    let _ = docker(&["rmi", "-f", &good, &bad], ctx);
    result.unwrap();

    let out = policy(
        &["check", "--no-config", "--format", "json", "good.tar"],
        ctx,
    );
    let report = json(&out);
    assert_eq!(out.status.code(), Some(0), "{report}\n{}", stderr(&out));
    assert_eq!(rules_at(&report), [], "the good image is clean");
    assert_eq!(report["summary"]["files"], 1, "{report}");
    assert_eq!(report["summary"]["documents"], 1, "{report}");

    let out = policy(
        &["check", "--no-config", "--format", "json", "bad.tar"],
        ctx,
    );
    let report = json(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let got = rules_at(&report);
    for (rule, place) in [
        ("CP101", "config.User"),
        ("CP601", "config.Healthcheck"),
        ("CP501", "config.Env"),
        ("CP506", "root/.ssh/id_rsa"),
    ] {
        assert!(
            got.iter().any(|(r, l)| r == rule && l.contains(place)),
            "no {rule} at {place}: {got:#?}"
        );
    }
    let key = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "CP506")
        .unwrap();
    assert!(
        key["message"]
            .as_str()
            .unwrap()
            .contains("deleted by layer"),
        "{key}"
    );
    assert!(!report.to_string().contains("s3cr3t-t0ken-value"));
}
