//! `include` (compose v2.20+): other compose files whose services,
//! networks, volumes, secrets and configs become part of the project. An
//! entry is a path or `{path, project_directory, env_file}`; an included
//! file is interpolated with its own env file (default: the `.env` of its
//! project directory) over the including project's variables. A resource
//! defined both by the project and by an included file is an error, as in
//! compose. Included files are read only inside the project's directory.

use super::{extends, Env, Project};
use crate::document::{Entry, Node, Value};
use crate::parse::Document;
use crate::source::Span;
use std::path::{Path, PathBuf};

/// Deepest chain of files including others.
const MAX_DEPTH: usize = 8;
/// Most files included into one project, counting a file each time it is
/// included (a file including itself ten times, nested, must stay bounded).
const MAX_INCLUDED: usize = 64;
/// Top-level sections an included file contributes.
const SECTIONS: &[&str] = &["services", "networks", "volumes", "secrets", "configs"];

/// One `include` entry, its paths resolved.
pub(super) struct Include {
    pub paths: Vec<PathBuf>,
    pub project_directory: Option<PathBuf>,
    pub env_files: Vec<PathBuf>,
    pub span: Span,
}

/// The `include` entries of `node` (a compose file's top level), paths
/// resolved against `dir`, the directory of the file that declares them.
pub(super) fn entries(node: &Node, dir: &Path) -> Vec<Include> {
    let Some(Value::Seq(items)) = node.get("include").map(|n| &n.value) else {
        return Vec::new();
    };
    let strings = |n: Option<&Node>| -> Vec<PathBuf> {
        match n.map(|n| &n.value) {
            Some(Value::Str(s)) => vec![dir.join(s)],
            Some(Value::Seq(items)) => items
                .iter()
                .filter_map(Node::as_str)
                .map(|s| dir.join(s))
                .collect(),
            _ => Vec::new(),
        }
    };
    items
        .iter()
        .map(|item| match &item.value {
            Value::Str(s) => Include {
                paths: vec![dir.join(s)],
                project_directory: None,
                env_files: Vec::new(),
                span: item.span,
            },
            _ => Include {
                paths: strings(item.get("path")),
                project_directory: item
                    .get("project_directory")
                    .and_then(Node::as_str)
                    .map(|s| dir.join(s)),
                env_files: strings(item.get("env_file")),
                span: item.span,
            },
        })
        .filter(|i| !i.paths.is_empty())
        .collect()
}

/// Reads every file `document` includes into it (and the files those
/// include), then drops its `include` key.
pub(super) fn resolve(project: &mut Project, document: &mut Document, env: &Env, depth: usize) {
    let includes = {
        let declared_in = |n: &Node| project.dir_of_file(n.span.file);
        match document.node.get("include") {
            Some(node) => {
                let dir = declared_in(node);
                entries(&document.node, &dir)
            }
            None => return,
        }
    };
    let mut all_read = true;
    for include in includes {
        if depth >= MAX_DEPTH {
            project.error_at(
                include.span,
                format!("`include` nested deeper than {MAX_DEPTH} files; not read"),
            );
            all_read = false;
            break;
        }
        let project_dir = include
            .project_directory
            .clone()
            .unwrap_or_else(|| super::dir_of(&include.paths[0]).to_path_buf());
        let mut included_env = env.clone();
        let env_files = match include.env_files.is_empty() {
            true => vec![project_dir.join(".env")]
                .into_iter()
                .filter(|p| p.is_file())
                .collect(),
            false => include.env_files.clone(),
        };
        for path in env_files {
            if let Some(id) = project.read(&path, "an `include` env file") {
                let text = project.files[id.0 as usize].text.clone();
                included_env = included_env.with_file(&text, id);
            }
        }
        for path in &include.paths {
            if project.included >= MAX_INCLUDED {
                project.error_at(
                    include.span,
                    format!("the project includes more than {MAX_INCLUDED} files; not read"),
                );
                all_read = false;
                break;
            }
            project.included += 1;
            let Some(id) = project.read(path, "an included file") else {
                all_read = false;
                continue;
            };
            if id.0 == 0 || project.including.contains(&id) {
                project.error_at(
                    include.span,
                    format!(
                        "`include` of {} is a cycle; compose rejects it",
                        project.files[id.0 as usize].path
                    ),
                );
                all_read = false;
                continue;
            }
            let Some(mut included) = project.parse(id, &included_env) else {
                all_read = false;
                continue;
            };
            project.including.push(id);
            resolve(project, &mut included, &included_env, depth + 1);
            project.including.pop();
            let dir = super::dir_of(path).to_path_buf();
            let first = project.files.len() as u32;
            let shown_dir = match project.shown(&dir) {
                s if s.is_empty() || s.ends_with('/') => s,
                s => format!("{s}/"),
            };
            let extended = extends::resolve(&mut included.node, &dir, &shown_dir, first);
            for file in extended.files {
                let relative = file.path.strip_prefix(&shown_dir).unwrap_or(&file.path);
                project.push(&dir.join(relative), file);
            }
            let ids = first..project.files.len() as u32;
            project.interpolate(&mut included.node, &included_env, ids);
            project.notes.extend(
                extended
                    .skipped
                    .into_iter()
                    .map(crate::sources::Loaded::Skipped),
            );
            add_resources(project, document, included, include.span);
        }
    }
    // With every file read, `include` is done with; otherwise it stays, so
    // rules know services may be defined in what could not be read.
    if all_read {
        if let Value::Map(entries) = &mut document.node.value {
            entries.retain(|e| e.key != "include");
        }
    }
}

/// The included file's resources added to the project; one it defines too
/// is an error at the `include` entry.
fn add_resources(project: &mut Project, document: &mut Document, included: Document, at: Span) {
    document.duplicate_keys.extend(included.duplicate_keys);
    let Value::Map(sections) = included.node.value else {
        return;
    };
    let Value::Map(top) = &mut document.node.value else {
        return;
    };
    for section in sections {
        if !SECTIONS.contains(&section.key.as_str()) {
            continue;
        }
        let Value::Map(added) = section.value.value else {
            continue;
        };
        let Some(existing) = top.iter_mut().find(|e| e.key == section.key) else {
            top.push(Entry {
                key: section.key,
                key_span: section.key_span,
                value: Node::new(section.value.span, Value::Map(added)),
            });
            continue;
        };
        let Value::Map(have) = &mut existing.value.value else {
            continue;
        };
        for entry in added {
            match have.iter().find(|e| e.key == entry.key) {
                Some(_) => {
                    let kind = section.key.trim_end_matches('s');
                    let file = &project.files[entry.key_span.file.0 as usize].path;
                    let message = format!(
                        "{kind} `{}` is defined both by the project and by included {file}; compose rejects it (rename one)",
                        entry.key
                    );
                    project.error_at(at, message);
                }
                None => have.push(entry),
            }
        }
    }
}
