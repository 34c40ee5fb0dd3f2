//! Paths → the files to check, in a stable order. Directories are walked
//! respecting `.gitignore`/`.ignore`; VCS folders are skipped; symlinks are
//! followed with loop detection, but only while they stay inside the paths
//! named on the command line: a checked tree is untrusted, and a link out of
//! it (`Dockerfile -> /proc/self/environ`) is listed as skipped, never read.
//! A config file's include/exclude globs ([`Globs`]) filter what a walk finds.

use crate::kinds::{self, KindSpec};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    /// The path as shown to the user: as given, or joined under the directory given.
    pub display: String,
    /// Named on the command line (reported even when no kind claims it).
    pub explicit: bool,
    /// The kind claimed by the file name, if any.
    pub kind: Option<&'static KindSpec>,
    /// Why the file is listed but not read (a symlink leading out of the
    /// checked paths, a dangling symlink).
    pub skip: Option<String>,
}

#[derive(Debug, Clone)]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

const VCS_DIRS: &[&str] = &[".git", ".hg", ".svn", ".jj", ".bzr"];

pub fn discover(paths: &[PathBuf]) -> (Vec<Target>, Vec<WalkError>) {
    discover_with(paths, None)
}

/// Like [`discover`], keeping only what `globs` let through.
pub fn discover_with(paths: &[PathBuf], globs: Option<&Globs>) -> (Vec<Target>, Vec<WalkError>) {
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    // Paths named on the command line are trusted; what a walk finds may
    // only lead back inside one of them.
    let roots: Vec<PathBuf> = paths
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    for root in paths {
        let shown = root.to_string_lossy().to_string();
        match std::fs::metadata(root) {
            Err(e) => errors.push(WalkError {
                path: shown,
                message: format!("cannot read: {e}"),
            }),
            Ok(meta) if meta.is_file() => {
                if globs.is_some_and(|g| g.explicit_too && !g.keeps_named(root, false)) {
                    continue;
                }
                targets.push(Target {
                    kind: claim_by_name(root),
                    path: root.clone(),
                    display: shown,
                    explicit: true,
                    skip: None,
                })
            }
            Ok(_) if globs.is_some_and(|g| g.explicit_too && !g.keeps_named(root, true)) => {}
            Ok(_) if crate::image::is_image_dir(root) => targets.push(image_dir(root, shown, true)),
            Ok(_) => walk(root, &roots, globs, &mut targets, &mut errors),
        }
    }
    super::plan(&mut targets);
    // Sorted and deduplicated so that output never depends on walk order.
    targets.sort_by(|a, b| a.display.cmp(&b.display));
    targets.dedup_by(|a, b| a.path == b.path);
    (targets, errors)
}

fn walk(
    root: &Path,
    roots: &[PathBuf],
    globs: Option<&Globs>,
    targets: &mut Vec<Target>,
    errors: &mut Vec<WalkError>,
) {
    // The filter outlives this call (it is boxed into the walker).
    let excluding = globs.cloned();
    let inside: Vec<PathBuf> = roots.to_vec();
    // An image layout is one target, never walked into.
    let image_dirs = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let found_images = image_dirs.clone();
    let skipped = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let found_skipped = skipped.clone();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .follow_links(true)
        .require_git(false)
        .filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            let vcs = is_dir && VCS_DIRS.contains(&e.file_name().to_string_lossy().as_ref());
            // An excluded directory is not descended into.
            let keep = !vcs
                && !excluding
                    .as_ref()
                    .is_some_and(|g| g.excludes(e.path(), is_dir));
            if keep && e.path_is_symlink() && !leads_inside(e.path(), &inside) {
                if is_dir || wanted(e.path(), excluding.as_ref()) {
                    if let Ok(mut found) = found_skipped.lock() {
                        found.push(skipped_target(e.path(), OUTSIDE));
                    }
                }
                return false;
            }
            if keep && is_dir && e.depth() > 0 && crate::image::is_image_dir(e.path()) {
                if let Ok(mut found) = found_images.lock() {
                    found.push(e.path().to_path_buf());
                }
                return false;
            }
            keep
        })
        .build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                let path = e.path();
                if globs.is_some_and(|g| !g.includes(path)) {
                    continue;
                }
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default();
                let kind = claim_by_name(path);
                if kind.is_some()
                    || crate::kinds::is_structured_data(&name)
                    || super::walks_to(&name)
                {
                    targets.push(Target {
                        display: path.to_string_lossy().to_string(),
                        path: path.to_path_buf(),
                        explicit: false,
                        kind,
                        skip: None,
                    });
                }
            }
            Ok(_) => {}
            Err(err) => {
                // A symlink loop is not a file we failed to check: skip it.
                // A dangling symlink is listed as skipped (when it would
                // have been checked), not a failure of the run.
                if let Some(path) = dangling_symlink(&err) {
                    let excluded = globs.is_some_and(|g| g.excludes(&path, false));
                    if !excluded && wanted(&path, globs) {
                        targets.push(skipped_target(&path, DANGLING));
                    }
                } else if !is_loop(&err) {
                    errors.push(WalkError {
                        path: root.to_string_lossy().to_string(),
                        message: err.to_string(),
                    });
                }
            }
        }
    }
    targets.append(&mut skipped.lock().unwrap_or_else(|e| e.into_inner()));
    let found = std::mem::take(&mut *image_dirs.lock().unwrap_or_else(|e| e.into_inner()));
    for dir in found {
        if globs.is_some_and(|g| !g.includes(&dir)) {
            continue;
        }
        let shown = dir.to_string_lossy().to_string();
        targets.push(image_dir(&dir, shown, false));
    }
}

