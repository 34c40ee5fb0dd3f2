//! Loading a chart as Helm's loader does: a directory (with its
//! `.helmignore`) or a `.tgz`, its `Chart.yaml`, `values.yaml`,
//! `values.schema.json`, `templates/`, `crds/`, other files (`.Files`) and
//! subcharts under `charts/` (directories and archives). Every file a span
//! may point into gets a [`FileId`] in the unit's table ([`Unit`]).

use super::archive;
use crate::document::Node;
use crate::finding::FileError;
use crate::parse::parse_yaml;
use crate::source::{FileId, SourceFile, Span, MAX_FILE_BYTES};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Files one chart tree (subcharts included) may hold, and bytes in all.
pub const MAX_CHART_FILES: usize = 10_000;
pub const MAX_CHART_BYTES: u64 = 64 << 20;
/// Subcharts nested deeper than this are refused (a hostile archive of
/// archives).
const MAX_NESTING: usize = 16;

/// One file of a chart: its path inside the chart and its bytes.
#[derive(Debug, Clone)]
pub struct RawFile {
    pub path: String,
    pub bytes: Arc<[u8]>,
}

/// The files of a checked unit, numbered: file 0 is the root `Chart.yaml`.
#[derive(Debug, Default)]
pub struct Unit {
    pub files: Vec<SourceFile>,
    /// Files read in all, against [`MAX_CHART_FILES`].
    pub count: usize,
}

impl Unit {
    pub fn add(&mut self, shown: String, text: &str) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(shown, text));
        id
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// An error at `span` of whichever file it is in.
    pub fn error(&self, span: Span, message: impl Into<String>) -> FileError {
        match self.files.get(span.file.0 as usize) {
            Some(file) => FileError::at(file, span, message.into()),
            None => FileError::whole("?", message.into()),
        }
    }
}

/// A `dependencies` entry of `Chart.yaml`.
#[derive(Debug, Clone, Default)]
pub struct Dependency {
    pub name: String,
    pub alias: Option<String>,
    pub condition: Option<String>,
    pub tags: Vec<String>,
    pub import_values: Vec<Node>,
    pub span: Span,
}

/// A loaded chart and its subcharts, before values decide which run.
#[derive(Debug, Clone)]
pub struct Chart {
    /// `name` from `Chart.yaml` (the alias once a dependency names one).
    pub name: String,
    /// `Chart.yaml`'s root mapping, in its file.
    pub metadata: Node,
    /// `values.yaml`'s root, in its file.
    pub values: Option<Node>,
    /// `values.schema.json`, parsed.
    pub schema: Option<(FileId, serde_json::Value)>,
    /// Files under `templates/`, by path inside the chart.
    pub templates: Vec<(String, FileId)>,
    pub crds: Vec<FileId>,
    /// Everything else, as `.Files` sees it.
    pub files: Arc<BTreeMap<String, Arc<[u8]>>>,
    pub subcharts: Vec<Chart>,
    pub dependencies: Vec<Dependency>,
    pub library: bool,
    /// Files read but never used, with why (shown as skipped).
    pub skipped: Vec<(String, String)>,
    /// Defaults with what `import-values` lifted from subcharts, once
    /// computed (else `values` is the defaults).
    pub imported: Option<super::template::Map>,
}

/// Loads the chart in `dir` (shown as `shown`), reading nothing outside
/// `boundary` and no symlink leading out of it.
pub fn load_dir(dir: &Path, shown: &str, unit: &mut Unit) -> Result<Chart, FileError> {
    let real = std::fs::canonicalize(dir)
        .map_err(|e| FileError::whole(shown, format!("cannot read the chart: {e}")))?;
    let ignore = helmignore(&real);
    let mut raw = Vec::new();
    let mut total = 0u64;
    let mut skipped = Vec::new();
    walk(
        &real,
        &real,
        &ignore,
        &mut raw,
        &mut total,
        &mut skipped,
        shown,
        0,
    )?;
    raw.sort_by(|a, b| a.path.cmp(&b.path));
    let mut chart = build(raw, shown, unit, 0)?;
    chart.skipped.extend(skipped);
    Ok(chart)
}

