//! Built images as inputs: an OCI image layout directory, a `docker save`
//! tarball (Docker's legacy `manifest.json` form, or the OCI layout in a tar
//! that Docker 25+ writes), read without unpacking. Image config JSON files
//! and `docker image inspect` output are text and go through the text
//! pipeline ([`crate::parse`]'s `image` kind); both end in
//! [`crate::model::image`].
//!
//! Reading an archive or layout: [`store`] gives access to its members,
//! [`index`] lists the images (one per platform), [`layer`] streams each
//! layer, verifying every blob's digest and keeping only the file facts
//! rules need.

pub mod index;
pub mod layer;
pub mod store;
pub mod tarball;

use crate::document::Node;
use crate::model::image::{facts_of, ImageFacts, LayerFacts};
use oci_spec::image::ImageConfiguration;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use store::Store;

/// Default of [`Options::max_bytes`]: 32 GiB, past the largest images in
/// common use (CUDA and ML images reach 10–20 GB uncompressed), about half
/// a minute of decompression; a gzip bomb stops there.
pub const MAX_IMAGE_BYTES: u64 = 32 << 30;

/// How images are read.
#[derive(Debug, Clone)]
pub struct Options {
    /// `os/arch[/variant]`: read only the matching platform of a
    /// multi-platform image (default: every platform).
    pub platform: Option<String>,
    /// Bytes of layer content (decompressed) read per input at most, over
    /// all its images; each layer blob is read once. `--max-image-bytes`.
    pub max_bytes: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            platform: None,
            max_bytes: MAX_IMAGE_BYTES,
        }
    }
}

/// One image (one platform) as read.
pub struct Image {
    /// The config blob, as a document with empty spans.
    pub config: Node,
    pub facts: ImageFacts,
}

#[derive(Debug)]
pub enum ReadError {
    /// Not an image at all (a tar file of something else).
    NotAnImage(String),
    /// An image that cannot be read: truncated, a blob missing or corrupt…
    Invalid(String),
}

/// A directory that is an image: an OCI layout, or an extracted `docker save`.
pub fn is_image_dir(path: &Path) -> bool {
    path.join("oci-layout").is_file()
}

/// A file name that may hold an image archive.
pub fn is_archive_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".tar")
}

/// Reads every image of a layout directory or an archive.
pub fn read(path: &Path, options: &Options) -> Result<Vec<Image>, ReadError> {
    let (store, in_tar) = if path.is_dir() {
        (Store::dir(path).map_err(ReadError::Invalid)?, false)
    } else {
        sniff(path)?;
        (Store::tar(path).map_err(ReadError::Invalid)?, true)
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let name = name.strip_suffix(".tar").unwrap_or(&name).to_string();
    read_store(store, name, in_tar, options)
}

/// Reads every image of an opened store; `name` stands in for the
/// repository of a bare tag. Also the entry point of [`crate::fuzzing`].
pub fn read_store(
    store: Store,
    name: String,
    in_tar: bool,
    options: &Options,
) -> Result<Vec<Image>, ReadError> {
    let invalid = ReadError::Invalid;
    let (mut entries, format) = if store.has("oci-layout") && store.has("index.json") {
        let layout: serde_json::Value =
            serde_json::from_slice(&store.read("oci-layout").map_err(invalid)?)
                .map_err(|e| ReadError::Invalid(format!("oci-layout is not JSON: {e}")))?;
        if layout
            .get("imageLayoutVersion")
            .and_then(|v| v.as_str())
            .is_none()
        {
            return Err(ReadError::Invalid(
                "oci-layout has no imageLayoutVersion".into(),
            ));
        }
        let mut entries = index::oci(&store, &name).map_err(invalid)?;
        // `docker save` also writes manifest.json, with the image's tags.
        if store.has("manifest.json") {
            for (config, tags) in index::docker_tags(&store) {
                for e in entries
                    .iter_mut()
                    .filter(|e| e.config.digest.as_deref() == Some(config.as_str()))
                {
                    for t in &tags {
                        if !e.references.contains(t) {
                            e.references.push(t.clone());
                        }
                    }
                }
            }
        }
        (entries, if in_tar { "oci-archive" } else { "oci-layout" })
    } else if store.has("manifest.json") {
        (index::docker(&store).map_err(invalid)?, "docker-archive")
    } else {
        return Err(ReadError::NotAnImage(
            "holds neither an OCI image layout (`oci-layout`, `index.json`) nor the `manifest.json` of `docker save`".into(),
        ));
    };
    if entries.is_empty() {
        return Err(ReadError::Invalid(
            "the image index lists no image manifest".into(),
        ));
    }
    if let Some(filter) = &options.platform {
        let all: Vec<String> = entries.iter().filter_map(|e| e.platform.clone()).collect();
        // A manifest without a platform in the index is kept: its config says.
        entries.retain(|e| {
            e.platform
                .as_deref()
                .is_none_or(|p| index::platform_matches(p, filter))
        });
        if entries.is_empty() {
            return Err(ReadError::Invalid(format!(
                "no image for platform {filter}; it has: {}",
                all.join(", ")
            )));
        }
    }
    let mut reading = Reading {
        budget: layer::Budget::new(options.max_bytes),
        uses: HashMap::new(),
        read: HashMap::new(),
    };
    for blob in entries.iter().flat_map(|e| &e.layers) {
        *reading.uses.entry(blob.name.clone()).or_default() += 1;
    }
    let mut images = Vec::new();
    for entry in entries {
        let image = read_one(&store, entry, format, &mut reading).map_err(invalid)?;
        if let (Some(filter), Some(p)) = (&options.platform, &image.facts.platform) {
            if !index::platform_matches(p, filter) {
                continue;
            }
        }
        images.push(image);
    }
    if images.is_empty() {
        return Err(ReadError::Invalid(format!(
            "no image for platform {}",
            options.platform.as_deref().unwrap_or("")
        )));
    }
    Ok(images)
}

/// A tar archive, or something else.
fn sniff(path: &Path) -> Result<(), ReadError> {
    let mut head = [0u8; 512];
    let mut file =
        std::fs::File::open(path).map_err(|e| ReadError::Invalid(format!("cannot read: {e}")))?;
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(ReadError::Invalid(format!("cannot read: {e}"))),
        }
    }
    if head[..n].starts_with(&[0x1f, 0x8b]) {
        return Err(ReadError::Invalid(
            "a gzip-compressed archive; decompress it first (`gunzip`), `docker save` writes a plain tar".into(),
        ));
    }
    if n < 512 {
        return Err(ReadError::NotAnImage(format!(
            "not a tar archive ({n} bytes)"
        )));
    }
    if &head[257..262] != b"ustar" {
        return Err(ReadError::NotAnImage(
            "not a tar archive (no ustar header)".into(),
        ));
    }
    Ok(())
}

