//! Where an image's files live: a directory (an OCI layout, an extracted
//! `docker save`) or a tar archive read in place. A tar archive is indexed
//! once (headers only, seeking over the data), then each member is read
//! straight from its offset, so a 1 GB archive is never copied or loaded.
//!
//! Blobs are read through [`Verified`], which hashes what passes through and
//! fails at the end of the stream when the size or the sha256 digest differs
//! from the descriptor's.

use super::tarball;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// JSON documents (index, manifests, configs) larger than this are refused.
pub const MAX_JSON_BYTES: u64 = 16 * 1024 * 1024;

pub enum Store {
    /// A layout directory, canonical: every member must resolve inside it.
    Dir(PathBuf),
    Tar {
        path: PathBuf,
        /// Member name (without `./`) → (data offset, size).
        members: HashMap<String, (u64, u64)>,
    },
    /// Member name → bytes: the fuzz harness's image, no files involved.
    #[doc(hidden)]
    Memory(HashMap<String, Vec<u8>>),
}

impl Store {
    pub fn dir(path: &Path) -> Result<Store, String> {
        let root = path
            .canonicalize()
            .map_err(|e| format!("cannot read: {e}"))?;
        Ok(Store::Dir(root))
    }

    /// Indexes a tar archive's members. A member whose data would end past
    /// the end of the file means the archive is truncated.
    pub fn tar(path: &Path) -> Result<Store, String> {
        let file = File::open(path).map_err(|e| format!("cannot read: {e}"))?;
        let len = file
            .metadata()
            .map_err(|e| format!("cannot read: {e}"))?
            .len();
        let mut reader = tarball::Reader::new(tarball::Seekable(file));
        let mut members = HashMap::new();
        loop {
            let member = reader
                .next_member()
                .map_err(|e| format!("truncated or corrupt tar archive: {e}"))?;
            let Some(member) = member else { break };
            let (offset, size) = (member.data_offset, member.size);
            if offset.saturating_add(size) > len {
                return Err(format!(
                    "truncated tar archive: {} needs {size} bytes at offset {offset}, but the file ends at {len}",
                    member.at()
                ));
            }
            if member.entry_type.is_file() {
                members.insert(normalize(&member.path), (offset, size));
            }
        }
        if members.is_empty() {
            return Err("not a readable tar archive: it holds no file".into());
        }
        Ok(Store::Tar {
            path: path.to_path_buf(),
            members,
        })
    }

    /// Where a member of a layout directory is: `None` when there is none;
    /// an error when it resolves (through a symlink) outside the directory.
    fn locate(root: &Path, name: &str) -> Result<Option<PathBuf>, String> {
        let name = member_name(name)?;
        match root.join(&name).canonicalize() {
            Ok(real) if real.starts_with(root) => Ok(Some(real)),
            Ok(_) => Err(format!(
                "`{name}` is a symlink out of the image directory; an image is read only from inside itself"
            )),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {name}: {e}")),
        }
    }

    /// Whether the member exists (one that resolves outside exists: reading
    /// it is the error that says so).
    pub fn has(&self, name: &str) -> bool {
        match self {
            Store::Dir(root) => match Self::locate(root, name) {
                Ok(Some(path)) => path.is_file(),
                Ok(None) => false,
                Err(_) => true,
            },
            Store::Tar { members, .. } => members.contains_key(name),
            Store::Memory(members) => members.contains_key(name),
        }
    }

    /// A member's size: `None` when there is none.
    pub fn size(&self, name: &str) -> Result<Option<u64>, String> {
        match self {
            Store::Dir(root) => Ok(Self::locate(root, name)?
                .and_then(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())),
            Store::Tar { members, .. } => Ok(members.get(name).map(|m| m.1)),
            Store::Memory(members) => Ok(members.get(name).map(|m| m.len() as u64)),
        }
    }

