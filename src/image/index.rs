//! Which images an OCI layout or a `docker save` archive holds: the OCI
//! index followed down to each platform's manifest (nested indexes too), or
//! Docker's legacy `manifest.json`.

use super::store::{self, Store};
use oci_spec::image::{Descriptor, ImageIndex, ImageManifest};

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
    for d in index.manifests() {
        visit(store, d, references(d, name), &mut out, 0)?;
    }
    Ok(out)
}

fn visit(
    store: &Store,
    d: &Descriptor,
    refs: Vec<String>,
    out: &mut Vec<Entry>,
    depth: usize,
) -> Result<(), String> {
    if depth > 8 {
        return Err("image indexes nested more than 8 deep".into());
    }
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
        let bytes = store.blob_bytes(&digest, Some(d.size()))?;
        let index: ImageIndex = serde_json::from_slice(&bytes)
            .map_err(|e| format!("index {digest} is not an image index: {e}"))?;
        for child in index.manifests() {
            let mut child_refs = refs.clone();
            for r in references(child, "") {
                if !child_refs.contains(&r) {
                    child_refs.push(r);
                }
            }
            visit(store, child, child_refs, out, depth + 1)?;
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
    let member = |name: &str| -> Blob {
        let name = store::normalize(name);
        // `blobs/sha256/<hex>` and `<hex>.json` are named by their digest.
        let hex = name
            .strip_prefix("blobs/sha256/")
            .or_else(|| name.strip_suffix(".json"))
            .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()));
        Blob {
            digest: hex.map(|h| format!("sha256:{h}")),
            size: None,
            media_type: None,
            name,
        }
    };
    Ok(list
        .into_iter()
        .map(|e| Entry {
            platform: None,
            manifest_digest: None,
            config: member(&e.config),
            layers: e.layers.iter().map(|l| member(l)).collect(),
            references: e.repo_tags.unwrap_or_default(),
        })
        .collect())
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