/// Loads a packaged chart.
pub fn load_archive(path: &Path, shown: &str, unit: &mut Unit) -> Result<Chart, FileError> {
    let raw = archive::read_archive(path)
        .map_err(|e| FileError::whole(shown, format!("cannot read the chart archive: {e}")))?;
    build(raw, shown, unit, 0)
}

/// `.helmignore` of the chart root (gitignore syntax, as Helm reads it),
/// with Helm's default: hidden files in `templates/`.
fn helmignore(root: &Path) -> ignore::gitignore::Gitignore {
    let mut builder = ignore::gitignore::GitignoreBuilder::new(root);
    let _ = builder.add_line(None, "templates/.?*");
    let file = root.join(".helmignore");
    if file.is_file() {
        if let Ok(text) = crate::source::read_input(&file, "") {
            for line in text.lines() {
                let _ = builder.add_line(None, line);
            }
        }
    }
    builder
        .build()
        .unwrap_or_else(|_| ignore::gitignore::Gitignore::empty())
}

#[allow(clippy::too_many_arguments)]
fn walk(
    root: &Path,
    dir: &Path,
    ignore: &ignore::gitignore::Gitignore,
    out: &mut Vec<RawFile>,
    total: &mut u64,
    skipped: &mut Vec<(String, String)>,
    shown: &str,
    depth: usize,
) -> Result<(), FileError> {
    if depth > 64 {
        return Err(FileError::whole(
            shown,
            "the chart's directories nest too deep",
        ));
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| FileError::whole(shown, format!("cannot read the chart: {e}")))?;
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let rel = path
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let name = path.file_name().map(|n| n.to_string_lossy().to_string());
        if name.as_deref() == Some(".git") {
            continue;
        }
        let link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink());
        let real = match std::fs::canonicalize(&path) {
            Ok(real) if real.starts_with(root) => real,
            _ => {
                if link {
                    skipped.push((
                        format!("{shown}/{rel}"),
                        "symlink leading out of the chart; not read".into(),
                    ));
                }
                continue;
            }
        };
        let is_dir = real.is_dir();
        if ignore.matched(Path::new(&rel), is_dir).is_ignore() {
            continue;
        }
        if is_dir {
            walk(root, &real, ignore, out, total, skipped, shown, depth + 1)?;
            continue;
        }
        if !real.is_file() {
            continue;
        }
        let size = std::fs::metadata(&real).map(|m| m.len()).unwrap_or(0);
        *total += size;
        if out.len() >= MAX_CHART_FILES || *total > MAX_CHART_BYTES || size > MAX_FILE_BYTES {
            return Err(FileError::whole(
                shown,
                format!("the chart holds more than {MAX_CHART_FILES} files or {MAX_CHART_BYTES} bytes (or a file over {MAX_FILE_BYTES}); list large files in .helmignore"),
            ));
        }
        let bytes = std::fs::read(&real)
            .map_err(|e| FileError::whole(format!("{shown}/{rel}"), format!("cannot read: {e}")))?;
        out.push(RawFile {
            path: rel,
            bytes: bytes.into(),
        });
    }
    Ok(())
}

fn text_of<'a>(file: &'a RawFile, shown: &str) -> Result<&'a str, FileError> {
    std::str::from_utf8(&file.bytes)
        .map_err(|_| FileError::whole(format!("{shown}/{}", file.path), "not UTF-8 text"))
}

