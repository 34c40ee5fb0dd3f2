//! `extends`: a service built on another service of the same file or of
//! another file (`extends: {service: base, file: common.yaml}`), merged
//! under it by the merge rules. Another file is read only inside the
//! project's directory, and chains are bounded.

use super::{merge, outside};
use crate::document::{Node, Value};
use crate::finding::Skipped;
use crate::parse::parse_yaml;
use crate::source::{read_input, FileId, SourceFile, TOO_LARGE_ADVICE};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Longest chain of `extends` followed (compose rejects cycles).
const MAX_CHAIN: usize = 8;
/// Most `extends` resolved in one project: each copies a service, so a
/// hostile file of thousands of services extending a large one is bounded.
const MAX_EXTENDS: usize = 1_000;

/// Files `extends` read, numbered from `first_id`, and why others were not.
pub struct Extended {
    pub files: Vec<SourceFile>,
    pub skipped: Vec<Skipped>,
    /// Each file read once, however many services extend from it.
    read: HashMap<PathBuf, Option<Rc<Node>>>,
    /// `extends` resolved so far, against [`MAX_EXTENDS`].
    resolved: usize,
}

/// Resolves every service's `extends` in `document` (the merged project).
pub fn resolve(document: &mut Node, dir: &Path, display_dir: &str, first_id: u32) -> Extended {
    let mut out = Extended {
        files: Vec::new(),
        skipped: Vec::new(),
        read: HashMap::new(),
        resolved: 0,
    };
    let Some(services) = services_of(document) else {
        return out;
    };
    let names: Vec<String> = services.iter().map(|(k, _)| k.clone()).collect();
    for name in names {
        let resolved = resolve_service(document, &name, dir, display_dir, first_id, &mut out, 0);
        if let (Some(node), Some(services)) = (resolved, services_mut(document)) {
            if let Some(entry) = services.iter_mut().find(|e| e.key == name) {
                entry.value = node;
            }
        }
    }
    out
}

fn services_of(document: &Node) -> Option<Vec<(String, Node)>> {
    let entries = document.get("services")?.as_map()?;
    Some(
        entries
            .iter()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect(),
    )
}

fn services_mut(document: &mut Node) -> Option<&mut Vec<crate::document::Entry>> {
    let Value::Map(entries) = &mut document.value else {
        return None;
    };
    let services = entries.iter_mut().find(|e| e.key == "services")?;
    match &mut services.value.value {
        Value::Map(entries) => Some(entries),
        _ => None,
    }
}

/// The service `name` of `document` with its `extends` chain merged in.
fn resolve_service(
    document: &Node,
    name: &str,
    dir: &Path,
    display_dir: &str,
    first_id: u32,
    out: &mut Extended,
    depth: usize,
) -> Option<Node> {
    let service = document.get("services")?.get(name)?.clone();
    let extends = service.get("extends")?.clone();
    if depth >= MAX_CHAIN || out.resolved >= MAX_EXTENDS {
        return None;
    }
    out.resolved += 1;
    let (base_name, file) = match &extends.value {
        Value::Str(s) => (s.clone(), None),
        Value::Map(_) => (
            extends.get("service")?.as_str()?.to_string(),
            extends
                .get("file")
                .and_then(Node::as_str)
                .map(str::to_string),
        ),
        _ => return None,
    };
    let base = match file {
        None => resolve_service(
            document,
            &base_name,
            dir,
            display_dir,
            first_id,
            out,
            depth + 1,
        )
        .or_else(|| document.get("services")?.get(&base_name).cloned())?,
        Some(file) => {
            let path = dir.join(&file);
            let shown = format!("{display_dir}{file}");
            if let Some(skipped) = outside_tree(dir, &path) {
                out.skipped.push(Skipped {
                    path: shown,
                    ..skipped
                });
                return None;
            }
            let key = std::fs::canonicalize(&path).ok()?;
            let other = match out.read.get(&key) {
                Some(node) => node.clone()?,
                None => {
                    let id = FileId(first_id + out.files.len() as u32);
                    let text = read_input(&path, TOO_LARGE_ADVICE).unwrap_or_default();
                    let node = parse_yaml(&text)
                        .ok()
                        .and_then(|docs| docs.into_iter().next())
                        .map(|d| Rc::new(d.node.in_file(id)));
                    out.files.push(SourceFile::new(shown, text));
                    out.read.insert(key, node.clone());
                    node?
                }
            };
            let other_dir = path.parent().unwrap_or(dir).to_path_buf();
            resolve_service(
                &other,
                &base_name,
                &other_dir,
                display_dir,
                first_id,
                out,
                depth + 1,
            )
            .or_else(|| other.get("services")?.get(&base_name).cloned())?
        }
    };
    let mut later = service;
    if let Value::Map(entries) = &mut later.value {
        entries.retain(|e| e.key != "extends");
    }
    let mut base = base;
    if let Value::Map(entries) = &mut base.value {
        entries.retain(|e| e.key != "extends");
    }
    Some(merge::merge_service(base, later))
}

/// A file `extends` names is read only inside the project's directory.
fn outside_tree(dir: &Path, path: &Path) -> Option<Skipped> {
    if let Some(skipped) = outside(dir, path) {
        return Some(skipped);
    }
    let real_dir = std::fs::canonicalize(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    })
    .ok()?;
    match std::fs::canonicalize(path) {
        Ok(real) if real.starts_with(&real_dir) => None,
        Ok(_) => Some(Skipped {
            path: path.to_string_lossy().into_owned(),
            reason: "`extends` names a file outside the compose project's directory; not read"
                .into(),
        }),
        Err(_) => None,
    }
}
