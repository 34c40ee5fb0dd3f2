//! The Dockerfiles a compose project builds, judged as `docker compose
//! build` runs them: with the build context its `build:` names (not the
//! Dockerfile's directory) and its `build.args` as the values of the
//! Dockerfile's global `ARG`s, so `FROM ${BASE}` reads the image compose
//! would pull. Such a Dockerfile is read through the project only (the
//! walk's own target for it is dropped), and only when it and its context
//! lie inside the project's directory.

use super::{inside, Project};
use crate::document::{Entry, Node, Value};
use crate::finding::{FileError, Origin};
use crate::kinds;
use crate::source::{read_input, FileId, SourceFile, Span, TOO_LARGE_ADVICE};
use crate::sources::build_context::context_facts;
use crate::sources::Loaded;
use serde_json::{json, Map, Value as Json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The key of a Dockerfile document that holds the build arguments a
/// compose file gives it (`input.document.build_args`).
pub const BUILD_ARGS_KEY: &str = "build_args";

/// One service's `build:`.
struct Build<'a> {
    service: &'a str,
    context: PathBuf,
    dockerfile: PathBuf,
    /// `args` entries with a literal value, as nodes of the compose files.
    args: Vec<(String, Node)>,
}

/// The builds of a compose document's services, in service order, paths
/// resolved against `dir`. Remote contexts (`https://…`, `git@…`), inline
/// Dockerfiles and paths that still hold a variable are left out.
fn builds<'a>(node: &'a Node, dir: &Path) -> Vec<Build<'a>> {
    let Some(services) = node.get("services").and_then(Node::as_map) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for service in services {
        let Some(build) = service.value.get("build") else {
            continue;
        };
        let (context, dockerfile, args) = match &build.value {
            Value::Str(context) => (context.as_str(), "Dockerfile", None),
            Value::Map(_) => {
                if build.get("dockerfile_inline").is_some() {
                    continue;
                }
                let context = build.get("context").and_then(Node::as_str).unwrap_or(".");
                let dockerfile = build
                    .get("dockerfile")
                    .and_then(Node::as_str)
                    .unwrap_or("Dockerfile");
                (context, dockerfile, build.get("args"))
            }
            _ => continue,
        };
        let local = |p: &str| !(p.contains("://") || p.contains('$') || p.starts_with("git@"));
        if !local(context) || !local(dockerfile) || Path::new(dockerfile).is_absolute() {
            continue;
        }
        let context = dir.join(context);
        let dockerfile = context.join(dockerfile);
        out.push(Build {
            service: &service.key,
            context,
            dockerfile,
            args: args.map(literal_args).unwrap_or_default(),
        });
    }
    out
}

