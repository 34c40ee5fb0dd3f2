//! Real image inputs assembled in tests: layers are tar streams (gzip or
//! not) written with the `tar` crate, blobs are named by their sha256, and
//! the result is written as an OCI layout directory, an OCI layout in a tar
//! (as Docker 25+ saves), or a legacy `docker save` archive.

use flate2::write::GzEncoder;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::Path;

pub fn digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    format!(
        "sha256:{}",
        hash.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

fn hex(digest: &str) -> &str {
    digest.strip_prefix("sha256:").unwrap()
}

#[derive(Clone)]
enum Entry {
    File(String, Vec<u8>, u32),
    Dir(String),
    Hardlink(String, String, u32),
    Symlink(String, String),
}

/// One layer: files, directories, whiteouts; gzip or plain.
#[derive(Clone, Default)]
pub struct Layer {
    entries: Vec<Entry>,
    pub gzip: bool,
    pub created_by: Option<String>,
}

impl Layer {
    pub fn new() -> Self {
        Layer {
            gzip: true,
            ..Default::default()
        }
    }
    pub fn plain(mut self) -> Self {
        self.gzip = false;
        self
    }
    pub fn by(mut self, created_by: &str) -> Self {
        self.created_by = Some(created_by.to_string());
        self
    }
    pub fn file(self, path: &str, content: &str) -> Self {
        self.file_mode(path, content.as_bytes(), 0o644)
    }
    pub fn file_mode(mut self, path: &str, content: &[u8], mode: u32) -> Self {
        self.entries
            .push(Entry::File(path.into(), content.to_vec(), mode));
        self
    }
    pub fn dir(mut self, path: &str) -> Self {
        self.entries.push(Entry::Dir(path.into()));
        self
    }
    pub fn hardlink(mut self, path: &str, target: &str, mode: u32) -> Self {
        self.entries
            .push(Entry::Hardlink(path.into(), target.into(), mode));
        self
    }
    pub fn symlink(mut self, path: &str, target: &str) -> Self {
        self.entries
            .push(Entry::Symlink(path.into(), target.into()));
        self
    }
    /// `rm path` in this layer: a `.wh.<name>` entry.
    pub fn whiteout(self, path: &str) -> Self {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let wh = if dir.is_empty() {
            format!(".wh.{name}")
        } else {
            format!("{dir}/.wh.{name}")
        };
        self.file_mode(&wh, b"", 0o644)
    }
    /// Everything lower layers had in `dir` is hidden: `.wh..wh..opq`.
    pub fn opaque(self, dir: &str) -> Self {
        self.file_mode(&format!("{dir}/.wh..wh..opq"), b"", 0o644)
    }

    /// The uncompressed tar stream.
    pub fn tar(&self) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for e in &self.entries {
            let mut h = tar::Header::new_ustar();
            h.set_mtime(0);
            match e {
                Entry::File(path, content, mode) => {
                    h.set_entry_type(tar::EntryType::Regular);
                    h.set_size(content.len() as u64);
                    h.set_mode(*mode);
                    b.append_data(&mut h, path, content.as_slice()).unwrap();
                }
                Entry::Dir(path) => {
                    h.set_entry_type(tar::EntryType::Directory);
                    h.set_size(0);
                    h.set_mode(0o755);
                    b.append_data(&mut h, path, &[][..]).unwrap();
                }
                Entry::Hardlink(path, target, mode) => {
                    h.set_entry_type(tar::EntryType::Link);
                    h.set_size(0);
                    h.set_mode(*mode);
                    b.append_link(&mut h, path, target).unwrap();
                }
                Entry::Symlink(path, target) => {
                    h.set_entry_type(tar::EntryType::Symlink);
                    h.set_size(0);
                    h.set_mode(0o777);
                    b.append_link(&mut h, path, target).unwrap();
                }
            }
        }
        b.into_inner().unwrap()
    }

    /// (blob as stored, diff_id).
    pub fn blob(&self) -> (Vec<u8>, String) {
        let tar = self.tar();
        let diff_id = digest(&tar);
        if !self.gzip {
            return (tar, diff_id);
        }
        let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &tar).unwrap();
        (gz.finish().unwrap(), diff_id)
    }
}

