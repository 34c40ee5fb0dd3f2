//! Image inputs an attacker wrote (issue 10): they must not read outside
//! themselves (D9), echo raw bytes (L6), exhaust memory (D6) or time (D8),
//! nor hide a key behind a link (D17). Each hostile input is built here;
//! the real binary runs under a memory limit and a hang guard, beside a good
//! image that must still be reported.

mod common;

use common::bounded::Limits;

use common::image::{self, Image, Layer};
use common::{json, stdout};
use flate2::write::GzEncoder;
use serde_json::{json as j, Value};
use std::io::Write;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

/// Address space the binary may use: far below what the defects reached.
const MEMORY_LIMIT: u64 = 1 << 30;
/// Hang guard only: the inputs read here take seconds.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// Runs `policy` under [`MEMORY_LIMIT`]; panics past [`HANG_GUARD`].
fn policy_limited(args: &[&str], dir: &Path) -> Output {
    let limits = Limits {
        address_space: MEMORY_LIMIT,
        hang_guard: HANG_GUARD,
    };
    common::bounded::run_bounded(args, dir, limits, None)
}

fn good_image() -> Image {
    Image::new(
        j!({"User": "10001", "Env": ["PATH=/bin"], "Healthcheck": {"Test": ["CMD", "/bin/true"]}}),
    )
    .tag("registry.example.com/good:1.0")
    .layer(Layer::new().file("bin/app", "x"))
}

/// A good image whose findings prove the run went on: it runs as root.
fn rooted_image() -> Image {
    Image::new(j!({"Env": ["PATH=/bin"], "Healthcheck": {"Test": ["CMD", "/bin/true"]}}))
        .tag("registry.example.com/good:1.0")
        .layer(Layer::new().file("bin/app", "x"))
}

/// The error of `path` in a JSON report.
fn error_of(report: &Value, path: &str) -> String {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == path)
        .unwrap_or_else(|| panic!("no error for {path}: {report}"))["message"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The good image was read and checked: CP101 (root user) found in it.
fn assert_good_reported(report: &Value, path: &str) {
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == path && f["rule"] == "CP101"),
        "{path} not reported: {report}"
    );
}

fn every_output(args: &[&str], dir: &Path) -> String {
    let mut all = String::new();
    for format in ["human", "json", "sarif", "github", "junit"] {
        let mut a = vec!["check", "--no-config", "--format", format];
        a.extend(args);
        let out = policy_limited(&a, dir);
        all += &String::from_utf8_lossy(&out.stdout);
        all += &String::from_utf8_lossy(&out.stderr);
    }
    let mut a = vec!["inspect"];
    a.extend(args);
    let out = policy_limited(&a, dir);
    all += &String::from_utf8_lossy(&out.stdout);
    all + &String::from_utf8_lossy(&out.stderr)
}

const PLANTED: &str = "PLANTED_HOST_SECRET_7f3a";

/// A host file outside the checked tree, as `/etc/passwd` or an environ
/// would be: text, with the planted value in its first 100 bytes.
fn host_file(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("host/secret.txt");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text = format!("root:x:0:0:{PLANTED}:/root:/bin/bash\n").repeat(40);
    std::fs::write(&path, text).unwrap();
    path
}

fn layer_blob(layout: &Path, files: &image::Files) -> std::path::PathBuf {
    layout.join(image::find_blob(files, |b| b.starts_with(&[0x1f, 0x8b])))
}

