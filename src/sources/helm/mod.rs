//! Helm charts, rendered as `helm template` renders them, with no helm
//! binary: a directory holding `Chart.yaml` (found by walking or named) or
//! a packaged `.tgz` becomes the `kubernetes` documents Helm would print,
//! every node pointing at the template line that wrote it and, where a
//! value printed it, at the values-file line that set it (a related
//! location). The chart's other files are consumed through it (values,
//! helpers, NOTES.txt, subcharts) or listed as skipped, never judged as
//! raw YAML. Only files inside the chart are read: no `..` or symlink out
//! of it, no network (a dependency that is not vendored is an error naming
//! `helm dependency build`).

mod archive;
mod chart;
mod inflate;
mod objects;
mod render;
mod schema;
pub mod template;
mod values;

use super::{Loaded, Source};
use crate::finding::{FileError, Origin, Skipped};
use crate::kinds;
use crate::source::FileId;
use crate::sources::discover::Target;
use chart::{Chart, Unit};
use std::path::{Path, PathBuf};
use template::{Map, Value};

pub use inflate::{inflate, Inflated, Inflation, InlineMerge};
pub use render::Release;

/// Whether `version` is a Kubernetes version `--kube-version` takes.
pub fn check_kube_version(version: &str) -> Result<(), String> {
    objects::KubeVersion::parse(version).map(|_| ())
}

/// Whether `assignment` is a `--set` Helm reads.
pub fn check_set(assignment: &str) -> Result<(), String> {
    values::parse_set(assignment, &mut Map::new())
}

/// How many directories up a file named alone looks for its chart.
const OWNER_LEVELS: usize = 6;

/// One set of values a chart is checked with: files merged in order, then
/// `--set` overrides.
#[derive(Debug, Clone, Default)]
pub struct ValueSet {
    /// Shown after resources (`Deployment/x [prod]`); `None` for the only
    /// set of a chart.
    pub name: Option<String>,
    /// Files, as they are opened and as they are shown.
    pub files: Vec<(PathBuf, String)>,
    /// `a.b=c` assignments, as `--set` takes them.
    pub set: Vec<String>,
}

/// How to render one chart (from `.policy.yaml` or the command line).
#[derive(Debug, Clone, Default)]
pub struct ChartSettings {
    /// The chart directory (or `.tgz`), canonical.
    pub chart: PathBuf,
    pub release: Option<String>,
    pub namespace: Option<String>,
    pub kube_version: Option<String>,
    /// API versions `.Capabilities.APIVersions.Has` knows beyond Helm's.
    pub api_versions: Vec<String>,
    /// Each set is checked; none: the chart's own values only.
    pub value_sets: Vec<ValueSet>,
}

/// Helm settings of a run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Charts `.policy.yaml` configures.
    pub charts: Vec<ChartSettings>,
    /// `--values`, `--set`, `--kube-version`: for the charts named on the
    /// command line (their canonical paths in `named`).
    pub command_line: Option<ChartSettings>,
    pub named: Vec<PathBuf>,
}

impl Options {
    /// The settings for the chart at `real` (canonical): the config's, or
    /// the command line's when the chart was named, or Helm's defaults.
    fn for_chart(&self, real: &Path) -> ChartSettings {
        if let Some(found) = self.charts.iter().find(|c| c.chart == real) {
            return found.clone();
        }
        let named = self
            .named
            .iter()
            .any(|n| n == real || n.parent() == Some(real) && n.ends_with("Chart.yaml"));
        match (&self.command_line, named) {
            (Some(cli), true) => cli.clone(),
            _ => ChartSettings::default(),
        }
    }
}

pub struct Charts;

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// The directory of a file, `.` for a bare name.
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn is_archive(path: &Path) -> bool {
    file_name(path).ends_with(".tgz")
}

