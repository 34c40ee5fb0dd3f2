//! Kustomizations, rendered as `kubectl kustomize` would: a directory's
//! `kustomization.yaml` with its resources, bases, components, generators,
//! patches and transformers becomes the `kubernetes` documents kustomize
//! prints, every node pointing at the file and line that set it (the patch
//! line, else the base line; a transformer's value at its kustomization
//! line). Files a kustomization consumes (resources, patches, generator
//! inputs) are judged only through it. Only files inside the checked
//! directory are read: no remote bases, no `../` or symlink out of it.

mod generate;
mod helm;
mod inline;
mod json6902;
mod patch;
mod replace;
mod select;
mod transform;
mod tree;

use super::{Loaded, Options, Source};
use crate::document::{Node, Related, Value};
use crate::finding::{FileError, Origin};
use crate::kinds;
use crate::parse::{parse_yaml, Document};
use crate::source::{read_input, FileId, SourceFile, Span, MAX_FILE_BYTES, TOO_LARGE_ADVICE};
use crate::sources::discover::Target;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use tree::Resource;

/// The file names kustomize looks for in a directory, in its order.
const NAMES: &[&str] = &["kustomization.yaml", "kustomization.yml", "Kustomization"];
/// Nested kustomizations deeper than this are refused (a hostile chain).
const MAX_DEPTH: usize = 32;
/// Bytes all the files of one kustomization may add up to.
const MAX_TOTAL_BYTES: u64 = MAX_FILE_BYTES;
/// Kustomizations built for one (a base shared by many overlays counts
/// each time), and resources they may hold: a diamond of bases must not
/// multiply without bound.
const MAX_BUILDS: usize = 1_000;
const MAX_RESOURCES: usize = 10_000;
/// What rendered trees may weigh in all (see [`tree::weight`]: nodes and
/// string bytes), however they were copied: a patch onto every resource,
/// labels into every object, a JSON patch copying a document into itself.
const MAX_WEIGHT: usize = 64 * 1024 * 1024;

/// Keys of a kustomization this source does not render: a clear error
/// rather than a rendering that silently differs from kustomize's.
const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "helmChartInflationGenerator",
        "the deprecated Helm generator is not supported; use `helmCharts`",
    ),
    ("generators", "generator plugins are not supported"),
    ("transformers", "transformer plugins are not supported"),
    ("validators", "validator plugins are not supported"),
    (
        "configurations",
        "custom transformer configurations are not supported",
    ),
];

pub struct Kustomizations;

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

impl Source for Kustomizations {
    fn name(&self) -> &'static str {
        "kustomization"
    }

    fn claims(&self, target: &Target) -> bool {
        NAMES.contains(&file_name(&target.path))
    }

    fn walks_to(&self, name: &str) -> bool {
        NAMES.contains(&name)
    }

    fn read(&self, target: Target, _options: &Options) -> Vec<Loaded> {
        if is_component(&target.path) {
            return vec![Loaded::Skipped(crate::finding::Skipped {
                path: target.display,
                reason: "a kustomize Component: judged through the kustomizations that use it"
                    .into(),
            })];
        }
        let mut build = Build::new(&target);
        let dir = target.path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let shown = parent_shown(&target.display);
        match build.top(&dir, &shown) {
            Ok(resources) => vec![build.into_loaded(resources)],
            Err(failure) => vec![Loaded::Error(build.error(failure))],
        }
    }

    /// Files a kustomization of the run consumes are judged through it,
    /// never alone; a base that is a kustomization itself stays (it is
    /// built as itself too).
    fn plan(&self, targets: &mut Vec<Target>) {
        // A file named alone (a hook passing the one staged file) that a
        // kustomization of its directory or above consumes is checked
        // through that kustomization instead.
        let mut added = Vec::new();
        for t in targets.iter().filter(|t| t.explicit && !self.claims(t)) {
            if let Some(owner) = owning_kustomization(&t.path, &t.display) {
                if !targets
                    .iter()
                    .chain(&added)
                    .any(|o: &Target| o.path == owner.path)
                {
                    added.push(owner);
                }
            }
        }
        targets.append(&mut added);
        let mut consumed = BTreeSet::new();
        for target in targets
            .iter()
            .filter(|t| self.claims(t) && t.skip.is_none())
        {
            consumed.append(&mut consumed_by(target));
        }
        if consumed.is_empty() {
            return;
        }
        targets.retain(|t| {
            // A chart `helmCharts` inflates is consumed as a directory.
            std::fs::canonicalize(&t.path)
                .map_or(true, |real| !real.ancestors().any(|a| consumed.contains(a)))
        });
    }
}

