//! Rendering a chart tree as `helm template` does: every template of the
//! chart and its enabled subcharts in one set, each non-partial rendered
//! with its chart's `.Values`, `.Chart`, `.Release`, `.Capabilities`,
//! `.Files`, `.Template` and `.Subcharts`; the output split into YAML
//! documents (empty ones dropped), and every node mapped back through the
//! render's segments into the template text, with the values-file line of
//! what a value printed as a related location.

use super::chart::{Chart, Unit};
use super::objects;
use super::template::{Limits, Map, Rendered, Segment, Templates, Value};
use crate::document::{Node, Related, Value as NodeValue};
use crate::finding::FileError;
use crate::parse::{parse_yaml, Document};
use crate::source::{FileId, Span};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What the release looks like to templates.
#[derive(Debug, Clone)]
pub struct Release {
    pub name: String,
    pub namespace: String,
    pub kube_version: String,
    pub api_versions: Vec<String>,
}

impl Default for Release {
    fn default() -> Release {
        Release {
            name: "release-name".into(),
            namespace: "default".into(),
            kube_version: objects::DEFAULT_KUBE_VERSION.into(),
            api_versions: Vec::new(),
        }
    }
}

/// A template to render with the data of its chart.
struct Renderable {
    name: String,
    file: FileId,
    data: Arc<Map>,
    base_path: String,
}

/// The rendered documents of a chart, in template name order, CRDs first.
pub fn render(
    root: &Chart,
    values: &Map,
    unit: &Unit,
    release: &Release,
    values_roots: &[Node],
) -> Result<Vec<Document>, FileError> {
    let kube = objects::KubeVersion::parse(&release.kube_version)
        .map_err(|e| FileError::whole(&*unit.file(FileId::PRIMARY).path, e))?;
    let capabilities = objects::capabilities(kube, &release.api_versions);
    let mut release_map = Map::new();
    release_map.insert("Name".into(), Value::str(release.name.as_str()));
    release_map.insert("Namespace".into(), Value::str(release.namespace.as_str()));
    release_map.insert("Service".into(), Value::str("Helm"));
    release_map.insert("IsInstall".into(), Value::bool(true));
    release_map.insert("IsUpgrade".into(), Value::bool(false));
    release_map.insert("Revision".into(), Value::int(1));
    let common = Common {
        release: Value::map(release_map),
        capabilities,
    };
    let mut templates = Templates::new(Limits::default());
    let mut renderables = Vec::new();
    let mut crds = Vec::new();
    collect(
        root,
        &root.name,
        Value::map(values.clone()),
        true,
        unit,
        &common,
        &mut templates,
        &mut renderables,
        &mut crds,
    )?;
    // Helm's order (`sortTemplates`): deeper paths first, then names in
    // reverse; the first failure is the one Helm reports.
    renderables.sort_by(|a, b| {
        let depth = |n: &str| n.matches('/').count();
        depth(&b.name)
            .cmp(&depth(&a.name))
            .then_with(|| b.name.cmp(&a.name))
    });
    let finder = ValueFinder::new(values_roots);
    let mut documents = Vec::new();
    for file in crds {
        let text = unit.file(file).text.clone();
        let docs = parse_yaml(&text).map_err(|e| {
            unit.error(
                e.span.in_file(file),
                format!("not valid YAML: {}", e.message),
            )
        })?;
        for doc in docs {
            let node = doc.node.in_file(file);
            if !matches!(node.value, NodeValue::Null) {
                documents.push(Document::new(documents.len(), node));
            }
        }
    }
    for r in &renderables {
        let mut data = (*r.data).clone();
        let mut template = Map::new();
        template.insert("Name".into(), Value::str(r.name.as_str()));
        template.insert("BasePath".into(), Value::str(r.base_path.as_str()));
        data.insert("Template".into(), Value::map(template));
        let rendered = templates
            .render(&r.name, &Value::map(data))
            .map_err(|e| unit.error(e.at, e.message))?;
        // NOTES.txt is rendered (its errors fail the chart) but printed
        // to no manifest.
        if r.name.ends_with("/NOTES.txt") || rendered.text.trim().is_empty() {
            continue;
        }
        let docs = parse_yaml(&rendered.text).map_err(|e| {
            let mapper = Mapper::new(&rendered, r.file);
            unit.error(
                mapper.span(e.span),
                format!("YAML parse error on {}: {}", r.name, e.message),
            )
        })?;
        let mut mapper = Mapper::new(&rendered, r.file);
        for doc in docs {
            if matches!(doc.node.value, NodeValue::Null) {
                continue;
            }
            let mut out = Document::new(documents.len(), doc.node.clone());
            out.duplicate_keys = doc.duplicate_keys.clone();
            for dup in &mut out.duplicate_keys {
                remap_duplicate(dup, &mapper);
            }
            let mut related = HashMap::new();
            mapper.remap(&mut out.node, None, None, &finder, &mut related);
            out.related = related;
            documents.push(out);
        }
    }
    Ok(documents)
}