#[test]
fn d9_references_out_of_a_layout_directory_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    let host = host_file(dir.path());
    image::write_dir(&root.join("good"), &image::oci_files(&[rooted_image()]));

    // An extracted `docker save` whose manifest.json points up and out.
    let mut files = image::docker_legacy_files(&[good_image()]);
    files.push((
        "oci-layout".into(),
        br#"{"imageLayoutVersion": "1.0.0"}"#.to_vec(),
    ));
    image::write_dir(&root.join("up"), &files);
    let manifest = root.join("up/manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let layer = text
        .split("\"Layers\":[\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    std::fs::write(&manifest, text.replace(layer, "../../host/secret.txt")).unwrap();
    // The same with an absolute path.
    image::write_dir(&root.join("absolute"), &files);
    let abs = text.replace(layer, host.to_str().unwrap());
    std::fs::write(root.join("absolute/manifest.json"), abs).unwrap();

    // A layer blob that is a symlink to the host file.
    let files = image::oci_files(&[good_image()]);
    image::write_dir(&root.join("linked"), &files);
    let blob = layer_blob(&root.join("linked"), &files);
    std::fs::remove_file(&blob).unwrap();
    std::os::unix::fs::symlink(&host, &blob).unwrap();
    // index.json itself a symlink out: an error, not "not an image".
    image::write_dir(&root.join("index"), &files);
    std::fs::remove_file(root.join("index/index.json")).unwrap();
    std::os::unix::fs::symlink(&host, root.join("index/index.json")).unwrap();
    // A symlink that stays inside is fine.
    image::write_dir(&root.join("inside"), &image::oci_files(&[rooted_image()]));
    let inside = image::oci_files(&[rooted_image()]);
    let blob = layer_blob(&root.join("inside"), &inside);
    std::fs::rename(&blob, root.join("inside/layer.bin")).unwrap();
    std::os::unix::fs::symlink("../../layer.bin", &blob).unwrap();

    let args = ["good", "up", "absolute", "linked", "index", "inside"];
    let mut a = vec!["check", "--no-config", "--format", "json"];
    a.extend(args);
    let out = policy_limited(&a, &root);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let report = json(&out);
    assert_good_reported(&report, "good");
    assert_good_reported(&report, "inside");
    let up = error_of(&report, "up");
    assert!(
        up.contains("`../../host/secret.txt` goes up (`..`) out of the image"),
        "{up}"
    );
    let absolute = error_of(&report, "absolute");
    assert!(absolute.contains("is an absolute path"), "{absolute}");
    for path in ["linked", "index"] {
        let e = error_of(&report, path);
        assert!(e.contains("is a symlink out of the image directory"), "{e}");
    }
    let all = every_output(&args, &root);
    assert!(
        !all.contains(PLANTED),
        "a host file's content was printed:\n{all}"
    );
}

#[test]
fn d9_archives_refuse_members_out_of_themselves() {
    let dir = tempfile::tempdir().unwrap();
    host_file(dir.path());
    let root = dir.path().join("repo");
    image::write_tar(
        &root.join("good.tar"),
        &image::docker_legacy_files(&[rooted_image()]),
    );
    let mut files = image::docker_legacy_files(&[good_image()]);
    let (_, manifest) = files
        .iter_mut()
        .find(|(p, _)| p == "manifest.json")
        .unwrap();
    let text = String::from_utf8(manifest.clone()).unwrap();
    let config = text
        .split("\"Config\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    *manifest = text.replace(config, "../host/secret.txt").into_bytes();
    image::write_tar(&root.join("up.tar"), &files);
    let out = policy_limited(
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "good.tar",
            "up.tar",
        ],
        &root,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let report = json(&out);
    assert_good_reported(&report, "good.tar");
    let e = error_of(&report, "up.tar");
    assert!(
        e.contains("manifest.json: `../host/secret.txt` goes up"),
        "{e}"
    );
}

/// An OCI layout around raw layer blobs: (blob, diff_id) each.
fn raw_layout(dir: &Path, layers: &[(Vec<u8>, String)]) {
    let mut files = image::Files::new();
    let put = |files: &mut image::Files, bytes: Vec<u8>| {
        let d = image::digest(&bytes);
        let size = bytes.len();
        files.push((format!("blobs/sha256/{}", &d[7..]), bytes));
        j!({"digest": d, "size": size})
    };
    let mut descs = Vec::new();
    for (blob, _) in layers {
        let mut d = put(&mut files, blob.clone());
        d["mediaType"] = j!("application/vnd.oci.image.layer.v1.tar+gzip");
        descs.push(d);
    }
    let diff_ids: Vec<&String> = layers.iter().map(|l| &l.1).collect();
    let mut config = put(
        &mut files,
        serde_json::to_vec(&j!({"architecture": "amd64", "os": "linux",
            "config": {"User": "1000"}, "rootfs": {"type": "layers", "diff_ids": diff_ids}}))
        .unwrap(),
    );
    config["mediaType"] = j!("application/vnd.oci.image.config.v1+json");
    let mut manifest = put(
        &mut files,
        serde_json::to_vec(&j!({"schemaVersion": 2, "config": config, "layers": descs})).unwrap(),
    );
    manifest["mediaType"] = j!("application/vnd.oci.image.manifest.v1+json");
    files.push((
        "oci-layout".into(),
        br#"{"imageLayoutVersion": "1.0.0"}"#.to_vec(),
    ));
    files.push((
        "index.json".into(),
        serde_json::to_vec(&j!({"schemaVersion": 2, "manifests": [manifest]})).unwrap(),
    ));
    image::write_dir(dir, &files);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

/// A diff_id for layers that are refused before their end.
const ANY_DIFF_ID: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

#[test]
fn l6_tar_errors_name_the_member_never_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    image::write_dir(
        &dir.path().join("good"),
        &image::oci_files(&[rooted_image()]),
    );
    // A layer that is a text file, as a host file read through D9 would be:
    // its first 100 bytes are the "name" the `tar` crate quoted.
    let text = format!("{PLANTED}=1 AKIAIOSFODNN7EXAMPLE\n").repeat(40);
    raw_layout(
        &dir.path().join("text"),
        &[(gzip(text.as_bytes()), ANY_DIFF_ID.into())],
    );
    // A valid member, then a header whose size field is text.
    let mut layer = Layer::new().plain().file("etc/hosts", "x").tar();
    layer.truncate(1024);
    let mut h = tar::Header::new_ustar();
    h.set_path(format!("{PLANTED}/name")).unwrap();
    h.as_ustar_mut().unwrap().size = *b"PLANTED_12\0\0";
    h.set_cksum();
    layer.extend_from_slice(h.as_bytes());
    layer.extend_from_slice(&[0; 1024]);
    raw_layout(
        &dir.path().join("size"),
        &[(gzip(&layer), ANY_DIFF_ID.into())],
    );
    // The same in the archive itself, after one valid member.
    let mut archive =
        std::fs::read(tar_of(dir.path(), &vec![("a.txt".into(), b"x".to_vec())])).unwrap();
    archive.truncate(1024);
    archive.extend_from_slice(h.as_bytes());
    archive.extend_from_slice(&[0; 1024]);
    std::fs::write(dir.path().join("archive.tar"), archive).unwrap();

    let args = ["good", "text", "size", "archive.tar"];
    let mut a = vec!["check", "--no-config", "--format", "json"];
    a.extend(args);
    let out = policy_limited(&a, dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let report = json(&out);
    assert_good_reported(&report, "good");
    let text = error_of(&report, "text");
    assert!(text.contains("layer 0 (sha256:"), "{text}");
    assert!(
        text.contains("member 0 (at byte 0): the header's checksum field is not a number"),
        "{text}"
    );
    let size = error_of(&report, "size");
    assert!(
        size.contains("member 1 (at byte 1024): the header's size field is not a number"),
        "{size}"
    );
    let archive = error_of(&report, "archive.tar");
    assert!(
        archive.contains(
            "corrupt tar archive: member 1 (at byte 1024): the header's size field is not a number"
        ),
        "{archive}"
    );
    let all = every_output(&args, dir.path());
    assert!(
        !all.contains(PLANTED),
        "raw header bytes were printed:\n{all}"
    );
}

fn tar_of(dir: &Path, files: &image::Files) -> std::path::PathBuf {
    let path = dir.join("scratch/archive.tar");
    image::write_tar(&path, files);
    path
}

/// A gzip layer whose first member is an extension header of `kind`
/// claiming `size` bytes, all of them there (zeros, a few MB compressed).
fn extension_bomb(kind: tar::EntryType, size: u64) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut h = tar::Header::new_gnu();
    h.set_path("././@LongLink").unwrap();
    h.set_entry_type(kind);
    h.set_size(size);
    h.set_cksum();
    gz.write_all(h.as_bytes()).unwrap();
    let chunk = vec![b'a'; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        gz.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
    gz.finish().unwrap()
}

#[test]
fn d6_huge_long_names_and_pax_headers_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    image::write_dir(
        &dir.path().join("good"),
        &image::oci_files(&[rooted_image()]),
    );
    // More than the memory limit: reading one whole cannot fit.
    let size = MEMORY_LIMIT + (MEMORY_LIMIT >> 1);
    for (name, kind) in [
        ("longname", tar::EntryType::GNULongName),
        ("pax", tar::EntryType::XHeader),
    ] {
        raw_layout(
            &dir.path().join(name),
            &[(extension_bomb(kind, size), ANY_DIFF_ID.into())],
        );
    }
    let out = policy_limited(
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "good",
            "longname",
            "pax",
        ],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}\n{}",
        stdout(&out),
        common::stderr(&out)
    );
    let report = json(&out);
    assert_good_reported(&report, "good");
    let e = error_of(&report, "longname");
    assert!(
        e.contains(&format!(
            "member 0 (at byte 0): a GNU long name of {size} bytes, over the 65536 byte limit"
        )),
        "{e}"
    );
    let e = error_of(&report, "pax");
    assert!(
        e.contains(&format!(
            "member 0 (at byte 0): a PAX header of {size} bytes, over the 1048576 byte limit"
        )),
        "{e}"
    );
}