/// The files a kustomization reads besides kustomization files. A broken
/// one is reported when read; what it read before failing is still its own.
fn consumed_by(target: &Target) -> BTreeSet<PathBuf> {
    let mut build = Build::new(target);
    let dir = target.path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let _ = build.top(&dir, &parent_shown(&target.display));
    build.consumed
}

/// How many directories up a file named alone looks for its kustomization.
const OWNER_LEVELS: usize = 4;

/// The nearest kustomization in the directory of `path` or above (within
/// its repository) that consumes it.
fn owning_kustomization(path: &Path, display: &str) -> Option<Target> {
    let real = std::fs::canonicalize(path).ok()?;
    let mut dir = path.parent()?.to_path_buf();
    let mut shown = parent_shown(display);
    for _ in 0..OWNER_LEVELS {
        let found = NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file());
        if let Some(file) = found {
            let name = file_name(&file).to_string();
            let owner = Target {
                display: join_shown(&shown, &name),
                path: file,
                explicit: true,
                kind: None,
                skip: None,
            };
            if !is_component(&owner.path) && consumed_by(&owner).contains(&real) {
                return Some(owner);
            }
        }
        if dir.join(".git").exists() {
            return None;
        }
        dir = dir.join("..");
        shown = join_shown(&shown, "..");
    }
    None
}

/// Whether the kustomization file is a `kind: Component`, built only
/// inside another kustomization.
fn is_component(path: &Path) -> bool {
    let Ok(text) = read_input(path, TOO_LARGE_ADVICE) else {
        return false;
    };
    parse_yaml(&text).is_ok_and(|docs| {
        docs.first()
            .and_then(|d| d.node.get("kind"))
            .and_then(Node::as_str)
            == Some("Component")
    })
}

fn parent_shown(display: &str) -> String {
    match display.rfind('/') {
        Some(i) => display[..i].to_string(),
        None => String::new(),
    }
}

/// `rel` under the shown directory `dir`, with `.` and `..` resolved as
/// text: how the user would name the file.
fn join_shown(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = dir
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let absolute = dir.starts_with('/');
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match absolute {
        true => format!("/{joined}"),
        false => joined,
    }
}

/// Why a kustomization cannot be rendered, at the line that says so.
#[derive(Debug)]
struct Failure {
    span: Option<Span>,
    message: String,
}

impl Failure {
    fn at(span: Span, message: impl Into<String>) -> Failure {
        Failure {
            span: Some(span),
            message: message.into(),
        }
    }
}

/// A variable of `vars`: `$(name)` becomes `field` of the named object.
struct Var {
    name: String,
    kind: String,
    object: String,
    field: Vec<String>,
    span: Span,
}

/// One rendering: the files read (numbered as the unit's FileIds), the
/// bounds spent, and what was consumed.
struct Build {
    /// The kustomization file as the user named it.
    shown: String,
    /// The directory no file may leave: the repository holding the
    /// kustomization (the nearest ancestor with `.git`), else the current
    /// directory when the kustomization is under it, else its own
    /// directory.
    boundary: PathBuf,
    files: Vec<SourceFile>,
    ids: HashMap<PathBuf, FileId>,
    bytes: u64,
    builds: usize,
    resources: usize,
    /// What is left of [`MAX_WEIGHT`].
    budget: usize,
    /// Canonical paths of the non-kustomization files read.
    consumed: BTreeSet<PathBuf>,
    /// Canonical directories of the kustomizations being built (cycles).
    chain: Vec<PathBuf>,
    vars: Vec<Var>,
}

