//! Fuzz harnesses: one function per `cargo fuzz` target (`fuzz/`), taking
//! the fuzzer's bytes and driving the real entry points in memory. They live
//! in the library so `tests/fuzz_regressions.rs` replays every saved crash
//! input in a plain `cargo test`. Each panics when an invariant is broken
//! (the fuzzer reports a panic as a crash), never on input it rejects.
#![doc(hidden)]

use crate::check;
use crate::check::suppress;
use crate::document::{Node, Value};
use crate::image::{self, layer, store};
use crate::kinds::{self, KindSpec};
use crate::parse::{self, dockerfile, Document};
use crate::secrets;
use crate::shell;
use crate::source::{SourceFile, Span};
use std::io::Read;

/// The Dockerfile parser, then the rest of the text pipeline up to the Rego
/// input (model, suppression comments, secret facts).
pub fn dockerfile(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(node) = parse_dockerfile(text) else {
        return;
    };
    let documents = vec![Document::new(0, node)];
    let source = SourceFile::new("Dockerfile", text);
    prepare(&source, Some(&crate::kinds::DOCKERFILE), documents);
}

/// The Dockerfile parser alone, to its document tree: several times the
/// executions per second of [`dockerfile`], for the long runs.
pub fn dockerfile_parse(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        parse_dockerfile(text);
    }
}

/// Parses a Dockerfile and checks every span of the result; `None` when it
/// does not parse.
fn parse_dockerfile(text: &str) -> Option<Node> {
    let parsed = match dockerfile::parse(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            assert_span(text, e.span);
            return None;
        }
    };
    let triggers = parsed
        .instructions
        .iter()
        .filter_map(|i| i.onbuild.as_deref());
    for i in parsed.instructions.iter().chain(triggers) {
        let spans = [i.span, i.keyword_span].into_iter();
        let spans = spans.chain(i.value_spans.iter().copied());
        let spans = spans.chain(i.flags.iter().map(|f| f.span));
        let spans = spans.chain(i.heredocs.iter().map(|h| h.span));
        for span in spans {
            assert_span(text, span);
        }
    }
    for d in &parsed.directives {
        assert_span(text, d.span);
        assert_span(text, d.value_span);
    }
    // As the `dockerfile` kind's `parse` does.
    let node = parsed.to_node();
    assert_spans(text, &node);
    Some(node)
}

/// The YAML/JSON parser, then the text pipeline as each YAML kind (as
/// `--kind` can force) and as the kind its content is detected as.
pub fn yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(documents) = parse_text(text, None) else {
        return;
    };
    let source = SourceFile::new("fuzz.yaml", text);
    for kind in kinds::KINDS.iter().filter(|k| ***k != kinds::DOCKERFILE) {
        prepare(&source, Some(kind), documents.clone());
    }
    prepare(&source, None, documents);
}

/// The YAML/JSON parser alone, to its documents: several times the
/// executions per second of [`yaml`], for the long runs.
pub fn yaml_parse(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        parse_text(text, None);
    }
}

/// The token scanner, redaction and the secret-name checks.
pub fn tokens(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let found = secrets::find_tokens(text);
    let mut last = 0..0;
    for m in &found {
        let r = &m.range;
        assert!(
            r.start < r.end && r.end <= text.len(),
            "{m:?} outside the text"
        );
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        assert!(r.start >= last.start, "matches out of order: {found:?}");
        // Redactors skip a match that starts inside the previous one.
        let nested = r.end <= last.end;
        assert!(r.start >= last.end || nested, "overlapping: {found:?}");
        if !nested {
            last = r.clone();
        }
        let redacted = secrets::redact(&text[r.clone()]);
        assert_eq!(redacted.chars().count(), secrets::REDACTED_WIDTH);
    }
    let ranges: Vec<_> = found.iter().map(|m| m.range.clone()).collect();
    let masked = secrets::redact_in(text, &ranges);
    assert_eq!(masked.len(), text.len(), "redaction changed the length");
    for m in &found {
        assert!(
            !masked[m.range.clone()].contains(|c: char| c.is_alphanumeric()),
            "{m:?} left in clear"
        );
    }
    secrets::is_secret_name(text);
    secrets::is_placeholder(text);
    secrets::secret_file_kind(text);
}

