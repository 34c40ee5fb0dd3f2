//! Paths → the files to check, in a stable order. Directories are walked
//! respecting `.gitignore`/`.ignore`; VCS folders are skipped; symlinks are
//! followed with loop detection.

use crate::parse::{self, KindSpec};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    /// The path as shown to the user: as given, or joined under the directory given.
    pub display: String,
    /// Named on the command line (reported even when no kind claims it).
    pub explicit: bool,
    /// The kind claimed by the file name, if any.
    pub kind: Option<&'static KindSpec>,
}

#[derive(Debug, Clone)]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

const VCS_DIRS: &[&str] = &[".git", ".hg", ".svn", ".jj", ".bzr"];

pub fn discover(paths: &[PathBuf]) -> (Vec<Target>, Vec<WalkError>) {
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        let shown = root.to_string_lossy().to_string();
        match std::fs::metadata(root) {
            Err(e) => errors.push(WalkError {
                path: shown,
                message: format!("cannot read: {e}"),
            }),
            Ok(meta) if meta.is_file() => targets.push(Target {
                kind: claim_by_name(root),
                path: root.clone(),
                display: shown,
                explicit: true,
            }),
            Ok(_) => walk(root, &mut targets, &mut errors),
        }
    }
    // Sorted and deduplicated so that output never depends on walk order.
    targets.sort_by(|a, b| a.display.cmp(&b.display));
    targets.dedup_by(|a, b| a.path == b.path);
    (targets, errors)
}

fn walk(root: &Path, targets: &mut Vec<Target>, errors: &mut Vec<WalkError>) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .follow_links(true)
        .require_git(false)
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && VCS_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
        })
        .build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                let path = e.path();
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default();
                let kind = claim_by_name(path);
                if kind.is_some() || parse::is_structured_data(&name) {
                    targets.push(Target {
                        display: path.to_string_lossy().to_string(),
                        path: path.to_path_buf(),
                        explicit: false,
                        kind,
                    });
                }
            }
            Ok(_) => {}
            Err(err) => {
                // A symlink loop is not a file we failed to check: skip it.
                if !is_loop(&err) {
                    errors.push(WalkError {
                        path: root.to_string_lossy().to_string(),
                        message: err.to_string(),
                    });
                }
            }
        }
    }
}

fn is_loop(err: &ignore::Error) -> bool {
    match err {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => is_loop(err),
        _ => false,
    }
}

fn claim_by_name(path: &Path) -> Option<&'static KindSpec> {
    let name = path.file_name()?.to_string_lossy();
    parse::KINDS.iter().find(|k| (k.by_name)(&name))
}