fn remap_duplicate(dup: &mut crate::parse::yaml::DuplicateKey, mapper: &Mapper) {
    dup.first = mapper.span(dup.first);
    dup.second = mapper.span(dup.second);
}

struct Common {
    release: Value,
    capabilities: Value,
}

/// A scalar of `Chart.yaml` as text, whatever YAML read it as
/// (`version: 1.0` is the string `1.0` to Helm).
fn scalar_text(unit: &Unit, node: &Node) -> Value {
    match &node.value {
        NodeValue::Str(s) => Value::str(s.as_str()),
        NodeValue::Null => Value::str(""),
        NodeValue::Bool(b) => Value::bool(*b),
        _ => {
            let raw = unit.file(node.span.file).slice(node.span).trim();
            Value::str(raw.trim_matches(|c| c == '"' || c == '\''))
        }
    }
}

/// `.Chart` as Helm v4 gives it: `Chart.yaml`'s fields capitalized.
fn chart_value(chart: &Chart, unit: &Unit, is_root: bool) -> Value {
    let m = &chart.metadata;
    let text = |k: &str| {
        m.get(k)
            .map(|n| scalar_text(unit, n))
            .unwrap_or(Value::str(""))
    };
    let strings = |k: &str| {
        Value::list(
            m.get(k)
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .map(|n| scalar_text(unit, n))
                .collect(),
        )
    };
    let mut map = Map::new();
    map.insert("APIVersion".into(), text("apiVersion"));
    let annotations = m
        .get("annotations")
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .map(|e| (e.key.clone(), scalar_text(unit, &e.value)))
        .collect();
    map.insert("Annotations".into(), Value::map(annotations));
    map.insert("AppVersion".into(), text("appVersion"));
    map.insert("Condition".into(), text("condition"));
    let dependencies = m
        .get("dependencies")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .map(|d| capitalized(unit, d))
        .collect();
    map.insert("Dependencies".into(), Value::list(dependencies));
    map.insert(
        "Deprecated".into(),
        Value::bool(matches!(
            m.get("deprecated").map(|n| &n.value),
            Some(NodeValue::Bool(true))
        )),
    );
    map.insert("Description".into(), text("description"));
    map.insert("Home".into(), text("home"));
    map.insert("Icon".into(), text("icon"));
    map.insert("IsRoot".into(), Value::bool(is_root));
    map.insert("Keywords".into(), strings("keywords"));
    map.insert("KubeVersion".into(), text("kubeVersion"));
    let maintainers = m
        .get("maintainers")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .map(|d| capitalized(unit, d))
        .collect();
    map.insert("Maintainers".into(), Value::list(maintainers));
    map.insert("Name".into(), Value::str(chart.name.as_str()));
    map.insert("Sources".into(), strings("sources"));
    map.insert("Tags".into(), text("tags"));
    map.insert("Type".into(), text("type"));
    map.insert("Version".into(), text("version"));
    Value::map(map)
}

/// A mapping with its keys capitalized (`name` → `Name`, `url` → `URL`).
fn capitalized(unit: &Unit, node: &Node) -> Value {
    let map = node
        .as_map()
        .unwrap_or_default()
        .iter()
        .map(|e| {
            let key = match e.key.as_str() {
                "url" => "URL".to_string(),
                "import-values" => "ImportValues".to_string(),
                k => {
                    let mut c = k.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                }
            };
            let value = match &e.value.value {
                NodeValue::Seq(items) => {
                    Value::list(items.iter().map(|i| scalar_text(unit, i)).collect())
                }
                _ => scalar_text(unit, &e.value),
            };
            (key, value)
        })
        .collect();
    Value::map(map)
}

