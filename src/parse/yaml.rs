//! YAML (and JSON) front end: builds a source-mapped [`Node`] tree from the
//! events of `saphyr-parser` (YAML 1.2), keeping the exact byte span of every
//! key and value so findings can be reported as `file:line:column`.
//!
//! What the tree looks like:
//!
//! * **Streams**: one [`YamlDocument`] per document (`---`, `...`), empty
//!   documents included (as a `Null` node spanning the document; the caller
//!   skips them). A text with no document at all (empty, only comments)
//!   yields no documents.
//! * **Scalars**: plain scalars are resolved with the YAML 1.2 core schema
//!   (`null`/`~`/empty, `true`/`false` in three casings, decimal, `0x` and
//!   `0o` integers, floats with `.inf`/`.nan`). YAML 1.1 spellings (`yes`,
//!   `on`, `0755` as octal, `1_000`) are *not* special: `yes` is a string and
//!   `0755` the integer 755. Integers beyond `i64` become `Float` (they are
//!   still numbers in the JSON handed to the rules). Quoted and block scalars
//!   are strings. The core tags `!!str`, `!!int`, `!!float`, `!!bool` and
//!   `!!null` are honoured (a value that does not fit its tag stays a
//!   string), the non-specific tag `!` makes a string, other core tags
//!   (`!!binary`, `!!timestamp`, …) give the text, and unknown local tags
//!   (`!reset`, `!override`, `!Ref`) are ignored: the value reads as if
//!   untagged.
//! * **Keys** are strings: a scalar key is its text (`80` → `"80"`, `true` →
//!   `"true"`, an empty key → `""`); an alias key is its target rendered as
//!   text; a collection key becomes compact JSON. Duplicate keys: the last
//!   entry wins entirely (key, key span, value) and sits where it was
//!   written; the earlier ones are dropped, and each later one is listed in
//!   [`YamlDocument::duplicate_keys`] (merged keys are not duplicates).
//! * **Anchors and aliases**: an alias yields a copy of the anchored node.
//!   The copy's own span is the alias token (`*x`); everything inside it keeps
//!   the spans of the anchored original.
//! * **Merge keys** (`<<: *base`, `<<: [*a, *b]`, or an inline mapping):
//!   merged entries are inserted where the `<<` key stood, only for keys the
//!   mapping does not define explicitly (explicit keys win wherever they are
//!   written; in a list, earlier mappings win), as YAML 1.1 / go-yaml do. A
//!   `<<` whose value is not a mapping or a sequence of mappings is kept as an
//!   ordinary `"<<"` entry rather than rejected. A quoted `"<<"` is an
//!   ordinary key.
//!
//! Spans are byte ranges into the text given to [`parse`]:
//!
//! * scalars: the token itself, quotes included, without anchor or tag;
//!   block scalars (`|`, `>-`) from their indicator to the last non-blank
//!   character of their content; empty (null) values are zero-width at the
//!   place the value would be;
//! * flow collections: from the bracket to the closing bracket;
//! * block collections: from the first key (or `-`) to the end of the last
//!   child;
//! * [`Entry::key_span`]: the key token (a complex key: its node's span);
//! * [`YamlDocument::span`]: from `---` (or the first token) to the end of
//!   the content or of `...`.
//!
//! Safety: the tree is built iteratively from the event stream (no
//! recursion), nesting is checked before a collection is opened, and alias
//! expansion is counted against [`Limits::max_nodes`] and, in bytes of
//! text, [`Limits::max_alias_bytes`] *before* a copy is made, so
//! billion-laughs inputs, one huge scalar aliased thousands of times and
//! `[[[[…` 100k deep fail in milliseconds. `saphyr-parser` reports positions in characters; they are
//! converted to byte offsets exactly (BOM, multi-byte UTF-8 and `\r\n`
//! included).

use crate::document::{Entry, Node, Value};
use crate::source::Span;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// Whatever its size, a text may have this many nodes (within `max_nodes`).
pub const MIN_NODE_BUDGET: usize = 100_000;
/// Beyond [`MIN_NODE_BUDGET`], a text may have this many nodes per byte.
pub const NODES_PER_BYTE: usize = 16;

/// Bounds that keep hostile input cheap.
///
/// The defaults accept every compose and Kubernetes file of the project's
/// corpus that PyYAML accepts (6,130 of 6,145 files; the largest is 155 KB
/// with 7,715 nodes, keys included; the deepest nests 28 levels) with a wide
/// margin:
///
/// * `max_depth = 200` nested collections: generated CRD schemas reach about
///   30; 200 leaves room while keeping every stack small. (saphyr itself
///   also stops flow nesting at 255.)
/// * `max_nodes = 1_000_000`, counted over the whole stream *after* alias
///   expansion, keys included, and checked *before* an alias is copied. The
///   budget of a given text is also at most `max(100_000, 16 × its length in
///   bytes)`: without aliases a text cannot have more than about one node
///   per byte (`{a,b,c}`: a key and a null per two bytes), so only alias
///   expansion can reach it. A 400-byte
///   billion-laughs file therefore stops after 100,000 nodes (about 10 ms),
///   and nothing ever builds more than 1M nodes (about 100 MB). The largest
///   corpus file has under 10,000 nodes. A huge flat data file (an 8 MB JSON
///   array of small numbers) exceeds 1M nodes and is rejected: raise
///   `max_nodes` for such inputs.
/// * `max_bytes = 16 MiB`: a hundred times the largest real file.
/// * `max_alias_bytes =` [`MAX_ALIAS_BYTES`]: counting nodes alone lets a
///   few aliases of one huge scalar copy gigabytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_depth: usize,
    /// Total nodes (keys and values) of all documents, after alias expansion.
    pub max_nodes: usize,
    pub max_bytes: usize,
    /// Bytes of scalar and key text that aliases may copy, over the whole text.
    pub max_alias_bytes: usize,
}

/// Aliases may copy at most this much scalar and key text per file (16 MiB,
/// as much as the largest file read at all): the tree then stays within a
/// small multiple of that. Compose files copy a few kilobytes through their
/// `x-` anchors; a file that needs more is an attack.
pub const MAX_ALIAS_BYTES: usize = 16 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 200,
            max_nodes: 1_000_000,
            max_bytes: 16 << 20,
            max_alias_bytes: MAX_ALIAS_BYTES,
        }
    }
}

/// A key written a second time in one mapping (the last one wins).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    /// The first time the key is written.
    pub first: Span,
    /// The later one, which wins.
    pub second: Span,
}

/// One document of a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlDocument {
    /// 0-based position in the stream, empty documents included.
    pub index: usize,
    /// The content; `Value::Null` spanning the document when it is empty.
    pub node: Node,
    pub span: Span,
    /// Keys written twice in one mapping, in the order they close.
    pub duplicate_keys: Vec<DuplicateKey>,
}

/// A syntax error or an exceeded limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// Where the problem was found (one character wide, or empty at the end).
    pub span: Span,
    /// A plain message without position, e.g. "mapping values are not allowed
    /// in this context".
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for YamlError {}

/// Parses a YAML stream (or a JSON text) into documents.
pub fn parse(text: &str, limits: &Limits) -> Result<Vec<YamlDocument>, YamlError> {
    if text.len() > limits.max_bytes {
        return Err(YamlError {
            span: Span::new(0, 0),
            message: format!(
                "file is {} bytes, more than the limit of {} bytes",
                text.len(),
                limits.max_bytes
            ),
        });
    }
    // saphyr-parser is not known to panic, but a panic must not take the
    // whole run down: turn one into an error for this file.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse_lenient(text, limits)))
        .unwrap_or_else(|_| {
            Err(YamlError {
                span: Span::new(0, 0),
                message: "internal error in the YAML parser".to_string(),
            })
        })
}

