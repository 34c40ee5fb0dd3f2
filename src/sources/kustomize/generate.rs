//! `configMapGenerator` and `secretGenerator`: ConfigMaps and Secrets
//! built from literals, files and env files, named with the content hash
//! suffix kustomize computes. Each data value points at the line (or file)
//! that set it.

use super::tree::{self, Resource};
use crate::document::{Entry, Node, Value};
use crate::source::Span;
use sha2::{Digest, Sha256};

/// A file a generator reads: its text, and the span of the whole text in
/// the unit.
pub struct Read {
    pub text: String,
    pub whole: Span,
}

pub type Reader<'a> = dyn FnMut(&Node) -> Result<Read, (Span, String)> + 'a;

/// The resources of one generator entry of kind `kind` (`ConfigMap` or
/// `Secret`) merged into `resources` as its `behavior` says.
pub fn generate(
    kind: &str,
    entry: &Node,
    options: Option<&Node>,
    resources: &mut Vec<Resource>,
    read: &mut Reader,
) -> Result<(), (Span, String)> {
    let name = entry
        .get("name")
        .and_then(Node::as_str)
        .ok_or((entry.span, "a generator needs a `name`".to_string()))?;
    let mut data: Vec<Entry> = Vec::new();
    let mut put = |key: String, key_span: Span, value: Node| {
        data.retain(|e| e.key != key);
        data.push(Entry {
            key,
            key_span,
            value,
        });
    };
    for literal in seq(entry, "literals") {
        let text = literal
            .as_str()
            .ok_or((literal.span, "a literal is `KEY=VALUE`".to_string()))?;
        let (key, value) = text.split_once('=').ok_or((
            literal.span,
            format!("literal `{}` is not `KEY=VALUE`", key_only(text)),
        ))?;
        put(
            key.to_string(),
            literal.span,
            tree::str_node(literal.span, unquote(value)),
        );
    }
    for file in seq(entry, "files") {
        let spec = file
            .as_str()
            .ok_or((file.span, "a file entry is a path".to_string()))?;
        let (key, path) = match spec.split_once('=') {
            Some((k, p)) => (k.to_string(), p),
            None => (spec.rsplit('/').next().unwrap_or(spec).to_string(), spec),
        };
        let path_node = tree::str_node(file.span, path);
        let read = read(&path_node)?;
        put(key, file.span, tree::str_node(read.whole, read.text));
    }
    let envs = seq(entry, "envs").chain(entry.get("env").filter(|n| n.as_str().is_some()));
    for env in envs {
        let read = read(env)?;
        let mut offset = 0;
        for line in read.text.split_inclusive('\n') {
            let start = read.whole.start + offset;
            offset += line.len();
            let text = line.trim_end_matches(['\n', '\r']).trim_start();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            // `KEY` alone takes the value from kustomize's environment:
            // never ours to read, so it is empty (as when unset).
            let (key, value) = text.split_once('=').unwrap_or((text, ""));
            let span = Span::new(start, start + line.trim_end().len()).in_file(read.whole.file);
            put(key.to_string(), span, tree::str_node(span, value));
        }
    }
    let secret = kind == "Secret";
    if secret {
        for e in &mut data {
            if let Value::Str(s) = &e.value.value {
                e.value.value = Value::Str(base64(s.as_bytes()));
            }
        }
    }
    let behavior = entry
        .get("behavior")
        .and_then(Node::as_str)
        .unwrap_or("create");
    let namespace = entry.get("namespace").and_then(Node::as_str);
    let no_hash = |n: Option<&Node>| {
        n.and_then(|o| o.get("disableNameSuffixHash"))
            .is_some_and(|d| d.value == Value::Bool(true))
    };
    let needs_hash = !no_hash(options) && !no_hash(entry.get("options"));
    let existing = resources.iter().position(|r| {
        r.kind() == kind && r.is_named(name) && namespace.is_none_or(|ns| r.namespace() == ns)
    });
    let span = entry.span;
    let data_node = Node::new(span, Value::Map(data));
    match (behavior, existing) {
        ("create", Some(_)) => Err((
            span,
            format!("{kind} `{name}` already exists; use `behavior: merge` or `replace`"),
        )),
        ("merge" | "replace", None) => Err((span, format!("no {kind} `{name}` to {behavior}"))),
        ("merge", Some(i)) => {
            let old = &mut resources[i];
            let target = tree::map_at(&mut old.node, &["data"], span);
            for e in data_node.as_map().unwrap_or_default() {
                tree::set(target, &e.key, e.value.clone());
            }
            add_metadata(&mut old.node, options, entry, span);
            old.needs_hash |= needs_hash;
            Ok(())
        }
        ("replace", Some(i)) => {
            let old = &mut resources[i];
            tree::set(&mut old.node, "data", data_node);
            add_metadata(&mut old.node, options, entry, span);
            old.needs_hash = needs_hash;
            Ok(())
        }
        ("create", None) => {
            let mut node = Node::new(span, Value::Map(Vec::new()));
            tree::set(&mut node, "apiVersion", tree::str_node(span, "v1"));
            tree::set(&mut node, "kind", tree::str_node(span, kind));
            let metadata = tree::map_at(&mut node, &["metadata"], span);
            tree::set(metadata, "name", tree::str_node(span, name));
            if let Some(ns) = namespace {
                tree::set(metadata, "namespace", tree::str_node(span, ns));
            }
            add_metadata(&mut node, options, entry, span);
            if secret {
                let kind_of = entry
                    .get("type")
                    .cloned()
                    .unwrap_or(tree::str_node(span, "Opaque"));
                tree::set(&mut node, "type", kind_of);
            }
            let immutable = [options, entry.get("options")]
                .into_iter()
                .flatten()
                .filter_map(|o| o.get("immutable"))
                .find(|i| i.value == Value::Bool(true));
            if let Some(immutable) = immutable {
                tree::set(&mut node, "immutable", immutable.clone());
            }
            if data_node.as_map().is_some_and(|d| !d.is_empty()) {
                tree::set(&mut node, "data", data_node);
            }
            let mut resource = Resource::new(node);
            resource.needs_hash = needs_hash;
            resources.push(resource);
            Ok(())
        }
        (other, _) => Err((
            span,
            format!("unknown behavior `{other}` (create, merge or replace)"),
        )),
    }
}

