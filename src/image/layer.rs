//! Streaming one layer: the blob is read once through its digest check,
//! decompressed when it is gzip (detected by its magic bytes, whatever the
//! media type says), and walked as a tar stream without ever being held in
//! memory. Only the files rules need are kept (see [`FileIndex`]); every
//! other file is counted.

use super::store::Verified;
use crate::model::image::{FileFact, LayerFacts};
use crate::secrets;
use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead, BufReader, Read};

/// Facts kept per image at most; past it they are counted in `files_omitted`.
pub const MAX_FACTS: usize = 10_000;
/// Bytes of a secret-looking file read to judge its content.
pub const PROBE_BYTES: u64 = 64 * 1024;

/// The files of an image's layers that rules look at, in layer order, with
/// deletions and replacements by later layers applied as layers are read.
///
/// Memory: a fact per secret-looking file, setuid/setgid file and `.git`
/// directory (capped at [`MAX_FACTS`]), plus an index of their paths; the
/// image's other files (often hundreds of thousands) are only counted.
#[derive(Default)]
pub struct FileIndex {
    pub facts: Vec<FileFact>,
    by_path: HashMap<String, Vec<usize>>,
    git_dirs: HashSet<String>,
    pub omitted: u64,
}

impl FileIndex {
    fn push(&mut self, fact: FileFact) {
        if self.facts.len() >= MAX_FACTS {
            self.omitted += 1;
            return;
        }
        self.by_path
            .entry(fact.path.trim_end_matches('/').to_string())
            .or_default()
            .push(self.facts.len());
        self.facts.push(fact);
    }

    /// A whiteout in `layer` deletes `path` and everything under it from lower layers.
    fn delete(&mut self, path: &str, layer: usize, only_under: bool) {
        let prefix = format!("{path}/");
        for f in &mut self.facts {
            let hit = f.path.starts_with(&prefix)
                || (!only_under && f.path.trim_end_matches('/') == path);
            if f.layer_index < layer && hit && f.deleted_in.is_none() && f.replaced_in.is_none() {
                f.deleted_in = Some(layer);
            }
        }
    }

    /// An entry of `layer` at `path` replaces what lower layers had there.
    fn replace(&mut self, path: &str, layer: usize) {
        if let Some(ids) = self.by_path.get(path) {
            for &i in ids {
                let f = &mut self.facts[i];
                if f.layer_index < layer && f.deleted_in.is_none() && f.replaced_in.is_none() {
                    f.replaced_in = Some(layer);
                }
            }
        }
    }
}

pub struct LayerInput<'a> {
    pub index: usize,
    pub digest: &'a str,
    pub media_type: Option<String>,
    /// The diff_id the config expects, checked against the uncompressed stream.
    pub diff_id: Option<&'a str>,
}

/// Reads one layer blob (already wrapped in its digest check) to the end.
pub fn scan<R: Read>(
    blob: Verified<R>,
    layer: &LayerInput,
    files: &mut FileIndex,
) -> Result<LayerFacts, String> {
    let what = format!("layer {} ({})", layer.index, layer.digest);
    let mut buffered = BufReader::with_capacity(256 * 1024, blob);
    let magic = buffered
        .fill_buf()
        .map_err(|e| format!("{what}: cannot read: {e}"))?
        .get(..4)
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    let gzip = magic.starts_with(&[0x1f, 0x8b]);
    if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        return Err(format!("{what}: zstd-compressed layers are not supported; save the image with gzip or uncompressed layers"));
    }
    let mut facts = LayerFacts {
        index: layer.index,
        digest: layer.digest.to_string(),
        media_type: layer.media_type.clone(),
        ..Default::default()
    };
    let diff_id = {
        let decoded: Box<dyn Read + '_> = match gzip {
            true => Box::new(flate2::read::MultiGzDecoder::new(&mut buffered)),
            false => Box::new(&mut buffered),
        };
        let mut tar_stream = Verified::unchecked(decoded);
        walk(&mut tar_stream, layer, files, &mut facts).map_err(|e| format!("{what}: {e}"))?;
        let diff_id = tar_stream
            .finish()
            .map_err(|e| format!("{what}: {}", describe(&e)))?;
        facts.uncompressed_size = tar_stream.bytes_read();
        diff_id
    };
    // The rest of the blob (gzip trailer, padding) still counts for its digest.
    io::copy(&mut buffered, &mut io::sink()).map_err(|e| format!("{what}: {}", describe(&e)))?;
    facts.size = buffered.get_ref().bytes_read();
    if let Some(expected) = layer.diff_id {
        if expected != diff_id {
            return Err(format!(
                "{what}: the uncompressed layer hashes to {diff_id}, but the config's rootfs.diff_ids says {expected}"
            ));
        }
    }
    facts.diff_id = Some(diff_id);
    Ok(facts)
}