impl Build {
    fn new(target: &Target) -> Build {
        let dir = std::fs::canonicalize(target.path.parent().unwrap_or(Path::new(".")))
            .unwrap_or_default();
        let cwd = std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .unwrap_or_default();
        let repository = dir.ancestors().find(|a| a.join(".git").exists());
        let boundary = match repository {
            Some(top) => top.to_path_buf(),
            None if dir.starts_with(&cwd) && !cwd.as_os_str().is_empty() => cwd,
            None => dir,
        };
        Build {
            shown: target.display.clone(),
            boundary,
            files: Vec::new(),
            ids: HashMap::new(),
            bytes: 0,
            builds: 0,
            resources: 0,
            budget: MAX_WEIGHT,
            consumed: BTreeSet::new(),
            chain: Vec::new(),
            vars: Vec::new(),
        }
    }

    fn error(&self, failure: Failure) -> FileError {
        let Some(span) = failure.span else {
            return FileError::whole(&self.shown, failure.message);
        };
        let file = &self.files[span.file.0 as usize];
        let pos = file.position(span.start);
        // A base's error is reported in the base, once per kustomization
        // built on it: say which.
        let message = match span.file == FileId::PRIMARY {
            true => failure.message,
            false => format!("{} (building {})", failure.message, self.shown),
        };
        FileError {
            line: Some(pos.line),
            column: Some(pos.column),
            ..FileError::whole(&*file.path, message)
        }
    }

