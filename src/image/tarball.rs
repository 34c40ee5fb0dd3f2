//! Reading tar headers an outsider wrote. The `tar` crate reads GNU long
//! names and PAX headers whole, whatever size they claim, and quotes raw
//! header fields in its errors; here every header is checked before what it
//! describes is read, extension headers are capped ([`MAX_LONG_NAME`],
//! [`MAX_PAX`]), and errors name the member by number and byte offset,
//! never by its bytes. Only the headers are parsed (`tar::Header` decodes
//! the fields); member data is read by the caller or passed over.

use std::io::{self, Read, Seek, SeekFrom};

/// Longest GNU long name (`L`) or long link target (`K`) read. Paths are at
/// most 4 KiB on Linux (PATH_MAX), so a longer one is not a real file.
pub const MAX_LONG_NAME: u64 = 64 * 1024;
/// Largest PAX extended header (`x`) read. Real ones hold a long path, a
/// link target, times and a few xattrs (SELinux labels, capabilities).
pub const MAX_PAX: u64 = 1024 * 1024;

const BLOCK: u64 = 512;

/// One member, with its GNU long name and PAX records applied.
#[derive(Debug, Clone)]
pub struct Member {
    /// 0 for the first member; extension headers are not counted.
    pub index: u64,
    /// Byte offset of its first header (extension headers included).
    pub offset: u64,
    /// Byte offset of its data.
    pub data_offset: u64,
    /// As written in the archive (lossy UTF-8), not normalized.
    pub path: String,
    /// Hard link or symlink target, as written.
    pub link: Option<String>,
    pub entry_type: tar::EntryType,
    pub size: u64,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
}

impl Member {
    /// `member 3 (at byte 1536)`, for errors.
    pub fn at(&self) -> String {
        at(self.index, self.offset)
    }
}

fn at(index: u64, offset: u64) -> String {
    format!("member {index} (at byte {offset})")
}

/// The archive's bytes: a stream passes over unread data by reading it, a
/// file by seeking.
pub trait Input: Read {
    fn skip(&mut self, n: u64) -> io::Result<()>;
}

/// A stream (a decompressed layer): unread data is read and dropped.
pub struct Stream<R>(pub R);

impl<R: Read> Read for Stream<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl<R: Read> Input for Stream<R> {
    fn skip(&mut self, n: u64) -> io::Result<()> {
        let skipped = io::copy(&mut (&mut self.0).take(n), &mut io::sink())?;
        if skipped < n {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        Ok(())
    }
}

/// A file read in place: unread data is seeked over (the caller checks
/// offsets against the file's length).
pub struct Seekable<R>(pub R);

impl<R: Read> Read for Seekable<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl<R: Read + Seek> Input for Seekable<R> {
    fn skip(&mut self, n: u64) -> io::Result<()> {
        let n = i64::try_from(n).map_err(|_| io::Error::other("offset out of range"))?;
        self.0.seek(SeekFrom::Current(n)).map(|_| ())
    }
}

/// Members one after the other; see the module doc.
pub struct Reader<I> {
    input: I,
    /// Bytes consumed from `input`.
    pos: u64,
    /// Where the current member's data ends and the next header starts.
    data_end: u64,
    next: u64,
    members: u64,
}

impl<I: Input> Reader<I> {
    pub fn new(input: I) -> Self {
        Reader {
            input,
            pos: 0,
            data_end: 0,
            next: 0,
            members: 0,
        }
    }