/// The shell splitter of `RUN` lines.
pub fn shell(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let commands = shell::split(text);
    for command in &commands {
        assert!(!command.words.is_empty(), "an empty command");
        let span = command.span.clone();
        assert!(
            text.get(span).is_some(),
            "a span off the script or mid-character"
        );
    }
    for (a, b) in shell::pipes(&commands) {
        assert!(a < b, "a pipe into an earlier command");
        assert_eq!(
            commands[a].depth, commands[b].depth,
            "a pipe across substitutions"
        );
    }
}

/// Separates the members of an [`image_index`] input.
pub const MEMBER_SEPARATOR: &[u8] = b"\n--blob--\n";

/// An image read from memory: the OCI index (or Docker's `manifest.json`)
/// followed down to manifests, configs and layers.
///
/// The input is members separated by [`MEMBER_SEPARATOR`]. The first is
/// `index.json` (with an `oci-layout`), or `manifest.json` when it starts
/// with `[`; each other one is a blob stored under its digest. A fuzzer
/// cannot forge sha256 digests, so in a member, `@N` stands for the hex
/// digest of member N, `#N` for its size and `%N` for the digest of its
/// gunzipped content (a layer's diff_id), for members after it only.
pub fn image_index(data: &[u8]) {
    let mut members: Vec<Vec<u8>> = split(data, MEMBER_SEPARATOR).map(<[u8]>::to_vec).collect();
    let mut hexes = vec![String::new(); members.len()];
    let mut diff_ids = vec![String::new(); members.len()];
    // Gunzipping is most of the harness's own time: only for `%N` targets.
    let gunzipped: Vec<bool> = (0..members.len())
        .map(|n| members[..n].iter().any(|m| refers_to(m, b'%', n)))
        .collect();
    for i in (0..members.len()).rev() {
        members[i] = substitute(&members[i], i, &hexes, &diff_ids, &members);
        hexes[i] = hex_digest(&members[i]);
        if gunzipped[i] {
            diff_ids[i] = gunzipped_digest(&members[i]).unwrap_or_else(|| hexes[i].clone());
        }
    }
    let mut files = std::collections::HashMap::new();
    let first = std::mem::take(&mut members[0]);
    if first.trim_ascii_start().starts_with(b"[") {
        files.insert("manifest.json".to_string(), first);
    } else {
        files.insert("index.json".to_string(), first);
        let layout = br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec();
        files.insert("oci-layout".to_string(), layout);
    }
    for (hex, member) in hexes.iter().zip(members).skip(1) {
        files.insert(format!("blobs/sha256/{hex}"), member);
    }
    let options = image::Options::default();
    let memory = store::Store::Memory(files);
    if let Ok(images) = image::read_store(memory, "fuzz".into(), true, &options) {
        for i in images {
            crate::model::image::normalize_with(&i.config, i.facts);
        }
    }
}

/// One layer blob: gzip or plain tar headers, whiteouts, secret files.
pub fn layer_tar(data: &[u8]) {
    let input = layer::LayerInput {
        index: 0,
        digest: "sha256:0000000000000000000000000000000000000000000000000000000000000000",
        media_type: None,
        diff_id: None,
    };
    let mut files = layer::FileIndex::default();
    let blob = store::Verified::unchecked(data);
    // The harness's gunzip cap, as `--max-image-bytes` bounds a real run.
    let mut budget = layer::Budget::new(64 << 20);
    if let Ok((facts, _)) = layer::scan(blob, &input, &mut files, &mut budget, false) {
        assert_eq!(facts.size, data.len() as u64, "the whole blob is hashed");
    }
    assert!(files.facts.len() <= layer::MAX_FACTS);
}

/// The documents of a text, as `check` parses them (`None` when they do not
/// parse), with every span checked.
fn parse_text(text: &str, kind: Option<&'static KindSpec>) -> Option<Vec<Document>> {
    match kind.map(|k| k.parse).unwrap_or(parse::parse_yaml)(text) {
        Ok(documents) => {
            for doc in &documents {
                assert_spans(text, &doc.node);
            }
            Some(documents)
        }
        Err(e) => {
            assert_span(text, e.span);
            None
        }
    }
}

