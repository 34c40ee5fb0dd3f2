//! Compose projects, as `docker compose` assembles them: the project's
//! compose file, its override file (`compose.override.yaml`) merged over it
//! by the compose specification's rules, and variables interpolated from
//! the project's `.env`. The result is one `compose` document whose nodes
//! point at the file that set them; a value taken from `.env` also names
//! the `.env` line. The override file is never judged alone.

mod extends;
mod interpolate;
mod merge;

pub use interpolate::{interpolate, parse_dotenv, Variables};

use super::{Loaded, Options, Source};
use crate::document::{Node, Related, Value};
use crate::finding::{FileError, Origin, Skipped};
use crate::kinds;
use crate::parse::parse_yaml;
use crate::source::{read_input, FileId, SourceFile, Span, TOO_LARGE_ADVICE};
use crate::sources::discover::Target;
use std::path::{Path, PathBuf};

/// The files `docker compose` reads by default, in its order of preference.
const BASE_NAMES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];
const OVERRIDE_NAMES: &[&str] = &[
    "compose.override.yaml",
    "compose.override.yml",
    "docker-compose.override.yaml",
    "docker-compose.override.yml",
];
const OVERRIDE: FileId = FileId(1);
const DOTENV: FileId = FileId(2);
const FIRST_EXTENDS: FileId = FileId(3);

pub struct ComposeProjects;

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// The project file compose would read in `dir`, if any.
fn project_file(dir: &Path) -> Option<PathBuf> {
    BASE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

fn override_file(dir: &Path) -> Option<PathBuf> {
    OVERRIDE_NAMES
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// Why a file of the project is not read: a symlink leading out of the
/// project's directory (`.env -> /proc/self/environ` in a pull request
/// would put the CI job's environment into findings).
fn outside(dir: &Path, path: &Path) -> Option<Skipped> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let dir = match dir.as_os_str().is_empty() {
        true => Path::new("."),
        false => dir,
    };
    let inside = match (std::fs::canonicalize(path), std::fs::canonicalize(dir)) {
        (Ok(real), Ok(real_dir)) => real.starts_with(real_dir),
        _ => false,
    };
    (is_link && !inside).then(|| Skipped {
        path: path.to_string_lossy().into_owned(),
        reason: "symlink to a path outside the compose project's directory; not read".into(),
    })
}

fn dir_of(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new(""))
}

/// `shown` with its file name replaced by `name`, as the user would write it.
fn sibling_display(shown: &str, name: &str) -> String {
    match shown.rfind(['/', std::path::MAIN_SEPARATOR]) {
        Some(i) => format!("{}{name}", &shown[..=i]),
        None => name.to_string(),
    }
}

impl Source for ComposeProjects {
    fn name(&self) -> &'static str {
        "compose project"
    }

    /// A compose file under one of the names compose reads by default.
    fn claims(&self, target: &Target) -> bool {
        target.kind == Some(&kinds::COMPOSE) && BASE_NAMES.contains(&file_name(&target.path))
    }

    fn read(&self, target: Target, _options: &Options) -> Vec<Loaded> {
        read_project(target)
    }

    /// An override file belongs to its project: with the project file in
    /// the run it is read through it; alone (a hook passing the staged
    /// file), the project is read in its place.
    fn plan(&self, targets: &mut Vec<Target>) {
        let mut replaced = Vec::new();
        targets.retain_mut(|t| {
            if !OVERRIDE_NAMES.contains(&file_name(&t.path)) {
                return true;
            }
            let dir = dir_of(&t.path);
            let Some(base) = project_file(dir).filter(|b| outside(dir, b).is_none()) else {
                return true;
            };
            let base_name = file_name(&base).to_string();
            replaced.push(Target {
                display: sibling_display(&t.display, &base_name),
                path: base,
                explicit: t.explicit,
                kind: Some(&kinds::COMPOSE),
                skip: None,
            });
            false
        });
        for base in replaced {
            if !targets.iter().any(|t| t.path == base.path) {
                targets.push(base);
            }
        }
    }
}

fn read_text(path: &Path, display: &str) -> Result<SourceFile, Loaded> {
    read_input(path, TOO_LARGE_ADVICE)
        .map(|text| SourceFile::new(display, text))
        .map_err(|message| Loaded::Error(FileError::whole(display, message)))
}

fn read_project(target: Target) -> Vec<Loaded> {
    let dir = dir_of(&target.path).to_path_buf();
    let mut notes = Vec::new();
    let mut readable = |path: PathBuf, display: String| match outside(&dir, &path) {
        Some(skipped) => {
            notes.push(Loaded::Skipped(Skipped {
                path: display,
                ..skipped
            }));
            None
        }
        None => Some(path),
    };
    let is_project = project_file(&dir).is_some_and(|p| p == target.path);
    let over_path = is_project
        .then(|| override_file(&dir))
        .flatten()
        .and_then(|p| {
            let shown = sibling_display(&target.display, file_name(&p));
            readable(p, shown)
        });
    let dotenv_path = Some(dir.join(".env"))
        .filter(|p| p.is_file())
        .and_then(|p| readable(p, sibling_display(&target.display, ".env")));
    let mut out = read_with(target, over_path, dotenv_path);
    out.append(&mut notes);
    out
}