    /// The next member, after passing over what is left of the current one;
    /// `None` at the end of the archive.
    pub fn next_member(&mut self) -> Result<Option<Member>, String> {
        let index = self.members;
        let offset = self.next;
        self.skip_to(self.next, index, offset)?;
        let mut long_name: Option<Vec<u8>> = None;
        let mut long_link: Option<Vec<u8>> = None;
        let mut pax: Option<Pax> = None;
        loop {
            let Some(block) = self.header(index, offset)? else {
                if long_name.is_some() || long_link.is_some() || pax.is_some() {
                    return Err(format!(
                        "{}: the archive ends after an extension header, with no member",
                        at(index, offset)
                    ));
                }
                return Ok(None);
            };
            let header = tar::Header::from_byte_slice(&block);
            let size = header.entry_size().map_err(|_| {
                format!(
                    "{}: the header's size field is not a number",
                    at(index, offset)
                )
            })?;
            let kind = header.entry_type();
            let twice =
                |what: &str| format!("{}: two {what} headers for one member", at(index, offset));
            match kind {
                tar::EntryType::GNULongName => {
                    if long_name.is_some() {
                        return Err(twice("GNU long name"));
                    }
                    long_name = Some(self.extension(
                        size,
                        MAX_LONG_NAME,
                        "a GNU long name",
                        index,
                        offset,
                    )?);
                }
                tar::EntryType::GNULongLink => {
                    if long_link.is_some() {
                        return Err(twice("GNU long link"));
                    }
                    long_link = Some(self.extension(
                        size,
                        MAX_LONG_NAME,
                        "a GNU long link target",
                        index,
                        offset,
                    )?);
                }
                tar::EntryType::XHeader => {
                    if pax.is_some() {
                        return Err(twice("PAX"));
                    }
                    let bytes = self.extension(size, MAX_PAX, "a PAX header", index, offset)?;
                    pax = Some(Pax::parse(&bytes).map_err(|e| {
                        format!("{}: malformed PAX header: {e}", at(index, offset))
                    })?);
                }
                tar::EntryType::XGlobalHeader => {
                    // Defaults for later members we never need: passed over.
                    let end = self.padded_end(size, index, offset)?;
                    self.skip_to(end, index, offset)?;
                }
                _ => {
                    if kind == tar::EntryType::GNUSparse {
                        self.sparse_extensions(&block, index, offset)?;
                    }
                    let pax = pax.unwrap_or_default();
                    let size = pax.size.unwrap_or(size);
                    let path = pax
                        .path
                        .or(long_name.map(trim_nul))
                        .unwrap_or_else(|| header.path_bytes().into_owned());
                    let link = pax
                        .link
                        .or(long_link.map(trim_nul))
                        .or_else(|| header.link_name_bytes().map(|l| l.into_owned()));
                    let member = Member {
                        index,
                        offset,
                        data_offset: self.pos,
                        path: String::from_utf8_lossy(&path).into_owned(),
                        link: link.map(|l| String::from_utf8_lossy(&l).into_owned()),
                        entry_type: kind,
                        size,
                        mode: header.mode().unwrap_or(0),
                        uid: pax.uid.or_else(|| header.uid().ok()).unwrap_or(0),
                        gid: pax.gid.or_else(|| header.gid().ok()).unwrap_or(0),
                    };
                    self.data_end = self.pos.checked_add(size).ok_or_else(|| {
                        format!("{}: the member's size is out of range", at(index, offset))
                    })?;
                    self.next = self.padded_end(size, index, offset)?;
                    self.members += 1;
                    return Ok(Some(member));
                }
            }
        }
    }

    /// Up to `max` bytes of the current member's data.
    pub fn read_data(&mut self, max: u64, out: &mut Vec<u8>) -> Result<(), String> {
        let want = max.min(self.data_end.saturating_sub(self.pos));
        let got = (&mut self.input)
            .take(want)
            .read_to_end(out)
            .map_err(|e| self.io_error(&e))?;
        self.pos += got as u64;
        if (got as u64) < want {
            return Err(self.io_error(&io::ErrorKind::UnexpectedEof.into()));
        }
        Ok(())
    }

    /// The input, positioned after the last member read.
    pub fn into_inner(self) -> I {
        self.input
    }

    fn io_error(&self, e: &io::Error) -> String {
        let index = self.members.saturating_sub(1);
        match e.kind() {
            io::ErrorKind::UnexpectedEof => format!("truncated in member {index}"),
            _ => format!("member {index}: {e}"),
        }
    }

    /// One 512-byte header, checked; `None` at the end of the archive (end
    /// of input or a zero block).
    fn header(&mut self, index: u64, offset: u64) -> Result<Option<[u8; 512]>, String> {
        let mut block = [0u8; 512];
        let mut n = 0;
        while n < block.len() {
            match self.input.read(&mut block[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(format!(
                        "{}: cannot read the header: {e}",
                        at(index, offset)
                    ))
                }
            }
        }
        self.pos += n as u64;
        if n == 0 || (n == block.len() && block.iter().all(|b| *b == 0)) {
            return Ok(None);
        }
        if n < block.len() {
            return Err(format!(
                "{}: truncated header ({n} of 512 bytes)",
                at(index, offset)
            ));
        }
        // The checksum field counts as spaces.
        let sum = block[..148]
            .iter()
            .chain(&block[156..])
            .fold(8 * 32, |sum, b| sum + u64::from(*b));
        match octal(&block[148..156]) {
            Some(cksum) if cksum == sum => Ok(Some(block)),
            Some(_) => Err(format!(
                "{}: header checksum mismatch (not a tar archive, or corrupt)",
                at(index, offset)
            )),
            None => Err(format!(
                "{}: the header's checksum field is not a number (not a tar archive, or corrupt)",
                at(index, offset)
            )),
        }
    }

