//! Which images an OCI layout or a `docker save` archive holds: the OCI
//! index followed down to each platform's manifest (nested indexes too), or
//! Docker's legacy `manifest.json`.

use super::store::{self, Store};
use oci_spec::image::{Descriptor, ImageIndex, ImageManifest};
use std::collections::HashMap;

/// Deepest nesting of image indexes followed (an index of indexes of
/// manifests is 1); real multi-platform images use 1.
pub const MAX_INDEX_DEPTH: usize = 8;
/// Descriptors followed (indexes, manifests) and layers listed per input,
/// each counted every time it is listed: nested indexes listing each other
/// nine times over would otherwise be 10^8 visits from 9 small files. Each
/// blob is still read once. Real layouts list a few hundred.
pub const MAX_REFERENCES: usize = 10_000;

/// The work of following one input's indexes.
#[derive(Default)]
struct Walk {
    references: usize,
    /// Indexes read, by digest: each is read and parsed once.
    indexes: HashMap<String, Vec<Descriptor>>,
}

impl Walk {
    fn count(&mut self, n: usize) -> Result<(), String> {
        self.references += n;
        if self.references > MAX_REFERENCES {
            return Err(too_many());
        }
        Ok(())
    }
}

pub fn too_many() -> String {
    format!("the image lists more than {MAX_REFERENCES} manifests and layers (counting each time one is listed); it is not read")
}

