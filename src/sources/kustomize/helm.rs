//! `helmCharts`: a chart vendored under the kustomization's chart home
//! (`helmGlobals.chartHome`, default `charts/`), inflated by the Helm
//! source's renderer as kustomize's Helm generator would, its objects then
//! transformed like any resource. Nothing is pulled: a chart that is not
//! there is an error naming where to put it.

use super::tree::{self, Resource};
use super::{join_shown, Build, Failure};
use crate::document::{Entry, Node, Value};
use crate::source::{FileId, Span};
use crate::sources::helm::{self, Inflation, InlineMerge, Release};
use std::path::Path;

/// Files of the kustomization's unit marked while a chart renders with
/// `valuesInline` nodes: their ids are kept apart from the chart's own.
const INLINE: u32 = 1 << 31;

/// The same tree with every file id changed by `map`.
fn retag(node: &mut Node, map: &impl Fn(FileId) -> FileId) {
    node.span.file = map(node.span.file);
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| retag(n, map)),
        Value::Map(entries) => entries.iter_mut().for_each(|e: &mut Entry| {
            e.key_span.file = map(e.key_span.file);
            retag(&mut e.value, map);
        }),
        _ => {}
    }
}

fn text<'a>(entry: &'a Node, key: &str) -> Option<&'a str> {
    entry
        .get(key)
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty())
}

impl Build {
    /// The objects of one `helmCharts` entry.
    pub(super) fn helm_chart(
        &mut self,
        entry: &Node,
        home: &str,
        dir: &Path,
        real_dir: &Path,
        shown: &str,
    ) -> Result<Vec<Resource>, Failure> {
        let name_node = entry
            .get("name")
            .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()))
            .ok_or_else(|| Failure::at(entry.span, "a `helmCharts` entry needs a `name`"))?;
        let name = name_node.as_str().unwrap_or_default();
        if name.contains('/') || name.contains("..") {
            return Err(Failure::at(
                name_node.span,
                format!("chart name `{name}` is not a name; kustomize looks for `{home}/<name>`"),
            ));
        }
        // kustomize v5 keeps a pulled chart in `<home>/<name>-<version>/<name>`,
        // older versions in `<home>/<name>`.
        let mut candidates = Vec::new();
        if let Some(version) = text(entry, "version") {
            candidates.push(format!("{home}/{name}-{version}/{name}"));
        }
        candidates.push(format!("{home}/{name}"));
        let found = candidates
            .iter()
            .find(|rel| dir.join(rel).join("Chart.yaml").is_file());
        let Some(rel) = found else {
            let repo = text(entry, "repo")
                .map(|r| format!(" from {r}"))
                .unwrap_or_default();
            return Err(Failure::at(
                name_node.span,
                format!(
                    "chart `{name}` is not in `{}`: policy fetches nothing; vendor it there (`helm pull {name}{repo} --untar --untardir {home}`)",
                    candidates.last().map(String::as_str).unwrap_or(home)
                ),
            ));
        };
        let (real, rel) =
            self.resolve(&tree::str_node(name_node.span, rel.as_str()), dir, real_dir)?;
        let mut values_file =
            |key: &str, node: &Node| -> Result<(std::path::PathBuf, String), Failure> {
                let (real, rel) = self.resolve(node, dir, real_dir)?;
                if !real.is_file() {
                    return Err(Failure::at(
                        node.span,
                        format!("`{key}` `{rel}` is not a file"),
                    ));
                }
                self.consumed.insert(real.clone());
                Ok((real, join_shown(shown, &rel)))
            };
        let values = match entry.get("valuesFile").filter(|n| n.as_str().is_some()) {
            Some(node) => Some(values_file("valuesFile", node)?),
            None => None,
        };
        let mut additional = Vec::new();
        for node in entry
            .get("additionalValuesFiles")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            additional.push(values_file("additionalValuesFiles", node)?);
        }
        let inline = entry.get("valuesInline").cloned().map(|mut node| {
            retag(&mut node, &|f: FileId| FileId(f.0 | INLINE));
            node
        });
        let merge = match text(entry, "valuesMerge") {
            None | Some("override") => InlineMerge::Override,
            Some("merge") => InlineMerge::Merge,
            Some("replace") => InlineMerge::Replace,
            Some(other) => {
                return Err(Failure::at(
                    entry.get("valuesMerge").map_or(entry.span, |n| n.span),
                    format!("`valuesMerge: {other}`: kustomize takes merge, override or replace"),
                ))
            }
        };
        let defaults = Release::default();
        let release = Release {
            name: text(entry, "releaseName")
                .unwrap_or(&defaults.name)
                .to_string(),
            namespace: text(entry, "namespace")
                .unwrap_or(&defaults.namespace)
                .to_string(),
            kube_version: text(entry, "kubeVersion")
                .unwrap_or(&defaults.kube_version)
                .to_string(),
            api_versions: entry
                .get("apiVersions")
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .filter_map(Node::as_str)
                .map(str::to_string)
                .collect(),
        };
        let include_crds = entry
            .get("includeCRDs")
            .is_some_and(|n| n.value == Value::Bool(true));
        let inflation = Inflation {
            chart: real.clone(),
            shown: join_shown(shown, &rel),
            release,
            values_file: values,
            additional,
            inline,
            merge,
            include_crds,
        };
        let inflated = helm::inflate(&inflation).map_err(|e| {
            let at = match (e.line, e.column) {
                (Some(line), Some(column)) => format!(" ({}:{line}:{column})", e.path),
                _ => format!(" ({})", e.path),
            };
            Failure::at(name_node.span, format!("chart `{name}`: {}{at}", e.message))
        })?;
        // The chart's files join the unit after those read so far.
        self.consumed.insert(real);
        let base = self.files.len() as u32;
        let map = |f: FileId| match f.0 & INLINE {
            0 => FileId(f.0 + base),
            _ => FileId(f.0 & !INLINE),
        };
        for file in inflated.files {
            self.bytes += file.text.len() as u64;
            self.files.push(file);
        }
        let mut out = Vec::new();
        for doc in inflated.documents {
            let mut node = doc.node;
            retag(&mut node, &map);
            self.charge(tree::weight(&node), name_node.span)?;
            let mut resource = Resource::new(node);
            for (span, mut related) in doc.related {
                related.span.file = map(related.span.file);
                let span = Span {
                    file: map(span.file),
                    ..span
                };
                resource.related.push((span, related));
            }
            resource.related.sort_by_key(|(span, _)| *span);
            out.push(resource);
        }
        Ok(out)
    }
}
