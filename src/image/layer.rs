//! Streaming one layer: the blob is read once through its digest check,
//! decompressed when it is gzip (detected by its magic bytes, whatever the
//! media type says), and walked as a tar stream without ever being held in
//! memory. Only the files rules need are kept (see [`FileIndex`]); every
//! other file is counted.

use super::store::Verified;
use super::tarball::{self, Member};
use crate::model::image::{FileFact, LayerFacts};
use crate::secrets;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::{self, BufRead, BufReader, Read};
use std::sync::LazyLock;

/// Facts kept per image at most; past it they are counted in `files_omitted`.
pub const MAX_FACTS: usize = 10_000;
/// Bytes of a secret-looking file read to judge its content.
pub const PROBE_BYTES: u64 = 64 * 1024;
/// Files under innocent names remembered for holding a key (see
/// [`KEY_SIGNATURES`]), and secret-named symlinks waiting for their
/// target, per image at most; past it they are counted in `files_omitted`.
pub const MAX_LINK_TARGETS: usize = 10_000;
/// Content that makes a file a key whatever its name. A file holding one is
/// remembered, so that a secret-named link to it (`root/.ssh/id_rsa` →
/// `innocent.txt`) is judged by these bytes. Every file's first bytes are
/// searched, so it is one prepared regex (a literal search).
static KEY_SIGNATURES: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
    regex::bytes::Regex::new(r#"PRIVATE KEY|PuTTY-User-Key-File|"private_key""#)
        .expect("a valid regex")
});

/// The files of an image's layers that rules look at, in layer order, with
/// deletions and replacements by later layers applied as layers are read.
///
/// Memory: a fact per secret-looking file, setuid/setgid file and `.git`
/// directory (capped at [`MAX_FACTS`]), plus an index of their paths; the
/// image's other files (often hundreds of thousands) are only counted.
#[derive(Default)]
pub struct FileIndex {
    pub facts: Vec<FileFact>,
    /// Sorted, so that a whiteout finds what is under a directory by range.
    by_path: BTreeMap<String, Vec<usize>>,
    git_dirs: HashSet<String>,
    /// Files that hold a key under an innocent name, by path.
    keys: HashMap<String, Probe>,
    /// Secret-named symlinks by the path of their target, not read yet;
    /// each is judged once, by the first file read at its target.
    waiting: HashMap<String, Vec<Link>>,
    waiting_links: usize,
    pub omitted: u64,
}

/// A secret-named symlink whose target is judged when it is read.
#[derive(Clone)]
struct Link {
    path: String,
    secret_kind: &'static str,
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
        let mut hits: Vec<usize> = self
            .by_path
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .flat_map(|(_, ids)| ids.iter().copied())
            .collect();
        if !only_under {
            hits.extend(self.by_path.get(path).into_iter().flatten().copied());
        }
        for i in hits {
            let f = &mut self.facts[i];
            if f.layer_index < layer && f.deleted_in.is_none() && f.replaced_in.is_none() {
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

    fn remember_key(&mut self, path: &str, probe: Probe) {
        if self.keys.len() >= MAX_LINK_TARGETS {
            self.omitted += 1;
            return;
        }
        self.keys.insert(path.to_string(), probe);
    }

    fn wait_for(&mut self, target: String, link: Link) {
        if self.waiting_links >= MAX_LINK_TARGETS {
            self.omitted += 1;
            return;
        }
        self.waiting_links += 1;
        self.waiting.entry(target).or_default().push(link);
    }
}

/// What [`confirmed`] needs of a file's first [`PROBE_BYTES`]: which of
/// [`NEEDLES`] it holds, whether it is blank, its token kinds.
#[derive(Clone)]
struct Probe {
    needles: u16,
    blank: bool,
    tokens: Vec<&'static str>,
    size: u64,
}

/// Every string [`confirmed`] looks for.
const NEEDLES: &[&str] = &[
    "PuTTY-User-Key-File",
    "PRIVATE KEY",
    "\"private_key\"",
    "_authToken",
    "_auth",
    "_password",
    "npm_",
    "password",
    "\"auth\"",
    "\"identitytoken\"",
];

impl Probe {
    fn of(content: &[u8], size: u64) -> Probe {
        let text = String::from_utf8_lossy(content);
        let needles = NEEDLES
            .iter()
            .enumerate()
            .filter(|(_, n)| text.contains(*n))
            .fold(0u16, |bits, (i, _)| bits | 1 << i);
        let mut tokens: Vec<&'static str> = secrets::find_tokens(&text)
            .into_iter()
            .map(|m| m.kind)
            .collect();
        tokens.dedup();
        Probe {
            needles,
            blank: text.trim().is_empty(),
            tokens,
            size,
        }
    }

    fn has(&self, needle: &str) -> bool {
        let i = NEEDLES.iter().position(|n| *n == needle);
        debug_assert!(i.is_some(), "{needle} is not in NEEDLES");
        i.is_some_and(|i| self.needles & (1 << i) != 0)
    }
}

pub struct LayerInput<'a> {
    pub index: usize,
    pub digest: &'a str,
    pub media_type: Option<String>,
    /// The diff_id the config expects, checked against the uncompressed stream.
    pub diff_id: Option<&'a str>,
}

/// Bytes of layer content (after decompression) one input may still read:
/// bounds the work of a gzip bomb, or of many layers.
pub struct Budget {
    pub left: u64,
    pub limit: u64,
}

impl Budget {
    pub fn new(limit: u64) -> Self {
        Budget { left: limit, limit }
    }
}

/// A reader that fails once the budget is spent.
struct Metered<'a, R> {
    inner: R,
    budget: &'a mut Budget,
}