fn describe(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => format!("truncated ({e})"),
        _ => e.to_string(),
    }
}

fn walk<R: Read>(
    stream: &mut R,
    layer: &LayerInput,
    files: &mut FileIndex,
    facts: &mut LayerFacts,
) -> Result<(), String> {
    let mut archive = tar::Archive::new(stream);
    let entries = archive
        .entries()
        .map_err(|e| format!("not a tar stream: {}", describe(&e)))?;
    for entry in entries {
        let mut entry =
            entry.map_err(|e| format!("truncated or corrupt tar stream: {}", describe(&e)))?;
        let path = super::store::normalize(&String::from_utf8_lossy(&entry.path_bytes()));
        if path.is_empty() {
            continue;
        }
        let (parent, base) = match path.rsplit_once('/') {
            Some((p, b)) => (p, b),
            None => ("", path.as_str()),
        };
        if let Some(target) = base.strip_prefix(".wh.") {
            facts.whiteouts += 1;
            if target == ".wh..opq" {
                files.delete(parent, layer.index, true);
            } else {
                let victim = if parent.is_empty() {
                    target.to_string()
                } else {
                    format!("{parent}/{target}")
                };
                files.delete(&victim, layer.index, false);
            }
            continue;
        }
        let header = entry.header();
        let entry_type = header.entry_type();
        if !entry_type.is_dir() {
            files.replace(&path, layer.index);
        }
        if let Some(git) = git_dir(&path) {
            if files.git_dirs.insert(git.clone()) {
                files.push(fact(
                    layer,
                    format!("{git}/"),
                    "directory",
                    0,
                    header,
                    Some("git-directory"),
                ));
            }
        }
        let kind = match entry_type {
            t if t.is_file() => "file",
            t if t.is_hard_link() => "hardlink",
            _ => continue,
        };
        let size = entry.size();
        if kind == "file" {
            facts.files += 1;
            facts.file_bytes += size;
        }
        let mode = header.mode().unwrap_or(0);
        let special = mode & 0o6000 != 0;
        let secret = candidate(&path);
        if !special && secret.is_none() {
            continue;
        }
        let mut f = fact(layer, path.clone(), kind, size, header, None);
        if let Some(secret_kind) = secret {
            let mut content = Vec::new();
            (&mut entry)
                .take(PROBE_BYTES)
                .read_to_end(&mut content)
                .map_err(|e| format!("truncated or corrupt tar stream: {}", describe(&e)))?;
            let text = String::from_utf8_lossy(&content);
            f.tokens = secrets::find_tokens(&text)
                .into_iter()
                .map(|m| m.kind)
                .collect();
            f.tokens.dedup();
            if confirmed(secret_kind, &path, &text, kind) {
                f.secret_kind = Some(secret_kind);
            }
        }
        if f.secret_kind.is_some() || f.setuid || f.setgid {
            files.push(f);
        }
    }
    Ok(())
}

fn fact(
    layer: &LayerInput,
    path: String,
    kind: &'static str,
    size: u64,
    header: &tar::Header,
    secret_kind: Option<&'static str>,
) -> FileFact {
    let mode = header.mode().unwrap_or(0);
    let location = format!("layer {} {path}", layer.digest);
    FileFact {
        kind,
        size,
        mode,
        uid: header.uid().unwrap_or(0),
        gid: header.gid().unwrap_or(0),
        layer: layer.digest.to_string(),
        layer_index: layer.index,
        setuid: kind != "directory" && mode & 0o4000 != 0,
        setgid: kind != "directory" && mode & 0o2000 != 0,
        secret_kind,
        tokens: Vec::new(),
        deleted_in: None,
        replaced_in: None,
        location,
        path,
    }
}