/// One image to read: its config and layers, by digest or by member name.
#[derive(Debug, Clone)]
pub struct Entry {
    pub platform: Option<String>,
    pub manifest_digest: Option<String>,
    pub config: Blob,
    pub layers: Vec<Blob>,
    pub references: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Blob {
    /// Known for OCI blobs and `blobs/sha256/…` members; legacy `<id>/layer.tar` has none.
    pub digest: Option<String>,
    /// The member to read.
    pub name: String,
    pub size: Option<u64>,
    pub media_type: Option<String>,
}

const INDEX_TYPES: &[&str] = &[
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
];
const MANIFEST_TYPES: &[&str] = &[
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

/// `os/arch[/variant]`.
pub fn platform_string(os: &str, arch: &str, variant: Option<&str>) -> String {
    match variant {
        Some(v) if !v.is_empty() => format!("{os}/{arch}/{v}"),
        _ => format!("{os}/{arch}"),
    }
}

/// Does `platform` (`linux/arm64/v8`) match the filter (`linux/arm64`)?
pub fn platform_matches(platform: &str, filter: &str) -> bool {
    let p: Vec<&str> = platform.split('/').collect();
    let f: Vec<&str> = filter.split('/').collect();
    f.len() <= p.len() && f.iter().zip(&p).all(|(a, b)| a.eq_ignore_ascii_case(b))
}

/// The images of an OCI layout (`index.json`), with names from the index
/// annotations. `name` stands in for the repository of a bare tag
/// (`org.opencontainers.image.ref.name: 1.0`).
pub fn oci(store: &Store, name: &str) -> Result<Vec<Entry>, String> {
    let bytes = store.read("index.json")?;
    let index: ImageIndex = serde_json::from_slice(&bytes)
        .map_err(|e| format!("index.json is not an OCI image index: {e}"))?;
    let mut out = Vec::new();
    let mut walk = Walk::default();
    for d in index.manifests() {
        visit(store, d, references(d, name), &mut out, 0, &mut walk)?;
    }
    Ok(out)
}

fn visit(
    store: &Store,
    d: &Descriptor,
    refs: Vec<String>,
    out: &mut Vec<Entry>,
    depth: usize,
    walk: &mut Walk,
) -> Result<(), String> {
    if depth > MAX_INDEX_DEPTH {
        return Err(format!(
            "image indexes nested more than {MAX_INDEX_DEPTH} deep"
        ));
    }
    walk.count(1)?;
    let media_type = d.media_type().to_string();
    let digest = d.digest().to_string();
    let annotations = d.annotations().clone().unwrap_or_default();
    if annotations
        .get("vnd.docker.reference.type")
        .map(String::as_str)
        == Some("attestation-manifest")
    {
        return Ok(());
    }
    if INDEX_TYPES.contains(&media_type.as_str()) {
        if !walk.indexes.contains_key(&digest) {
            let bytes = store.blob_bytes(&digest, Some(d.size()))?;
            let index: ImageIndex = serde_json::from_slice(&bytes)
                .map_err(|e| format!("index {digest} is not an image index: {e}"))?;
            walk.indexes
                .insert(digest.clone(), index.manifests().clone());
        }
        let children = walk.indexes[&digest].clone();
        for child in &children {
            let mut child_refs = refs.clone();
            for r in references(child, "") {
                if !child_refs.contains(&r) {
                    child_refs.push(r);
                }
            }
            visit(store, child, child_refs, out, depth + 1, walk)?;
        }
        return Ok(());
    }
    if !MANIFEST_TYPES.contains(&media_type.as_str()) {
        // Signatures, SBOMs and other artifacts are not images.
        return Ok(());
    }
    let platform = d.platform().as_ref().map(|p| {
        platform_string(
            &p.os().to_string(),
            &p.architecture().to_string(),
            p.variant().as_deref(),
        )
    });
    if platform.as_deref() == Some("unknown/unknown") {
        return Ok(());
    }
    // The same manifest under a second name: one image, two references.
    if let Some(seen) = out
        .iter_mut()
        .find(|e| e.manifest_digest.as_deref() == Some(digest.as_str()))
    {
        for r in refs {
            if !seen.references.contains(&r) {
                seen.references.push(r);
            }
        }
        return Ok(());
    }
    let bytes = store.blob_bytes(&digest, Some(d.size()))?;
    let manifest: ImageManifest = serde_json::from_slice(&bytes)
        .map_err(|e| format!("manifest {digest} is not an image manifest: {e}"))?;
    walk.count(manifest.layers().len())?;
    let blob = |d: &Descriptor| -> Result<Blob, String> {
        let digest = d.digest().to_string();
        Ok(Blob {
            name: store::blob_path(&digest)?,
            digest: Some(digest),
            size: Some(d.size()),
            media_type: Some(d.media_type().to_string()),
        })
    };
    out.push(Entry {
        platform,
        manifest_digest: Some(digest),
        config: blob(manifest.config())?,
        layers: manifest
            .layers()
            .iter()
            .map(blob)
            .collect::<Result<_, _>>()?,
        references: refs,
    });
    Ok(())
}

/// Names a descriptor gives its image.
fn references(d: &Descriptor, name: &str) -> Vec<String> {
    let Some(a) = d.annotations() else {
        return Vec::new();
    };
    if let Some(full) = a.get("io.containerd.image.name") {
        return vec![full.clone()];
    }
    match a.get("org.opencontainers.image.ref.name") {
        // A full reference (`registry/app:1.0`) or a bare tag (`1.0`).
        Some(r) if r.contains(['/', ':', '@']) => vec![r.clone()],
        Some(tag) if !name.is_empty() => vec![format!("{name}:{tag}")],
        _ => Vec::new(),
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct LegacyEntry {
    config: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    layers: Vec<String>,
}

/// Docker's `manifest.json`: `[{"Config", "RepoTags", "Layers"}]`.
pub fn docker(store: &Store) -> Result<Vec<Entry>, String> {
    let bytes = store.read("manifest.json")?;
    let list: Vec<LegacyEntry> = serde_json::from_slice(&bytes)
        .map_err(|e| format!("manifest.json is not a docker save manifest: {e}"))?;
    let member = |name: &str| -> Result<Blob, String> {
        let name = store::member_name(name).map_err(|e| format!("manifest.json: {e}"))?;
        // `blobs/sha256/<hex>` and `<hex>.json` are named by their digest.
        let hex = name
            .strip_prefix("blobs/sha256/")
            .or_else(|| name.strip_suffix(".json"))
            .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()));
        Ok(Blob {
            digest: hex.map(|h| format!("sha256:{h}")),
            size: None,
            media_type: None,
            name,
        })
    };
    if list.iter().map(|e| e.layers.len() + 1).sum::<usize>() > MAX_REFERENCES {
        return Err(too_many());
    }
    list.into_iter()
        .map(|e| {
            Ok(Entry {
                platform: None,
                manifest_digest: None,
                config: member(&e.config)?,
                layers: e
                    .layers
                    .iter()
                    .map(|l| member(l))
                    .collect::<Result<_, String>>()?,
                references: e.repo_tags.unwrap_or_default(),
            })
        })
        .collect()
}

/// `RepoTags` of Docker's `manifest.json` by config digest (an OCI-layout
/// `docker save` carries both).
pub fn docker_tags(store: &Store) -> Vec<(String, Vec<String>)> {
    docker(store)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| Some((e.config.digest?, e.references)))
        .collect()
}