    /// A member's bytes as a stream.
    pub fn open(&self, name: &str) -> Result<Box<dyn Read + Send + '_>, String> {
        match self {
            Store::Dir(root) => {
                let path = Self::locate(root, name)?.ok_or_else(|| format!("missing `{name}`"))?;
                // Not a FIFO or a device: opening one could block or never end.
                if !path.is_file() {
                    return Err(format!("`{name}` is not a regular file"));
                }
                let file = File::open(path).map_err(|e| format!("cannot read {name}: {e}"))?;
                Ok(Box::new(file))
            }
            Store::Tar { path, members } => {
                let (offset, size) = *members
                    .get(name)
                    .ok_or_else(|| format!("the archive has no `{name}`"))?;
                let mut file = File::open(path).map_err(|e| format!("cannot read: {e}"))?;
                file.seek(SeekFrom::Start(offset))
                    .map_err(|e| format!("cannot read {name}: {e}"))?;
                Ok(Box::new(file.take(size)))
            }
            Store::Memory(members) => match members.get(name) {
                Some(bytes) => Ok(Box::new(bytes.as_slice())),
                None => Err(format!("the archive has no `{name}`")),
            },
        }
    }

    /// A small member (a JSON document) read whole.
    pub fn read(&self, name: &str) -> Result<Vec<u8>, String> {
        let size = self
            .size(name)?
            .ok_or_else(|| format!("missing `{name}`"))?;
        if size > MAX_JSON_BYTES {
            return Err(format!(
                "`{name}` is {size} bytes, larger than the {MAX_JSON_BYTES} byte limit"
            ));
        }
        let mut bytes = Vec::with_capacity(size as usize);
        self.open(name)?
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read {name}: {e}"))?;
        Ok(bytes)
    }

    /// A member streamed through a [`Verified`] check: of its digest and
    /// size when known, else only hashed and counted.
    pub fn verified(
        &self,
        name: &str,
        digest: Option<&str>,
        size: Option<u64>,
    ) -> Result<Verified<Box<dyn Read + Send + '_>>, String> {
        if !self.has(name) {
            return Err(match digest {
                Some(d) => format!("missing blob {d} (no `{name}`)"),
                None => format!("missing `{name}`"),
            });
        }
        let reader = self.open(name)?;
        match digest {
            Some(d) => Verified::new(reader, d, size),
            None => Ok(Verified::unchecked(reader)),
        }
    }

    /// A small member (manifest, index, config) read whole through [`Store::verified`].
    pub fn verified_bytes(
        &self,
        name: &str,
        digest: Option<&str>,
        size: Option<u64>,
    ) -> Result<Vec<u8>, String> {
        let actual = self.size(name)?.ok_or_else(|| match digest {
            Some(d) => format!("missing blob {d} (no `{name}`)"),
            None => format!("missing `{name}`"),
        })?;
        if actual > MAX_JSON_BYTES {
            return Err(format!(
                "`{name}` is {actual} bytes, larger than the {MAX_JSON_BYTES} byte limit for JSON"
            ));
        }
        let mut bytes = Vec::new();
        self.verified(name, digest, size)?
            .read_to_end(&mut bytes)
            .map_err(|e| e.to_string())?;
        Ok(bytes)
    }

    /// A small blob named by its digest, read whole and verified.
    pub fn blob_bytes(&self, digest: &str, size: Option<u64>) -> Result<Vec<u8>, String> {
        self.verified_bytes(&blob_path(digest)?, Some(digest), size)
    }
}

/// `blobs/sha256/<hex>` for `sha256:<hex>`.
pub fn blob_path(digest: &str) -> Result<String, String> {
    let (algorithm, hex) = digest
        .split_once(':')
        .ok_or_else(|| format!("`{digest}` is not a digest (`sha256:<hex>`)"))?;
    if algorithm != "sha256" {
        return Err(format!("digest `{digest}`: only sha256 is supported"));
    }
    if hex.len() != 64
        || !hex
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return Err(format!(
            "`{digest}` is not a sha256 digest (64 lowercase hex digits)"
        ));
    }
    Ok(format!("blobs/sha256/{hex}"))
}

/// A member name from `manifest.json`, normalized; refused when it could
/// name something outside the image (`..`, an absolute path) or is no name.
pub fn member_name(name: &str) -> Result<String, String> {
    let shown = || {
        name.chars()
            .take(200)
            .collect::<String>()
            .escape_debug()
            .to_string()
    };
    if name.starts_with('/') {
        return Err(format!(
            "`{}` is an absolute path; members are named from the image's root",
            shown()
        ));
    }
    if name.split('/').any(|p| p == "..") {
        return Err(format!(
            "`{}` goes up (`..`) out of the image; an image is read only from inside itself",
            shown()
        ));
    }
    let normal = normalize(name);
    if normal.is_empty() || name.chars().any(char::is_control) {
        return Err(format!("`{}` is not a member name", shown()));
    }
    Ok(normal)
}

/// `a/./b`, `./a`, `/a` → `a/b`.
pub fn normalize(name: &str) -> String {
    name.split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// `sha256:<hex>` of some bytes.
pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// A reader that hashes and counts what passes through; at the end of the
/// stream it fails (`InvalidData`) when the digest or size is not the
/// expected one, so a corrupt blob can never be read to a clean end.
pub struct Verified<R> {
    inner: R,
    hasher: Sha256,
    read: u64,
    expected: Option<String>,
    size: Option<u64>,
    what: String,
    done: bool,
}

impl<R: Read> Verified<R> {
    pub fn new(inner: R, digest: &str, size: Option<u64>) -> Result<Self, String> {
        blob_path(digest)?;
        Ok(Verified {
            inner,
            hasher: Sha256::new(),
            read: 0,
            expected: Some(digest.to_string()),
            size,
            what: format!("blob {digest}"),
            done: false,
        })
    }

    /// Hashes and counts without expecting anything (the caller compares).
    pub fn unchecked(inner: R) -> Self {
        Verified {
            inner,
            hasher: Sha256::new(),
            read: 0,
            expected: None,
            size: None,
            what: String::new(),
            done: false,
        }
    }

    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    /// Reads to the end (verifying), then gives the digest of everything read.
    pub fn finish(&mut self) -> io::Result<String> {
        io::copy(self, &mut io::sink())?;
        Ok(format!("sha256:{}", hex(&self.hasher.clone().finalize())))
    }

    fn check(&mut self) -> io::Result<()> {
        if self.done {
            return Ok(());
        }
        self.done = true;
        if let Some(size) = self.size {
            if size != self.read {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "{}: {} bytes where the descriptor says {size}",
                        self.what, self.read
                    ),
                ));
            }
        }
        if let Some(expected) = &self.expected {
            let actual = format!("sha256:{}", hex(&self.hasher.clone().finalize()));
            if &actual != expected {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "{}: digest mismatch, the content hashes to {actual}",
                        self.what
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Verified<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.check()?;
            return Ok(0);
        }
        self.hasher.update(&buf[..n]);
        self.read += n as u64;
        if self.size.is_some_and(|s| self.read > s) {
            self.done = false;
            self.check()?;
        }
        Ok(n)
    }
}