/// saphyr follows the YAML 1.2 indentation rules inside flow collections and
/// multi-line quoted scalars (continuation lines must be indented deeper than
/// the enclosing block key); libyaml, and so go-yaml (Kubernetes, compose)
/// and PyYAML, ignore indentation there, and real files rely on it:
///
/// ```yaml
///     command: [
///       "start",
///     ]
/// ```
///
/// When saphyr reports such an error, the offending lines are indented
/// further (leading blanks of those lines are not part of any value: flow
/// context and folded quoted lines drop them) and the text is parsed again;
/// spans are then mapped back to the original text. Each retry reparses the
/// whole text, so retries are bounded (by count and by total bytes parsed).
/// When the text still fails, the last error is reported.
fn parse_lenient(text: &str, limits: &Limits) -> Result<Vec<YamlDocument>, YamlError> {
    let mut error = match Builder::new(text, limits).run() {
        Ok(docs) => return Ok(docs),
        Err(e) => e,
    };
    let max_retries = ((64usize << 20) / text.len().max(1)).clamp(1, 200);
    let mut pads: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    let mut padded = text.to_string();
    for _ in 0..max_retries {
        let Some(new_pads) = indentation_fixup(&padded, &error) else {
            break;
        };
        let table = pad_table(&pads);
        for (line_start, count) in new_pads {
            *pads.entry(to_original(line_start, &table)).or_default() += count;
        }
        padded = apply_pads(text, &pads);
        let table = pad_table(&pads);
        match Builder::new(&padded, limits).run() {
            Ok(mut docs) => {
                remap(&mut docs, &table);
                return Ok(docs);
            }
            Err(e) => error = e,
        }
    }
    let table = pad_table(&pads);
    error.span = Span::new(
        to_original(error.span.start, &table),
        to_original(error.span.end, &table),
    );
    Err(error)
}

/// Lines to indent further (modified-text line start, spaces) for an
/// indentation error libyaml would not report.
fn indentation_fixup(text: &str, error: &YamlError) -> Option<Vec<(usize, usize)>> {
    let bytes = text.as_bytes();
    let at = error.span.start.min(bytes.len());
    let line_start = |pos: usize| {
        bytes[..pos]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
    };
    let indent = |start: usize| {
        bytes[start..]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count()
    };
    match error.message.as_str() {
        // A token in a flow collection (or a plain scalar in one) that starts
        // its line too far left.
        "invalid indentation" | "invalid indentation in flow construct" => {
            let start = line_start(at);
            if !bytes[start..at].iter().all(|&b| b == b' ' || b == b'\t') {
                return None;
            }
            let col = at - start;
            // The previous non-blank line's indentation is usually enough.
            let mut previous = 0;
            let mut end = start;
            while end > 0 {
                let s = line_start(end - 1);
                if bytes[s..end - 1].iter().any(|b| !b.is_ascii_whitespace()) {
                    previous = indent(s);
                    break;
                }
                end = s;
            }
            Some(vec![(start, (previous + 1).saturating_sub(col).max(1))])
        }
        // Reported at the opening quote: indent every continuation line past it.
        "invalid indentation in quoted scalar" => {
            let quote = *bytes.get(at)?;
            let mut i = at + 1;
            let end = loop {
                match (quote, bytes.get(i)?) {
                    (b'\'', b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    (b'\'', b'\'') | (b'"', b'"') => break i,
                    (b'"', b'\\') => i += 2,
                    _ => i += 1,
                }
            };
            let want = at - line_start(at) + 1;
            let pads: Vec<(usize, usize)> = (at..end)
                .filter(|&i| bytes[i] == b'\n')
                .map(|i| (i + 1, want.saturating_sub(indent(i + 1))))
                .filter(|&(_, n)| n > 0)
                .collect();
            (!pads.is_empty()).then_some(pads)
        }
        _ => None,
    }
}

/// `(modified start, original position, spaces)` for each padded line.
fn pad_table(pads: &std::collections::BTreeMap<usize, usize>) -> Vec<(usize, usize, usize)> {
    let mut shift = 0;
    pads.iter()
        .map(|(&at, &count)| {
            let row = (at + shift, at, count);
            shift += count;
            row
        })
        .collect()
}

fn to_original(offset: usize, table: &[(usize, usize, usize)]) -> usize {
    match table.partition_point(|row| row.0 <= offset) {
        0 => offset,
        i => {
            let (start, original, count) = table[i - 1];
            if offset < start + count {
                original
            } else {
                offset - (start + count - original)
            }
        }
    }
}

fn apply_pads(text: &str, pads: &std::collections::BTreeMap<usize, usize>) -> String {
    let mut out = String::with_capacity(text.len() + pads.values().sum::<usize>());
    let mut last = 0;
    for (&at, &count) in pads {
        out.push_str(&text[last..at]);
        out.extend(std::iter::repeat_n(' ', count));
        last = at;
    }
    out.push_str(&text[last..]);
    out
}

fn remap(docs: &mut [YamlDocument], table: &[(usize, usize, usize)]) {
    let fix = |span: &mut Span| {
        *span = Span::new(to_original(span.start, table), to_original(span.end, table))
    };
    for doc in docs {
        fix(&mut doc.span);
        for d in &mut doc.duplicate_keys {
            fix(&mut d.first);
            fix(&mut d.second);
        }
        let mut stack = vec![&mut doc.node];
        while let Some(node) = stack.pop() {
            fix(&mut node.span);
            match &mut node.value {
                Value::Seq(items) => stack.extend(items.iter_mut()),
                Value::Map(entries) => {
                    for entry in entries {
                        fix(&mut entry.key_span);
                        stack.push(&mut entry.value);
                    }
                }
                _ => {}
            }
        }
    }
}

/// Number of nodes in a tree (mapping keys not counted).
pub fn node_count(node: &Node) -> usize {
    let mut count = 0;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        count += 1;
        match &n.value {
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
            _ => {}
        }
    }
    count
}

/// Character index (as saphyr reports) to byte offset.
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    /// Byte offset of every `STEP`-th character.
    checkpoints: Vec<usize>,
}

const STEP: usize = 64;

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let checkpoints = if ascii {
            Vec::new()
        } else {
            text.char_indices()
                .enumerate()
                .filter(|(i, _)| i % STEP == 0)
                .map(|(_, (b, _))| b)
                .collect()
        };
        Offsets {
            text,
            ascii,
            checkpoints,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        let len = self.text.len();
        if self.ascii {
            return char_index.min(len);
        }
        match self.checkpoints.get(char_index / STEP) {
            None => len,
            Some(&base) => self.text[base..]
                .char_indices()
                .nth(char_index % STEP)
                .map_or(len, |(i, _)| base + i),
        }
    }
}

struct Key {
    text: String,
    span: Span,
    merge: bool,
}

enum Kind {
    Seq(Vec<Node>),
    Map {
        entries: Vec<Entry>,
        key: Option<Key>,
        /// `<<` values with the number of explicit entries written before them.
        merges: Vec<(usize, Node)>,
    },
}

struct Frame {
    kind: Kind,
    start: usize,
    /// End of the last child so far (block collections end there).
    end: usize,
    flow: bool,
    anchor: usize,
    /// Nodes in this subtree, itself included.
    count: usize,
    /// Scalar and key text in this subtree, in bytes.
    bytes: usize,
}