/// The chart directory holding `path` (itself included), if any: the
/// outermost one, since a chart inside another (`charts/sub`) is rendered
/// through it.
fn outermost_chart(path: &Path) -> Option<PathBuf> {
    let mut found = None;
    let start = if path.is_dir() {
        path
    } else {
        parent_dir(path)
    };
    let start = std::fs::canonicalize(start).ok()?;
    for (level, dir) in start.ancestors().enumerate() {
        if level > OWNER_LEVELS * 2 {
            break;
        }
        if dir.join("Chart.yaml").is_file() {
            found = Some(dir.to_path_buf());
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    found
}

impl Source for Charts {
    fn name(&self) -> &'static str {
        "helm"
    }

    fn claims(&self, target: &Target) -> bool {
        file_name(&target.path) == "Chart.yaml" || (target.explicit && is_archive(&target.path))
    }

    /// A chart's files are read through it: its `Chart.yaml` stands for
    /// the chart; a subchart's is rendered through its parent; every other
    /// file of the chart the walk found is consumed (templates, values,
    /// subcharts, CRDs) or listed as skipped with why.
    fn plan(&self, targets: &mut Vec<Target>) {
        // A file named alone inside a chart: the chart is checked instead.
        let mut added: Vec<Target> = Vec::new();
        for t in targets.iter().filter(|t| t.explicit && !self.claims(t)) {
            let Some(dir) = outermost_chart(&t.path) else {
                continue;
            };
            let chart_file = dir.join("Chart.yaml");
            if targets.iter().chain(&added).any(|o| o.path == chart_file) {
                continue;
            }
            let shown = shown_chart_file(&t.path, &t.display, &chart_file);
            added.push(Target {
                display: shown,
                path: chart_file,
                explicit: true,
                kind: None,
                skip: None,
            });
        }
        targets.append(&mut added);
        let charts: Vec<PathBuf> = targets
            .iter()
            .filter(|t| file_name(&t.path) == "Chart.yaml" && t.skip.is_none())
            .filter_map(|t| std::fs::canonicalize(parent_dir(&t.path)).ok())
            .collect();
        if charts.is_empty() {
            return;
        }
        // The outermost chart of each: a subchart is its parent's.
        let roots: Vec<PathBuf> = charts
            .iter()
            .filter(|c| !charts.iter().any(|o| o != *c && c.starts_with(o)))
            .cloned()
            .collect();
        for t in targets.iter_mut() {
            let Ok(real) = std::fs::canonicalize(&t.path) else {
                continue;
            };
            let Some(root) = roots.iter().find(|r| real.starts_with(r)) else {
                continue;
            };
            let rel = real.strip_prefix(root).unwrap_or(&real);
            if rel == Path::new("Chart.yaml") {
                continue;
            }
            let first = rel
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .unwrap_or_default();
            let consumed = matches!(
                first.as_str(),
                "templates"
                    | "charts"
                    | "crds"
                    | "values.yaml"
                    | "values.schema.json"
                    | "Chart.lock"
                    | "requirements.yaml"
                    | "requirements.lock"
            );
            t.skip = Some(match consumed {
                true => CONSUMED.to_string(),
                false => format!(
                    "a file of the Helm chart in `{}` that `helm template` does not render (read only through `.Files`, or as values when named in `.policy.yaml` helm settings or with --values)",
                    root.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
                ),
            });
        }
        targets.retain(|t| t.skip.as_deref() != Some(CONSUMED));
    }

    fn read(&self, target: Target, options: &super::Options) -> Vec<Loaded> {
        let mut unit = Unit::default();
        let archive = is_archive(&target.path);
        let (loaded, real) = if archive {
            (
                chart::load_archive(&target.path, &target.display, &mut unit),
                std::fs::canonicalize(&target.path).unwrap_or_default(),
            )
        } else {
            let dir = parent_dir(&target.path);
            let shown = match target.display.rfind('/') {
                Some(i) => target.display[..i].to_string(),
                None => ".".to_string(),
            };
            (
                chart::load_dir(dir, &shown, &mut unit),
                std::fs::canonicalize(dir).unwrap_or_default(),
            )
        };
        let chart = match loaded {
            Ok(chart) => chart,
            Err(e) => return vec![Loaded::Error(e)],
        };
        let settings = options.helm.for_chart(&real);
        let mut out: Vec<Loaded> = skipped_files(&chart)
            .into_iter()
            .map(|(path, reason)| Loaded::Skipped(Skipped { path, reason }))
            .collect();
        let sets = match settings.value_sets.is_empty() {
            true => vec![ValueSet::default()],
            false => settings.value_sets.clone(),
        };
        let named = sets.len() > 1;
        for set in &sets {
            out.extend(render_set(&chart, &unit, set, &settings, named));
        }
        out
    }
}

/// `Chart.yaml` of the chart holding a file named alone, as the user would
/// name it: relative to the current directory when it is below it.
fn shown_chart_file(_path: &Path, _display: &str, chart_file: &Path) -> String {
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_default();
    match chart_file.strip_prefix(&cwd) {
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => chart_file.to_string_lossy().into_owned(),
    }
}

const CONSUMED: &str = "read through its Helm chart";

fn skipped_files(chart: &Chart) -> Vec<(String, String)> {
    let mut out = chart.skipped.clone();
    for sub in &chart.subcharts {
        out.extend(skipped_files(sub));
    }
    out
}

/// The name a value set is shown with: its own, else its files' names.
fn set_name(set: &ValueSet) -> String {
    if let Some(name) = &set.name {
        return name.clone();
    }
    let mut parts: Vec<String> = set
        .files
        .iter()
        .map(|(_, shown)| file_name(Path::new(shown)).to_string())
        .collect();
    parts.extend(set.set.iter().cloned());
    match parts.is_empty() {
        true => "defaults".into(),
        false => parts.join(" + "),
    }
}

/// Helm's merge of `-f` files: a later file's maps merge into the
/// earlier's, anything else replaces.
pub(super) fn merge_user(into: &mut Map, from: &Map) {
    for (key, value) in from {
        match (into.get_mut(key), value.as_map()) {
            (Some(existing), Some(from)) if existing.as_map().is_some() => {
                let mut merged = existing.as_map().cloned().unwrap_or_default();
                merge_user(&mut merged, from);
                *existing = Value::map(merged).at(value.at);
            }
            _ => {
                into.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Every values tree of the chart and its subcharts.
pub(super) fn values_roots(chart: &Chart, out: &mut Vec<crate::document::Node>) {
    if let Some(v) = &chart.values {
        out.push(v.clone());
    }
    for sub in &chart.subcharts {
        values_roots(sub, out);
    }
}

/// Renders the chart with one value set: its documents, or the error
/// that stopped Helm.
fn render_set(
    chart: &Chart,
    unit: &Unit,
    set: &ValueSet,
    settings: &ChartSettings,
    named: bool,
) -> Vec<Loaded> {
    let (loaded, not_vendored) = render_one(chart, unit, set, settings, named);
    not_vendored.into_iter().chain([loaded]).collect()
}

/// One rendering, and the error of dependencies not vendored (reported
/// beside it).
fn render_one(
    chart: &Chart,
    unit: &Unit,
    set: &ValueSet,
    settings: &ChartSettings,
    named: bool,
) -> (Loaded, Option<Loaded>) {
    let mut unit = Unit {
        files: unit.files.clone(),
        count: unit.count,
    };
    let primary = unit.file(FileId::PRIMARY).path.to_string();
    let mut user = Map::new();
    let mut roots = Vec::new();
    for (path, shown) in &set.files {
        let text = match crate::source::read_input(path, crate::source::TOO_LARGE_ADVICE) {
            Ok(text) => text,
            Err(e) => return (Loaded::Error(FileError::whole(shown.as_str(), e)), None),
        };
        let id = unit.add(shown.clone(), &text);
        let root = match chart::yaml_root(&unit, id) {
            Ok(root) => root,
            Err(e) => return (Loaded::Error(e), None),
        };
        if let Some(map) = Value::from_node(&root).as_map() {
            merge_user(&mut user, map);
        }
        roots.push(root);
    }
    for assignment in &set.set {
        if let Err(e) = values::parse_set(assignment, &mut user) {
            return (
                Loaded::Error(FileError::whole(
                    primary.as_str(),
                    format!("--set {assignment}: {e}"),
                )),
                None,
            );
        }
    }
    let mut chart = chart.clone();
    let mut missing = Vec::new();
    values::enable_dependencies(&mut chart, &user, "", 0, &mut missing);
    // `helm template` stops here; the rest of the chart is still checked.
    let not_vendored = missing.first().map(|first| {
        let names: Vec<&str> = missing.iter().map(|m| m.name.as_str()).collect();
        Loaded::Error(unit.error(
            first.span,
            format!(
                "found in Chart.yaml, but missing in charts/ directory: {}; run `helm dependency build` to vendor them (policy fetches nothing); the chart is checked without them",
                names.join(", ")
            ),
        ))
    });
    values::import_values(&mut chart, &user, 0);
    let values = values::coalesce_values(&chart, &user);
    if let Err(e) = schema::validate_tree(&chart, &values, &unit) {
        return (Loaded::Error(e), not_vendored);
    }
    values_roots(&chart, &mut roots);
    let release = Release {
        name: settings
            .release
            .clone()
            .unwrap_or_else(|| Release::default().name),
        namespace: settings
            .namespace
            .clone()
            .unwrap_or_else(|| Release::default().namespace),
        kube_version: settings
            .kube_version
            .clone()
            .unwrap_or_else(|| Release::default().kube_version),
        api_versions: settings.api_versions.clone(),
    };
    let mut documents = match render::render(&chart, &values, &unit, &release, &roots) {
        Ok(documents) => documents,
        Err(e) => return (Loaded::Error(e), not_vendored),
    };
    let name = set_name(set);
    let context = serde_json::json!({
        "helm": {
            "chart": chart.name,
            "release": release.name,
            "namespace": release.namespace,
            "values": name,
        },
        "variant": if named { Some(name.clone()) } else { None },
    });
    for doc in &mut documents {
        doc.context = Some(context.clone());
    }
    let mut files = unit.files;
    let primary = files.remove(0);
    let parsed = Loaded::Parsed {
        primary,
        others: files,
        kind: &kinds::KUBERNETES,
        origin: Origin::File,
        documents,
    };
    (parsed, not_vendored)
}

#[cfg(test)]
mod tests;