impl<R: Read> Read for Metered<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.budget.left {
            self.budget.left = 0;
            return Err(io::Error::other(format!(
                "the layers of this input decompress to more than {} bytes (--max-image-bytes); raise the limit if the image is really this large",
                self.budget.limit
            )));
        }
        self.budget.left -= n as u64;
        Ok(n)
    }
}

/// Paths and whiteouts a [`Replay`] keeps at most (about 16 MB); a layer
/// with more is read again where it is listed again, within the byte budget.
pub const MAX_REPLAY_PATHS: usize = 1_000_000;

/// What reading a layer did to an image's [`FileIndex`], kept when the
/// same blob is listed again (in the same image or another of the input),
/// so that each blob is read once: [`replay`] applies it again.
pub struct Replay {
    facts: LayerFacts,
    whiteouts: Vec<(String, bool)>,
    /// Hashes of the paths of its files (not directories): which facts of
    /// lower layers it replaces. Hashes, not paths, to stay small.
    touched: HashSet<u64>,
    pushed: Vec<FileFact>,
    git_dirs: Vec<FileFact>,
}

fn path_hash(path: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    path.hash(&mut h);
    h.finish()
}

/// Applies a layer read before as layer `index` of `files`. Its whiteouts
/// are applied before its files (a layer writes whiteouts first).
pub fn replay(replay: &Replay, index: usize, files: &mut FileIndex) -> LayerFacts {
    for (path, only_under) in &replay.whiteouts {
        files.delete(path, index, *only_under);
    }
    let replaced: Vec<String> = files
        .by_path
        .keys()
        .filter(|p| replay.touched.contains(&path_hash(p)))
        .cloned()
        .collect();
    for path in replaced {
        files.replace(&path, index);
    }
    for git in &replay.git_dirs {
        if files
            .git_dirs
            .insert(git.path.trim_end_matches('/').to_string())
        {
            files.push(FileFact {
                layer_index: index,
                ..git.clone()
            });
        }
    }
    for f in &replay.pushed {
        files.push(FileFact {
            layer_index: index,
            deleted_in: None,
            replaced_in: None,
            ..f.clone()
        });
    }
    LayerFacts {
        index,
        ..replay.facts.clone()
    }
}

