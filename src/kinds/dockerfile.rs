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
    confirm: Some(not_a_dockerfile),
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
    analyzers: &[super::Analyzer {
        rule: crate::shellcheck::RULE,
        run: crate::shellcheck::annotate,
    }],
};

/// The related location of a `FROM` reference that holds a global `ARG`:
/// the bare `ARG` that leaves it unresolved, else the first `ARG` whose
/// default it took.
pub(crate) fn build_arg_lines(doc: &Node) -> HashMap<Span, Related> {
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
        let bare = image
            .unresolved
            .iter()
            .filter(|name| !build_args::PLATFORM_ARGS.contains(&name.as_str()))
            .find_map(|name| Some((name, args.get(name)?)));
        let line = match (bare, image.build_args.first()) {
            (Some((name, arg)), _) => {
                let default = match arg.value {
                    Some(_) => "an empty default",
                    None => "no default",
                };
                (&arg.at, format!("`{name}` is declared here with {default}"))
            }
            (None, Some(arg)) => (&arg.at, format!("`{}` is set here", arg.name)),
            (None, None) => continue,
        };
        related.insert(
            base.span,
            Related {
                span: doc.locate(&line.0 .0).span,
                message: line.1,
            },
        );
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