/// Adds the chart's templates (and its subcharts') to the set and lists
/// those to render; returns the chart's data (for `.Subcharts`).
#[allow(clippy::too_many_arguments)]
fn collect(
    chart: &Chart,
    id: &str,
    values: Value,
    is_root: bool,
    unit: &Unit,
    common: &Common,
    templates: &mut Templates,
    renderables: &mut Vec<Renderable>,
    crds: &mut Vec<FileId>,
) -> Result<Value, FileError> {
    let mut subcharts = Map::new();
    for sub in &chart.subcharts {
        let sub_values = values
            .get(&sub.name)
            .filter(|v| v.as_map().is_some())
            .cloned()
            .unwrap_or_else(|| Value::map(Map::new()));
        let sub_id = format!("{id}/charts/{}", sub.name);
        let data = collect(
            sub,
            &sub_id,
            sub_values,
            false,
            unit,
            common,
            templates,
            renderables,
            crds,
        )?;
        subcharts.insert(sub.name.clone(), data);
    }
    let mut data = Map::new();
    data.insert("Values".into(), values);
    data.insert("Chart".into(), chart_value(chart, unit, is_root));
    data.insert("Release".into(), common.release.clone());
    data.insert("Capabilities".into(), common.capabilities.clone());
    data.insert(
        "Files".into(),
        Value::object(Arc::new(objects::Files {
            files: chart.files.clone(),
        })),
    );
    data.insert("Subcharts".into(), Value::map(subcharts));
    let data = Arc::new(data);
    crds.extend(chart.crds.iter().copied());
    for (path, file) in &chart.templates {
        let base = path.rsplit('/').next().unwrap_or(path);
        let partial = base.starts_with('_');
        // A library chart lends its helpers and renders nothing.
        if chart.library && !partial {
            continue;
        }
        let name = format!("{id}/{path}");
        templates
            .add(&name, *file, &unit.file(*file).text)
            .map_err(|e| unit.error(e.at, e.message))?;
        if !partial {
            renderables.push(Renderable {
                name,
                file: *file,
                data: data.clone(),
                base_path: format!("{id}/templates"),
            });
        }
    }
    Ok(Value::map((*data).clone()))
}

/// Finds the values-file node a span names, in the trees values came from.
struct ValueFinder<'a> {
    roots: HashMap<FileId, Vec<&'a Node>>,
}

impl<'a> ValueFinder<'a> {
    fn new(roots: &'a [Node]) -> ValueFinder<'a> {
        let mut map: HashMap<FileId, Vec<&Node>> = HashMap::new();
        for root in roots {
            map.entry(root.span.file).or_default().push(root);
        }
        ValueFinder { roots: map }
    }

    fn find(&self, span: Span) -> Option<&'a Node> {
        for root in self.roots.get(&span.file)? {
            let mut node: &Node = root;
            for _ in 0..256 {
                if node.span == span {
                    return Some(node);
                }
                let next = match &node.value {
                    NodeValue::Map(entries) => entries
                        .iter()
                        .map(|e| &e.value)
                        .find(|v| v.span.start <= span.start && span.end <= v.span.end),
                    NodeValue::Seq(items) => items
                        .iter()
                        .find(|v| v.span.start <= span.start && span.end <= v.span.end),
                    _ => None,
                };
                match next {
                    Some(n) => node = n,
                    None => break,
                }
            }
        }
        None
    }
}

/// Maps spans of a render's output to the template text that wrote them.
struct Mapper<'r> {
    segments: &'r [Segment],
    /// The template file, for output no segment covers.
    file: FileId,
    /// Spans already handed to nodes printed by one action: each node gets
    /// its own (shorter) span on the action, so that its related values
    /// line is its own.
    used: HashSet<Span>,
}

impl<'r> Mapper<'r> {
    fn new(rendered: &'r Rendered, file: FileId) -> Mapper<'r> {
        Mapper {
            segments: &rendered.segments,
            file,
            used: HashSet::new(),
        }
    }

    fn segment_at(&self, offset: usize) -> Option<&'r Segment> {
        let i = self.segments.partition_point(|s| s.output.end <= offset);
        self.segments
            .get(i)
            .filter(|s| s.output.start <= offset && offset < s.output.end)
            .or_else(|| self.segments.last().filter(|s| offset >= s.output.end))
    }