/// `args` as a map (`BASE: python:3.12`) or a list (`- BASE=python:3.12`).
/// An argument without a value (taken from the shell's environment, which
/// is never read) or still holding a variable is left out.
fn literal_args(args: &Node) -> Vec<(String, Node)> {
    let known = |v: &str| !v.contains('$');
    match &args.value {
        Value::Map(entries) => entries
            .iter()
            .filter_map(|e| {
                let text = crate::model::kubernetes::scalar_text(&e.value)?;
                known(&text).then(|| (e.key.clone(), Node::new(e.value.span, Value::Str(text))))
            })
            .collect(),
        Value::Seq(items) => items
            .iter()
            .filter_map(|item| {
                let (name, value) = item.as_str()?.split_once('=')?;
                // The value's own bytes: after `NAME=` in the item's text,
                // when the item is written plainly.
                let span = match item.span.len() == name.len() + 1 + value.len() {
                    true => Span {
                        start: item.span.start + name.len() + 1,
                        ..item.span
                    },
                    false => item.span,
                };
                known(value).then(|| (name.to_string(), Node::new(span, Value::Str(value.into()))))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The Dockerfiles the compose file `node` (in `dir`) builds inside `dir`,
/// symlinks resolved: what the walk must not also read alone.
pub(super) fn built_dockerfiles(node: &Node, dir: &Path, out: &mut BTreeSet<PathBuf>) {
    for build in builds(node, dir) {
        if inside(dir, &build.dockerfile) && inside(dir, &build.context) {
            if let Ok(real) = std::fs::canonicalize(&build.dockerfile) {
                out.insert(real);
            }
        }
    }
}

/// The Dockerfiles an assembled project builds, each a unit of its own:
/// the Dockerfile (file 0) and the compose files that set its arguments.
/// A Dockerfile built by several services is judged with the first. Also
/// what each building service's image sets (`user`, `uid`, `healthcheck` of
/// the final stage, and the Dockerfile), by service name: rules judge a
/// service without `user:` by the image it builds.
pub(super) fn read(project: &mut Project, node: &Node) -> (Vec<Loaded>, Map<String, Json>) {
    let mut out = Vec::new();
    let mut facts = Map::new();
    let mut read: BTreeMap<PathBuf, Option<Json>> = BTreeMap::new();
    for build in builds(node, &project.dir) {
        // Outside the project (`context: ..`): judged alone, as before.
        if !build.dockerfile.is_file()
            || !inside(&project.dir, &build.dockerfile)
            || !inside(&project.dir, &build.context)
        {
            continue;
        }
        let shown = tidy(&project.shown(&build.dockerfile));
        let Ok(real) = std::fs::canonicalize(&build.dockerfile) else {
            continue;
        };
        let image = match read.get(&real) {
            Some(image) => image.clone(),
            None => {
                let (unit, image) = dockerfile_unit(project, &build, shown);
                out.push(unit);
                read.insert(real, image.clone());
                image
            }
        };
        if let Some(image) = image {
            facts.insert(build.service.to_string(), image);
        }
    }
    (out, facts)
}

/// What the final stage of a parsed Dockerfile sets, for the services that
/// build it.
fn image_facts(document: &Node, shown: &str) -> Json {
    let model = (kinds::DOCKERFILE.normalize)(document);
    let container = model.workloads.first().and_then(|w| w.containers.first());
    json!({
        "dockerfile": shown,
        "user": container.and_then(|c| c.user.clone()),
        "uid": container.and_then(|c| c.uid),
        "healthcheck": container.and_then(|c| c.health.healthcheck),
    })
}

fn dockerfile_unit(project: &Project, build: &Build, shown: String) -> (Loaded, Option<Json>) {
    let text = match read_input(&build.dockerfile, TOO_LARGE_ADVICE) {
        Ok(text) => text,
        Err(message) => return (Loaded::Error(FileError::whole(shown, message)), None),
    };
    let source = SourceFile::new(shown, text);
    let mut documents = match (kinds::DOCKERFILE.parse)(&source.text) {
        Ok(documents) => documents,
        Err(e) => {
            return (
                Loaded::Error(FileError::at(&source, e.span, e.message)),
                None,
            )
        }
    };
    // The compose files the arguments were set in become files 1, 2…
    let mut others: Vec<FileId> = Vec::new();
    let mut entries = Vec::new();
    for (name, value) in &build.args {
        let old = value.span.file;
        let position = match others.iter().position(|f| *f == old) {
            Some(i) => i,
            None => {
                others.push(old);
                others.len() - 1
            }
        };
        let file = FileId(position as u32 + 1);
        let value = Node::new(value.span.in_file(file), value.value.clone());
        entries.push(Entry {
            key: name.clone(),
            key_span: value.span,
            value,
        });
    }
    let compose = project.shown(&project.paths[0]);
    for doc in &mut documents {
        if !entries.is_empty() {
            if let Value::Map(top) = &mut doc.node.value {
                top.push(Entry {
                    key: BUILD_ARGS_KEY.into(),
                    key_span: entries[0].key_span,
                    value: Node::new(entries[0].key_span, Value::Map(entries.clone())),
                });
            }
            doc.related = kinds::dockerfile::build_arg_lines(&doc.node);
        }
        let mut context = context_facts(&build.dockerfile, &build.context);
        context["compose"] = serde_json::json!({"file": compose, "service": build.service});
        doc.context = Some(context);
    }
    let image = documents
        .first()
        .map(|d| image_facts(&d.node, &source.path));
    let unit = Loaded::Parsed {
        primary: source,
        others: others
            .iter()
            .map(|id| project.files[id.0 as usize].clone())
            .collect(),
        kind: &kinds::DOCKERFILE,
        origin: Origin::File,
        documents,
    };
    (unit, image)
}

/// `shown` without `.` and `..` steps (`./a/../b/Dockerfile` is
/// `./b/Dockerfile`), keeping a leading `./` as the walk shows paths.
fn tidy(shown: &str) -> String {
    let lead = if shown.starts_with("./") { "./" } else { "" };
    let path = crate::sources::discover::normalize(Path::new(shown));
    format!("{lead}{}", path.to_string_lossy())
}