/// The layers of one input being read: each blob is read once, within the
/// input's byte budget.
struct Reading {
    budget: layer::Budget,
    /// Times each layer member is listed and not yet applied.
    uses: HashMap<String, usize>,
    /// Layers read that are listed again.
    read: HashMap<String, layer::Replay>,
}

fn read_one(
    store: &Store,
    entry: index::Entry,
    format: &str,
    reading: &mut Reading,
) -> Result<Image, String> {
    let cfg = &entry.config;
    let bytes = store.verified_bytes(&cfg.name, cfg.digest.as_deref(), cfg.size)?;
    let config_digest = cfg
        .digest
        .clone()
        .unwrap_or_else(|| store::sha256_digest(&bytes));
    let json: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("config {config_digest} is not JSON: {e}"))?;
    let parsed: ImageConfiguration = serde_json::from_value(json.clone())
        .map_err(|e| format!("config {config_digest} is not an image config: {e}"))?;
    let diff_ids: Vec<String> = parsed.rootfs().diff_ids().to_vec();
    if diff_ids.len() != entry.layers.len() {
        return Err(format!(
            "the manifest lists {} layers but the config's rootfs.diff_ids has {}",
            entry.layers.len(),
            diff_ids.len()
        ));
    }
    let config = Node::from_json(&json);
    let (mut facts, _) = facts_of(&config);
    facts.format = format.to_string();
    facts.references = entry.references;
    facts.references_known = true;
    facts.platform = entry.platform.or(facts.platform);
    facts.manifest_digest = entry.manifest_digest;
    facts.config_digest = Some(config_digest);
    facts.layers_read = true;
    let mut files = layer::FileIndex::default();
    for (i, blob) in entry.layers.iter().enumerate() {
        let digest = blob.digest.clone().unwrap_or_else(|| diff_ids[i].clone());
        let foreign = blob
            .media_type
            .as_deref()
            .is_some_and(|m| m.contains("foreign") || m.contains("nondistributable"));
        if foreign && !store.has(&blob.name) {
            // Windows base layers are pulled from elsewhere, not shipped.
            facts.layers.push(LayerFacts {
                index: i,
                digest,
                media_type: blob.media_type.clone(),
                size: blob.size.unwrap_or(0),
                ..Default::default()
            });
            continue;
        }
        let uses = reading.uses.get_mut(&blob.name).expect("counted");
        *uses -= 1;
        // Listed again later: keep what it did, to apply without reading.
        let again = *uses > 0;
        if let Some(done) = reading.read.get(&blob.name) {
            let what = format!("layer {i} ({digest})");
            let layer_facts = layer::replay(done, i, &mut files);
            layer::check_diff_id(
                &what,
                Some(&diff_ids[i]),
                layer_facts.diff_id.as_deref().unwrap_or(""),
            )?;
            facts.layers.push(layer_facts);
            if !again {
                reading.read.remove(&blob.name);
            }
            continue;
        }
        let reader = store.verified(&blob.name, blob.digest.as_deref(), blob.size)?;
        let input = layer::LayerInput {
            index: i,
            digest: &digest,
            media_type: blob.media_type.clone(),
            diff_id: Some(&diff_ids[i]),
        };
        let (layer_facts, replay) =
            layer::scan(reader, &input, &mut files, &mut reading.budget, again)?;
        facts.layers.push(layer_facts);
        if let Some(replay) = replay {
            reading.read.insert(blob.name.clone(), replay);
        }
    }
    facts.size.compressed = Some(facts.layers.iter().map(|l| l.size).sum());
    facts.size.uncompressed = Some(facts.layers.iter().map(|l| l.uncompressed_size).sum());
    facts.files = files.facts;
    facts.files_omitted = files.omitted;
    Ok(Image { config, facts })
}