/// Helm's `LoadFiles`: the chart the files make.
pub(super) fn build(
    raw: Vec<RawFile>,
    shown: &str,
    unit: &mut Unit,
    depth: usize,
) -> Result<Chart, FileError> {
    if depth > MAX_NESTING {
        return Err(FileError::whole(
            shown,
            format!("subcharts nest deeper than {MAX_NESTING}"),
        ));
    }
    unit.count += raw.len();
    if unit.count > MAX_CHART_FILES {
        return Err(FileError::whole(
            shown,
            format!("the chart and its subcharts hold more than {MAX_CHART_FILES} files"),
        ));
    }
    let Some(meta_file) = raw.iter().find(|f| f.path == "Chart.yaml") else {
        return Err(FileError::whole(
            shown,
            "Chart.yaml file is missing: not a chart",
        ));
    };
    let meta_id = unit.add(format!("{shown}/Chart.yaml"), text_of(meta_file, shown)?);
    let metadata = yaml_root(unit, meta_id)?;
    let name = metadata
        .get("name")
        .and_then(Node::as_str)
        .unwrap_or_default()
        .to_string();
    if name.is_empty() {
        return Err(unit.error(metadata.span, "validation: chart.metadata.name is required"));
    }
    let mut chart = Chart {
        name,
        library: metadata.get("type").and_then(Node::as_str) == Some("library"),
        metadata,
        values: None,
        schema: None,
        templates: Vec::new(),
        crds: Vec::new(),
        files: Arc::default(),
        subcharts: Vec::new(),
        dependencies: Vec::new(),
        skipped: Vec::new(),
        imported: None,
    };
    let mut files = BTreeMap::new();
    let mut subcharts: BTreeMap<String, Vec<RawFile>> = BTreeMap::new();
    let mut requirements = None;
    for file in raw {
        let path = file.path.as_str();
        let file_shown = format!("{shown}/{path}");
        if path == "Chart.yaml" {
            continue;
        } else if path == "values.yaml" {
            let id = unit.add(file_shown, text_of(&file, shown)?);
            chart.values = Some(yaml_root(unit, id)?);
        } else if path == "values.schema.json" {
            let id = unit.add(file_shown.clone(), text_of(&file, shown)?);
            let json = serde_json::from_slice(&file.bytes).map_err(|e| {
                FileError::whole(file_shown, format!("values.schema.json is not JSON: {e}"))
            })?;
            chart.schema = Some((id, json));
        } else if path == "requirements.yaml" {
            let id = unit.add(file_shown, text_of(&file, shown)?);
            requirements = Some(yaml_root(unit, id)?);
        } else if let Some(rest) = path.strip_prefix("templates/") {
            let _ = rest;
            let id = unit.add(file_shown, text_of(&file, shown)?);
            chart.templates.push((path.to_string(), id));
        } else if let Some(rest) = path.strip_prefix("charts/") {
            let first = rest.split('/').next().unwrap_or(rest).to_string();
            subcharts.entry(first).or_default().push(file);
            continue;
        } else {
            if path.starts_with("crds/")
                && [".yaml", ".yml", ".json"].iter().any(|e| path.ends_with(e))
            {
                let id = unit.add(file_shown, text_of(&file, shown)?);
                chart.crds.push(id);
            }
            files.insert(file.path, file.bytes);
        }
    }
    chart.files = Arc::new(files);
    let deps_node = requirements
        .as_ref()
        .and_then(|r| r.get("dependencies"))
        .or_else(|| chart.metadata.get("dependencies"));
    chart.dependencies = deps_node
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .map(dependency)
        .collect();
    for (name, files) in subcharts {
        let sub_shown = format!("{shown}/charts/{name}");
        if name.starts_with(['_', '.']) {
            continue;
        }
        let sub = if name.ends_with(".tgz") {
            let Some(file) = files.iter().find(|f| f.path.ends_with(&name)) else {
                continue;
            };
            let raw = archive::read_archive_bytes(&file.bytes).map_err(|e| {
                FileError::whole(
                    &*sub_shown,
                    format!("cannot read the subchart archive: {e}"),
                )
            })?;
            build(raw, &sub_shown, unit, depth + 1)?
        } else {
            let prefix = format!("charts/{name}/");
            let raw: Vec<RawFile> = files
                .into_iter()
                .filter_map(|f| {
                    Some(RawFile {
                        path: f.path.strip_prefix(&prefix)?.to_string(),
                        bytes: f.bytes,
                    })
                })
                .collect();
            if raw.is_empty() {
                chart
                    .skipped
                    .push((sub_shown, "a file in charts/ that is no chart".into()));
                continue;
            }
            build(raw, &sub_shown, unit, depth + 1)?
        };
        chart.subcharts.push(sub);
    }
    Ok(chart)
}

