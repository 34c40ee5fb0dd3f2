//! A chart inflated for a kustomization's `helmCharts` entry, as
//! kustomize's Helm generator runs `helm template`: the chart's defaults,
//! then `valuesFile` with `valuesInline` merged in (`valuesMerge`), then
//! `additionalValuesFiles`; CRDs only with `includeCRDs`.

use super::chart::{self, Chart, Unit};
use super::render::{self, Release};
use super::template::{Map, Value};
use super::{merge_user, values, values_roots};
use crate::document::Node;
use crate::finding::FileError;
use crate::parse::Document;
use crate::source::SourceFile;
use std::path::{Path, PathBuf};

/// How `valuesInline` meets `valuesFile` (kustomize's `valuesMerge`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InlineMerge {
    /// Inline values win (kustomize's default).
    #[default]
    Override,
    /// The file's values win.
    Merge,
    /// Inline values replace the file's.
    Replace,
}

/// One `helmCharts` entry, its paths resolved by the kustomization.
#[derive(Debug, Clone, Default)]
pub struct Inflation {
    /// The chart's directory, inside the checked tree.
    pub chart: PathBuf,
    /// The chart's directory as shown in findings.
    pub shown: String,
    pub release: Release,
    /// `valuesFile` and `additionalValuesFiles`: (path, shown).
    pub values_file: Option<(PathBuf, String)>,
    pub additional: Vec<(PathBuf, String)>,
    /// `valuesInline`, in the kustomization's file (ids of the caller's
    /// unit are kept apart: see [`Inflated`]).
    pub inline: Option<Node>,
    pub merge: InlineMerge,
    pub include_crds: bool,
}

/// The rendered documents and the files they point into (file 0 is the
/// chart's `Chart.yaml`). `valuesInline` nodes keep the spans they had.
pub struct Inflated {
    pub files: Vec<SourceFile>,
    pub documents: Vec<Document>,
}

fn read_values(unit: &mut Unit, (path, shown): &(PathBuf, String)) -> Result<Node, FileError> {
    let text = crate::source::read_input(path, crate::source::TOO_LARGE_ADVICE)
        .map_err(|e| FileError::whole(shown.as_str(), e))?;
    let id = unit.add(shown.clone(), &text);
    chart::yaml_root(unit, id)
}

fn without_crds(chart: &mut Chart) {
    chart.crds.clear();
    chart.subcharts.iter_mut().for_each(without_crds);
}

/// Renders the chart of one `helmCharts` entry.
pub fn inflate(inflation: &Inflation) -> Result<Inflated, FileError> {
    let mut unit = Unit::default();
    let mut chart = chart::load_dir(Path::new(&inflation.chart), &inflation.shown, &mut unit)?;
    if !inflation.include_crds {
        without_crds(&mut chart);
    }
    let mut roots: Vec<Node> = Vec::new();
    // The file kustomize hands helm: `valuesFile` (or nothing: the
    // defaults) with the inline values merged in.
    let mut user = Map::new();
    if let Some(file) = &inflation.values_file {
        let root = read_values(&mut unit, file)?;
        if let Some(map) = Value::from_node(&root).as_map() {
            merge_user(&mut user, map);
        }
        roots.push(root);
    }
    if let Some(inline) = &inflation.inline {
        let inline_map = Value::from_node(inline)
            .as_map()
            .cloned()
            .unwrap_or_default();
        match inflation.merge {
            InlineMerge::Override => merge_user(&mut user, &inline_map),
            InlineMerge::Replace => user = inline_map,
            InlineMerge::Merge => {
                let mut merged = inline_map;
                merge_user(&mut merged, &user);
                user = merged;
            }
        }
    }
    for file in &inflation.additional {
        let root = read_values(&mut unit, file)?;
        if let Some(map) = Value::from_node(&root).as_map() {
            merge_user(&mut user, map);
        }
        roots.push(root);
    }
    let mut missing = Vec::new();
    values::enable_dependencies(&mut chart, &user, "", 0, &mut missing);
    if let Some(first) = missing.first() {
        return Err(unit.error(
            first.span,
            format!(
                "found in Chart.yaml, but missing in charts/ directory: {}; run `helm dependency build` to vendor it (policy fetches nothing)",
                first.name
            ),
        ));
    }
    values::import_values(&mut chart, &user, 0);
    let values = values::coalesce_values(&chart, &user);
    super::schema::validate_tree(&chart, &values, &unit)?;
    values_roots(&chart, &mut roots);
    let documents = render::render(&chart, &values, &unit, &inflation.release, &roots)?;
    Ok(Inflated {
        files: unit.files,
        documents,
    })
}
