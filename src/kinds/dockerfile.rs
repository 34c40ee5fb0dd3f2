//! Dockerfiles (and Containerfiles), parsed by the in-tree parser.

use super::{ConftestInput, KindSpec};
use crate::model;
use crate::parse::{dockerfile, Document, ParseError};

pub static DOCKERFILE: KindSpec = KindSpec {
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
    trailing_comments: false,
    annotations: false,
    related: false,
    conftest_input: ConftestInput::Dockerfile,
    logical_location: None,
    fence: "dockerfile",
};

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