struct Builder<'a> {
    text: &'a str,
    offsets: Offsets<'a>,
    limits: &'a Limits,
    frames: Vec<Frame>,
    /// Completed anchored nodes of the current document with their node
    /// count and text bytes.
    anchors: HashMap<usize, (Node, usize, usize)>,
    nodes: usize,
    /// Text bytes copied by aliases so far.
    alias_bytes: usize,
    /// Duplicate keys of the current document.
    duplicate_keys: Vec<DuplicateKey>,
    /// The node budget for this text (see [`Limits`]).
    max_nodes: usize,
    docs: Vec<YamlDocument>,
    doc_start: usize,
    /// End of the `---` marker (or the document start when implicit).
    doc_marker_end: usize,
    root: Option<(Node, bool)>,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, limits: &'a Limits) -> Self {
        Builder {
            text,
            offsets: Offsets::new(text),
            limits,
            frames: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            alias_bytes: 0,
            duplicate_keys: Vec::new(),
            max_nodes: limits.max_nodes.min(
                text.len()
                    .saturating_mul(NODES_PER_BYTE)
                    .max(MIN_NODE_BUDGET),
            ),
            docs: Vec::new(),
            doc_start: 0,
            doc_marker_end: 0,
            root: None,
        }
    }

    fn run(mut self) -> Result<Vec<YamlDocument>, YamlError> {
        let mut parser = Parser::new_from_str(self.text);
        loop {
            let (event, span) = match parser.next_event() {
                None => break,
                Some(Ok(x)) => x,
                Some(Err(e)) => return Err(self.scan_error(&e)),
            };
            let s = self.offsets.byte(span.start.index());
            let e = self.offsets.byte(span.end.index()).max(s);
            match event {
                Event::Nothing | Event::StreamStart => {}
                Event::StreamEnd => break,
                Event::DocumentStart(explicit) => {
                    self.anchors.clear();
                    self.root = None;
                    self.doc_start = s;
                    self.doc_marker_end = if explicit { e } else { s };
                }
                Event::DocumentEnd => self.end_document(s, e),
                Event::Alias(id) => self.alias(id, s, e)?,
                Event::Scalar(value, style, anchor, tag) => {
                    self.scalar(&value, style, anchor, tag.as_deref(), s, e)?
                }
                Event::SequenceStart(anchor, tag) => {
                    self.open(false, anchor, tag.is_some(), s, e)?
                }
                Event::MappingStart(anchor, tag) => self.open(true, anchor, tag.is_some(), s, e)?,
                Event::SequenceEnd | Event::MappingEnd => self.close(e)?,
            }
        }
        Ok(self.docs)
    }

    fn scan_error(&self, e: &ScanError) -> YamlError {
        let at = self.offsets.byte(e.marker().index());
        let end = self.text[at..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        let message = match e.info() {
            // saphyr's own cap on flow nesting (255), met while it scans ahead.
            "recursion limit exceeded" => format!(
                "nesting deeper than {} levels",
                self.limits.max_depth.min(255)
            ),
            info => info.to_string(),
        };
        YamlError {
            span: Span::new(at, end),
            message,
        }
    }

    fn count(&mut self, n: usize, span: Span, alias: Option<&str>) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes <= self.max_nodes {
            return Ok(());
        }
        let message = match alias {
            Some(name) => format!(
                "alias {name} expands to more than {} nodes (possible alias bomb)",
                self.max_nodes
            ),
            None => format!("more than {} nodes", self.max_nodes),
        };
        Err(YamlError { span, message })
    }

    fn expecting_key(&self) -> bool {
        matches!(
            self.frames.last(),
            Some(Frame {
                kind: Kind::Map { key: None, .. },
                ..
            })
        )
    }

    fn end_document(&mut self, s: usize, e: usize) {
        let mut end = self.doc_marker_end;
        if &self.text[s..e] == "..." {
            end = end.max(e);
        }
        let node = match self.root.take() {
            Some((node, false)) => {
                end = end.max(node.span.end);
                Some(node)
            }
            _ => None,
        };
        let span = Span::new(self.doc_start, end.max(self.doc_start));
        // An empty document: Null spanning the document.
        let node = node.unwrap_or_else(|| Node::new(span, Value::Null));
        self.docs.push(YamlDocument {
            index: self.docs.len(),
            node,
            span,
            duplicate_keys: std::mem::take(&mut self.duplicate_keys),
        });
        self.frames.clear();
    }

    fn alias(&mut self, id: usize, s: usize, e: usize) -> Result<(), YamlError> {
        let span = Span::new(s, e);
        let name = &self.text[s..e];
        let Some(&(_, count, bytes)) = self.anchors.get(&id) else {
            return Err(YamlError {
                span,
                message: format!(
                    "alias {name} refers to a node that contains it (recursive alias)"
                ),
            });
        };
        self.count(count, span, Some(name))?;
        self.alias_bytes = self.alias_bytes.saturating_add(bytes);
        if self.alias_bytes > self.limits.max_alias_bytes {
            return Err(YamlError {
                span,
                message: format!(
                    "alias {name} copies {bytes} bytes, making more than {} bytes of copies in this file (possible alias bomb); write the values out or use fewer aliases",
                    self.limits.max_alias_bytes
                ),
            });
        }
        let mut copy = self.anchors[&id].0.clone();
        copy.span = span;
        self.attach(copy, count, bytes, None);
        Ok(())
    }

    fn scalar(
        &mut self,
        raw: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        s: usize,
        e: usize,
    ) -> Result<(), YamlError> {
        let has_props = anchor != 0 || tag.is_some();
        let empty_plain = raw.is_empty() && style == ScalarStyle::Plain;
        let span = if empty_plain {
            if has_props {
                Span::new(s, e)
            } else {
                Span::new(s, s)
            }
        } else {
            let start = if has_props {
                self.skip_props(s).min(e)
            } else {
                s
            };
            match style {
                ScalarStyle::Literal | ScalarStyle::Folded => {
                    let start = if has_props {
                        start
                    } else {
                        self.block_header(start)
                    };
                    Span::new(start, self.trim_block_end(start, e))
                }
                _ => Span::new(start, e),
            }
        };
        self.count(1, span, None)?;
        // A block scalar that ends the text without a final line break has no
        // line break to keep (saphyr adds one; libyaml and go-yaml do not).
        let raw = match style {
            ScalarStyle::Literal | ScalarStyle::Folded
                if raw.ends_with('\n') && !self.text[span.end..].contains(['\n', '\r']) =>
            {
                &raw[..raw.len() - 1]
            }
            _ => raw,
        };
        let merge = style == ScalarStyle::Plain
            && raw == "<<"
            && tag.is_none_or(|t| t.is_yaml_core_schema() && t.suffix == "merge");
        if anchor == 0 && self.expecting_key() {
            if let Some(frame) = self.frames.last_mut() {
                frame.bytes += raw.len();
            }
            self.set_key(Key {
                text: raw.to_string(),
                span,
                merge,
            });
            return Ok(());
        }
        let value = match tag {
            None if style == ScalarStyle::Plain => resolve_plain(raw),
            None => Value::Str(raw.to_string()),
            Some(tag) => tagged(raw, style, tag),
        };
        let node = Node::new(span, value);
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), 1, raw.len()));
        }
        self.attach(node, 1, raw.len(), Some((raw, merge)));
        Ok(())
    }

    fn open(
        &mut self,
        map: bool,
        anchor: usize,
        tagged: bool,
        s: usize,
        e: usize,
    ) -> Result<(), YamlError> {
        let start = if anchor != 0 || tagged {
            self.skip_props(s).min(e)
        } else {
            s
        };
        let bracket = if map { b'{' } else { b'[' };
        let bytes = self.text.as_bytes();
        let flow = bytes.get(start) == Some(&bracket) && e > start;
        let mut start = start;
        if !map && !flow && bytes.get(start) != Some(&b'-') {
            // An indentless sequence (`key:` then `- a` at the key's column)
            // starts at its first item's content: move back to the `-`.
            let before = bytes[..start]
                .iter()
                .rposition(|&b| b != b' ' && b != b'\t');
            if let Some(dash) = before.filter(|&i| bytes[i] == b'-') {
                start = dash;
            }
        }
        if self.frames.len() >= self.limits.max_depth {
            return Err(YamlError {
                span: Span::new(start, (start + 1).min(self.text.len()).max(start)),
                message: format!("nesting deeper than {} levels", self.limits.max_depth),
            });
        }
        self.count(1, Span::new(start, start), None)?;
        let kind = if map {
            Kind::Map {
                entries: Vec::new(),
                key: None,
                merges: Vec::new(),
            }
        } else {
            Kind::Seq(Vec::new())
        };
        self.frames.push(Frame {
            kind,
            start,
            end: if flow { start + 1 } else { start },
            flow,
            anchor,
            count: 1,
            bytes: 0,
        });
        Ok(())
    }

    fn close(&mut self, e: usize) -> Result<(), YamlError> {
        let Some(frame) = self.frames.pop() else {
            return Ok(());
        };
        let end = if frame.flow {
            e.max(frame.end)
        } else {
            frame.end
        };
        let span = Span::new(frame.start, end);
        let value = match frame.kind {
            Kind::Seq(items) => Value::Seq(items),
            Kind::Map {
                entries,
                key,
                merges,
            } => {
                let mut entries = entries;
                // A key without value cannot come from saphyr; keep it as null.
                if let Some(k) = key {
                    entries.push(Entry {
                        key: k.text,
                        key_span: k.span,
                        value: Node::new(Span::new(k.span.end, k.span.end), Value::Null),
                    });
                }
                Value::Map(finish_map(entries, merges, &mut self.duplicate_keys))
            }
        };
        let node = Node::new(span, value);
        if frame.anchor != 0 {
            self.anchors
                .insert(frame.anchor, (node.clone(), frame.count, frame.bytes));
        }
        self.attach(node, frame.count, frame.bytes, None);
        Ok(())
    }

    fn set_key(&mut self, key: Key) {
        if let Some(Frame {
            kind: Kind::Map { key: slot, .. },
            end,
            ..
        }) = self.frames.last_mut()
        {
            *end = (*end).max(key.span.end);
            *slot = Some(key);
        }
    }

    /// Adds a completed node to the open collection (or makes it the root).
    /// `scalar` is the raw text and merge flag when the node is a scalar.
    fn attach(&mut self, node: Node, count: usize, bytes: usize, scalar: Option<(&str, bool)>) {
        let empty = scalar.is_some_and(|(raw, _)| raw.is_empty())
            && node.value == Value::Null
            && node.span.is_empty();
        if self.expecting_key() {
            let (text, merge) = match scalar {
                Some((raw, merge)) => (raw.to_string(), merge),
                None => (key_text(&node), false),
            };
            if let Some(frame) = self.frames.last_mut() {
                frame.count += count;
                frame.bytes += bytes;
            }
            self.set_key(Key {
                text,
                span: node.span,
                merge,
            });
            return;
        }
        let Some(frame) = self.frames.last_mut() else {
            self.root = Some((node, empty));
            return;
        };
        frame.count += count;
        frame.bytes += bytes;
        frame.end = frame.end.max(node.span.end);
        match &mut frame.kind {
            Kind::Seq(items) => items.push(node),
            Kind::Map {
                entries,
                key,
                merges,
            } => {
                let Some(k) = key.take() else { return };
                if k.merge && mergeable(&node) {
                    merges.push((entries.len(), node));
                } else {
                    entries.push(Entry {
                        key: k.text,
                        key_span: k.span,
                        value: node,
                    });
                }
            }
        }
    }

    /// Skips anchors, tags and the blanks and comments after them.
    fn skip_props(&self, mut at: usize) -> usize {
        let bytes = self.text.as_bytes();
        loop {
            match bytes.get(at) {
                Some(b'&') | Some(b'!') => {
                    if bytes.get(at + 1) == Some(&b'<') {
                        while at < bytes.len() && bytes[at] != b'>' {
                            at += 1;
                        }
                        at = (at + 1).min(bytes.len());
                    } else {
                        while at < bytes.len()
                            && !matches!(
                                bytes[at],
                                b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
                            )
                        {
                            at += 1;
                        }
                    }
                    at = self.skip_blanks(at);
                }
                _ => return at,
            }
        }
    }

    fn skip_blanks(&self, mut at: usize) -> usize {
        let bytes = self.text.as_bytes();
        while at < bytes.len() {
            match bytes[at] {
                b' ' | b'\t' | b'\r' | b'\n' => at += 1,
                b'#' => {
                    while at < bytes.len() && bytes[at] != b'\n' {
                        at += 1;
                    }
                }
                _ => break,
            }
        }
        at
    }

    /// saphyr starts a block scalar's span at its content; find the `|` or
    /// `>` header on the last non-blank line before it.
    fn block_header(&self, content: usize) -> usize {
        let bytes = self.text.as_bytes();
        // Start of the content's line, then back over blank lines.
        let mut line_end = match bytes[..content].iter().rposition(|&b| b == b'\n') {
            Some(nl) => nl,
            None => return content,
        };
        loop {
            let line_start = bytes[..line_end]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let line = &bytes[line_start..line_end];
            if line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
                if line_start == 0 {
                    return content;
                }
                line_end = line_start - 1;
                continue;
            }
            return find_indicator(line).map_or(content, |i| line_start + i);
        }
    }

    fn trim_block_end(&self, start: usize, mut end: usize) -> usize {
        let bytes = self.text.as_bytes();
        while end > start + 1 && matches!(bytes[end - 1], b' ' | b'\t' | b'\r' | b'\n') {
            end -= 1;
        }
        end
    }
}

