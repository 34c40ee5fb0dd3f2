//! Built images: layouts and archives (read by [`crate::image`]), and
//! image configs or `docker image inspect` output read as text.

use super::{ConftestInput, KindSpec};
use crate::document::{Node, Step, Value};
use crate::model;
use crate::parse::{parse_yaml, Document};
use crate::snippet::shorten;
use regorus::Value as RegoValue;

/// A built image: a layout directory or a `*.tar` archive (read by
/// [`crate::image`], not as text), or a JSON image config (OCI or Docker) or
/// `docker image inspect` output, read as text with exact positions.
pub static IMAGE: KindSpec = KindSpec {
    name: "image",
    by_name: crate::image::is_archive_name,
    confirm: None,
    by_content: Some(|node| match &node.value {
        Value::Seq(items) => !items.is_empty() && items.iter().all(is_image_config),
        _ => is_image_config(node),
    }),
    parse: parse_yaml,
    normalize: model::image::normalize,
    wants: is_image_config,
    split: Some(|docs| {
        docs.into_iter()
            .flat_map(|d| match d.node.value {
                Value::Seq(items) => items
                    .into_iter()
                    .enumerate()
                    .map(|(index, node)| Document::new(index, node))
                    .collect(),
                _ => vec![d],
            })
            .collect()
    }),
    trailing_comments: true,
    annotations: false,
    related: false,
    conftest_input: ConftestInput::Document,
    logical_location: Some(|path, input| Some(logical_location(path, &input["image"]))),
    fence: "yaml",
    analyzers: &[],
};

/// An OCI/Docker image config (`rootfs` and `architecture`/`config`), or
/// one image of `docker image inspect` (`RootFS` and `Config`/`Id`).
fn is_image_config(node: &Node) -> bool {
    let has_map = |k| matches!(node.get(k).map(|n| &n.value), Some(Value::Map(_)));
    let has = |k| node.get(k).is_some();
    (has_map("rootfs") && (has("architecture") || has("config") || has("os")))
        || (has_map("RootFS") && (has("Config") || has("Id")))
}

/// Where in an image a rule's path points, in words: `config.User`,
/// `history[3] RUN …` (redacted), `layer sha256:… path`, `reference app:1`.
fn logical_location(path: Option<&[Step]>, image: &RegoValue) -> String {
    let path = path.unwrap_or(&[]);
    let text = |v: &RegoValue| match v {
        RegoValue::String(s) => Some(s.to_string()),
        _ => None,
    };
    let at = |list: &str, i: usize| match &image[list] {
        RegoValue::Array(items) => items.get(i).cloned(),
        _ => None,
    };
    let dotted = || {
        let mut out = String::new();
        for step in path {
            match step {
                Step::Key(k) if out.is_empty() => out.push_str(k),
                Step::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        if out.is_empty() {
            out.push_str("image");
        }
        out
    };
    let found = match path {
        [Step::Key(k), Step::Index(j), ..] if k == "files" => {
            at("files", *j).and_then(|f| text(&f["location"]))
        }
        [Step::Key(k), Step::Index(i), ..] if k == "references" => at("references", *i)
            .and_then(|r| text(&r))
            .map(|r| format!("reference {r}")),
        [Step::Key(k), Step::Index(i), ..] if k == "layers" => at("layers", *i)
            .and_then(|l| text(&l["digest"]))
            .map(|d| format!("layer {d}")),
        [Step::Key(k), Step::Index(i), ..] if k == "history" => {
            at("history", *i).map(|h| match text(&h["created_by"]) {
                Some(c) => format!("history[{i}] {}", shorten(c.trim(), 100)),
                None => format!("history[{i}]"),
            })
        }
        _ => None,
    };
    found.unwrap_or_else(dotted)
}