fn dependency(node: &Node) -> Dependency {
    let text = |k: &str| {
        node.get(k)
            .and_then(Node::as_str)
            .map(str::to_string)
            .filter(|s| !s.is_empty())
    };
    Dependency {
        name: text("name").unwrap_or_default(),
        alias: text("alias"),
        condition: text("condition"),
        tags: node
            .get("tags")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        import_values: node
            .get("import-values")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .to_vec(),
        span: node.span,
    }
}

/// The first document of a YAML file of the unit, its spans in that file;
/// an empty file is an empty mapping.
pub fn yaml_root(unit: &Unit, id: FileId) -> Result<Node, FileError> {
    let text = unit.file(id).text.clone();
    let docs = parse_yaml(&text)
        .map_err(|e| unit.error(e.span.in_file(id), format!("not valid YAML: {}", e.message)))?;
    let node = docs
        .into_iter()
        .next()
        .map(|d| d.node.in_file(id))
        .filter(|n| !matches!(n.value, crate::document::Value::Null))
        .unwrap_or_else(|| {
            Node::new(
                Span::new(0, 0).in_file(id),
                crate::document::Value::Map(Vec::new()),
            )
        });
    if node.as_map().is_none() {
        return Err(unit.error(node.span, "expected a mapping at the top of the file"));
    }
    Ok(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(files: &[(&str, &str)]) -> Vec<RawFile> {
        files
            .iter()
            .map(|(p, t)| RawFile {
                path: p.to_string(),
                bytes: t.as_bytes().into(),
            })
            .collect()
    }

    #[test]
    fn files_are_sorted_into_their_parts() {
        let sub = archive::pack(
            "db",
            &[("Chart.yaml", "name: db\n"), ("templates/s.yaml", "x: 1\n")],
        );
        let mut files = raw(&[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: app\ntype: application\n",
            ),
            ("values.yaml", "a: 1\n"),
            ("templates/_h.tpl", ""),
            ("templates/d.yaml", "kind: x\n"),
            ("crds/c.yaml", "kind: CustomResourceDefinition\n"),
            ("files/x.conf", "k=v\n"),
            ("charts/web/Chart.yaml", "name: web\n"),
            ("charts/web/values.yaml", "b: 2\n"),
        ]);
        files.push(RawFile {
            path: "charts/db-1.0.tgz".into(),
            bytes: sub.into(),
        });
        let mut unit = Unit::default();
        let chart = build(files, "app", &mut unit, 0).unwrap();
        assert_eq!(chart.name, "app");
        assert_eq!(chart.templates.len(), 2);
        assert_eq!(chart.crds.len(), 1);
        assert!(chart.files.contains_key("files/x.conf"));
        assert!(chart.files.contains_key("crds/c.yaml"));
        let names: Vec<&str> = chart.subcharts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["db", "web"]);
        assert_eq!(unit.file(FileId(0)).path.as_ref(), "app/Chart.yaml");
    }

    #[test]
    fn a_chart_without_chart_yaml_is_an_error() {
        let mut unit = Unit::default();
        let err = build(raw(&[("values.yaml", "a: 1\n")]), "x", &mut unit, 0).unwrap_err();
        assert!(err.message.contains("Chart.yaml"), "{}", err.message);
    }
}