fn read_with(
    target: Target,
    over_path: Option<PathBuf>,
    dotenv_path: Option<PathBuf>,
) -> Vec<Loaded> {
    let primary = match read_text(&target.path, &target.display) {
        Ok(source) => source,
        Err(error) => return vec![error],
    };
    // A project compose would not read as such (a second base file beside
    // the one it prefers) is its own project, with no override.
    let over = match over_path {
        Some(path) => match read_text(&path, &sibling_display(&target.display, file_name(&path))) {
            Ok(source) => Some(source),
            Err(error) => return vec![error],
        },
        None => None,
    };
    let dotenv = match dotenv_path {
        Some(path) => match read_text(&path, &sibling_display(&target.display, ".env")) {
            Ok(source) => Some(source),
            Err(error) => return vec![error],
        },
        None => None,
    };
    let mut documents = match parse_yaml(&primary.text) {
        Ok(docs) if docs.len() == 1 => docs,
        // Unparsable, or not one document: the text path reports it as for
        // any file.
        _ => return vec![plain(primary, target.explicit)],
    };
    let mut document = documents.remove(0);
    if let Some(over) = &over {
        let docs = match parse_yaml(&over.text) {
            Ok(docs) => docs,
            Err(e) => {
                let pos = over.position(e.span.start);
                return vec![Loaded::Error(FileError {
                    line: Some(pos.line),
                    column: Some(pos.column),
                    ..FileError::whole(&*over.path, e.message)
                })];
            }
        };
        if let Some(extra) = docs.into_iter().next() {
            document.node = merge::merge(document.node, extra.node.in_file(OVERRIDE));
            document
                .duplicate_keys
                .extend(extra.duplicate_keys.into_iter().map(|mut d| {
                    d.first = d.first.in_file(OVERRIDE);
                    d.second = d.second.in_file(OVERRIDE);
                    d
                }));
        }
    }
    let dir = dir_of(&target.path);
    let extended = extends::resolve(
        &mut document.node,
        dir,
        &sibling_display(&target.display, ""),
        FIRST_EXTENDS.0,
    );
    let vars = dotenv
        .as_ref()
        .map(|d| parse_dotenv(&d.text))
        .unwrap_or_default();
    let mut related = Vec::new();
    walk(
        &mut document.node,
        &vars,
        &mut related,
        &mut MAX_ADDED_BYTES.clone(),
    );
    for (span, name, line) in related {
        document.related.entry(span).or_insert(Related {
            span: line,
            message: format!("`{name}` is set here"),
        });
    }
    // File ids are fixed (override 1, `.env` 2, `extends` files 3…): a
    // missing one is an empty placeholder.
    let mut others: Vec<Option<SourceFile>> = vec![over, dotenv];
    others.extend(extended.files.into_iter().map(Some));
    while others.last().is_some_and(Option::is_none) {
        others.pop();
    }
    let others = others
        .into_iter()
        .map(|f| f.unwrap_or_else(|| SourceFile::new("", "")))
        .collect();
    let mut out = vec![Loaded::Parsed {
        primary,
        others,
        kind: &kinds::COMPOSE,
        origin: Origin::File,
        documents: vec![document],
    }];
    out.extend(extended.skipped.into_iter().map(Loaded::Skipped));
    out
}

/// A compose file read as text, as the files source would.
fn plain(source: SourceFile, explicit: bool) -> Loaded {
    Loaded::Text {
        source,
        kind: Some(&kinds::COMPOSE),
        explicit,
        origin: Origin::File,
        context: None,
    }
}

/// Every string value interpolated in place; the first `.env` variable a
/// value used becomes its related location.
/// Bytes interpolation may add to a whole project: many values each
/// below [`interpolate::MAX_VALUE_BYTES`] must not add up without bound.
const MAX_ADDED_BYTES: usize = crate::source::MAX_FILE_BYTES as usize;

fn walk(
    node: &mut Node,
    vars: &Variables,
    related: &mut Vec<(Span, String, Span)>,
    budget: &mut usize,
) {
    match &mut node.value {
        Value::Str(text) if text.contains('$') => {
            let done = interpolate(text, vars);
            let added = done.value.len().saturating_sub(text.len());
            if added > *budget {
                return;
            }
            *budget -= added;
            if let Some(name) = done.used.first() {
                let line = vars[name].line.clone();
                related.push((
                    node.span,
                    name.clone(),
                    Span::new(line.start, line.end).in_file(DOTENV),
                ));
            }
            *text = done.value;
        }
        Value::Seq(items) => items
            .iter_mut()
            .for_each(|n| walk(n, vars, related, budget)),
        Value::Map(entries) => entries
            .iter_mut()
            .for_each(|e| walk(&mut e.value, vars, related, budget)),
        _ => {}
    }
}
