//! Dockerfiles (and Containerfiles), parsed by the in-tree parser.

use super::{ConftestInput, KindSpec};
use crate::model;
use crate::parse::{dockerfile, Document, ParseError};

pub static DOCKERFILE: KindSpec = KindSpec {
    name: "dockerfile",
    by_name: is_dockerfile_name,
    confirm: Some(not_a_dockerfile),
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
        ".rego",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".svg",
        ".ico",
        ".pdf",
        ".gz",
        ".tgz",
        ".zip",
        ".tar",
        ".lock",
        ".log",
        ".csv",
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

/// Instructions a Dockerfile (or a fragment of one) starts with.
const INSTRUCTIONS: &[&str] = &[
    "from",
    "arg",
    "run",
    "cmd",
    "label",
    "maintainer",
    "expose",
    "env",
    "add",
    "copy",
    "entrypoint",
    "volume",
    "user",
    "workdir",
    "onbuild",
    "stopsignal",
    "healthcheck",
    "shell",
];

/// `Dockerfile`, `Containerfile` and `*.dockerfile` are Dockerfiles by name;
/// a variant (`Dockerfile.prod`, `dockerfile.rego`) must start with an
/// instruction after its comments and blank lines.
fn not_a_dockerfile(name: &str, text: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if matches!(lower.as_str(), "dockerfile" | "containerfile")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
    {
        return None;
    }
    let first = text
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}').trim())
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    let word = first
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("");
    if INSTRUCTIONS.contains(&word.to_ascii_lowercase().as_str()) {
        return None;
    }
    // The text itself is never echoed: a line of it may be a secret.
    Some(match word {
        "" => "named like a Dockerfile, but holds no instruction".to_string(),
        _ => "named like a Dockerfile, but its first line is no Dockerfile instruction".to_string(),
    })
}