    fn into_loaded(mut self, resources: Vec<Resource>) -> Loaded {
        let documents = resources
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let mut doc = Document::new(i, r.node);
                for (span, related) in r.related {
                    doc.related.entry(span).or_insert(related);
                }
                for (patched, base) in r.replaced {
                    doc.related.entry(patched).or_insert(Related {
                        span: base,
                        message: "the base sets it here".into(),
                    });
                }
                doc
            })
            .collect();
        let primary = self.files.remove(0);
        Loaded::Parsed {
            primary,
            others: self.files,
            kind: &kinds::KUBERNETES,
            origin: Origin::File,
            documents,
        }
    }

    /// Takes `cost` from the budget, or says the kustomization renders too
    /// much.
    fn charge(&mut self, cost: usize, span: Span) -> Result<(), Failure> {
        self.budget = self.budget.checked_sub(cost).ok_or_else(|| {
            Failure::at(
                span,
                format!(
                    "the kustomization renders more than {MAX_WEIGHT} bytes of objects; split it"
                ),
            )
        })?;
        Ok(())
    }

    /// Reads a file once; its id in the unit and its text.
    fn load(
        &mut self,
        real: &Path,
        shown: String,
    ) -> Result<(FileId, std::sync::Arc<str>), String> {
        if let Some(id) = self.ids.get(real) {
            return Ok((*id, self.files[id.0 as usize].text.clone()));
        }
        let text = read_input(real, TOO_LARGE_ADVICE).map_err(|e| format!("{shown}: {e}"))?;
        self.bytes += text.len() as u64;
        if self.bytes > MAX_TOTAL_BYTES {
            return Err(format!(
                "the kustomization's files add up to more than {MAX_TOTAL_BYTES} bytes; {TOO_LARGE_ADVICE}"
            ));
        }
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(shown, text));
        self.ids.insert(real.to_path_buf(), id);
        Ok((id, self.files[id.0 as usize].text.clone()))
    }

    /// The whole rendering of the kustomization in `dir`, with the name
    /// hashes and `vars` only the outermost build applies.
    fn top(&mut self, dir: &Path, shown: &str) -> Result<Vec<Resource>, Failure> {
        let mut resources = self.kustomize(dir, shown, None, 0)?;
        let mut renames = Vec::new();
        for r in resources.iter_mut().filter(|r| r.needs_hash) {
            let old = r.name().to_string();
            let new = format!("{old}-{}", generate::hash_suffix(r));
            if let Some(name) = tree::path_mut(&mut r.node, &["metadata", "name"]) {
                name.value = Value::Str(new.clone());
            }
            renames.push((r.kind().to_string(), old, new));
        }
        transform::rename_references(&mut resources, &renames);
        let mut values = Vec::new();
        for var in &self.vars {
            let object = resources
                .iter()
                .find(|r| {
                    r.kind() == var.kind && (r.first_name == var.object || r.name() == var.object)
                })
                .ok_or_else(|| {
                    Failure::at(
                        var.span,
                        format!("var `{}` names no {} `{}`", var.name, var.kind, var.object),
                    )
                })?;
            let keys: Vec<&str> = var.field.iter().map(String::as_str).collect();
            let value = tree::path(&object.node, &keys)
                .and_then(|n| match &n.value {
                    Value::Str(s) => Some(s.clone()),
                    Value::Int(i) => Some(i.to_string()),
                    Value::Bool(b) => Some(b.to_string()),
                    _ => None,
                })
                .ok_or_else(|| {
                    Failure::at(
                        var.span,
                        format!("var `{}`: no field `{}`", var.name, var.field.join(".")),
                    )
                })?;
            values.push((var.name.clone(), value, var.span));
        }
        let at = self.vars.first().map(|v| v.span);
        transform::vars(&mut resources, &values, &mut self.budget)
            .map_err(|message| Failure { span: at, message })?;
        Ok(resources)
    }

    /// The kustomization file in `dir` as kustomize finds it.
    fn kustomization_file(&self, dir: &Path) -> Option<PathBuf> {
        NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file())
    }

    /// Builds the kustomization (or, with `component_of`, the component)
    /// in `dir`: `component_of` holds the resources a component applies to.
    fn kustomize(
        &mut self,
        dir: &Path,
        shown: &str,
        component_of: Option<Vec<Resource>>,
        depth: usize,
    ) -> Result<Vec<Resource>, Failure> {
        let file = self.kustomization_file(dir).ok_or_else(|| Failure {
            span: None,
            message: format!("no kustomization.yaml in `{shown}`"),
        })?;
        self.builds += 1;
        if self.builds > MAX_BUILDS {
            return Err(Failure {
                span: None,
                message: format!("more than {MAX_BUILDS} kustomizations built for one; a base is shared too often"),
            });
        }
        let real_dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let file_shown = join_shown(shown, file_name(&file));
        let (id, text) = self
            .load(
                &std::fs::canonicalize(&file).unwrap_or(file.clone()),
                file_shown,
            )
            .map_err(|message| Failure {
                span: None,
                message,
            })?;
        if component_of.is_some() {
            self.consumed
                .insert(std::fs::canonicalize(&file).unwrap_or(file.clone()));
        }
        let whole = Span::new(0, text.len()).in_file(id);
        let k = match parse_yaml(&text) {
            Ok(mut docs) if docs.len() == 1 => docs.remove(0).node.in_file(id),
            Ok(_) => return Err(Failure::at(whole, "a kustomization is one YAML document")),
            Err(e) => {
                return Err(Failure::at(
                    Span::new(e.span.start, e.span.end).in_file(id),
                    format!("not valid YAML: {}", e.message),
                ))
            }
        };
        if k.as_map().is_none() {
            return Err(Failure::at(k.span, "a kustomization is a mapping"));
        }
        let kind = k
            .get("kind")
            .and_then(Node::as_str)
            .unwrap_or("Kustomization");
        match (kind, component_of.is_some()) {
            ("Component", false) => {
                return Err(Failure::at(
                    k.span,
                    "a Component is used through `components:`, not as a resource",
                ))
            }
            ("Kustomization", true) => {
                return Err(Failure::at(
                    k.span,
                    "`components:` names a Kustomization; it must be `kind: Component`",
                ))
            }
            _ => {}
        }
        for (key, why) in UNSUPPORTED {
            if let Some(entry) = k.entry(key) {
                return Err(Failure::at(entry.key_span, format!("`{key}`: {why}")));
            }
        }
        self.chain.push(real_dir.clone());
        let result = self.steps(&k, dir, &real_dir, shown, component_of, depth);
        self.chain.pop();
        result
    }

    fn steps(
        &mut self,
        k: &Node,
        dir: &Path,
        real_dir: &Path,
        shown: &str,
        component_of: Option<Vec<Resource>>,
        depth: usize,
    ) -> Result<Vec<Resource>, Failure> {
        let mut resources = component_of.unwrap_or_default();
        for key in ["resources", "bases"] {
            for entry in strings(k, key)? {
                let mut more = self.resource(entry, dir, real_dir, shown, depth)?;
                resources.append(&mut more);
            }
        }
        for entry in strings(k, "components")? {
            let (real, rel) = self.resolve(entry, dir, real_dir)?;
            if !real.is_dir() {
                return Err(Failure::at(
                    entry.span,
                    format!("component `{rel}` is not a directory"),
                ));
            }
            self.enter(&real, entry)?;
            if depth + 1 > MAX_DEPTH {
                return Err(Failure::at(
                    entry.span,
                    format!("kustomizations nest deeper than {MAX_DEPTH}"),
                ));
            }
            resources =
                self.kustomize(&real, &join_shown(shown, &rel), Some(resources), depth + 1)?;
        }
        self.generators(k, dir, real_dir, shown, &mut resources)?;
        self.resources += resources.len();
        if self.resources > MAX_RESOURCES {
            return Err(Failure::at(
                k.span,
                format!("more than {MAX_RESOURCES} resources rendered"),
            ));
        }
        for entry in k
            .get("patchesStrategicMerge")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            let docs = self.patch_documents(entry, entry, dir, real_dir, shown)?;
            for doc in docs {
                self.strategic_merge(&mut resources, doc, None, entry.span)?;
            }
        }
        for entry in k.get("patches").and_then(Node::as_seq).unwrap_or_default() {
            self.patch(&mut resources, entry, dir, real_dir, shown)?;
        }
        if let Some(ns) = k.get("namespace") {
            transform::namespace(&mut resources, ns);
        }
        let text = |key| k.get(key).and_then(Node::as_str).unwrap_or("");
        transform::prefix_suffix(&mut resources, text("namePrefix"), text("nameSuffix"));
        // Labels and annotations go into up to five places of every object.
        for key in ["commonLabels", "labels", "commonAnnotations"] {
            if let Some(value) = k.get(key) {
                self.charge(tree::weight(value) * 5 * resources.len(), value.span)?;
            }
        }
        if let Some(pairs) = k.get("commonLabels") {
            let to = transform::LabelTargets {
                selectors: true,
                templates: true,
            };
            transform::labels(&mut resources, pairs, &to);
        }
        for entry in k.get("labels").and_then(Node::as_seq).unwrap_or_default() {
            let flag = |key| entry.get(key).is_some_and(|n| n.value == Value::Bool(true));
            let to = transform::LabelTargets {
                selectors: flag("includeSelectors"),
                templates: flag("includeTemplates"),
            };
            if let Some(pairs) = entry.get("pairs") {
                transform::labels(&mut resources, pairs, &to);
            }
        }
        if let Some(pairs) = k.get("commonAnnotations") {
            transform::annotations(&mut resources, pairs);
        }
        for entry in k
            .get("patchesJson6902")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            self.patch(&mut resources, entry, dir, real_dir, shown)?;
        }
        if let Some(entries) = k.get("replicas") {
            transform::replicas(&mut resources, entries);
        }
        if let Some(entries) = k.get("images") {
            transform::images(&mut resources, entries);
        }
        for entry in k
            .get("replacements")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            let replacements = match entry.get("path") {
                Some(path) => self.patch_documents(entry, path, dir, real_dir, shown)?,
                None => vec![entry.clone()],
            };
            // A file holds one replacement or a list of them.
            let replacements = replacements.into_iter().flat_map(|r| match r.value {
                Value::Seq(items) => items,
                _ => vec![r],
            });
            for replacement in replacements {
                replace::apply(&mut resources, &replacement)
                    .map_err(|(span, message)| Failure::at(span, message))?;
            }
        }
        for var in k.get("vars").and_then(Node::as_seq).unwrap_or_default() {
            let field = |keys: &[&str]| tree::path(var, keys).and_then(Node::as_str).unwrap_or("");
            let path = match field(&["fieldref", "fieldpath"]) {
                "" => "metadata.name",
                p => p,
            };
            self.vars.push(Var {
                name: field(&["name"]).to_string(),
                kind: field(&["objref", "kind"]).to_string(),
                object: field(&["objref", "name"]).to_string(),
                field: path.split('.').map(str::to_string).collect(),
                span: var.span,
            });
        }
        Ok(resources)
    }

    /// A path entry of the kustomization resolved: its canonical path and
    /// the path as written. Remote and outside paths are refused.
    fn resolve(
        &self,
        entry: &Node,
        dir: &Path,
        real_dir: &Path,
    ) -> Result<(PathBuf, String), Failure> {
        let rel = entry.as_str().unwrap_or("").trim();
        let remote = rel.contains("://")
            || rel.starts_with("git@")
            || rel.contains("?ref=")
            || ["github.com/", "gitlab.com/", "bitbucket.org/"]
                .iter()
                .any(|h| rel.starts_with(h));
        if remote {
            return Err(Failure::at(
                entry.span,
                format!("remote resource `{rel}` is not supported: policy reads no network; vendor it into the repository and name it by path"),
            ));
        }
        let real = std::fs::canonicalize(dir.join(rel))
            .map_err(|e| Failure::at(entry.span, format!("`{rel}`: cannot read: {e}")))?;
        if !real.starts_with(&self.boundary) {
            return Err(Failure::at(
                entry.span,
                format!(
                    "`{rel}` leads outside the repository being checked (`..` or a symlink); not read"
                ),
            ));
        }
        // kustomize's own load restrictor: files only under the
        // kustomization's directory (bases may be elsewhere).
        if real.is_file() && !real.starts_with(real_dir) {
            return Err(Failure::at(
                entry.span,
                format!("`{rel}` is not in or below the kustomization's directory; kustomize refuses it too"),
            ));
        }
        Ok((real, rel.to_string()))
    }

    /// Refuses a directory already being built (a cycle), naming the chain.
    fn enter(&self, real: &Path, entry: &Node) -> Result<(), Failure> {
        if let Some(at) = self.chain.iter().position(|d| d == real) {
            let chain: Vec<String> = self.chain[at..]
                .iter()
                .chain([&real.to_path_buf()])
                .map(|d| d.to_string_lossy().into_owned())
                .collect();
            return Err(Failure::at(
                entry.span,
                format!("kustomizations include each other: {}", chain.join(" -> ")),
            ));
        }
        Ok(())
    }

    fn resource(
        &mut self,
        entry: &Node,
        dir: &Path,
        real_dir: &Path,
        shown: &str,
        depth: usize,
    ) -> Result<Vec<Resource>, Failure> {
        let (real, rel) = self.resolve(entry, dir, real_dir)?;
        let entry_shown = join_shown(shown, &rel);
        if real.is_dir() {
            self.enter(&real, entry)?;
            if depth + 1 > MAX_DEPTH {
                return Err(Failure::at(
                    entry.span,
                    format!("kustomizations nest deeper than {MAX_DEPTH}"),
                ));
            }
            if self.kustomization_file(&real).is_none() {
                return Err(Failure::at(
                    entry.span,
                    format!("`{rel}` is a directory with no kustomization.yaml"),
                ));
            }
            return self.kustomize(&real, &entry_shown, None, depth + 1);
        }
        let (id, text) = self
            .load(&real, entry_shown)
            .map_err(|m| Failure::at(entry.span, m))?;
        self.consumed.insert(real);
        let docs = parse_yaml(&text).map_err(|e| {
            Failure::at(
                Span::new(e.span.start, e.span.end).in_file(id),
                format!("not valid YAML: {}", e.message),
            )
        })?;
        let mut out = Vec::new();
        for doc in docs {
            let node = doc.node.in_file(id);
            if matches!(node.value, Value::Null) {
                continue;
            }
            let is_list = node
                .get("kind")
                .and_then(Node::as_str)
                .is_some_and(|k| k.ends_with("List"))
                && node.get("items").is_some();
            let objects = match is_list {
                true => node
                    .get("items")
                    .and_then(Node::as_seq)
                    .unwrap_or_default()
                    .to_vec(),
                false => vec![node],
            };
            for object in objects {
                let has = |k| object.get(k).and_then(Node::as_str).is_some();
                if !has("kind") || tree::path(&object, &["metadata", "name"]).is_none() {
                    return Err(Failure::at(
                        object.span,
                        "a resource needs `kind` and `metadata.name`",
                    ));
                }
                self.charge(tree::weight(&object), object.span)?;
                out.push(Resource::new(object));
            }
        }
        Ok(out)
    }

    fn generators(
        &mut self,
        k: &Node,
        dir: &Path,
        real_dir: &Path,
        shown: &str,
        resources: &mut Vec<Resource>,
    ) -> Result<(), Failure> {
        let options = k.get("generatorOptions");
        for (key, kind) in [
            ("configMapGenerator", "ConfigMap"),
            ("secretGenerator", "Secret"),
        ] {
            for entry in k.get(key).and_then(Node::as_seq).unwrap_or_default() {
                let mut read = |path: &Node| -> Result<generate::Read, (Span, String)> {
                    let (real, rel) = self
                        .resolve(path, dir, real_dir)
                        .map_err(|f| (path.span, f.message))?;
                    let (id, text) = self
                        .load(&real, join_shown(shown, &rel))
                        .map_err(|m| (path.span, m))?;
                    self.consumed.insert(real);
                    Ok(generate::Read {
                        text: text.to_string(),
                        whole: Span::new(0, text.len()).in_file(id),
                    })
                };
                generate::generate(kind, entry, options, resources, &mut read)
                    .map_err(|(span, message)| Failure::at(span, message))?;
            }
        }
        let home = k
            .get("helmGlobals")
            .and_then(|g| g.get("chartHome"))
            .and_then(Node::as_str)
            .unwrap_or("charts");
        for entry in k
            .get("helmCharts")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            let mut inflated = self.helm_chart(entry, home, dir, real_dir, shown)?;
            resources.append(&mut inflated);
        }
        Ok(())
    }

    /// The documents of a patch given by path, or inline (`patch:` text or,
    /// in `patchesStrategicMerge`, the YAML written in place).
    fn patch_documents(
        &mut self,
        entry: &Node,
        content: &Node,
        dir: &Path,
        real_dir: &Path,
        shown: &str,
    ) -> Result<Vec<Node>, Failure> {
        let text = content.as_str().unwrap_or("");
        if content.as_str().is_some() && !text.contains('\n') {
            let (real, rel) = self.resolve(content, dir, real_dir)?;
            let (id, text) = self
                .load(&real, join_shown(shown, &rel))
                .map_err(|m| Failure::at(entry.span, m))?;
            self.consumed.insert(real);
            let docs = parse_yaml(&text).map_err(|e| {
                Failure::at(
                    Span::new(e.span.start, e.span.end).in_file(id),
                    format!("not valid YAML: {}", e.message),
                )
            })?;
            return Ok(docs
                .into_iter()
                .map(|d| d.node.in_file(id))
                .filter(|n| !matches!(n.value, Value::Null))
                .collect());
        }
        if content.as_str().is_none() {
            // YAML written in place is already mapped to its lines.
            return Ok(vec![content.clone()]);
        }
        let docs = parse_yaml(text).map_err(|e| {
            Failure::at(
                content.span,
                format!("inline patch is not valid YAML: {}", e.message),
            )
        })?;
        let file = &self.files[content.span.file.0 as usize];
        let lines = inline::inline_lines(&file.text, content.span, text);
        Ok(docs
            .into_iter()
            .map(|d| {
                let mut node = d.node;
                inline::remap(&mut node, &|s| {
                    inline::map_inline(s, &lines, text, content.span)
                });
                node
            })
            .filter(|n| !matches!(n.value, Value::Null))
            .collect())
    }

    /// One `patches` (or `patchesJson6902`) entry: a strategic merge patch
    /// or a JSON patch, on the resources its `target` selects.
    fn patch(
        &mut self,
        resources: &mut Vec<Resource>,
        entry: &Node,
        dir: &Path,
        real_dir: &Path,
        shown: &str,
    ) -> Result<(), Failure> {
        let content = entry
            .get("path")
            .or_else(|| entry.get("patch"))
            .ok_or_else(|| Failure::at(entry.span, "a patch needs `path` or `patch`"))?;
        let content = match (entry.get("path"), content.as_str()) {
            // A path is a path even when short; an inline patch of one line
            // would be read as a path otherwise.
            (Some(_), _) => content.clone(),
            (None, Some(text)) if !text.contains('\n') => {
                let mut c = content.clone();
                c.value = Value::Str(format!("{text}\n"));
                c
            }
            _ => content.clone(),
        };
        let docs = self.patch_documents(entry, &content, dir, real_dir, shown)?;
        let target = entry.get("target");
        if docs.first().is_some_and(|d| d.as_seq().is_some()) {
            let target =
                target.ok_or_else(|| Failure::at(entry.span, "a JSON patch needs a `target`"))?;
            let selected =
                select::select(resources, target).map_err(|m| Failure::at(target.span, m))?;
            for i in selected {
                json6902::apply(&mut resources[i].node, &docs[0], &mut self.budget).map_err(
                    |m| {
                        Failure::at(
                            entry.span,
                            format!(
                                "JSON patch on {} `{}`: {m}",
                                resources[i].kind(),
                                resources[i].name()
                            ),
                        )
                    },
                )?;
            }
            return Ok(());
        }
        for doc in docs {
            self.strategic_merge(resources, doc, target, entry.span)?;
        }
        Ok(())
    }

    fn strategic_merge(
        &mut self,
        resources: &mut Vec<Resource>,
        mut doc: Node,
        target: Option<&Node>,
        span: Span,
    ) -> Result<(), Failure> {
        let selected = match target {
            Some(target) => {
                select::select(resources, target).map_err(|m| Failure::at(target.span, m))?
            }
            None => {
                let kind = doc.get("kind").and_then(Node::as_str).unwrap_or("");
                let name = tree::path(&doc, &["metadata", "name"])
                    .and_then(Node::as_str)
                    .unwrap_or("");
                let ns = tree::path(&doc, &["metadata", "namespace"]).and_then(Node::as_str);
                let found: Vec<usize> = resources
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| {
                        r.kind() == kind
                            && r.is_named(name)
                            && ns.is_none_or(|ns| r.namespace() == ns)
                    })
                    .map(|(i, _)| i)
                    .collect();
                if found.is_empty() {
                    return Err(Failure::at(
                        doc.span,
                        format!("the patch names {kind} `{name}`, which no resource is"),
                    ));
                }
                found
            }
        };
        // The patch says which object; it does not rename it.
        if let Some(meta) = tree::get_mut(&mut doc, "metadata") {
            tree::remove(meta, "name");
            tree::remove(meta, "namespace");
        }
        self.charge(tree::weight(&doc) * selected.len(), span)?;
        let mut deleted = Vec::new();
        for i in selected {
            let base = std::mem::replace(
                &mut resources[i].node,
                Node::new(Span::default(), Value::Null),
            );
            let mut replaced = Vec::new();
            match patch::merge(base, doc.clone(), &mut replaced) {
                Some(node) => {
                    resources[i].node = node;
                    resources[i].replaced.append(&mut replaced);
                }
                None => deleted.push(i),
            }
        }
        for i in deleted.into_iter().rev() {
            resources.remove(i);
        }
        Ok(())
    }
}

/// The string entries of a list field (`resources`, `components`).
fn strings<'a>(k: &'a Node, key: &str) -> Result<Vec<&'a Node>, Failure> {
    let Some(list) = k.get(key).filter(|l| l.value != Value::Null) else {
        return Ok(Vec::new());
    };
    let items = list
        .as_seq()
        .ok_or_else(|| Failure::at(list.span, format!("`{key}` is a list of paths")))?;
    for item in items {
        if item.as_str().is_none() {
            return Err(Failure::at(
                item.span,
                format!("an entry of `{key}` is a path"),
            ));
        }
    }
    Ok(items.iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_paths_resolve_dots_as_text() {
        assert_eq!(join_shown("ex/overlays/prod", "../../base"), "ex/base");
        assert_eq!(join_shown("", "./a.yaml"), "a.yaml");
        assert_eq!(join_shown("a", "../../b"), "../b");
        assert_eq!(join_shown("/abs/x", "../y"), "/abs/y");
    }
}