/// What `check` does with parsed documents before evaluation: the kind,
/// suppression comments, the model and the Rego input.
fn prepare(source: &SourceFile, kind: Option<&'static KindSpec>, documents: Vec<Document>) {
    let Some(kind) = kind.or_else(|| crate::kinds::detect_by_content(&documents)) else {
        return;
    };
    let documents = match kind.split {
        Some(split) => split(documents),
        None => documents,
    };
    suppress::directives(source, kind, &documents);
    for doc in documents.iter().filter(|d| (kind.wants)(&d.node)) {
        let _ = check::native_input(source, kind, doc);
    }
}

/// Every span of a tree lies inside the text, on character boundaries.
fn assert_spans(text: &str, root: &Node) {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        assert_span(text, node.span);
        match &node.value {
            Value::Seq(items) => stack.extend(items),
            Value::Map(entries) => {
                for e in entries {
                    assert_span(text, e.key_span);
                    stack.push(&e.value);
                }
            }
            _ => {}
        }
    }
}

fn assert_span(text: &str, span: Span) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "span {span:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "span {span:?} inside a character"
    );
}

fn split<'a>(data: &'a [u8], separator: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let r = rest?;
        match find(r, separator) {
            Some(at) => {
                rest = Some(&r[at + separator.len()..]);
                Some(&r[..at])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Where `needle` first occurs in `haystack`. Compares whole windows only
/// where the first byte matches: a comparison per position is most of an
/// instrumented run's time.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, _) = needle.split_first()?;
    let mut from = 0;
    while let Some(at) = haystack[from..].iter().position(|&b| b == first) {
        let at = from + at;
        if haystack[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Whether `member` holds `{marker}{n}` as [`substitute`] reads it.
fn refers_to(member: &[u8], marker: u8, n: usize) -> bool {
    let mut from = 0;
    while let Some(at) = member[from..].iter().position(|&b| b == marker) {
        let rest = &member[from + at + 1..];
        let len = rest
            .iter()
            .take(2)
            .take_while(|d| d.is_ascii_digit())
            .count();
        let number = std::str::from_utf8(&rest[..len])
            .ok()
            .and_then(|d| d.parse().ok());
        if number == Some(n) {
            return true;
        }
        from += at + 1;
    }
    false
}

/// `@N`, `#N`, `%N` of member `i` replaced for members after it.
fn substitute(
    member: &[u8],
    i: usize,
    hexes: &[String],
    diff_ids: &[String],
    members: &[Vec<u8>],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(member.len());
    let mut k = 0;
    while k < member.len() {
        let c = member[k];
        let digits = member[k + 1..]
            .iter()
            .take(2)
            .take_while(|d| d.is_ascii_digit())
            .count();
        let n: Option<usize> = std::str::from_utf8(&member[k + 1..k + 1 + digits])
            .ok()
            .and_then(|d| d.parse().ok());
        match (c, n) {
            (b'@' | b'#' | b'%', Some(n)) if n > i && n < members.len() => {
                match c {
                    b'@' => out.extend_from_slice(hexes[n].as_bytes()),
                    b'#' => out.extend_from_slice(members[n].len().to_string().as_bytes()),
                    _ => out.extend_from_slice(diff_ids[n].as_bytes()),
                }
                k += 1 + digits;
            }
            _ => {
                out.push(c);
                k += 1;
            }
        }
    }
    out
}

/// The sha256 hex of a gzip member's content (a layer's diff_id).
fn gunzipped_digest(member: &[u8]) -> Option<String> {
    if !member.starts_with(&[0x1f, 0x8b]) {
        return None;
    }
    let mut content = Vec::new();
    flate2::read::MultiGzDecoder::new(member)
        .take(64 << 20)
        .read_to_end(&mut content)
        .ok()?;
    Some(hex_digest(&content))
}

fn hex_digest(bytes: &[u8]) -> String {
    store::sha256_digest(bytes)["sha256:".len()..].to_string()
}