/// A layer as stored: (blob, diff_id, gzip).
type Built = (Vec<u8>, String, bool);

/// An image: its config's `config` section, extra history steps and layers.
#[derive(Clone)]
pub struct Image {
    pub config: Value,
    pub layers: Vec<Layer>,
    /// History steps that made no layer (ENV, USER…), placed before the layers.
    pub empty_steps: Vec<String>,
    pub os: String,
    pub arch: String,
    pub tags: Vec<String>,
}

impl Image {
    pub fn new(config: Value) -> Self {
        Image {
            config,
            layers: Vec::new(),
            empty_steps: Vec::new(),
            os: "linux".into(),
            arch: "amd64".into(),
            tags: Vec::new(),
        }
    }
    pub fn layer(mut self, layer: Layer) -> Self {
        self.layers.push(layer);
        self
    }
    pub fn step(mut self, created_by: &str) -> Self {
        self.empty_steps.push(created_by.to_string());
        self
    }
    pub fn tag(mut self, reference: &str) -> Self {
        self.tags.push(reference.to_string());
        self
    }
    pub fn platform(mut self, os: &str, arch: &str) -> Self {
        self.os = os.into();
        self.arch = arch.into();
        self
    }

    /// The config bytes and the layer blobs.
    fn build(&self) -> (Vec<u8>, Vec<Built>) {
        let layers: Vec<_> = self
            .layers
            .iter()
            .map(|l| {
                let (blob, diff_id) = l.blob();
                (blob, diff_id, l.gzip)
            })
            .collect();
        let mut history: Vec<Value> = self
            .empty_steps
            .iter()
            .map(|s| json!({"created_by": s, "empty_layer": true}))
            .collect();
        for (i, l) in self.layers.iter().enumerate() {
            let by = l
                .created_by
                .clone()
                .unwrap_or_else(|| format!("COPY layer{i} / # buildkit"));
            history.push(json!({"created_by": by}));
        }
        let config = json!({
            "architecture": self.arch,
            "os": self.os,
            "config": self.config,
            "rootfs": {"type": "layers", "diff_ids": layers.iter().map(|l| l.1.clone()).collect::<Vec<_>>()},
            "history": history,
        });
        (serde_json::to_vec_pretty(&config).unwrap(), layers)
    }
}

/// Files of a layout or archive: (path, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

fn add(files: &mut Files, path: String, bytes: Vec<u8>) {
    if !files.iter().any(|(p, _)| *p == path) {
        files.push((path, bytes));
    }
}

/// A manifest per image, in `blobs/sha256/`; returns its descriptor.
fn oci_manifest(files: &mut Files, image: &Image) -> Value {
    let (config, layers) = image.build();
    let config_digest = digest(&config);
    let mut layer_descs = Vec::new();
    for (blob, _, gzip) in &layers {
        let d = digest(blob);
        layer_descs.push(json!({
            "mediaType": if *gzip { "application/vnd.oci.image.layer.v1.tar+gzip" } else { "application/vnd.oci.image.layer.v1.tar" },
            "digest": d, "size": blob.len(),
        }));
        add(files, format!("blobs/sha256/{}", hex(&d)), blob.clone());
    }
    add(
        files,
        format!("blobs/sha256/{}", hex(&config_digest)),
        config.clone(),
    );
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
        "layers": layer_descs,
    }))
    .unwrap();
    let md = digest(&manifest);
    add(
        files,
        format!("blobs/sha256/{}", hex(&md)),
        manifest.clone(),
    );
    json!({
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": md, "size": manifest.len(),
        "platform": {"os": image.os, "architecture": image.arch},
    })
}

fn ref_annotations(tags: &[String]) -> Value {
    match tags.first() {
        Some(t) => {
            json!({"io.containerd.image.name": t, "org.opencontainers.image.ref.name": t.rsplit(':').next().unwrap()})
        }
        None => json!({}),
    }
}

