//! Compose projects, as `docker compose` assembles them: the project's
//! compose files (`compose.yaml` and its override, or the list in
//! `COMPOSE_FILE`), merged by the compose specification's rules, with
//! `include`, `extends` and services' `env_file` read in, and variables
//! interpolated from the project's `.env`. The result is one `compose`
//! document whose nodes point at the file that set them; a value taken from
//! `.env` also names the `.env` line. A file read through a project (the
//! override, an included or extended file) is never judged alone.

mod builds;
mod env_file;
mod extends;
mod include;
mod interpolate;
mod merge;
mod plan;

pub use interpolate::{interpolate, parse_dotenv, Variables};

use super::{Loaded, Options, Source};
use crate::document::{Node, Related, Value};
use crate::finding::{FileError, Origin, Skipped};
use crate::kinds;
use crate::parse::{parse_yaml, Document};
use crate::source::{read_input, FileId, SourceFile, Span, TOO_LARGE_ADVICE};
use crate::sources::discover::Target;
use std::collections::BTreeMap;
use std::ops::Range;
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
/// Most entries of `COMPOSE_FILE` (compose has no limit; a project has a few).
const MAX_COMPOSE_FILES: usize = 32;

pub struct ComposeProjects;

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// The project file compose would read in `dir` by default, if any.
fn project_file(dir: &Path) -> Option<PathBuf> {
    BASE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

fn override_file(dir: &Path) -> Option<PathBuf> {
    OVERRIDE_NAMES
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// `path` as a directory to resolve against (`""` is the current one).
fn as_dir(dir: &Path) -> &Path {
    match dir.as_os_str().is_empty() {
        true => Path::new("."),
        false => dir,
    }
}

/// Whether `path` lies inside `dir`, symlinks resolved.
fn inside(dir: &Path, path: &Path) -> bool {
    match (
        std::fs::canonicalize(path),
        std::fs::canonicalize(as_dir(dir)),
    ) {
        (Ok(real), Ok(real_dir)) => real.starts_with(real_dir),
        _ => false,
    }
}

/// Why a file of the project is not read: a symlink leading out of the
/// project's directory (`.env -> /proc/self/environ` in a pull request
/// would put the CI job's environment into findings).
fn outside(dir: &Path, path: &Path) -> Option<Skipped> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    (is_link && !inside(dir, path)).then(|| Skipped {
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

/// Same file, however the two paths are written.
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

/// The project's `.env`, when there is one compose would read.
fn dotenv_path(dir: &Path) -> Option<PathBuf> {
    Some(dir.join(".env")).filter(|p| p.is_file() && outside(dir, p).is_none())
}

/// Variables of the project's `.env` (empty without one), for `plan` and
/// `claims`, which only need `COMPOSE_FILE`.
fn dotenv_vars(dir: &Path) -> Variables {
    dotenv_path(dir)
        .and_then(|p| read_input(&p, TOO_LARGE_ADVICE).ok())
        .map(|text| parse_dotenv(&text))
        .unwrap_or_default()
}

/// The compose files of the project in `dir`, in merge order: the entries
/// of `COMPOSE_FILE` when `.env` sets it (each inside the project), else
/// the project file and its override.
struct FileList {
    files: Vec<PathBuf>,
    /// Entries of `COMPOSE_FILE` not read, and why.
    rejected: Vec<(String, String)>,
    /// From `COMPOSE_FILE`, not the default names.
    from_variable: bool,
}

fn file_list(dir: &Path, vars: &Variables) -> FileList {
    let Some(list) = vars.get("COMPOSE_FILE") else {
        let files = project_file(dir)
            .into_iter()
            .chain(override_file(dir))
            .filter(|p| outside(dir, p).is_none())
            .collect();
        return FileList {
            files,
            rejected: Vec::new(),
            from_variable: false,
        };
    };
    let separator = vars
        .get("COMPOSE_PATH_SEPARATOR")
        .map_or(":", |v| v.value.as_str());
    let separator = if separator.is_empty() { ":" } else { separator };
    let mut out = FileList {
        files: Vec::new(),
        rejected: Vec::new(),
        from_variable: true,
    };
    for entry in list
        .value
        .split(separator)
        .filter(|e| !e.is_empty())
        .take(MAX_COMPOSE_FILES)
    {
        let path = dir.join(entry);
        let why = if Path::new(entry).is_absolute() || !inside(dir, &path) {
            if path.exists() {
                Some("is outside the compose project's directory; not read (name files inside it)")
            } else {
                Some("does not exist")
            }
        } else if !path.is_file() {
            Some("is not a file")
        } else {
            None
        };
        match why {
            Some(why) => out.rejected.push((entry.to_string(), why.to_string())),
            None if !out.files.iter().any(|f| same_file(f, &path)) => out.files.push(path),
            None => {}
        }
    }
    out
}

impl Source for ComposeProjects {
    fn name(&self) -> &'static str {
        "compose project"
    }

    /// A compose file under one of the names compose reads by default, the
    /// first file `COMPOSE_FILE` names, or a fragment meant for `-f`.
    fn claims(&self, target: &Target) -> bool {
        let name = file_name(&target.path);
        if target.kind == Some(&kinds::COMPOSE) && BASE_NAMES.contains(&name) {
            return true;
        }
        if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
            return false;
        }
        let dir = dir_of(&target.path);
        let list = file_list(dir, &dotenv_vars(dir));
        if list.from_variable
            && list
                .files
                .first()
                .is_some_and(|f| same_file(f, &target.path))
        {
            return true;
        }
        target.kind == Some(&kinds::COMPOSE) && plan::fragment_base(&target.path).is_some()
    }

    fn read(&self, target: Target, _options: &Options) -> Vec<Loaded> {
        read_project(target)
    }

    fn plan(&self, targets: &mut Vec<Target>) {
        plan::plan(targets)
    }
}

/// The variables one file is interpolated with, and the file that set each.
#[derive(Clone, Default)]
struct Env {
    vars: Variables,
    set_in: BTreeMap<String, FileId>,
}

impl Env {
    /// `text` (an env file with id `file`) laid over these variables.
    fn with_file(&self, text: &str, file: FileId) -> Env {
        let mut env = self.clone();
        for (name, var) in parse_dotenv(text) {
            env.set_in.insert(name.clone(), file);
            env.vars.insert(name, var);
        }
        env
    }
}

/// Bytes interpolation may add to a whole project: many values each
/// below [`interpolate::MAX_VALUE_BYTES`] must not add up without bound.
const MAX_ADDED_BYTES: usize = crate::source::MAX_FILE_BYTES as usize;
/// Most files one project reads (compose files, included, extended and env
/// files together).
const MAX_PROJECT_FILES: usize = 256;

/// A project being assembled: every file read, numbered as [`FileId`]s in
/// the order read (the target is 0).
struct Project {
    /// The project's directory: no file outside it is read.
    dir: PathBuf,
    /// The target's directory as the user wrote it, `""` or ending in `/`.
    display_dir: String,
    files: Vec<SourceFile>,
    paths: Vec<PathBuf>,
    /// Errors and skipped files, reported beside the project.
    notes: Vec<Loaded>,
    related: Vec<(Span, String, Span)>,
    budget: usize,
    /// `!reset` / `!override` values of every file read.
    tags: merge::Tags,
    /// Files included so far, and the chain of files being included.
    included: usize,
    including: Vec<FileId>,
}

impl Project {
    fn new(target: &Target) -> Project {
        Project {
            dir: dir_of(&target.path).to_path_buf(),
            display_dir: sibling_display(&target.display, ""),
            files: Vec::new(),
            paths: Vec::new(),
            notes: Vec::new(),
            related: Vec::new(),
            budget: MAX_ADDED_BYTES,
            tags: merge::Tags::default(),
            included: 0,
            including: Vec::new(),
        }
    }

    /// How the user would write `path`, a path under the project's directory.
    fn shown(&self, path: &Path) -> String {
        let dir = as_dir(&self.dir);
        let relative = path
            .strip_prefix(dir)
            .or_else(|_| path.strip_prefix(&self.dir))
            .unwrap_or(path);
        if relative.is_absolute() {
            return relative.to_string_lossy().into_owned();
        }
        format!("{}{}", self.display_dir, relative.to_string_lossy())
    }

    /// Reads a file of the project; `None` (with a note why) when it is
    /// outside the project's directory or cannot be read.
    fn read(&mut self, path: &Path, what: &str) -> Option<FileId> {
        let shown = self.shown(path);
        if !inside(&self.dir, path) {
            let reason = match path.exists() {
                true => format!("{what} outside the compose project's directory; not read"),
                false => format!("{what} that does not exist; not read"),
            };
            self.notes.push(Loaded::Skipped(Skipped {
                path: shown,
                reason,
            }));
            return None;
        }
        if self.files.len() >= MAX_PROJECT_FILES {
            self.notes.push(Loaded::Skipped(Skipped {
                path: shown,
                reason: format!("the project reads more than {MAX_PROJECT_FILES} files; not read"),
            }));
            return None;
        }
        if let Some(i) = self.paths.iter().position(|p| same_file(p, path)) {
            return Some(FileId(i as u32));
        }
        match read_input(path, TOO_LARGE_ADVICE) {
            Ok(text) => Some(self.push(path, SourceFile::new(shown, text))),
            Err(message) => {
                self.notes
                    .push(Loaded::Error(FileError::whole(shown, message)));
                None
            }
        }
    }

    fn push(&mut self, path: &Path, file: SourceFile) -> FileId {
        self.files.push(file);
        self.paths.push(path.to_path_buf());
        FileId(self.files.len() as u32 - 1)
    }

    fn dir_of_file(&self, id: FileId) -> PathBuf {
        self.paths
            .get(id.0 as usize)
            .map(|p| dir_of(p).to_path_buf())
            .unwrap_or_else(|| self.dir.clone())
    }

    /// An error at `span` of one of the project's files.
    fn error_at(&mut self, span: Span, message: String) {
        let file = &self.files[span.file.0 as usize];
        let pos = file.position(span.start);
        self.notes.push(Loaded::Error(FileError {
            line: Some(pos.line),
            column: Some(pos.column),
            ..FileError::whole(&*file.path, message)
        }));
    }

    /// The file `id` parsed, its nodes tagged with `id` and its strings
    /// interpolated with `env`; `None` (with an error) when it does not parse.
    fn parse(&mut self, id: FileId, env: &Env) -> Option<Document> {
        let file = &self.files[id.0 as usize];
        let mut docs = match parse_yaml(&file.text) {
            Ok(docs) => docs,
            Err(e) => {
                let span = Span::new(e.span.start, e.span.end).in_file(id);
                self.error_at(span, e.message);
                return None;
            }
        };
        if docs.is_empty() {
            return None;
        }
        let mut doc = docs.remove(0);
        doc.node = doc.node.in_file(id);
        for d in &mut doc.duplicate_keys {
            d.first = d.first.in_file(id);
            d.second = d.second.in_file(id);
        }
        let text = &self.files[id.0 as usize].text;
        if text.contains("!reset") || text.contains("!override") {
            self.tags.scan(&doc.node, text);
        }
        self.interpolate(&mut doc.node, env, id.0..id.0 + 1);
        Some(doc)
    }

    /// Interpolates the strings of `node` set in files `ids` with `env`.
    fn interpolate(&mut self, node: &mut Node, env: &Env, ids: Range<u32>) {
        walk(node, env, &ids, &mut self.related, &mut self.budget);
    }
}

/// A stack declared in the config file: files merged in order, variables
/// from `env_file` (default: `.env` beside the first file), nothing read
/// outside `dir`.
#[derive(Debug, Clone)]
pub struct Stack {
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
    pub env_file: Option<PathBuf>,
}

impl Stack {
    /// Whether `path` is read through this stack only (a file merged over
    /// its first one): not judged alone as well.
    pub fn reads(&self, path: &Path) -> bool {
        self.files.iter().skip(1).any(|f| same_file(f, path))
    }
}

/// Reads a declared stack, judged like a project whose first file is the
/// stack's first file.
pub fn read_stack(stack: &Stack) -> Vec<Loaded> {
    let Some(first) = stack.files.first() else {
        return Vec::new();
    };
    let target = Target {
        display: first.to_string_lossy().into_owned(),
        path: first.clone(),
        explicit: true,
        kind: Some(&kinds::COMPOSE),
        skip: None,
    };
    assemble(target, Some(stack))
}

fn read_project(target: Target) -> Vec<Loaded> {
    assemble(target, None)
}

fn assemble(target: Target, stack: Option<&Stack>) -> Vec<Loaded> {
    let mut project = Project::new(&target);
    if let Some(stack) = stack {
        project.dir = stack.dir.clone();
        project.display_dir = match stack.dir.to_string_lossy() {
            d if d.is_empty() || d.ends_with('/') => d.into_owned(),
            d => format!("{d}/"),
        };
        if !inside(&project.dir, &target.path) {
            return vec![Loaded::Skipped(Skipped {
                path: target.display,
                reason:
                    "a compose stack file outside the config file's directory, or missing; not read"
                        .into(),
            })];
        }
    }
    let primary = match read_input(&target.path, TOO_LARGE_ADVICE) {
        Ok(text) => SourceFile::new(&*target.display, text),
        Err(message) => return vec![Loaded::Error(FileError::whole(&*target.display, message))],
    };
    project.push(&target.path, primary);
    let dir = dir_of(&target.path).to_path_buf();
    // `.env`: a symlink out of the project is listed as skipped, not read.
    let dotenv = match stack.and_then(|s| s.env_file.clone()) {
        Some(path) => path,
        None => dir.join(".env"),
    };
    let mut env = Env::default();
    let mut dotenv_id = None;
    if dotenv.is_file() || stack.is_some_and(|s| s.env_file.is_some()) {
        match outside(&project.dir, &dotenv) {
            Some(skipped) => project.notes.push(Loaded::Skipped(Skipped {
                path: project.shown(&dotenv),
                ..skipped
            })),
            None => {
                if let Some(id) = project.read(&dotenv, "an env file") {
                    env = env.with_file(&project.files[id.0 as usize].text, id);
                    dotenv_id = Some(id);
                }
            }
        }
    }
    let list = match stack {
        Some(stack) => FileList {
            files: stack.files.clone(),
            rejected: Vec::new(),
            from_variable: false,
        },
        None => file_list(&dir, &env.vars),
    };
    if let (Some(id), true) = (dotenv_id, list.from_variable) {
        let line = env.vars["COMPOSE_FILE"].line.clone();
        for (entry, why) in &list.rejected {
            let span = Span::new(line.start, line.end).in_file(id);
            project.error_at(span, format!("`COMPOSE_FILE` entry `{entry}` {why}"));
        }
    }
    // The target is the project's first file, or a file compose would not
    // read by default (a second base file): its own project. A fragment
    // meant for `-f` is read merged over its base.
    let is_first = list
        .files
        .first()
        .is_some_and(|f| same_file(f, &target.path));
    let fragment_base = match is_first {
        true => None,
        false => plan::fragment_base(&target.path),
    };
    // Unparsable, or not one document: the text path reports it as for
    // any file.
    if !parse_yaml(&project.files[0].text).is_ok_and(|d| d.len() == 1) {
        let primary = project.files.swap_remove(0);
        return vec![plain(primary, target.explicit)];
    }
    let Some(mut document) = project.parse(FileId::PRIMARY, &env) else {
        return project.notes;
    };
    include::resolve(&mut project, &mut document, &env, 0);
    if let Some(base) = fragment_base {
        // `docker compose -f base -f fragment`: the fragment's values over
        // the base's, the fragment still the file judged.
        if let Some(id) = project.read(&base, "a base compose file") {
            if let Some(mut base_doc) = project.parse(id, &env) {
                include::resolve(&mut project, &mut base_doc, &env, 0);
                document.node = merge::merge_with(base_doc.node, document.node, &project.tags);
            }
            // Merged over the base only, though it may be meant to go over
            // other files too: cross-service rules should not judge it.
            let shown = project.files[id.0 as usize].path.to_string();
            compose_context(&mut document, "fragment_of", shown.into());
        }
    }
    if is_first {
        for path in list.files.iter().skip(1) {
            let Some(id) = project.read(path, "a compose file") else {
                continue;
            };
            let Some(mut extra) = project.parse(id, &env) else {
                return project.notes;
            };
            include::resolve(&mut project, &mut extra, &env, 0);
            document.node = merge::merge_with(document.node, extra.node, &project.tags);
            document.duplicate_keys.extend(extra.duplicate_keys);
        }
    }
    let first_extended = project.files.len() as u32;
    let extended = extends::resolve(
        &mut document.node,
        &dir,
        &project.display_dir,
        first_extended,
    );
    for file in extended.files {
        let path = dir.join(
            file.path
                .strip_prefix(&project.display_dir)
                .unwrap_or(&file.path),
        );
        project.push(&path, file);
    }
    let ids = first_extended..project.files.len() as u32;
    project.interpolate(&mut document.node, &env, ids);
    project
        .notes
        .extend(extended.skipped.into_iter().map(Loaded::Skipped));
    env_file::resolve(&mut project, &mut document.node);
    profiles_context(&mut document, &env);
    for (span, name, line) in std::mem::take(&mut project.related) {
        document.related.entry(span).or_insert(Related {
            span: line,
            message: format!("`{name}` is set here"),
        });
    }
    // A declared stack's Dockerfiles are the default project's too.
    let dockerfiles = match stack {
        None => {
            let (units, built) = builds::read(&mut project, &document.node);
            if !built.is_empty() {
                compose_context(&mut document, "built", built.into());
            }
            units
        }
        Some(_) => Vec::new(),
    };
    let mut files = std::mem::take(&mut project.files).into_iter();
    let primary = files.next().expect("the target is file 0");
    let mut out = vec![Loaded::Parsed {
        primary,
        others: files.collect(),
        kind: &kinds::COMPOSE,
        origin: Origin::File,
        documents: vec![document],
    }];
    out.extend(dockerfiles);
    // One note per file, however many services name it.
    let mut noted = std::collections::BTreeSet::new();
    out.extend(project.notes.into_iter().filter(|n| match n {
        Loaded::Skipped(s) => noted.insert((s.path.clone(), s.reason.clone())),
        _ => true,
    }));
    out
}

/// `COMPOSE_PROFILES` and the services it leaves out, as
/// `input.context.compose`: such services are judged like the others (a
/// security team wants them checked), and rules may tell them apart.
fn profiles_context(document: &mut Document, env: &Env) {
    let active: Vec<String> = env
        .vars
        .get("COMPOSE_PROFILES")
        .map(|v| {
            v.value
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let mut inactive = Vec::new();
    if let Some(services) = document.node.get("services").and_then(Node::as_map) {
        for service in services {
            let Some(Value::Seq(profiles)) = service.value.get("profiles").map(|p| &p.value) else {
                continue;
            };
            let on = profiles
                .iter()
                .filter_map(Node::as_str)
                .any(|p| active.iter().any(|a| a == p || a == "*"));
            if !on {
                inactive.push(service.key.clone());
            }
        }
    }
    if active.is_empty() && inactive.is_empty() {
        return;
    }
    inactive.sort();
    compose_context(document, "active_profiles", active.into());
    compose_context(document, "inactive_services", inactive.into());
}

/// Sets `input.context.compose.<key>`.
fn compose_context(document: &mut Document, key: &str, value: serde_json::Value) {
    let context = document
        .context
        .get_or_insert_with(|| serde_json::json!({"compose": {}}));
    if let Some(compose) = context["compose"].as_object_mut() {
        compose.insert(key.to_string(), value);
    }
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

/// Every string value set in files `ids` interpolated in place; the first
/// variable a value used becomes its related location (the env file line).
fn walk(
    node: &mut Node,
    env: &Env,
    ids: &Range<u32>,
    related: &mut Vec<(Span, String, Span)>,
    budget: &mut usize,
) {
    match &mut node.value {
        Value::Str(text) if text.contains('$') && ids.contains(&node.span.file.0) => {
            let done = interpolate(text, &env.vars);
            let added = done.value.len().saturating_sub(text.len());
            if added > *budget {
                return;
            }
            *budget -= added;
            if let Some(name) = done.used.first() {
                let line = env.vars[name].line.clone();
                let file = env.set_in.get(name).copied().unwrap_or_default();
                related.push((
                    node.span,
                    name.clone(),
                    Span::new(line.start, line.end).in_file(file),
                ));
            }
            *text = done.value;
        }
        Value::Seq(items) => items
            .iter_mut()
            .for_each(|n| walk(n, env, ids, related, budget)),
        Value::Map(entries) => entries
            .iter_mut()
            .for_each(|e| walk(&mut e.value, env, ids, related, budget)),
        _ => {}
    }
}
