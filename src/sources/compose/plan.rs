//! Which walked files are read through a compose project rather than
//! alone: an override file or a later `COMPOSE_FILE` entry (through the
//! project's first file), and the files a project reads by `include` or
//! `extends: {file}` (only through the project, else every finding in
//! them comes twice, once as if the file were deployed alone).

use super::{
    as_dir, builds, dir_of, dotenv_vars, file_list, file_name, include, outside, project_file,
    sibling_display, BASE_NAMES, OVERRIDE_NAMES,
};
use crate::document::{Node, Value};
use crate::kinds;
use crate::parse::parse_yaml;
use crate::source::{read_input, TOO_LARGE_ADVICE};
use crate::sources::discover::Target;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Most files followed through `include`/`extends` from one project.
const MAX_REFERENCED: usize = 256;

fn is_yaml(path: &Path) -> bool {
    let name = file_name(path);
    name.ends_with(".yaml") || name.ends_with(".yml")
}

fn parsed(path: &Path) -> Option<Node> {
    let text = read_input(path, TOO_LARGE_ADVICE).ok()?;
    parse_yaml(&text).ok()?.into_iter().next().map(|d| d.node)
}

/// A file named like `docker-compose.prod.yml` or `compose.dev.yaml` beside
/// the project's file, whose services without `image`/`build` are all
/// defined there: a fragment meant for `docker compose -f base -f it`.
/// Returns the base file.
pub(super) fn fragment_base(path: &Path) -> Option<PathBuf> {
    let name = file_name(path);
    let named_like = ["docker-compose.", "compose."]
        .iter()
        .any(|p| name.starts_with(p))
        && is_yaml(path)
        && !BASE_NAMES.contains(&name)
        && !OVERRIDE_NAMES.contains(&name);
    if !named_like {
        return None;
    }
    let dir = dir_of(path);
    let base = project_file(dir).filter(|b| outside(dir, b).is_none())?;
    let fragment = parsed(path)?;
    let services = fragment.get("services")?.as_map()?;
    let base_node = parsed(&base)?;
    let base_services = base_node.get("services")?.as_map()?;
    let incomplete: Vec<&str> = services
        .iter()
        .filter(|s| s.value.get("image").is_none() && s.value.get("build").is_none())
        .filter(|s| s.value.get("extends").is_none())
        .map(|s| s.key.as_str())
        .collect();
    let all_in_base = incomplete
        .iter()
        .all(|name| base_services.iter().any(|b| b.key == *name));
    (!incomplete.is_empty() && all_in_base).then_some(base)
}

/// Files `node` (a compose file in `dir`) reads by `include` or
/// `extends: {file}`, followed through included files.
fn referenced(node: &Node, dir: &Path, out: &mut BTreeSet<PathBuf>, budget: &mut usize) {
    let mut next = Vec::new();
    for entry in include::entries(node, dir) {
        next.extend(entry.paths);
    }
    if let Some(services) = node.get("services").and_then(Node::as_map) {
        for service in services {
            let file = service
                .value
                .get("extends")
                .filter(|e| matches!(e.value, Value::Map(_)))
                .and_then(|e| e.get("file"))
                .and_then(Node::as_str);
            if let Some(file) = file {
                next.push(dir.join(file));
            }
        }
    }
    for path in next {
        if *budget == 0 || path.to_string_lossy().contains('$') {
            continue;
        }
        let Ok(real) = std::fs::canonicalize(&path) else {
            continue;
        };
        if !out.insert(real) {
            continue;
        }
        *budget -= 1;
        if let Some(node) = parsed(&path) {
            referenced(&node, dir_of(&path), out, budget);
        }
    }
}

pub(super) fn plan(targets: &mut Vec<Target>) {
    // One file list per directory that holds a compose file.
    let mut lists = BTreeMap::new();
    for t in targets.iter() {
        let name = file_name(&t.path);
        let composeish = t.kind == Some(&kinds::COMPOSE) || (is_yaml(&t.path) && name != ".env");
        if composeish {
            let dir = dir_of(&t.path).to_path_buf();
            lists
                .entry(dir.clone())
                .or_insert_with(|| file_list(&dir, &dotenv_vars(&dir)));
        }
    }
    // A later file of a project is replaced by the project's first file.
    let mut firsts = Vec::new();
    targets.retain(|t| {
        let Some(list) = lists.get(dir_of(&t.path)) else {
            return true;
        };
        let Some(pos) = list.files.iter().position(|f| super::same_file(f, &t.path)) else {
            return true;
        };
        let first = &list.files[0];
        let claimed_first = list.from_variable || BASE_NAMES.contains(&file_name(first));
        if pos == 0 || !claimed_first {
            return true;
        }
        firsts.push(Target {
            display: sibling_display(
                &t.display,
                &first
                    .strip_prefix(dir_of(&t.path))
                    .unwrap_or(first)
                    .to_string_lossy(),
            ),
            path: first.clone(),
            explicit: t.explicit,
            kind: Some(&kinds::COMPOSE),
            skip: None,
        });
        false
    });
    for first in firsts {
        if !targets.iter().any(|t| t.path == first.path) {
            targets.push(first);
        }
    }
    // Dockerfiles a project builds: judged through it, with its context and
    // build arguments.
    let mut built = BTreeSet::new();
    // Each target resolved once: a lookup per project, not a resolution of
    // every target per project (quadratic on a repository of manifests).
    let mut checked: Option<BTreeSet<PathBuf>> = None;
    for (dir, list) in &lists {
        let Some(first) = list.files.first() else {
            continue;
        };
        let checked = checked.get_or_insert_with(|| {
            targets
                .iter()
                .filter_map(|t| std::fs::canonicalize(&t.path).ok())
                .collect()
        });
        let is_checked = targets.iter().any(|t| t.path == *first)
            || std::fs::canonicalize(first).is_ok_and(|r| checked.contains(&r));
        if !is_checked {
            continue;
        }
        for file in &list.files {
            if let Some(node) = parsed(file) {
                builds::built_dockerfiles(&node, as_dir(dir), &mut built);
            }
        }
    }
    if !built.is_empty() {
        targets.retain(|t| {
            t.kind != Some(&kinds::DOCKERFILE)
                || !std::fs::canonicalize(&t.path).is_ok_and(|r| built.contains(&r))
        });
    }
    // Files read by a project's `include`/`extends`: not judged alone.
    let mut read_through = BTreeSet::new();
    let mut budget = MAX_REFERENCED;
    for (dir, list) in &lists {
        for file in &list.files {
            if let Some(node) = parsed(file) {
                referenced(&node, dir, &mut read_through, &mut budget);
            }
        }
    }
    if !read_through.is_empty() {
        targets.retain(|t| {
            let real = std::fs::canonicalize(&t.path).ok();
            !real.is_some_and(|r| read_through.contains(&r))
        });
    }
}
