//! A packaged chart (`.tgz`) read in place: the gzip stream is decoded as
//! it is read and members are taken one by one through the bounded tar
//! reader images use ([`crate::image::tarball`]). Only regular files are
//! kept; links and paths leaving the archive's top directory are refused.

use super::chart::{RawFile, MAX_CHART_BYTES, MAX_CHART_FILES};
use crate::image::tarball::{Reader, Stream};
use std::io::Read;
use std::path::Path;

/// The files of a packaged chart, their paths relative to its top
/// directory (`mychart/templates/x.yaml` → `templates/x.yaml`).
pub fn read_archive(path: &Path) -> Result<Vec<RawFile>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    read_archive_from(std::io::BufReader::new(file))
}

/// [`read_archive`] over bytes already in memory (a subchart packaged in
/// a packaged chart).
pub fn read_archive_bytes(bytes: &[u8]) -> Result<Vec<RawFile>, String> {
    read_archive_from(bytes)
}

fn read_archive_from(input: impl Read) -> Result<Vec<RawFile>, String> {
    // The decoded stream is bounded too: a gzip bomb stops at the limit.
    let gz = flate2::read::MultiGzDecoder::new(input).take(MAX_CHART_BYTES * 2);
    let mut reader = Reader::new(Stream(gz));
    let mut out = Vec::new();
    let mut total = 0u64;
    let mut top: Option<String> = None;
    while let Some(member) = reader
        .next_member()
        .map_err(|e| format!("not a readable chart archive: {e}"))?
    {
        let kind = member.entry_type;
        if kind.is_dir() || kind.is_pax_global_extensions() {
            continue;
        }
        if !kind.is_file() {
            return Err(format!(
                "chart archive {}: `{}` is a link or special file; Helm refuses those too",
                member.at(),
                member.path
            ));
        }
        let clean = member.path.trim_start_matches("./");
        let Some((first, rest)) = clean.split_once('/') else {
            return Err(format!(
                "chart archive: `{clean}` is not inside the chart's directory"
            ));
        };
        if rest.split('/').any(|p| p == ".." || p.is_empty()) {
            return Err(format!("chart archive: `{clean}` leaves the chart"));
        }
        match &top {
            None => top = Some(first.to_string()),
            Some(t) if t != first => {
                return Err(format!(
                    "chart archive holds more than one chart directory (`{t}`, `{first}`)"
                ))
            }
            _ => {}
        }
        total += member.size;
        if out.len() >= MAX_CHART_FILES || total > MAX_CHART_BYTES {
            return Err(format!(
                "chart archive holds more than {MAX_CHART_FILES} files or {MAX_CHART_BYTES} bytes"
            ));
        }
        let mut data = Vec::with_capacity(member.size.min(1 << 20) as usize);
        reader.read_data(member.size, &mut data)?;
        out.push(RawFile {
            path: rest.to_string(),
            bytes: data.into(),
        });
    }
    if out.is_empty() {
        return Err("the chart archive holds no files".into());
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) fn pack(top: &str, files: &[(&str, &str)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, text) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, format!("{top}/{path}"), text.as_bytes())
            .expect("append");
    }
    let tar = builder.into_inner().expect("tar");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &tar).expect("gzip");
    gz.finish().expect("gzip")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packaged_files_are_read_relative_to_the_top_directory() {
        let bytes = pack(
            "c",
            &[("Chart.yaml", "name: c\n"), ("templates/a.yaml", "a: 1\n")],
        );
        let files = read_archive_bytes(&bytes).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["Chart.yaml", "templates/a.yaml"]);
        assert_eq!(&*files[1].bytes, b"a: 1\n");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(read_archive_bytes(b"not gzip at all").is_err());
        let bytes = pack("c", &[]);
        assert!(read_archive_bytes(&bytes).is_err());
    }
}
