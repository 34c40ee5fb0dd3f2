//! Built images end to end: OCI layouts, OCI archives and legacy `docker
//! save` tarballs assembled here with real tar and gzip, checked by the real
//! binary.

mod common;

use common::image::{self, Image, Layer};
use common::{json, policy, stderr, stdout};
use serde_json::{json as j, Value};
use std::path::Path;

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

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
    Image::new(
        j!({"Env": ["PATH=/bin", "API_TOKEN=s3cr3t-t0ken-value"], "ExposedPorts": {"22/tcp": {}}}),
    )
    .tag("registry.example.com/app:latest")
    .step("ENV API_TOKEN=s3cr3t-t0ken-value")
    .step("RUN |1 DB_PASSWORD=hunter2hunter2 /bin/sh -c ./configure")
    .layer(
        Layer::new()
            .file("bin/busybox", "x")
            .file_mode("bin/su", b"x", 0o4755)
            .file(
                "root/.ssh/id_rsa",
                "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n",
            ),
    )
    .layer(
        Layer::new()
            .plain()
            .whiteout("root/.ssh/id_rsa")
            .file("app/.git/HEAD", "ref: refs/heads/main\n"),
    )
}

fn good_image() -> Image {
    Image::new(
        j!({"User": "10001", "Env": ["PATH=/bin"], "Healthcheck": {"Test": ["CMD", "/bin/true"]}}),
    )
    .tag("registry.example.com/app:1.4.2")
    .layer(Layer::new().file("bin/app", "x"))
}

/// What the bad image must report: (rule, part of the logical location).
const BAD_FINDINGS: &[(&str, &str)] = &[
    ("CP101", "config.User"),
    ("CP601", "config.Healthcheck"),
    ("CP501", "config.Env[1]"),
    ("CP110", "config.ExposedPorts.22/tcp"),
    ("CP505", "history[1] RUN |1 DB_PASSWORD=hu**************"),
    ("CP506", "root/.ssh/id_rsa"),
    ("CP506", "app/.git/"),
    ("CP109", "bin/su"),
    ("CP202", "reference registry.example.com/app:latest"),
];

fn assert_bad_findings(report: &Value) {
    let got = found(report);
    for (rule, place) in BAD_FINDINGS {
        assert!(has(report, rule, place), "no {rule} at {place}: {got:#?}");
    }
    assert_eq!(got.len(), BAD_FINDINGS.len(), "{got:#?}");
    // Secret values never appear, not even in history locations.
    let text = report.to_string();
    assert!(
        !text.contains("hunter2") && !text.contains("s3cr3t-t0ken"),
        "{text}"
    );
}