/// An OCI layout: one manifest per image in `index.json`.
pub fn oci_files(images: &[Image]) -> Files {
    let mut files = Files::new();
    let mut manifests = Vec::new();
    for image in images {
        let mut d = oci_manifest(&mut files, image);
        d["annotations"] = ref_annotations(&image.tags);
        manifests.push(d);
    }
    files.push((
        "oci-layout".into(),
        br#"{"imageLayoutVersion": "1.0.0"}"#.to_vec(),
    ));
    files.push((
        "index.json".into(),
        serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": manifests})).unwrap(),
    ));
    files
}

/// A multi-platform image: `index.json` → a nested index → one manifest per platform.
pub fn oci_multi_platform_files(images: &[Image], tag: &str) -> Files {
    let mut files = Files::new();
    let manifests: Vec<Value> = images.iter().map(|i| oci_manifest(&mut files, i)).collect();
    let index = serde_json::to_vec(&json!({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests,
    }))
    .unwrap();
    let id = digest(&index);
    add(
        &mut files,
        format!("blobs/sha256/{}", hex(&id)),
        index.clone(),
    );
    files.push((
        "oci-layout".into(),
        br#"{"imageLayoutVersion": "1.0.0"}"#.to_vec(),
    ));
    files.push((
        "index.json".into(),
        serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.index.v1+json", "digest": id, "size": index.len(),
            "annotations": ref_annotations(&[tag.to_string()]),
        }]}))
        .unwrap(),
    ));
    files
}

/// Docker's legacy `docker save`: `manifest.json`, `<hex>.json` configs, `<id>/layer.tar`.
pub fn docker_legacy_files(images: &[Image]) -> Files {
    let mut files = Files::new();
    let mut manifest = Vec::new();
    for image in images {
        let mut plain = image.clone();
        for l in &mut plain.layers {
            l.gzip = false;
        }
        let (config, layers) = plain.build();
        let config_digest = digest(&config);
        let mut names = Vec::new();
        for (blob, diff_id, _) in layers {
            let name = format!("{}/layer.tar", hex(&diff_id));
            add(
                &mut files,
                format!("{}/VERSION", hex(&diff_id)),
                b"1.0".to_vec(),
            );
            add(&mut files, name.clone(), blob);
            names.push(name);
        }
        let config_name = format!("{}.json", hex(&config_digest));
        add(&mut files, config_name.clone(), config);
        manifest.push(json!({"Config": config_name, "RepoTags": image.tags, "Layers": names}));
    }
    files.push((
        "manifest.json".into(),
        serde_json::to_vec(&manifest).unwrap(),
    ));
    files
}

/// Docker 25+ `docker save`: an OCI layout plus `manifest.json`, in a tar.
pub fn docker_oci_files(images: &[Image]) -> Files {
    let mut files = oci_files(images);
    let mut manifest = Vec::new();
    for image in images {
        let (config, layers) = image.build();
        manifest.push(json!({
            "Config": format!("blobs/sha256/{}", hex(&digest(&config))),
            "RepoTags": image.tags,
            "Layers": layers.iter().map(|l| format!("blobs/sha256/{}", hex(&digest(&l.0)))).collect::<Vec<_>>(),
        }));
    }
    files.push((
        "manifest.json".into(),
        serde_json::to_vec(&manifest).unwrap(),
    ));
    files
}

pub fn write_dir(dir: &Path, files: &Files) {
    for (path, bytes) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

pub fn write_tar(path: &Path, files: &Files) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut b = tar::Builder::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in files {
        let mut h = tar::Header::new_ustar();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(0);
        b.append_data(&mut h, name, bytes.as_slice()).unwrap();
    }
    b.finish().unwrap();
}

/// The first blob whose bytes satisfy `f`, as its path.
pub fn find_blob(files: &Files, f: impl Fn(&[u8]) -> bool) -> String {
    files
        .iter()
        .find(|(p, b)| p.starts_with("blobs/") && f(b))
        .map(|(p, _)| p.clone())
        .expect("blob")
}
