//! Kinds of artifact and their parsers. Adding a kind is one module here
//! plus one line in [`KINDS`].

pub mod dockerfile;
pub mod yaml;

use crate::document::{Node, Value};
use crate::model::{self, Model};
use crate::source::Span;

/// A syntax error, with the span it was found at.
#[derive(Debug, Clone)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
}

/// One document of a file (a YAML stream holds several).
#[derive(Debug, Clone)]
pub struct Document {
    pub index: usize,
    pub node: Node,
    /// Errors the parser recovered from (`FROM` without an image): the
    /// document is still checked, and the file is reported as an error too.
    pub errors: Vec<ParseError>,
    /// Mapping keys written twice (YAML keeps the last; CP003 reports them).
    pub duplicate_keys: Vec<yaml::DuplicateKey>,
    /// Second locations of nodes, by the node's span: empty unless the
    /// document was assembled from several files.
    pub related: std::collections::HashMap<crate::source::Span, crate::document::Related>,
}

impl Document {
    pub fn new(index: usize, node: Node) -> Self {
        Document {
            index,
            node,
            errors: Vec::new(),
            duplicate_keys: Vec::new(),
            related: Default::default(),
        }
    }
}

/// What the tool knows about one kind of artifact.
pub struct KindSpec {
    /// The kind's name in output and in `--kind`.
    pub name: &'static str,
    /// Claims a file by its name alone (`Dockerfile`, `compose.yaml`).
    pub by_name: fn(&str) -> bool,
    /// Claims a parsed YAML/JSON document by its content.
    pub by_content: Option<fn(&Node) -> bool>,
    /// Parses the whole text into documents.
    pub parse: fn(&str) -> Result<Vec<Document>, ParseError>,
    /// Normalizes one document into the workload model.
    pub normalize: fn(&Node) -> Model,
    /// A document the kind does not describe (an empty YAML document, a
    /// document with no `kind` in a manifest file) is not evaluated.
    pub wants: fn(&Node) -> bool,
    /// Splits a parsed document into the documents that are evaluated
    /// (`docker image inspect` prints an array of images).
    pub split: Option<fn(Vec<Document>) -> Vec<Document>>,
}

pub static KINDS: &[KindSpec] = &[DOCKERFILE, COMPOSE, KUBERNETES, IMAGE, CONTAINER];

impl std::fmt::Debug for KindSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

pub fn kind(name: &str) -> Option<&'static KindSpec> {
    KINDS.iter().find(|k| k.name == name)
}

pub fn kind_names() -> Vec<&'static str> {
    KINDS.iter().map(|k| k.name).collect()
}

/// Files whose content is looked at when no kind claims their name.
pub fn is_structured_data(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json")
}

const DOCKERFILE: KindSpec = KindSpec {
    name: "dockerfile",
    by_name: is_dockerfile_name,
    by_content: None,
    parse: |text| {
        let parsed = dockerfile::parse(text).map_err(|e| ParseError {
            span: e.span,
            message: e.message,
        })?;
        Ok(vec![Document {
            errors: parsed
                .problems
                .iter()
                .map(|e| ParseError {
                    span: e.span,
                    message: e.message.clone(),
                })
                .collect(),
            ..Document::new(0, parsed.to_node())
        }])
    },
    normalize: model::dockerfile::normalize,
    wants: |_| true,
    split: None,
};

const COMPOSE: KindSpec = KindSpec {
    name: "compose",
    by_name: |name| {
        let lower = name.to_ascii_lowercase();
        let yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
        yaml && (lower.starts_with("compose.") || lower.starts_with("docker-compose"))
    },
    by_content: Some(|node| matches!(node.get("services").map(|s| &s.value), Some(Value::Map(_)))),
    parse: parse_yaml,
    normalize: model::compose::normalize,
    wants: |node| matches!(node.value, Value::Map(_)),
    split: None,
};

const KUBERNETES: KindSpec = KindSpec {
    name: "kubernetes",
    by_name: |_| false,
    by_content: Some(is_kubernetes_object),
    parse: parse_yaml,
    normalize: model::kubernetes::normalize,
    wants: is_kubernetes_object,
    split: None,
};

/// Containers as `docker inspect` prints them (saved to a file, or read
/// live from the Engine API by the runtime stage): one document, the array.
const CONTAINER: KindSpec = KindSpec {
    name: "container",
    by_name: |_| false,
    by_content: Some(model::container::is_inspect_output),
    parse: parse_yaml,
    normalize: model::container::normalize,
    wants: model::container::is_inspect_output,
    split: None,
};

/// A built image: a layout directory or a `*.tar` archive (read by
/// [`crate::image`], not as text), or a JSON image config (OCI or Docker) or
/// `docker image inspect` output, read as text with exact positions.
const IMAGE: KindSpec = KindSpec {
    name: "image",
    by_name: crate::image::is_archive_name,
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
};

/// An OCI/Docker image config (`rootfs` and `architecture`/`config`), or
/// one image of `docker image inspect` (`RootFS` and `Config`/`Id`).
fn is_image_config(node: &Node) -> bool {
    let has_map = |k| matches!(node.get(k).map(|n| &n.value), Some(Value::Map(_)));
    let has = |k| node.get(k).is_some();
    (has_map("rootfs") && (has("architecture") || has("config") || has("os")))
        || (has_map("RootFS") && (has("Config") || has("Id")))
}

/// `Dockerfile`, `Dockerfile.prod`, `Dockerfile-alt`, `Dockerfile_test`,
/// `app.dockerfile`, `Containerfile`… but not `Dockerfile.md` or the
/// BuildKit per-Dockerfile ignore file `Dockerfile.dockerignore`.
fn is_dockerfile_name(name: &str) -> bool {
    const NOT_DOCKERFILES: &[&str] = &[
        ".dockerignore",
        ".md",
        ".txt",
        ".yaml",
        ".yml",
        ".json",
        ".sh",
        ".py",
        ".go",
        ".rs",
        ".js",
        ".ts",
        ".toml",
        ".xml",
        ".html",
        ".bak",
        ".orig",
        ".swp",
    ];
    let lower = name.to_ascii_lowercase();
    if NOT_DOCKERFILES.iter().any(|ext| lower.ends_with(ext)) {
        return false;
    }
    let stem_ok = |stem: &str| {
        lower
            .strip_prefix(stem)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '-', '_']))
    };
    stem_ok("dockerfile")
        || stem_ok("containerfile")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
}

fn is_kubernetes_object(node: &Node) -> bool {
    let is_str = |k| matches!(node.get(k).map(|n| &n.value), Some(Value::Str(_)));
    is_str("apiVersion") && is_str("kind")
}

pub fn parse_yaml(text: &str) -> Result<Vec<Document>, ParseError> {
    let docs = yaml::parse(text, &yaml::Limits::default()).map_err(|e| ParseError {
        span: e.span,
        message: e.message,
    })?;
    Ok(docs
        .into_iter()
        .map(|d| Document {
            duplicate_keys: d.duplicate_keys,
            ..Document::new(d.index, d.node)
        })
        .collect())
}

/// The kind of a structured-data file, from its first non-empty document.
pub fn detect_by_content(docs: &[Document]) -> Option<&'static KindSpec> {
    KINDS.iter().find(|k| {
        k.by_content
            .is_some_and(|claims| docs.iter().any(|d| claims(&d.node)))
    })
}