/// Reads one layer blob (already wrapped in its digest check) to the end;
/// with `keep`, also returns what it did, for [`replay`].
pub fn scan<R: Read>(
    blob: Verified<R>,
    layer: &LayerInput,
    files: &mut FileIndex,
    budget: &mut Budget,
    keep: bool,
) -> Result<(LayerFacts, Option<Replay>), String> {
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
    let mut record = keep.then(|| Replay {
        facts: LayerFacts::default(),
        whiteouts: Vec::new(),
        touched: HashSet::new(),
        pushed: Vec::new(),
        git_dirs: Vec::new(),
    });
    let diff_id = {
        let decoded: Box<dyn Read + '_> = match gzip {
            true => Box::new(flate2::read::MultiGzDecoder::new(&mut buffered)),
            false => Box::new(&mut buffered),
        };
        let metered = Metered {
            inner: decoded,
            budget,
        };
        let mut tar_stream = Verified::unchecked(metered);
        walk(&mut tar_stream, layer, files, &mut facts, &mut record)
            .map_err(|e| format!("{what}: {e}"))?;
        let diff_id = tar_stream
            .finish()
            .map_err(|e| format!("{what}: {}", describe(&e)))?;
        facts.uncompressed_size = tar_stream.bytes_read();
        diff_id
    };
    // The rest of the blob (gzip trailer, padding) still counts for its digest.
    io::copy(&mut buffered, &mut io::sink()).map_err(|e| format!("{what}: {}", describe(&e)))?;
    facts.size = buffered.get_ref().bytes_read();
    check_diff_id(&what, layer.diff_id, &diff_id)?;
    facts.diff_id = Some(diff_id);
    if let Some(r) = &mut record {
        r.facts = facts.clone();
    }
    Ok((facts, record))
}

/// The uncompressed layer must be the one the config lists.
pub fn check_diff_id(what: &str, expected: Option<&str>, actual: &str) -> Result<(), String> {
    match expected {
        Some(expected) if expected != actual => Err(format!(
            "{what}: the uncompressed layer hashes to {actual}, but the config's rootfs.diff_ids says {expected}"
        )),
        _ => Ok(()),
    }
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
    record: &mut Option<Replay>,
) -> Result<(), String> {
    let mut reader = tarball::Reader::new(tarball::Stream(stream));
    let mut content = Vec::new();
    while let Some(member) = reader.next_member()? {
        let path = super::store::normalize(&member.path);
        if path.is_empty() {
            continue;
        }
        let (parent, base) = match path.rsplit_once('/') {
            Some((p, b)) => (p, b),
            None => ("", path.as_str()),
        };
        if let Some(target) = base.strip_prefix(".wh.") {
            facts.whiteouts += 1;
            let (victim, only_under) = if target == ".wh..opq" {
                (parent.to_string(), true)
            } else if parent.is_empty() {
                (target.to_string(), false)
            } else {
                (format!("{parent}/{target}"), false)
            };
            files.delete(&victim, layer.index, only_under);
            if let Some(r) = record.as_mut() {
                r.whiteouts.push((victim, only_under));
            }
            forget_if_large(record);
            continue;
        }
        let entry_type = member.entry_type;
        if !entry_type.is_dir() {
            files.replace(&path, layer.index);
            if let Some(r) = record.as_mut() {
                r.touched.insert(path_hash(&path));
            }
            forget_if_large(record);
        }
        if let Some(git) = git_dir(&path) {
            if files.git_dirs.insert(git.clone()) {
                let f = fact(
                    layer,
                    format!("{git}/"),
                    "directory",
                    0,
                    &member,
                    Some("git-directory"),
                );
                if let Some(r) = record.as_mut() {
                    r.git_dirs.push(f.clone());
                }
                files.push(f);
            }
        }
        let kind = match entry_type {
            t if t.is_file() => "file",
            t if t.is_hard_link() => "hardlink",
            t if t.is_symlink() => "symlink",
            _ => continue,
        };
        let size = member.size;
        let secret = candidate(&path);
        let mut found = Vec::new();
        if kind == "file" {
            facts.files += 1;
            facts.file_bytes += size;
            // Read anyway (a stream): looking costs a search, not a read.
            content.clear();
            reader.read_data(PROBE_BYTES, &mut content)?;
            let waiting = files.waiting.remove(&path).unwrap_or_default();
            let key = secret.is_none() && KEY_SIGNATURES.is_match(&content);
            if secret.is_some() || key || !waiting.is_empty() {
                let probe = Probe::of(&content, size);
                // Found by a secret-named symlink read before it.
                for link in waiting {
                    if confirmed(link.secret_kind, &link.path, &probe) {
                        found.push(judged(
                            layer,
                            &link.path,
                            "symlink",
                            &member,
                            &probe,
                            link.secret_kind,
                        ));
                    }
                }
                if let Some(secret_kind) = secret {
                    let mut f = fact(layer, path.clone(), kind, size, &member, None);
                    f.tokens = probe.tokens.clone();
                    if confirmed(secret_kind, &path, &probe) {
                        f.secret_kind = Some(secret_kind);
                    }
                    found.push(f);
                } else if key {
                    files.remember_key(&path, probe);
                }
            }
        } else if let (Some(secret_kind), Some(target)) = (secret, &member.link) {
            // A secret name whose bytes are under another name: judged by
            // those bytes (read before, or when they come).
            let target = link_target(parent, target, kind == "symlink");
            if let Some(probe) = files.keys.get(&target) {
                if confirmed(secret_kind, &path, probe) {
                    found.push(judged(layer, &path, kind, &member, probe, secret_kind));
                }
            } else if kind == "symlink" && candidate(&target).is_none() {
                files.wait_for(
                    target,
                    Link {
                        path: path.clone(),
                        secret_kind,
                    },
                );
            }
        }
        let mode = member.mode;
        if kind != "symlink" && mode & 0o6000 != 0 && !found.iter().any(|f| f.path == path) {
            found.push(fact(layer, path.clone(), kind, size, &member, None));
        }
        for f in found {
            if f.secret_kind.is_some() || f.setuid || f.setgid {
                if let Some(r) = record.as_mut() {
                    r.pushed.push(f.clone());
                }
                files.push(f);
            }
        }
    }
    Ok(())
}

