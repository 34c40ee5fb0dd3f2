//! Dockerfiles (and Containerfiles), parsed by the in-tree parser.

use super::{ConftestInput, KindSpec};
use crate::document::{Node, Related};
use crate::model::{self, build_args, ImageRef};
use crate::parse::{dockerfile, Document, ParseError};
use crate::source::Span;
use std::collections::HashMap;

pub static DOCKERFILE: KindSpec = KindSpec {
    name: "dockerfile",
    by_name: is_dockerfile_name,
    by_content: None,
    parse: |text| {
        let parsed = dockerfile::parse(text).map_err(|e| ParseError {
            span: e.span,
            message: e.message,
        })?;
        let node = parsed.to_node();
        Ok(vec![Document {
            errors: parsed
                .problems
                .iter()
                .map(|e| ParseError {
                    span: e.span,
                    message: e.message.clone(),
                })
                .collect(),
            related: build_arg_lines(&node),
            ..Document::new(0, node)
        }])
    },
    normalize: model::dockerfile::normalize,
    wants: |_| true,
    split: None,
    trailing_comments: false,
    annotations: false,
    related: false,
    conftest_input: ConftestInput::Dockerfile,
    logical_location: None,
    fence: "dockerfile",
};

/// A `FROM` reference resolved through a global `ARG` default: the `ARG`
/// that set it (the first one used) is its related location.
fn build_arg_lines(doc: &Node) -> HashMap<Span, Related> {
    let mut related = HashMap::new();
    let args = build_args::global_args(doc);
    if args.is_empty() {
        return related;
    }
    let stages = doc.get("stages").and_then(Node::as_seq).unwrap_or(&[]);
    for base in stages.iter().filter_map(|s| s.get("base")) {
        let Some(written) = base.as_str() else {
            continue;
        };
        let image = ImageRef::resolve(written, &args);
        if let Some(arg) = image.build_args.first() {
            related.insert(
                base.span,
                Related {
                    span: doc.locate(&arg.at.0).span,
                    message: format!("`{}` is set here", arg.name),
                },
            );
        }
    }
    related
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