/// `a/b/.git` for `a/b/.git/objects/x` (and for `a/b/.git` itself).
fn git_dir(path: &str) -> Option<String> {
    let mut end = 0;
    for part in path.split('/') {
        end += part.len();
        if part == ".git" {
            return Some(path[..end].to_string());
        }
        end += 1;
    }
    None
}

/// The kind of secret file a path in an image may be, before its content is
/// looked at. Names that are code in images (`credentials.py` of an SDK)
/// are not candidates.
pub fn candidate(path: &str) -> Option<&'static str> {
    let kind = secrets::secret_file_kind(path)?;
    let base = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let ext = base.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let code = [
        "py", "pyc", "js", "mjs", "cjs", "ts", "rb", "go", "java", "class", "php", "h", "c", "so",
        "d", "md", "html", "txt", "rst", "map", "pod", "pm", "gz",
    ];
    if path.contains("/private-keys-v1.d/") || base == "secring.gpg" {
        return Some("gpg-secret-keyring");
    }
    match kind {
        "credentials-file" if code.contains(&ext) => None,
        _ => Some(kind),
    }
}

/// Whether a candidate's content confirms it: files whose names are also
/// used for harmless content (a `.npmrc` with only a registry, a `.pem`
/// that is a certificate) must hold the secret itself.
fn confirmed(kind: &str, path: &str, text: &str, entry_kind: &str) -> bool {
    let has = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    if entry_kind == "hardlink" {
        // The linked file was judged (or will be) where its bytes are.
        return false;
    }
    match kind {
        "private-key-file" => {
            if path.ends_with(".ppk") {
                has(&["PuTTY-User-Key-File"])
            } else {
                has(&["PRIVATE KEY"])
            }
        }
        "gcp-service-account-key" => has(&["\"private_key\""]),
        "npmrc" => has(&["_authToken", "_auth", "_password"]) || text.contains("npm_"),
        "pypirc" => has(&["password"]),
        "docker-config" => has(&["\"auth\"", "\"identitytoken\""]),
        "dotenv-file" | "credentials-file" | "secrets-file" | "aws-credentials" => {
            !text.trim().is_empty()
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_directories_are_found_at_any_depth() {
        assert_eq!(git_dir("app/.git/HEAD").as_deref(), Some("app/.git"));
        assert_eq!(git_dir(".git").as_deref(), Some(".git"));
        assert_eq!(git_dir("app/.github/x"), None);
    }

    #[test]
    fn the_file_index_is_capped_and_applies_deletions() {
        let layer = LayerInput {
            index: 0,
            digest: "sha256:00",
            media_type: None,
            diff_id: None,
        };
        let header = tar::Header::new_ustar();
        let mut files = FileIndex::default();
        for i in 0..MAX_FACTS + 5 {
            files.push(fact(
                &layer,
                format!("keys/{i}.pem"),
                "file",
                1,
                &header,
                Some("private-key-file"),
            ));
        }
        assert_eq!((files.facts.len(), files.omitted), (MAX_FACTS, 5));
        files.delete("keys", 1, true);
        files.replace("keys/0.pem", 2);
        assert!(files.facts.iter().all(|f| f.deleted_in == Some(1)));
        assert!(files.facts.iter().all(|f| f.replaced_in.is_none()));
    }

    #[test]
    fn sdk_sources_are_not_credentials() {
        assert_eq!(candidate("usr/lib/python3/botocore/credentials.py"), None);
        assert_eq!(candidate("root/.aws/credentials"), Some("aws-credentials"));
        assert_eq!(candidate("root/.ssh/id_rsa"), Some("ssh-private-key"));
        assert_eq!(
            candidate("root/.gnupg/private-keys-v1.d/AB.key"),
            Some("gpg-secret-keyring")
        );
    }
}