    /// An extension header's data, refused over `cap` before any is read.
    fn extension(
        &mut self,
        size: u64,
        cap: u64,
        what: &str,
        index: u64,
        offset: u64,
    ) -> Result<Vec<u8>, String> {
        if size > cap {
            return Err(format!(
                "{}: {what} of {size} bytes, over the {cap} byte limit (a real one is a few hundred bytes)",
                at(index, offset)
            ));
        }
        let end = self.padded_end(size, index, offset)?;
        let mut bytes = Vec::with_capacity(size as usize);
        let got = (&mut self.input)
            .take(size)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{}: cannot read {what}: {e}", at(index, offset)))?;
        self.pos += got as u64;
        if (got as u64) < size {
            return Err(format!("{}: truncated in {what}", at(index, offset)));
        }
        self.skip_to(end, index, offset)?;
        Ok(bytes)
    }

    /// The blocks of sparse maps after an old GNU sparse header: passed over.
    fn sparse_extensions(
        &mut self,
        block: &[u8; 512],
        index: u64,
        offset: u64,
    ) -> Result<(), String> {
        // `isextended` of the old GNU header, then of each extension block.
        let mut extended = block[482] != 0;
        while extended {
            let mut ext = [0u8; 512];
            self.input
                .read_exact(&mut ext)
                .map_err(|_| format!("{}: truncated in a GNU sparse map", at(index, offset)))?;
            self.pos += BLOCK;
            extended = ext[504] != 0;
        }
        Ok(())
    }

    fn padded_end(&self, size: u64, index: u64, offset: u64) -> Result<u64, String> {
        size.checked_add(BLOCK - 1)
            .map(|s| s & !(BLOCK - 1))
            .and_then(|s| self.pos.checked_add(s))
            .ok_or_else(|| format!("{}: the member's size is out of range", at(index, offset)))
    }

    fn skip_to(&mut self, to: u64, index: u64, offset: u64) -> Result<(), String> {
        if to > self.pos {
            self.input.skip(to - self.pos).map_err(|e| match e.kind() {
                io::ErrorKind::UnexpectedEof => {
                    format!("truncated in {}", at(index.saturating_sub(1), offset))
                }
                _ => format!("{}: {e}", at(index, offset)),
            })?;
            self.pos = to;
        }
        Ok(())
    }
}

fn trim_nul(mut bytes: Vec<u8>) -> Vec<u8> {
    while bytes.last() == Some(&0) {
        bytes.pop();
    }
    bytes
}

/// An octal header field (`0000644 \0`); `None` when it is not one.
fn octal(field: &[u8]) -> Option<u64> {
    let text = field
        .iter()
        .skip_while(|b| **b == b' ' || **b == 0)
        .take_while(|b| **b != b' ' && **b != 0);
    let mut value: u64 = 0;
    let mut digits = 0;
    for b in text {
        if !(b'0'..=b'7').contains(b) {
            return None;
        }
        value = value.checked_mul(8)?.checked_add(u64::from(b - b'0'))?;
        digits += 1;
    }
    (digits > 0).then_some(value)
}

/// The PAX records rules need.
#[derive(Default)]
struct Pax {
    path: Option<Vec<u8>>,
    link: Option<Vec<u8>>,
    size: Option<u64>,
    uid: Option<u64>,
    gid: Option<u64>,
}

impl Pax {
    /// `<length> <key>=<value>\n` records.
    fn parse(mut bytes: &[u8]) -> Result<Pax, String> {
        let mut pax = Pax::default();
        let mut record = 0;
        while !bytes.is_empty() && bytes.iter().any(|b| *b != 0) {
            record += 1;
            let bad = |what: &str| format!("record {record}: {what}");
            let space = bytes
                .iter()
                .position(|b| *b == b' ')
                .ok_or_else(|| bad("no length"))?;
            let len: usize = std::str::from_utf8(&bytes[..space])
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| bad("the length is not a number"))?;
            if len <= space + 1 || len > bytes.len() || bytes[len - 1] != b'\n' {
                return Err(bad("the length does not match the record"));
            }
            let body = &bytes[space + 1..len - 1];
            let eq = body
                .iter()
                .position(|b| *b == b'=')
                .ok_or_else(|| bad("no `=`"))?;
            let (key, value) = (&body[..eq], &body[eq + 1..]);
            let number = |v: &[u8]| {
                std::str::from_utf8(v)
                    .ok()
                    .and_then(|s| s.parse::<u64>().ok())
                    .ok_or_else(|| bad("a numeric value is not a number"))
            };
            match key {
                b"path" => pax.path = Some(value.to_vec()),
                b"linkpath" => pax.link = Some(value.to_vec()),
                b"size" => pax.size = Some(number(value)?),
                b"uid" => pax.uid = Some(number(value)?),
                b"gid" => pax.gid = Some(number(value)?),
                _ => {}
            }
            bytes = &bytes[len..];
        }
        Ok(pax)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(bytes: &[u8]) -> Result<Vec<Member>, String> {
        let mut reader = Reader::new(Stream(bytes));
        let mut out = Vec::new();
        while let Some(m) = reader.next_member()? {
            out.push(m);
        }
        Ok(out)
    }