/// The first `|` or `>` on a header line that is followed only by indentation
/// and chomping indicators, then blanks or a comment.
fn find_indicator(line: &[u8]) -> Option<usize> {
    (0..line.len()).find(|&i| {
        if !matches!(line[i], b'|' | b'>') || (i > 0 && !matches!(line[i - 1], b' ' | b'\t')) {
            return false;
        }
        let mut j = i + 1;
        while j < line.len() && matches!(line[j], b'0'..=b'9' | b'+' | b'-') {
            j += 1;
        }
        if j == line.len() || line[j] == b'\r' {
            return true;
        }
        if !matches!(line[j], b' ' | b'\t') {
            return false;
        }
        let rest = line[j..]
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t' | b'\r'));
        rest.is_none_or(|k| line[j + k] == b'#')
    })
}

fn mergeable(node: &Node) -> bool {
    match &node.value {
        Value::Map(_) => true,
        Value::Seq(items) => items.iter().all(|n| matches!(n.value, Value::Map(_))),
        _ => false,
    }
}

/// Removes duplicate keys (the last entry wins, each later one is recorded
/// in `duplicates`) and applies merge keys.
fn finish_map(
    entries: Vec<Entry>,
    merges: Vec<(usize, Node)>,
    duplicates: &mut Vec<DuplicateKey>,
) -> Vec<Entry> {
    let n = entries.len();
    let has_duplicates = if n <= 16 {
        (1..n).any(|i| entries[..i].iter().any(|e| e.key == entries[i].key))
    } else {
        let mut seen = HashSet::with_capacity(n);
        !entries.iter().all(|e| seen.insert(e.key.as_str()))
    };
    if !has_duplicates && merges.is_empty() {
        return entries;
    }
    let mut keep = vec![true; n];
    if has_duplicates {
        let mut last: HashMap<&str, usize> = HashMap::with_capacity(n);
        let mut first: HashMap<&str, Span> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if let Some(previous) = last.insert(e.key.as_str(), i) {
                keep[previous] = false;
                let first = *first
                    .entry(e.key.as_str())
                    .or_insert(entries[previous].key_span);
                duplicates.push(DuplicateKey {
                    key: e.key.clone(),
                    first,
                    second: e.key_span,
                });
            }
        }
    }
    // Merged entries, grouped by the explicit position they go before.
    let mut present: HashSet<String> = entries.iter().map(|e| e.key.clone()).collect();
    let mut inserted: Vec<(usize, Entry)> = Vec::new();
    for (at, node) in merges {
        let sources: Vec<Vec<Entry>> = match node.value {
            Value::Map(es) => vec![es],
            Value::Seq(items) => items
                .into_iter()
                .filter_map(|n| match n.value {
                    Value::Map(es) => Some(es),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for entry in sources.into_iter().flatten() {
            if present.insert(entry.key.clone()) {
                inserted.push((at, entry));
            }
        }
    }
    // Stable: merges were visited in source order.
    inserted.sort_by_key(|(at, _)| *at);
    let mut out = Vec::with_capacity(n + inserted.len());
    let mut inserted = inserted.into_iter().peekable();
    for (i, entry) in entries.into_iter().enumerate() {
        while let Some((_, e)) = inserted.next_if(|(at, _)| *at <= i) {
            out.push(e);
        }
        if keep[i] {
            out.push(entry);
        }
    }
    out.extend(inserted.map(|(_, e)| e));
    out
}

/// The text of a key that is not a plain scalar token (an alias, a collection).
fn key_text(node: &Node) -> String {
    match &node.value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Str(s) => s.clone(),
        Value::Seq(_) | Value::Map(_) => node.to_json().to_string(),
    }
}

/// A plain scalar under the YAML 1.2 core schema.
fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Value::Str(s.to_string());
    }
    if let Some(v) = parse_int(s) {
        return v;
    }
    if is_core_float(s) {
        if let Ok(f) = s.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(s.to_string())
}