    fn offset(&self, segment: &Segment, offset: usize, end: bool) -> usize {
        match segment.literal {
            true => {
                let inside = offset.saturating_sub(segment.output.start);
                (segment.template.start + inside).min(segment.template.end)
            }
            false if end => segment.template.end,
            false => segment.template.start,
        }
    }

    /// A rendered span as a template span.
    fn span(&self, span: Span) -> Span {
        let Some(first) = self.segment_at(span.start) else {
            return Span::new(0, 0).in_file(self.file);
        };
        let start = self.offset(first, span.start, false);
        let file = first.template.file;
        if span.end <= span.start {
            return Span::new(start, start).in_file(file);
        }
        let end = match self.segment_at(span.end - 1) {
            Some(last) if last.template.file == file => {
                let e = self.offset(last, span.end, true);
                match e >= start {
                    true => e,
                    false => first.template.end,
                }
            }
            _ => match first.literal {
                true => first.template.end,
                false => first.template.end,
            },
        };
        Span::new(start, end.max(start)).in_file(file)
    }

    /// The span for a node: its mapped span, made distinct from the other
    /// nodes one action printed.
    fn distinct(&mut self, rendered: Span) -> Span {
        let mapped = self.span(rendered);
        if !self.used.insert(mapped) {
            let mut shorter = mapped;
            while shorter.end > shorter.start + 1 {
                shorter.end -= 1;
                if self.used.insert(shorter) {
                    return shorter;
                }
            }
        }
        mapped
    }

    /// The action segment with a value that printed (part of) `span`.
    fn value_segment(&self, span: Span) -> Option<&'r Segment> {
        let from = self
            .segments
            .partition_point(|s| s.output.end <= span.start);
        self.segments[from..]
            .iter()
            .take_while(|s| s.output.start < span.end.max(span.start + 1))
            .find(|s| !s.literal && s.value.is_some())
    }

    /// Maps `node` (rendered) into the template, recording what values set.
    /// `from_value`: the values node `node` corresponds to, when its parent
    /// was printed from one (`toYaml .Values.x`).
    fn remap(
        &mut self,
        node: &mut Node,
        from_value: Option<&Node>,
        parent_segment: Option<usize>,
        finder: &ValueFinder,
        related: &mut HashMap<Span, Related>,
    ) {
        let rendered = node.span;
        let segment = self.segment_at(rendered.start);
        let here = segment.map(|s| s.output.start);
        // A node starting inside an action printed from a value is that
        // value (or, below it, the matching part of it); below a node of
        // the same action, only the matching part.
        let value_node = match (from_value, segment) {
            (Some(v), _) => Some(v),
            (None, Some(s)) if !s.literal && here != parent_segment => {
                s.value.and_then(|at| finder.find(at))
            }
            _ => None,
        };
        node.span = self.distinct(rendered);
        let value_span = value_node.map(|v| v.span).or_else(|| match &node.value {
            NodeValue::Map(_) | NodeValue::Seq(_) => None,
            _ => self.value_segment(rendered).and_then(|s| s.value),
        });
        if let Some(at) = value_span {
            related.insert(
                node.span,
                Related {
                    span: at,
                    message: "value set here".into(),
                },
            );
        }
        match &mut node.value {
            NodeValue::Map(entries) => {
                for e in entries {
                    let child = value_node.and_then(|v| v.entry(&e.key));
                    let key_rendered = e.key_span;
                    e.key_span = self.distinct(key_rendered);
                    if let Some(child) = child {
                        related.insert(
                            e.key_span,
                            Related {
                                span: child.key_span,
                                message: "value set here".into(),
                            },
                        );
                    }
                    self.remap(&mut e.value, child.map(|c| &c.value), here, finder, related);
                }
            }
            NodeValue::Seq(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let child = value_node.and_then(|v| v.as_seq()).and_then(|s| s.get(i));
                    self.remap(item, child, here, finder, related);
                }
            }
            _ => {}
        }
    }
}