    fn header(name: &str, kind: tar::EntryType, size: u64) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_path(name).unwrap();
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(0o644);
        h.set_cksum();
        h
    }

    #[test]
    fn long_names_pax_records_and_links_are_applied() {
        let mut b = tar::Builder::new(Vec::new());
        let long = format!("{}/id_rsa", "d".repeat(300));
        let mut h = tar::Header::new_gnu();
        h.set_size(3);
        b.append_data(&mut h, &long, &b"key"[..]).unwrap();
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        b.append_link(&mut h, "link", &long).unwrap();
        let mut pax = tar::Builder::new(Vec::new());
        pax.append_pax_extensions([("path", &b"pax/name"[..]), ("uid", b"1000")])
            .unwrap();
        let mut h = tar::Header::new_ustar();
        h.set_size(0);
        pax.append_data(&mut h, "short", &[][..]).unwrap();
        let mut bytes = b.into_inner().unwrap();
        bytes.truncate(bytes.len() - 1024);
        bytes.extend(pax.into_inner().unwrap());
        let m = members(&bytes).unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!((m[0].path.as_str(), m[0].size), (long.as_str(), 3));
        assert_eq!(m[1].link.as_deref(), Some(long.as_str()));
        assert_eq!(
            (m[2].path.as_str(), m[2].uid, m[2].index),
            ("pax/name", 1000, 2)
        );
    }

    #[test]
    fn oversized_extension_headers_are_refused_before_reading() {
        for (kind, limit) in [
            (tar::EntryType::GNULongName, MAX_LONG_NAME),
            (tar::EntryType::XHeader, MAX_PAX),
        ] {
            // Claims far more than follows: refused from the header alone.
            let h = header("././@LongLink", kind, 8 << 30);
            let err = members(h.as_bytes()).unwrap_err();
            assert!(
                err.contains(&format!("over the {limit} byte limit")),
                "{err}"
            );
            assert!(err.starts_with("member 0 (at byte 0)"), "{err}");
        }
    }

    #[test]
    fn errors_never_quote_header_bytes() {
        let mut block = [0u8; 512];
        block[..40].copy_from_slice(b"root:x:0:0:root:/root:/bin/bash\nSECRET=1");
        let err = members(&block).unwrap_err();
        assert!(!err.contains("root") && !err.contains("SECRET"), "{err}");
        assert!(err.contains("member 0 (at byte 0)"), "{err}");
        let mut h = header("x", tar::EntryType::Regular, 0);
        h.as_old_mut().size = *b"SECRET=1234\0";
        h.set_cksum();
        let err = members(h.as_bytes()).unwrap_err();
        assert!(!err.contains("SECRET"), "{err}");
    }

    #[test]
    fn malformed_pax_records_are_errors() {
        assert!(Pax::parse(b"9 path=a\n").is_ok());
        assert!(Pax::parse(b"99 path=a\n").is_err());
        assert!(Pax::parse(b"x path=a\n").is_err());
        assert!(Pax::parse(b"11 size=zz\n").is_err());
    }
}
