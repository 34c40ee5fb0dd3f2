//! The syntax layer: parsers that turn text into source-mapped documents.
//! What each kind of artifact is lives in [`crate::kinds`].

pub mod dockerfile;
pub mod yaml;

use crate::document::Node;
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
    /// document was assembled from several files, or a Dockerfile `FROM`
    /// holds a global `ARG`'s default.
    pub related: std::collections::HashMap<crate::source::Span, crate::document::Related>,
    /// What the source found around the document (a Dockerfile's build
    /// context), as `input.context`.
    pub context: Option<serde_json::Value>,
}

impl Document {
    pub fn new(index: usize, node: Node) -> Self {
        Document {
            index,
            node,
            errors: Vec::new(),
            duplicate_keys: Vec::new(),
            related: Default::default(),
            context: None,
        }
    }
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