/// Drops a [`Replay`] grown past [`MAX_REPLAY_PATHS`].
fn forget_if_large(record: &mut Option<Replay>) {
    if record
        .as_ref()
        .is_some_and(|r| r.touched.len() + r.whiteouts.len() > MAX_REPLAY_PATHS)
    {
        *record = None;
    }
}

/// A fact for `path` judged by the bytes of the file it links to.
fn judged(
    layer: &LayerInput,
    path: &str,
    kind: &'static str,
    member: &Member,
    probe: &Probe,
    secret_kind: &'static str,
) -> FileFact {
    let mut f = fact(
        layer,
        path.to_string(),
        kind,
        probe.size,
        member,
        Some(secret_kind),
    );
    f.tokens = probe.tokens.clone();
    // A symlink's mode bits mean nothing; a hard link's are its file's.
    f.setuid &= kind != "symlink";
    f.setgid &= kind != "symlink";
    f
}

/// The path a link points to, from the image's root: a hard link names an
/// archive path, a symlink is relative to its directory unless absolute.
/// `..` stops at the root, as it does in the container.
fn link_target(parent: &str, link: &str, symlink: bool) -> String {
    let joined = match symlink && !link.starts_with('/') {
        true => format!("{parent}/{link}"),
        false => link.to_string(),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn fact(
    layer: &LayerInput,
    path: String,
    kind: &'static str,
    size: u64,
    member: &Member,
    secret_kind: Option<&'static str>,
) -> FileFact {
    let mode = member.mode;
    let location = format!("layer {} {path}", layer.digest);
    FileFact {
        kind,
        size,
        mode,
        uid: member.uid,
        gid: member.gid,
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
fn confirmed(kind: &str, path: &str, probe: &Probe) -> bool {
    let has = |needles: &[&str]| needles.iter().any(|n| probe.has(n));
    match kind {
        "private-key-file" => {
            if path.ends_with(".ppk") {
                has(&["PuTTY-User-Key-File"])
            } else {
                has(&["PRIVATE KEY"])
            }
        }
        "gcp-service-account-key" => has(&["\"private_key\""]),
        "npmrc" => has(&["_authToken", "_auth", "_password", "npm_"]),
        "pypirc" => has(&["password"]),
        "docker-config" => has(&["\"auth\"", "\"identitytoken\""]),
        "dotenv-file" | "credentials-file" | "secrets-file" | "aws-credentials" => !probe.blank,
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
        let member = tarball::Member {
            index: 0,
            offset: 0,
            data_offset: 512,
            path: String::new(),
            link: None,
            entry_type: tar::EntryType::Regular,
            size: 1,
            mode: 0o644,
            uid: 0,
            gid: 0,
        };
        let mut files = FileIndex::default();
        for i in 0..MAX_FACTS + 5 {
            files.push(fact(
                &layer,
                format!("keys/{i}.pem"),
                "file",
                1,
                &member,
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