/// Core-schema integers: `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`;
/// beyond `i64` → `Float`.
fn parse_int(s: &str) -> Option<Value> {
    let radix = |digits: &str, radix: u32| -> Option<Value> {
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        Some(match i64::from_str_radix(digits, radix) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(digits.chars().fold(0.0, |acc, c| {
                acc * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
            })),
        })
    };
    if let Some(hex) = s.strip_prefix("0x") {
        return radix(hex, 16);
    }
    if let Some(oct) = s.strip_prefix("0o") {
        return radix(oct, 8);
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(match s.parse::<i64>() {
        Ok(i) => Value::Int(i),
        Err(_) => Value::Float(s.parse::<f64>().unwrap_or(f64::NAN)),
    })
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_core_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && matches!(b[i], b'-' | b'+') {
        i += 1;
    }
    let int_digits = digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 && int_digits == 0 {
            return false;
        }
    } else if int_digits == 0 {
        return false;
    }
    if i < b.len() && matches!(b[i], b'e' | b'E') {
        i += 1;
        if i < b.len() && matches!(b[i], b'-' | b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// A scalar with an explicit tag.
fn tagged(raw: &str, style: ScalarStyle, tag: &Tag) -> Value {
    if tag.is_yaml_core_schema() {
        let text = || Value::Str(raw.to_string());
        return match tag.suffix.as_str() {
            "null" => Value::Null,
            "bool" => match resolve_plain(raw) {
                v @ Value::Bool(_) => v,
                _ => text(),
            },
            "int" => parse_int(raw).unwrap_or_else(text),
            "float" => match resolve_plain(raw) {
                Value::Int(i) => Value::Float(i as f64),
                v @ Value::Float(_) => v,
                _ => text(),
            },
            _ => text(),
        };
    }
    let non_specific = (tag.handle == "!" && tag.suffix.is_empty())
        || (tag.handle.is_empty() && tag.suffix == "!");
    if non_specific || style != ScalarStyle::Plain {
        Value::Str(raw.to_string())
    } else {
        resolve_plain(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn docs(text: &str) -> Vec<YamlDocument> {
        match parse(text, &Limits::default()) {
            Ok(docs) => docs,
            Err(e) => panic!("{} at {:?}", e.message, e.span),
        }
    }

    fn one(text: &str) -> Node {
        let mut d = docs(text);
        assert_eq!(d.len(), 1);
        d.remove(0).node
    }

    fn err(text: &str) -> YamlError {
        parse(text, &Limits::default()).expect_err("should fail")
    }

    /// 1-based (line, column) of a span's start.
    fn at(text: &str, span: Span) -> (usize, usize) {
        let p = SourceFile::new("t", text).position(span.start);
        (p.line, p.column)
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    fn path<'n>(node: &'n Node, steps: &[&str]) -> &'n Node {
        steps
            .iter()
            .fold(node, |n, step| match step.parse::<usize>() {
                Ok(i) => &n.as_seq().expect("seq")[i],
                Err(_) => n.get(step).unwrap_or_else(|| panic!("no key {step}")),
            })
    }

    fn keys(node: &Node) -> Vec<&str> {
        node.as_map()
            .unwrap()
            .iter()
            .map(|e| e.key.as_str())
            .collect()
    }

    #[test]
    fn anchors_and_aliases_copy_the_node_with_the_alias_span_outside() {
        let text = "base: &b\n  image: nginx\n  ports: [80]\ncopy: *b\nname: &n web\nalso: *n\n";
        let root = one(text);
        let base = root.get("base").unwrap();
        let copy = root.get("copy").unwrap();
        assert_eq!(copy.to_json(), base.to_json());
        assert_eq!(slice(text, copy.span), "*b");
        assert_eq!(at(text, copy.span), (4, 7));
        // Inner spans point at the anchored original.
        assert_eq!(
            copy.get("image").unwrap().span,
            base.get("image").unwrap().span
        );
        assert_eq!(slice(text, base.span), "image: nginx\n  ports: [80]");
        assert_eq!(at(text, base.span), (2, 3));
        assert_eq!(root.get("also").unwrap().as_str(), Some("web"));
        assert_eq!(slice(text, root.get("name").unwrap().span), "web");
    }

    #[test]
    fn merge_keys_single_list_and_explicit_override() {
        let text = "\
x-a: &a {image: a, restart: always, cpu: 1}
x-b: &b
  image: b
  mem: 2
s1:
  <<: *a
  image: own
s2:
  image: own
  <<: [*a, *b]
s3:
  <<: [*b, *a]
  cpu: 9
s4:
  \"<<\": not a merge
s5:
  <<: {inline: true}
";
        let root = one(text);
        let s1 = root.get("s1").unwrap();
        assert_eq!(keys(s1), ["restart", "cpu", "image"]);
        assert_eq!(s1.get("image").unwrap().as_str(), Some("own"));
        assert_eq!(s1.get("restart").unwrap().as_str(), Some("always"));
        // Merged entries keep the anchor's positions.
        assert_eq!(at(text, s1.entry("restart").unwrap().key_span), (1, 20));
        let s2 = root.get("s2").unwrap();
        assert_eq!(keys(s2), ["image", "restart", "cpu", "mem"]);
        assert_eq!(s2.get("image").unwrap().as_str(), Some("own"));
        assert_eq!(s2.get("mem").unwrap().value, Value::Int(2));
        let s3 = root.get("s3").unwrap();
        assert_eq!(
            s3.get("image").unwrap().as_str(),
            Some("b"),
            "earlier maps win"
        );
        assert_eq!(
            s3.get("cpu").unwrap().value,
            Value::Int(9),
            "explicit keys win even after"
        );
        assert_eq!(keys(s3), ["image", "mem", "restart", "cpu"]);
        assert_eq!(
            root.get("s4").unwrap().get("<<").unwrap().as_str(),
            Some("not a merge")
        );
        assert_eq!(
            root.get("s5").unwrap().get("inline").unwrap().value,
            Value::Bool(true)
        );
    }

    #[test]
    fn multi_document_streams_keep_empty_documents() {
        let text = "---\na: 1\n---\n---\n# only a comment\n...\n--- b\n...\nc: 2\n";
        let d = docs(text);
        assert_eq!(d.len(), 5);
        assert_eq!(
            d.iter().map(|d| d.index).collect::<Vec<_>>(),
            [0, 1, 2, 3, 4]
        );
        assert_eq!(d[0].node.get("a").unwrap().value, Value::Int(1));
        assert_eq!(slice(text, d[0].span), "---\na: 1");
        assert_eq!(d[1].node.value, Value::Null);
        assert_eq!(d[1].node.span, d[1].span);
        assert_eq!(at(text, d[1].span), (3, 1));
        assert_eq!(d[2].node.value, Value::Null);
        assert_eq!(slice(text, d[2].span), "---\n# only a comment\n...");
        assert_eq!(d[3].node.as_str(), Some("b"));
        assert_eq!(at(text, d[4].node.span), (9, 1));
        // No document at all.
        assert!(docs("").is_empty());
        assert!(docs("# just a comment\n").is_empty());
        assert_eq!(docs("a: 1\n---\n").len(), 2);
    }

    #[test]
    fn block_scalars_values_and_spans() {
        let text = "\
script: |
  echo a
    indented

  echo b

folded: >-
  one
  two
keep: |+ # comment | x
  x

strip: >
  last
";
        let root = one(text);
        let script = root.get("script").unwrap();
        assert_eq!(script.as_str(), Some("echo a\n  indented\n\necho b\n"));
        assert_eq!(
            slice(text, script.span),
            "|\n  echo a\n    indented\n\n  echo b"
        );
        assert_eq!(at(text, script.span), (1, 9));
        assert_eq!(SourceFile::new("t", text).position(script.span.end).line, 5);
        let folded = root.get("folded").unwrap();
        assert_eq!(folded.as_str(), Some("one two"));
        assert_eq!(slice(text, folded.span), ">-\n  one\n  two");
        let keep = root.get("keep").unwrap();
        assert_eq!(keep.as_str(), Some("x\n\n"));
        assert_eq!(at(text, keep.span), (10, 7));
        assert_eq!(root.get("strip").unwrap().as_str(), Some("last\n"));
        // At the end of the text without a final line break: nothing to clip.
        assert_eq!(
            one("a: |\n  x\n  y").get("a").unwrap().as_str(),
            Some("x\ny")
        );
        assert_eq!(one("a: |+\n  x").get("a").unwrap().as_str(), Some("x"));
        // With properties: the span starts at the indicator.
        let text = "a: &x !!str |\n  v\n";
        let a = one(text);
        assert_eq!(slice(text, a.get("a").unwrap().span), "|\n  v");
        // Empty block scalar.
        let text = "a: |\nb: 1\n";
        let root = one(text);
        assert_eq!(root.get("a").unwrap().as_str(), Some(""));
        assert_eq!(slice(text, root.get("a").unwrap().span), "|");
    }

    #[test]
    fn flow_collections() {
        let text = "x: {a: [1, 2.5, \"s\", ~], b: {c: null}, d: []}\ny: [k: v, {}]\n";
        let root = one(text);
        let x = root.get("x").unwrap();
        assert_eq!(
            slice(text, x.span),
            "{a: [1, 2.5, \"s\", ~], b: {c: null}, d: []}"
        );
        let a = x.get("a").unwrap();
        assert_eq!(slice(text, a.span), "[1, 2.5, \"s\", ~]");
        let items = a.as_seq().unwrap();
        assert_eq!(items[0].value, Value::Int(1));
        assert_eq!(items[1].value, Value::Float(2.5));
        assert_eq!(slice(text, items[2].span), "\"s\"");
        assert_eq!(items[3].value, Value::Null);
        assert_eq!(x.get("b").unwrap().get("c").unwrap().value, Value::Null);
        assert_eq!(slice(text, x.get("d").unwrap().span), "[]");
        let y = root.get("y").unwrap().as_seq().unwrap();
        assert_eq!(y[0].get("k").unwrap().as_str(), Some("v"));
        assert_eq!(slice(text, y[0].span), "k: v");
        assert_eq!(y[1].value, Value::Map(vec![]));
    }

    #[test]
    fn quoted_strings_with_escapes() {
        let text = "a: \"tab\\there \\u00e9 \\x41 \\\"q\\\"\"\nb: 'it''s'\nc: \"multi\n  line\"\nd: '80'\n";
        let root = one(text);
        assert_eq!(root.get("a").unwrap().as_str(), Some("tab\there é A \"q\""));
        assert_eq!(
            slice(text, root.get("a").unwrap().span),
            "\"tab\\there \\u00e9 \\x41 \\\"q\\\"\""
        );
        assert_eq!(root.get("b").unwrap().as_str(), Some("it's"));
        assert_eq!(slice(text, root.get("b").unwrap().span), "'it''s'");
        assert_eq!(root.get("c").unwrap().as_str(), Some("multi line"));
        assert_eq!(
            slice(text, root.get("c").unwrap().span),
            "\"multi\n  line\""
        );
        assert_eq!(root.get("d").unwrap().as_str(), Some("80"));
    }

    #[test]
    fn compose_interpolation_stays_plain_text() {
        let text = "\
services:
  web:
    image: ${IMAGE:-nginx:1.27}
    ports:
    - \"${PORT:-8080}:80\"
    - ${HOST_PORT:-9000}:9000
    environment:
      - FOO=${FOO:-bar}
      BAZ: ${BAZ?required}
";
        // The last line is an error in real compose; drop it.
        let text = &text[..text.find("      BAZ").unwrap()];
        let root = one(text);
        let web = path(&root, &["services", "web"]);
        assert_eq!(
            web.get("image").unwrap().as_str(),
            Some("${IMAGE:-nginx:1.27}")
        );
        let ports = web.get("ports").unwrap();
        assert_eq!(
            slice(text, ports.span),
            "- \"${PORT:-8080}:80\"\n    - ${HOST_PORT:-9000}:9000"
        );
        assert_eq!(at(text, ports.span), (5, 5));
        assert_eq!(
            ports.as_seq().unwrap()[0].as_str(),
            Some("${PORT:-8080}:80")
        );
        assert_eq!(
            ports.as_seq().unwrap()[1].as_str(),
            Some("${HOST_PORT:-9000}:9000")
        );
        assert_eq!(
            path(web, &["environment", "0"]).as_str(),
            Some("FOO=${FOO:-bar}")
        );
    }

    #[test]
    fn positions_at_depth_with_bom_crlf_and_multibyte_text() {
        let text = "\u{feff}# café ☕ commentaire\r\napiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: \"ñandú\"\r\nspec:\r\n  containers:\r\n    - name: app # ünïcode\r\n      image: nginx:latest\r\n      securityContext:\r\n        privileged: true\r\n";
        let root = one(text);
        let name = path(&root, &["metadata", "name"]);
        assert_eq!(name.as_str(), Some("ñandú"));
        assert_eq!(slice(text, name.span), "\"ñandú\"");
        assert_eq!(at(text, name.span), (5, 9));
        let container = path(&root, &["spec", "containers", "0"]);
        assert_eq!(at(text, container.span), (8, 7));
        let image = container.entry("image").unwrap();
        assert_eq!(at(text, image.key_span), (9, 7));
        assert_eq!(slice(text, image.key_span), "image");
        assert_eq!(at(text, image.value.span), (9, 14));
        assert_eq!(slice(text, image.value.span), "nginx:latest");
        let privileged = path(container, &["securityContext"])
            .entry("privileged")
            .unwrap();
        assert_eq!(privileged.value.value, Value::Bool(true));
        assert_eq!(at(text, privileged.key_span), (11, 9));
        assert_eq!(at(text, privileged.value.span), (11, 21));
        assert_eq!(slice(text, privileged.value.span), "true");
        let containers = path(&root, &["spec", "containers"]);
        assert_eq!(at(text, containers.span), (8, 5));
        assert!(slice(text, containers.span).ends_with("privileged: true"));
        assert_eq!(at(text, root.span), (2, 1));
    }

    #[test]
    fn json_input_with_spans() {
        let text = "{\n  \"apiVersion\": \"v1\",\n  \"items\": [{\"a\": 1}, true, null, -2.5e3, \"\"],\n  \"n\": {}\n}";
        let root = one(text);
        assert_eq!(
            root.to_json(),
            serde_json::json!({"apiVersion": "v1", "items": [{"a": 1}, true, null, -2500.0, ""], "n": {}})
        );
        let entry = root.entry("apiVersion").unwrap();
        assert_eq!(slice(text, entry.key_span), "\"apiVersion\"");
        assert_eq!(at(text, entry.key_span), (2, 3));
        assert_eq!(slice(text, entry.value.span), "\"v1\"");
        let items = root.get("items").unwrap();
        assert_eq!(at(text, items.span), (3, 12));
        assert_eq!(slice(text, items.as_seq().unwrap()[0].span), "{\"a\": 1}");
        assert_eq!(slice(text, root.span), text);
        // Compact JSON too.
        assert_eq!(
            one("{\"a\":[1,2],\"b\":\"c\"}").to_json(),
            serde_json::json!({"a": [1, 2], "b": "c"})
        );
    }

    #[test]
    fn core_schema_scalars_and_tags() {
        let text = "\
- null
- ~
-
- true
- True
- FALSE
- yes
- on
- 0x1F
- 0o17
- 017
- -42
- +7
- 1e3
- 1.5
- .5
- .inf
- -.Inf
- .nan
- 9223372036854775808
- !!str 123
- !!int \"42\"
- !!float 1
- !!bool \"true\"
- !!null x
- !reset null
- !Ref Foo
- ! 12
- !!binary aGk=
- 1_000
- 0.1.2
- '1'
- 12:30
";
        let root = one(text);
        let items = root.as_seq().unwrap();
        use Value::*;
        let want = [
            Null,
            Null,
            Null,
            Bool(true),
            Bool(true),
            Bool(false),
            Str("yes".into()),
            Str("on".into()),
            Int(31),
            Int(15),
            Int(17),
            Int(-42),
            Int(7),
            Float(1000.0),
            Float(1.5),
            Float(0.5),
            Float(f64::INFINITY),
            Float(f64::NEG_INFINITY),
        ];
        for (i, w) in want.iter().enumerate() {
            assert_eq!(&items[i].value, w, "item {i}");
        }
        assert!(matches!(items[18].value, Float(f) if f.is_nan()));
        assert_eq!(items[19].value, Float(9223372036854775808.0));
        let rest = [
            Str("123".into()),
            Int(42),
            Float(1.0),
            Bool(true),
            Null,
            Null,
            Str("Foo".into()),
            Str("12".into()),
            Str("aGk=".into()),
            Str("1_000".into()),
            Str("0.1.2".into()),
            Str("1".into()),
            Str("12:30".into()),
        ];
        for (i, w) in rest.iter().enumerate() {
            assert_eq!(&items[20 + i].value, w, "item {}", 20 + i);
        }
        // Tagged values span the value token, not the tag.
        assert_eq!(slice(text, items[20].span), "123");
        assert_eq!(slice(text, items[26].span), "Foo");
    }

    #[test]
    fn keys_are_strings() {
        let text = "80: a\ntrue: b\n1.5: c\n~: d\n? [x, {y: 1}]\n: e\n\"q\": f\n? \n: g\n";
        let root = one(text);
        assert_eq!(
            keys(&root),
            ["80", "true", "1.5", "~", "[\"x\",{\"y\":1}]", "q", ""]
        );
        assert_eq!(slice(text, root.entry("80").unwrap().key_span), "80");
        assert_eq!(
            slice(text, root.entry("[\"x\",{\"y\":1}]").unwrap().key_span),
            "[x, {y: 1}]"
        );
        assert_eq!(slice(text, root.entry("q").unwrap().key_span), "\"q\"");
        // An alias as a key.
        let root = one("a: &k port\n*k : 80\n");
        assert_eq!(root.get("port").unwrap().value, Value::Int(80));
    }

    #[test]
    fn duplicate_keys_last_entry_wins() {
        let text = "a: 1\nb: 2\na: 3\n";
        let root = one(text);
        assert_eq!(keys(&root), ["b", "a"]);
        let a = root.entry("a").unwrap();
        assert_eq!(a.value.value, Value::Int(3));
        assert_eq!(at(text, a.key_span), (3, 1));
        // Many keys (the hashed path).
        let mut big: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        big.push_str("k3: last\n");
        let root = one(&big);
        assert_eq!(root.as_map().unwrap().len(), 40);
        assert_eq!(root.get("k3").unwrap().as_str(), Some("last"));
        assert_eq!(root.as_map().unwrap().last().unwrap().key, "k3");
    }

    #[test]
    fn null_values_have_zero_width_spans() {
        let text = "a:\nb: x\nc: &n\n";
        let root = one(text);
        let a = root.get("a").unwrap();
        assert_eq!(a.value, Value::Null);
        assert!(a.span.is_empty());
        assert_eq!(at(text, a.span), (1, 2));
        assert_eq!(root.get("c").unwrap().value, Value::Null);
    }

    #[test]
    fn alias_bomb_fails_fast() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let refs = vec![format!("*{}", w[0]); 9].join(",");
            text.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], refs));
        }
        let started = std::time::Instant::now();
        let e = err(&text);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert!(e.message.contains("possible alias bomb"), "{}", e.message);
        assert!(e.message.starts_with("alias *"), "{}", e.message);
        // A tighter budget stops earlier, and at the alias.
        let limits = Limits {
            max_nodes: 1000,
            ..Limits::default()
        };
        let e = parse(&text, &limits).unwrap_err();
        assert_eq!(
            e.message,
            "alias *c expands to more than 1000 nodes (possible alias bomb)"
        );
        assert_eq!(&text[e.span.start..e.span.end], "*c");
        assert_eq!(at(&text, e.span).0, 4);
        // Recursive alias.
        assert!(err("a: &a [*a]\n").message.contains("recursive"));
    }

    #[test]
    fn alias_copies_are_bounded_in_bytes() {
        let text = format!("a: &a \"{}\"\nb: [*a, *a, *a]\n", "x".repeat(1000));
        let limits = Limits {
            max_alias_bytes: 2500,
            ..Limits::default()
        };
        let e = parse(&text, &limits).unwrap_err();
        assert!(
            e.message
                .starts_with("alias *a copies 1000 bytes, making more than 2500 bytes of copies"),
            "{}",
            e.message
        );
        // The third alias crosses the bound.
        assert_eq!(e.span.start, text.rfind("*a").unwrap());
        // Keys count, and collections count their whole subtree.
        let text = "m: &m {key: value, k2: [v1, v2]}\nc: [*m, *m]\n";
        // 14 bytes a copy: `key`, `value`, `k2`, `v1`, `v2`.
        let limits = Limits {
            max_alias_bytes: 20,
            ..Limits::default()
        };
        assert_eq!(
            parse(text, &limits).unwrap_err().span.start,
            text.rfind("*m").unwrap()
        );
        assert!(parse(text, &Limits::default()).is_ok());
    }

    #[test]
    fn duplicate_keys_are_recorded_with_both_positions() {
        let text = "a: 1\nb: {x: 1, x: 2}\na: 3\na: 4\n<<: {b: 0}\n";
        let d = docs(text);
        let found: Vec<_> = d[0]
            .duplicate_keys
            .iter()
            .map(|k| (k.key.as_str(), at(text, k.first), at(text, k.second)))
            .collect();
        assert_eq!(
            found,
            [
                ("x", (2, 5), (2, 11)),
                ("a", (1, 1), (3, 1)),
                ("a", (1, 1), (4, 1))
            ]
        );
        // Merged keys and aliased copies are not duplicates; each document
        // keeps its own.
        let text = "x: &x {k: 1, k: 2}\ny: *x\n---\nz: 1\n";
        let d = docs(text);
        assert_eq!(d[0].duplicate_keys.len(), 1);
        assert!(d[1].duplicate_keys.is_empty());
    }

    #[test]
    fn deep_nesting_is_rejected_without_overflow() {
        for text in [
            "[".repeat(10_000),
            "[".repeat(100_000) + &"]".repeat(100_000),
            "{a: ".repeat(10_000),
            "- ".repeat(10_000) + "x",
            (0..1000)
                .map(|i| format!("{}k:\n", " ".repeat(i)))
                .collect(),
        ] {
            let e = err(&text);
            assert_eq!(e.message, "nesting deeper than 200 levels");
        }
        // 200 levels are fine.
        let ok = "[".repeat(200) + &"]".repeat(200);
        assert!(parse(&ok, &Limits::default()).is_ok());
        let too_deep = "[".repeat(201) + &"]".repeat(201);
        assert_eq!(err(&too_deep).span, Span::new(200, 201));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let text = "a: 1\nb: c: d\n";
        let e = err(text);
        assert_eq!(e.message, "mapping values are not allowed in this context");
        assert_eq!(at(text, e.span), (2, 5));
        let text = "a: \"unterminated\nb: 1\n";
        let e = err(text);
        assert!(e.message.contains("quoted scalar"), "{}", e.message);
        assert_eq!(at(text, e.span), (1, 4));
        let text = "é: 1\n  ü: [1, 2\n";
        let e = err(text);
        assert!(e.span.start <= text.len() && text.is_char_boundary(e.span.start));
        let text = "a: *nope\n";
        assert!(err(text).message.contains("unknown anchor"));
        let text = "x".repeat(100);
        let e = parse(
            &text,
            &Limits {
                max_bytes: 10,
                ..Limits::default()
            },
        )
        .unwrap_err();
        assert!(e.message.contains("more than the limit of 10 bytes"));
    }

    #[test]
    fn lenient_indentation_inside_flow_and_quoted_scalars() {
        let text = "\
svc:
  command: [
    \"start\",
  ]
  args: [
\"x\",
  ]
  message: 'long
  text'
  ports:
    - 80
";
        let root = one(text);
        let svc = root.get("svc").unwrap();
        assert_eq!(
            svc.get("command").unwrap().to_json(),
            serde_json::json!(["start"])
        );
        assert_eq!(svc.get("args").unwrap().to_json(), serde_json::json!(["x"]));
        assert_eq!(svc.get("message").unwrap().as_str(), Some("long text"));
        // Spans map back to the original text.
        let command = svc.get("command").unwrap();
        assert_eq!(slice(text, command.span), "[\n    \"start\",\n  ]");
        assert_eq!(slice(text, svc.get("args").unwrap().span), "[\n\"x\",\n  ]");
        assert_eq!(
            slice(text, svc.get("message").unwrap().span),
            "'long\n  text'"
        );
        let port = path(svc, &["ports", "0"]);
        assert_eq!(at(text, port.span), (11, 7));
        assert_eq!(slice(text, svc.entry("ports").unwrap().key_span), "ports");
        // A real error inside a flow collection is still an error.
        assert!(parse("a: [1, 2\nb: 3\n", &Limits::default()).is_err());
    }

    #[test]
    fn tabs_and_odd_whitespace() {
        let root = one("kind: Service\t\nspec: # c\t\n  a: 1\t\n");
        assert_eq!(root.get("kind").unwrap().as_str(), Some("Service"));
        assert_eq!(path(&root, &["spec", "a"]).value, Value::Int(1));
        assert!(parse("a:\n\tb: 1\n", &Limits::default()).is_err());
        let long = format!("a: {}\n", "x".repeat(1 << 20));
        assert_eq!(
            one(&long).get("a").unwrap().as_str().unwrap().len(),
            1 << 20
        );
    }

    #[test]
    fn block_scalar_headers_in_odd_places() {
        for (text, want, span) in [
            ("a: |", "", "|"),
            ("- |\n  x\n- >\n  y\n", "x\n", "|\n  x"),
            ("--- |\n  doc\n", "doc\n", "|\n  doc"),
            ("? |\n  k\n: v\n", "v", "v"),
            (
                "a: | # note: | > x\n  body\r\n",
                "body\n",
                "| # note: | > x\n  body",
            ),
            ("\"a |\": |\n  q\n", "q\n", "|\n  q"),
        ] {
            let root = one(text);
            let node = match &root.value {
                Value::Seq(items) => items[0].clone(),
                Value::Map(entries) => entries[0].value.clone(),
                _ => root.clone(),
            };
            assert_eq!(node.as_str(), Some(want), "{text:?}");
            assert_eq!(slice(text, node.span), span, "{text:?}");
        }
        assert_eq!(one("? |\n  k\n: v\n").as_map().unwrap()[0].key, "k\n");
    }

    #[test]
    fn node_count_counts_values() {
        assert_eq!(node_count(&one("a: [1, 2]\nb: {c: 3}\n")), 6);
    }
}