/// Descriptors for blobs of a layout being assembled.
fn put(files: &mut image::Files, media_type: &str, bytes: Vec<u8>) -> Value {
    let d = image::digest(&bytes);
    let size = bytes.len();
    if !files.iter().any(|(p, _)| p.ends_with(&d[7..])) {
        files.push((format!("blobs/sha256/{}", &d[7..]), bytes));
    }
    j!({"mediaType": media_type, "digest": d, "size": size})
}

const INDEX: &str = "application/vnd.oci.image.index.v1+json";

#[test]
fn d8_index_fan_out_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    image::write_dir(
        &dir.path().join("good"),
        &image::oci_files(&[rooted_image()]),
    );
    // index.json → 9 × index → 9 × … → 9 × manifest: 9^8 paths, 9 files.
    let mut files = image::oci_files(&[good_image()]);
    let index_json = files.iter().position(|(p, _)| p == "index.json").unwrap();
    let index: Value = serde_json::from_slice(&files.remove(index_json).1).unwrap();
    let mut child = index["manifests"][0].clone();
    child.as_object_mut().unwrap().remove("annotations");
    for _ in 0..7 {
        let list =
            j!({"schemaVersion": 2, "mediaType": INDEX, "manifests": vec![child.clone(); 9]});
        child = put(&mut files, INDEX, serde_json::to_vec(&list).unwrap());
    }
    files.push((
        "index.json".into(),
        serde_json::to_vec(&j!({"schemaVersion": 2, "manifests": vec![child; 9]})).unwrap(),
    ));
    image::write_dir(&dir.path().join("fanout"), &files);
    let out = policy_limited(
        &["check", "--no-config", "--format", "json", "good", "fanout"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let report = json(&out);
    assert_good_reported(&report, "good");
    let e = error_of(&report, "fanout");
    assert!(
        e.contains("the image lists more than 10000 manifests and layers"),
        "{e}"
    );
}

#[test]
fn d8_a_layer_listed_many_times_is_read_once_and_bytes_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    image::write_dir(
        &dir.path().join("good"),
        &image::oci_files(&[rooted_image()]),
    );
    // One 4 MB layer (with a key) listed 100 times: 400 MB if each is read.
    let big = "x".repeat(4 << 20);
    let layer = Layer::new().file("data/big.bin", &big).file(
        "root/.ssh/id_rsa",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n",
    );
    let (blob, diff_id) = layer.blob();
    raw_layout(
        &dir.path().join("repeated"),
        &vec![(blob.clone(), diff_id.clone()); 100],
    );
    // Distinct layers, more bytes in all than allowed: a clear error.
    let layers: Vec<_> = (0..20)
        .map(|i| Layer::new().file(&format!("data/{i}.bin"), &big).blob())
        .collect();
    raw_layout(&dir.path().join("many"), &layers);
    let out = policy_limited(
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--max-image-bytes",
            "50M",
            "good",
            "repeated",
            "many",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let report = json(&out);
    assert_good_reported(&report, "good");
    let e = error_of(&report, "many");
    assert!(
        e.contains(
            "the layers of this input decompress to more than 52428800 bytes (--max-image-bytes)"
        ),
        "{e}"
    );
    // Read once, applied 100 times: the key ships in every layer, the last
    // one holds it in the final file system.
    let keys: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "repeated" && f["rule"] == "CP506")
        .collect();
    assert_eq!(keys.len(), 100, "{report}");
    assert!(keys.iter().any(|f| f["message"]
        .as_str()
        .unwrap()
        .ends_with("/root/.ssh/id_rsa (ssh-private-key) in layer 99; rotate it and keep it out of the build context")));
    assert!(keys.iter().any(|f| f["message"]
        .as_str()
        .unwrap()
        .contains("replaced by layer 1 but still shipped in layer 0")));
}

const KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";

#[test]
fn d17_keys_behind_links_are_found_under_the_name_a_user_sees() {
    let dir = tempfile::tempdir().unwrap();
    let image = |name: &str, layers: Vec<Layer>| {
        let mut i = Image::new(j!({"User": "1000", "Healthcheck": {"Test": ["CMD", "/bin/true"]}}));
        for l in layers {
            i = i.layer(l);
        }
        image::write_dir(&dir.path().join(name), &image::oci_files(&[i]));
    };
    // The bytes under an innocent name, the secret name a hard link to them.
    image(
        "hardlink",
        vec![Layer::new().file("srv/innocent.txt", KEY).hardlink(
            "root/.ssh/id_rsa",
            "srv/innocent.txt",
            0o600,
        )],
    );
    // A symlink, relative, after its target.
    image(
        "symlink",
        vec![Layer::new()
            .file("srv/innocent.txt", KEY)
            .symlink("root/.ssh/id_rsa", "../../srv/innocent.txt")],
    );
    // A symlink, absolute, before its target, which comes in a later layer.
    image(
        "forward",
        vec![
            Layer::new().symlink("root/.ssh/id_ed25519", "/srv/innocent.txt"),
            Layer::new().file("srv/innocent.txt", KEY),
        ],
    );
    // The innocent name is the link; the bytes are under the secret name.
    image(
        "reverse",
        vec![Layer::new().file("root/.ssh/id_rsa", KEY).hardlink(
            "srv/innocent.txt",
            "root/.ssh/id_rsa",
            0o600,
        )],
    );
    // Not secrets: a certificate behind a `.pem` symlink, a key-named link
    // to a file that is not there.
    image(
        "clean",
        vec![Layer::new()
            .file(
                "usr/share/ca/x.crt",
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
            )
            .symlink("etc/ssl/certs/x.pem", "/usr/share/ca/x.crt")
            .symlink("root/.ssh/id_rsa", "/nowhere")],
    );
    let out = policy_limited(
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "hardlink",
            "symlink",
            "forward",
            "reverse",
            "clean",
        ],
        dir.path(),
    );
    let report = json(&out);
    let secrets = |path: &str| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"] == path && f["rule"] == "CP506")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    let shipped =
        |p: &str| format!("the image ships a secret file, /{p} (ssh-private-key) in layer");
    for (input, name) in [
        ("hardlink", "root/.ssh/id_rsa"),
        ("symlink", "root/.ssh/id_rsa"),
        ("forward", "root/.ssh/id_ed25519"),
        ("reverse", "root/.ssh/id_rsa"),
    ] {
        let found = secrets(input);
        assert_eq!(found.len(), 1, "{input}: {found:?}");
        assert!(found[0].starts_with(&shipped(name)), "{input}: {found:?}");
    }
    assert_eq!(secrets("clean"), Vec::<String>::new());
    assert_eq!(out.status.code(), Some(1), "{report}");
}