fn assert_valid_report(report: &Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn oci_layout_reports_config_history_and_layer_problems() {
    let dir = tempfile::tempdir().unwrap();
    image::write_dir(&dir.path().join("bad"), &image::oci_files(&[bad_image()]));
    let out = policy(
        &["check", "--format", "json", "--no-config", "bad"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = json(&out);
    assert_bad_findings(&report);
    assert_valid_report(&report);
    for f in report["findings"].as_array().unwrap() {
        assert_eq!(
            (f["path"].as_str(), f["line"].as_u64(), f["column"].as_u64()),
            (Some("bad"), Some(1), Some(1))
        );
        assert_eq!(f["kind"], "image");
    }
    let deleted = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["logical_location"]
                .as_str()
                .unwrap()
                .ends_with("root/.ssh/id_rsa")
        })
        .unwrap();
    assert!(deleted["message"]
        .as_str()
        .unwrap()
        .contains("deleted by layer 1 but still shipped in layer 0"));
}

#[test]
fn docker_save_archives_legacy_and_oci_report_the_same() {
    let dir = tempfile::tempdir().unwrap();
    image::write_tar(
        &dir.path().join("legacy.tar"),
        &image::docker_legacy_files(&[bad_image()]),
    );
    image::write_tar(
        &dir.path().join("oci.tar"),
        &image::docker_oci_files(&[bad_image()]),
    );
    for name in ["legacy.tar", "oci.tar"] {
        let out = policy(
            &["check", "--format", "json", "--no-config", name],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        assert_bad_findings(&json(&out));
    }
}

#[test]
fn good_image_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    image::write_tar(
        &dir.path().join("good.tar"),
        &image::docker_oci_files(&[good_image()]),
    );
    let out = policy(
        &["check", "--no-config", "--fail-on", "info", "good.tar"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("0 findings (0 error, 0 warning, 0 info) in 1 file"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn multi_platform_index_checks_every_platform_or_the_one_asked() {
    let dir = tempfile::tempdir().unwrap();
    let amd = good_image().platform("linux", "amd64");
    let arm = Image::new(j!({"Healthcheck": {"Test": ["CMD", "true"]}}))
        .platform("linux", "arm64")
        .layer(Layer::new().plain().file("bin/app", "x"));
    image::write_dir(
        &dir.path().join("multi"),
        &image::oci_multi_platform_files(&[amd, arm], "app:1.0"),
    );
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "json", "--no-config", "multi"];
        args.extend_from_slice(extra);
        json(&policy(&args, dir.path()))
    };
    let all = run(&[]);
    assert_eq!(all["summary"]["documents"], 2);
    let root: Vec<&str> = all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CP101")
        .map(|f| f["resource"].as_str().unwrap())
        .collect();
    assert_eq!(root, ["image app:1.0 (linux/arm64)"]);
    let amd_only = run(&["--platform", "linux/amd64"]);
    assert_eq!(amd_only["summary"]["documents"], 1);
    assert_eq!(amd_only["summary"]["findings"], 0);
    let out = policy(
        &[
            "check",
            "--no-config",
            "multi",
            "--platform",
            "windows/amd64",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out)
            .contains("no image for platform windows/amd64; it has: linux/amd64, linux/arm64"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn whiteouts_opaque_directories_and_replaced_files() {
    let dir = tempfile::tempdir().unwrap();
    let image = Image::new(j!({"User": "10001", "Healthcheck": {"Test": ["CMD", "true"]}}))
        .tag("app:1.0")
        .layer(
            Layer::new()
                .file("srv/.env", "TOKEN=abcdefgh12345")
                .file_mode("bin/ping", b"x", 0o4755)
                .file_mode("bin/mount", b"x", 0o4755),
        )
        .layer(
            Layer::new()
                .plain()
                .opaque("srv")
                .file_mode("bin/ping", b"x", 0o755),
        );
    image::write_dir(&dir.path().join("img"), &image::oci_files(&[image]));
    let report = json(&policy(
        &["check", "--format", "json", "--no-config", "img"],
        dir.path(),
    ));
    let got = found(&report);
    // The .env is hidden by the opaque directory, yet shipped; ping lost its
    // setuid bit in layer 1; mount kept it.
    assert!(has(&report, "CP506", "srv/.env"), "{got:?}");
    assert!(has(&report, "CP109", "bin/mount"), "{got:?}");
    assert!(!has(&report, "CP109", "bin/ping"), "{got:?}");
    let message = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "CP506")
        .unwrap()["message"]
        .clone();
    assert!(
        message.as_str().unwrap().contains("deleted by layer 1"),
        "{message}"
    );
}

/// Breaks a layout in one way and expects exit 2 with `message`, while the
/// good input beside it is still checked.
fn assert_unreadable(name: &str, break_it: impl Fn(&Path), message: &str) {
    let dir = tempfile::tempdir().unwrap();
    let files = image::oci_files(&[bad_image()]);
    image::write_dir(&dir.path().join("broken"), &files);
    break_it(&dir.path().join("broken"));
    common::write(
        dir.path(),
        "Dockerfile",
        "FROM alpine:3.20\nUSER 10001\nHEALTHCHECK CMD true\n",
    );
    let out = policy(
        &[
            "check",
            "--format",
            "json",
            "--no-config",
            "broken",
            "Dockerfile",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{name}: {}", stdout(&out));
    let report = json(&out);
    let error = report["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(error.contains(message), "{name}: {error}");
    assert_eq!(report["errors"][0]["path"], "broken");
    assert_eq!(
        report["summary"]["files"], 1,
        "{name}: the Dockerfile is still checked"
    );
    assert_valid_report(&report);
}

fn layer_blob(dir: &Path) -> std::path::PathBuf {
    let index: Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    let manifest_digest = index["manifests"][0]["digest"].as_str().unwrap();
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(dir.join("blobs/sha256").join(&manifest_digest[7..])).unwrap(),
    )
    .unwrap();
    dir.join("blobs/sha256")
        .join(&manifest["layers"][0]["digest"].as_str().unwrap()[7..])
}

#[test]
fn malformed_images_are_errors_and_the_rest_is_checked() {
    assert_unreadable(
        "missing blob",
        |d| std::fs::remove_file(layer_blob(d)).unwrap(),
        "missing blob sha256:",
    );
    assert_unreadable(
        "digest mismatch",
        |d| {
            let path = layer_blob(d);
            let mut bytes = std::fs::read(&path).unwrap();
            let last = bytes.len() - 9;
            bytes[last] ^= 0xff;
            std::fs::write(path, bytes).unwrap();
        },
        "layer 0 (sha256:",
    );
    assert_unreadable(
        "truncated layer",
        |d| {
            let path = layer_blob(d);
            let bytes = std::fs::read(&path).unwrap();
            std::fs::write(path, &bytes[..bytes.len() / 2]).unwrap();
        },
        "layer 0",
    );
    assert_unreadable(
        "bad index",
        |d| std::fs::write(d.join("index.json"), "{").unwrap(),
        "index.json is not an OCI image index",
    );
}

#[test]
fn a_corrupt_layer_names_the_digest_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    let files = image::oci_files(&[good_image()]);
    image::write_dir(&dir.path().join("img"), &files);
    let blob = layer_blob(&dir.path().join("img"));
    // Same length, other bytes: only the digest can tell.
    let len = std::fs::read(&blob).unwrap().len();
    std::fs::write(&blob, vec![0u8; len]).unwrap();
    let out = policy(&["check", "--no-config", "img"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).contains("digest mismatch, the content hashes to sha256:"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn truncated_archive_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    image::write_tar(
        &dir.path().join("full.tar"),
        &image::docker_legacy_files(&[bad_image()]),
    );
    let bytes = std::fs::read(dir.path().join("full.tar")).unwrap();
    std::fs::write(dir.path().join("cut.tar"), &bytes[..bytes.len() * 2 / 3]).unwrap();
    let out = policy(
        &[
            "check",
            "--format",
            "json",
            "--no-config",
            "cut.tar",
            "full.tar",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out);
    let error = report["errors"][0]["message"].as_str().unwrap();
    assert!(error.starts_with("cannot read image: truncated"), "{error}");
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["path"] == "full.tar"));
}

#[test]
fn directories_find_layouts_and_archives_without_walking_into_them() {
    let dir = tempfile::tempdir().unwrap();
    image::write_dir(
        &dir.path().join("images/app"),
        &image::oci_files(&[good_image()]),
    );
    image::write_tar(
        &dir.path().join("images/app.tar"),
        &image::docker_legacy_files(&[good_image()]),
    );
    // Not an image: a tar of something else is not ours.
    image::write_tar(
        &dir.path().join("images/backup.tar"),
        &vec![("notes.txt".to_string(), b"hello".to_vec())],
    );
    let out = policy(
        &["check", "--format", "json", "--no-config", "images"],
        dir.path(),
    );
    let report = json(&out);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert_eq!(report["summary"]["files"], 2, "{report}");
    assert_eq!(report["skipped"].as_array().unwrap().len(), 0);
    // Named explicitly, it is listed as skipped.
    let out = policy(
        &[
            "check",
            "--format",
            "json",
            "--no-config",
            "images/backup.tar",
        ],
        dir.path(),
    );
    assert!(json(&out)["skipped"][0]["reason"]
        .as_str()
        .unwrap()
        .starts_with("not an image"));
}

#[test]
fn human_sarif_and_github_output_name_the_place_in_the_image() {
    let dir = tempfile::tempdir().unwrap();
    image::write_tar(
        &dir.path().join("bad.tar"),
        &image::docker_oci_files(&[bad_image()]),
    );
    let human = stdout(&policy(&["check", "--no-config", "bad.tar"], dir.path()));
    assert!(human.contains("in bad.tar: layer sha256:"), "{human}");
    assert!(!human.contains("help: in bad.tar"), "{human}");
    assert!(human.contains("root/.ssh/id_rsa"), "{human}");
    assert!(!human.contains("hunter2"), "{human}");
    let sarif = json(&policy(
        &["check", "--no-config", "--format", "sarif", "bad.tar"],
        dir.path(),
    ));
    let names: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["locations"][0]["logicalLocations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["name"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(names.iter().any(|n| n == "config.User"), "{names:?}");
    let github = stdout(&policy(
        &["check", "--no-config", "--format", "github", "bad.tar"],
        dir.path(),
    ));
    assert!(github.contains("file=bad.tar,line=1"), "{github}");
    assert!(github.contains("[config.User]"), "{github}");
}

#[test]
fn inspect_output_and_config_files_have_real_lines() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "inspect.json",
        r#"[
  {
    "Id": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
    "RepoTags": ["app:latest"],
    "Os": "linux",
    "Architecture": "amd64",
    "Config": {
      "User": "",
      "Env": ["GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345"],
      "Healthcheck": {"Test": ["CMD", "true"]}
    },
    "RootFS": {"Type": "layers", "Layers": []}
  },
  {
    "Id": "sha256:2222222222222222222222222222222222222222222222222222222222222222",
    "RepoTags": ["app:1.0"],
    "Os": "linux",
    "Architecture": "amd64",
    "Config": {"User": "10001", "Healthcheck": {"Test": ["CMD", "true"]}},
    "RootFS": {"Type": "layers", "Layers": []}
  }
]
"#,
    );
    let report = json(&policy(
        &["check", "--format", "json", "--no-config", "inspect.json"],
        dir.path(),
    ));
    let lines: Vec<(String, u64, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["logical_location"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("CP202".to_string(), 4, "RepoTags[0]".to_string()),
            ("CP101".to_string(), 8, "Config.User".to_string()),
            ("CP502".to_string(), 9, "Config.Env[0]".to_string()),
        ]
    );
    assert_eq!(report["summary"]["documents"], 2);
}

/// `schemas/input.schema.json` with the model's `$defs` merged in.
fn input_schema() -> Value {
    let read = |p: &str| std::fs::read_to_string(repo_root().join(p)).unwrap();
    let mut schema: Value = serde_json::from_str(
        &read("schemas/input.schema.json").replace("model.schema.json#/$defs/", "#/$defs/"),
    )
    .unwrap();
    let model: Value = serde_json::from_str(&read("schemas/model.schema.json")).unwrap();
    for (name, def) in model["$defs"].as_object().unwrap() {
        schema["$defs"][name] = def.clone();
    }
    schema
}

#[test]
fn inspect_prints_image_inputs_that_match_the_documented_schema() {
    let dir = tempfile::tempdir().unwrap();
    image::write_tar(
        &dir.path().join("bad.tar"),
        &image::docker_oci_files(&[bad_image()]),
    );
    let out = policy(&["inspect", "bad.tar"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let inputs: Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&input_schema()).expect("input schema compiles");
    let input = &inputs[0];
    let errors: Vec<String> = validator
        .iter_errors(input)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(input["kind"], "image");
    assert_eq!(input["image"]["format"], "oci-archive");
    assert_eq!(input["image"]["layers"].as_array().unwrap().len(), 2);
    assert!(!stdout(&out).contains("hunter2") && !stdout(&out).contains("s3cr3t-t0ken"));
}

#[test]
fn dockerfile_option_reports_drift_from_the_image() {
    let dir = tempfile::tempdir().unwrap();
    image::write_tar(
        &dir.path().join("app.tar"),
        &image::docker_oci_files(&[good_image()]),
    );
    common::write(
        dir.path(),
        "Dockerfile",
        "FROM scratch\nCOPY app /bin/app\nUSER 10001\n",
    );
    let out = policy(
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--dockerfile",
            "Dockerfile",
            "app.tar",
        ],
        dir.path(),
    );
    let report = json(&out);
    let drift: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "CP711")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(drift.len(), 1, "{report}");
    assert!(
        drift[0].contains("healthcheck that Dockerfile does not declare"),
        "{drift:?}"
    );
    let out = policy(
        &[
            "check",
            "--no-config",
            "--dockerfile",
            "missing/Dockerfile",
            "app.tar",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("missing/Dockerfile: cannot read"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn compressed_archives_garbage_and_zstd_layers_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    // `docker save | gzip`.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, b"anything").unwrap();
    std::fs::write(dir.path().join("app.tar"), gz.finish().unwrap()).unwrap();
    std::fs::write(dir.path().join("garbage.tar"), vec![7u8; 3000]).unwrap();
    let out = policy(
        &[
            "check",
            "--format",
            "json",
            "--no-config",
            "app.tar",
            "garbage.tar",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let report = json(&out);
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("gzip-compressed archive; decompress it first"),
        "{report}"
    );
    assert!(
        report["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("not a tar archive"),
        "{report}"
    );

    // A layer whose bytes are zstd: the digest is right, the format is not read.
    let mut files = image::Files::new();
    let mut blob = |bytes: Vec<u8>| {
        let d = image::digest(&bytes);
        let size = bytes.len();
        files.push((format!("blobs/sha256/{}", &d[7..]), bytes));
        j!({"digest": d, "size": size})
    };
    let layer = blob(b"\x28\xb5\x2f\xfd rest of a zstd frame".to_vec());
    let config = blob(
        serde_json::to_vec(&j!({"architecture": "amd64", "os": "linux", "config": {},
            "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}}))
        .unwrap(),
    );
    let manifest = blob(
        serde_json::to_vec(&j!({"schemaVersion": 2,
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config["digest"], "size": config["size"]},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+zstd", "digest": layer["digest"], "size": layer["size"]}]}))
        .unwrap(),
    );
    files.push((
        "oci-layout".into(),
        br#"{"imageLayoutVersion": "1.0.0"}"#.to_vec(),
    ));
    files.push((
        "index.json".into(),
        serde_json::to_vec(&j!({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest["digest"], "size": manifest["size"]}]}))
        .unwrap(),
    ));
    image::write_dir(&dir.path().join("zstd"), &files);
    let out = policy(&["check", "--no-config", "zstd"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("zstd-compressed layers are not supported"),
        "{}",
        stdout(&out)
    );
}