fn image_dir(path: &Path, display: String, explicit: bool) -> Target {
    Target {
        path: path.to_path_buf(),
        display,
        explicit,
        kind: Some(&crate::kinds::IMAGE),
        skip: None,
    }
}

const OUTSIDE: &str = "symlink to a path outside the checked directory; not read (name the target on the command line to check it)";
const DANGLING: &str = "dangling symlink: its target does not exist";

/// Whether a path found by the walk resolves inside one of the roots.
fn leads_inside(path: &Path, roots: &[PathBuf]) -> bool {
    std::fs::canonicalize(path).is_ok_and(|real| roots.iter().any(|r| real.starts_with(r)))
}

/// A file the walk would check: claimed by a kind, or YAML/JSON, and included.
fn wanted(path: &Path, globs: Option<&Globs>) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    (claim_by_name(path).is_some() || crate::kinds::is_structured_data(&name))
        && globs.is_none_or(|g| g.includes(path))
}

fn skipped_target(path: &Path, reason: &str) -> Target {
    Target {
        display: path.to_string_lossy().to_string(),
        path: path.to_path_buf(),
        explicit: false,
        kind: claim_by_name(path),
        skip: Some(reason.to_string()),
    }
}

/// The path of a walk error about a symlink whose target does not exist.
fn dangling_symlink(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, err } => {
            let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink());
            if is_link && std::fs::metadata(path).is_err() {
                return Some(path.clone());
            }
            dangling_symlink(err)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            dangling_symlink(err)
        }
        _ => None,
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

/// The kind whose file names `path` has, if any.
pub fn claim_by_name(path: &Path) -> Option<&'static KindSpec> {
    let name = path.file_name()?.to_string_lossy();
    kinds::KINDS.iter().copied().find(|k| (k.by_name)(&name))
}

/// A config file's include and exclude globs, in `.gitignore` syntax and
/// relative to the config file's directory. A walk checks a file only when
/// an include glob matches it or one of its directories (no include globs:
/// every file) and no exclude glob does. Paths named on the command line are
/// not filtered unless `explicit_too` (ruff's `force-exclude`).
#[derive(Debug, Clone)]
pub struct Globs {
    root: PathBuf,
    /// Relative paths from a walk are taken from here.
    cwd: PathBuf,
    include: Option<Gitignore>,
    exclude: Option<Gitignore>,
    pub explicit_too: bool,
}

/// A glob that does not compile: which list, which entry, why.
#[derive(Debug, Clone)]
pub struct GlobError {
    pub include: bool,
    pub index: usize,
    pub message: String,
}

impl Globs {
    /// `root` is the directory the globs are relative to.
    pub fn new(root: &Path, include: &[String], exclude: &[String]) -> Result<Globs, GlobError> {
        let cwd = std::env::current_dir().unwrap_or_default();
        let root = normalize(&cwd.join(root));
        let build = |globs: &[String], include: bool| -> Result<Option<Gitignore>, GlobError> {
            if globs.is_empty() {
                return Ok(None);
            }
            let mut builder = GitignoreBuilder::new(&root);
            for (index, glob) in globs.iter().enumerate() {
                builder.add_line(None, glob).map_err(|e| GlobError {
                    include,
                    index,
                    message: e.to_string(),
                })?;
            }
            builder.build().map(Some).map_err(|e| GlobError {
                include,
                index: 0,
                message: e.to_string(),
            })
        };
        Ok(Globs {
            include: build(include, true)?,
            exclude: build(exclude, false)?,
            root,
            cwd,
            explicit_too: false,
        })
    }

    /// The path relative to the globs' directory; `None` outside it, where no glob matches.
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        let absolute = normalize(&self.cwd.join(path));
        absolute
            .strip_prefix(&self.root)
            .ok()
            .map(Path::to_path_buf)
    }

    /// A file or directory met while walking (its parents were already looked at).
    fn excludes(&self, path: &Path, is_dir: bool) -> bool {
        match (&self.exclude, self.relative(path)) {
            (Some(exclude), Some(relative)) => exclude.matched(&relative, is_dir).is_ignore(),
            _ => false,
        }
    }

    fn includes(&self, file: &Path) -> bool {
        let Some(include) = &self.include else {
            return true;
        };
        self.relative(file).is_some_and(|relative| {
            include
                .matched_path_or_any_parents(&relative, false)
                .is_ignore()
        })
    }

    /// A path named on the command line: its directories are looked at
    /// too. A directory is kept unless excluded (files in it may be included).
    fn keeps_named(&self, path: &Path, is_dir: bool) -> bool {
        let excluded = match (&self.exclude, self.relative(path)) {
            (Some(exclude), Some(relative)) if !relative.as_os_str().is_empty() => exclude
                .matched_path_or_any_parents(&relative, is_dir)
                .is_ignore(),
            _ => false,
        };
        !excluded && (is_dir || self.includes(path))
    }
}

/// Removes `.` and resolves `..` without touching the file system (the
/// path may pass through symlinks the walk follows).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            // `../x` stays `../x`: only a name before it is taken back.
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use std::path::Path;

    #[test]
    fn normalize_keeps_a_leading_parent() {
        for (path, normal) in [
            ("../shop/./web/Dockerfile", "../shop/web/Dockerfile"),
            ("a/../../b", "../b"),
            ("a/b/../c", "a/c"),
            ("/../a", "/a"),
        ] {
            assert_eq!(normalize(Path::new(path)), Path::new(normal), "{path}");
        }
    }
}