fn key_only(text: &str) -> &str {
    text.split_once('=').map_or(text, |(k, _)| k)
}

fn seq<'a>(node: &'a Node, key: &str) -> impl Iterator<Item = &'a Node> {
    node.get(key)
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
}

fn unquote(value: &str) -> &str {
    let quoted = |q: char| value.len() >= 2 && value.starts_with(q) && value.ends_with(q);
    match quoted('"') || quoted('\'') {
        true => &value[1..value.len() - 1],
        false => value,
    }
}

/// `generatorOptions` and the entry's `options`: labels and annotations.
fn add_metadata(node: &mut Node, options: Option<&Node>, entry: &Node, span: Span) {
    for source in [options, entry.get("options")].into_iter().flatten() {
        for field in ["labels", "annotations"] {
            let Some(pairs) = source.get(field).and_then(Node::as_map) else {
                continue;
            };
            let target = tree::map_at(node, &["metadata", field], span);
            for e in pairs {
                tree::set(target, &e.key, e.value.clone());
            }
        }
    }
}

/// The suffix kustomize appends to a generated name: the SHA-256 of the
/// object's kind, type and data as Go's JSON encoder writes them, its first
/// ten hex digits with some replaced so that no word is spelled.
pub fn hash_suffix(resource: &Resource) -> String {
    let node = &resource.node;
    let mut fields: Vec<(&str, String)> = Vec::new();
    let strings = |key: &str| -> Option<String> {
        let entries = node.get(key)?.as_map()?;
        let mut pairs: Vec<(&str, String)> = entries
            .iter()
            .map(|e| (e.key.as_str(), go_json(&scalar_text(&e.value))))
            .collect();
        pairs.sort();
        let body: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}:{v}", go_json(k)))
            .collect();
        Some(format!("{{{}}}", body.join(",")))
    };
    fields.push(("data", strings("data").unwrap_or_else(|| "{}".into())));
    if resource.kind() == "ConfigMap" {
        if let Some(binary) = strings("binaryData").filter(|b| b != "{}") {
            fields.push(("binaryData", binary));
        }
    }
    fields.push(("kind", go_json(resource.kind())));
    fields.push(("name", go_json("")));
    if resource.kind() == "Secret" {
        let kind_of = node.get("type").map(scalar_text).unwrap_or_default();
        fields.push(("type", go_json(&kind_of)));
    }
    fields.sort();
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
    let digest = Sha256::digest(format!("{{{}}}", body.join(",")).as_bytes());
    digest
        .iter()
        .flat_map(|b| [b >> 4, b & 15])
        .take(10)
        .map(|d| match d {
            0 => 'g',
            1 => 'h',
            3 => 'k',
            10 => 'm',
            14 => 't',
            d => char::from_digit(d as u32, 16).unwrap_or('x'),
        })
        .collect()
}

fn scalar_text(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// A JSON string as Go's `encoding/json` writes it (HTML-safe).
fn go_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..4 {
            match i <= chunk.len() {
                true => out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char),
                false => out.push('='),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_yaml;

    fn resource(text: &str) -> Resource {
        Resource::new(parse_yaml(text).unwrap().remove(0).node)
    }

    #[test]
    fn hashes_are_kustomizes() {
        // Suffixes `kubectl kustomize` (v5.5) gave for these objects.
        let map = resource("kind: ConfigMap\nmetadata: {name: X}\ndata: {a: b}\n");
        assert_eq!(hash_suffix(&map), "4h2mbtbbt6");
        let merged = resource("kind: ConfigMap\nmetadata: {name: pre-X}\ndata: {c: d, a: b}\n");
        assert_eq!(hash_suffix(&merged), "fh478f99mk");
        let secret = resource("kind: Secret\ntype: Opaque\nmetadata: {name: S}\ndata: {p: cTwm}\n");
        assert_eq!(hash_suffix(&secret), "tm99t7dc82");
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b"q<&"), "cTwm");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b""), "");
    }
}
