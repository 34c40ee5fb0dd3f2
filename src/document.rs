//! A source-mapped document: a JSON-like tree where every node keeps the span
//! it came from. Parsers build it; the engine turns it into Rego input and
//! resolves the paths that rules return back into spans.

use crate::source::{FileId, Span};
use serde_json::{Map, Value as Json};

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Span of the value itself (for a mapping entry, see [`Entry::key_span`]).
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// One mapping entry; keys are kept in source order and are unique (the last wins).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Entry {
    /// The entry after merging a later file's value over `old`'s: the key
    /// of the file whose value decides (a replaced scalar points at the
    /// later file's key).
    pub fn merged(
        old_key_span: Span,
        old_value_span: Span,
        key: String,
        key_span: Span,
        value: Node,
    ) -> Entry {
        let key_span = match value.span == old_value_span {
            true => old_key_span,
            false => key_span,
        };
        Entry {
            key,
            key_span,
            value,
        }
    }
}

/// One step of a path into a document: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    Key(String),
    Index(usize),
}

impl Node {
    pub fn new(span: Span, value: Value) -> Self {
        Node { span, value }
    }

    /// The same tree with every span (keys' too) in `file`: a tree parsed
    /// from another file of a unit (an override file, values.yaml), ready
    /// to be grafted into the primary file's document.
    pub fn in_file(mut self, file: FileId) -> Node {
        self.retag(file);
        self
    }

    fn retag(&mut self, file: FileId) {
        self.span = self.span.in_file(file);
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.retag(file)),
            Value::Map(entries) => {
                for e in entries {
                    e.key_span = e.key_span.in_file(file);
                    e.value.retag(file);
                }
            }
            _ => {}
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// Plain JSON for the Rego input.
    pub fn to_json(&self) -> Json {
        match &self.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(Json::Number)
                .unwrap_or(Json::Null),
            Value::Str(s) => Json::String(s.clone()),
            Value::Seq(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for e in entries {
                    map.insert(e.key.clone(), e.value.to_json());
                }
                Json::Object(map)
            }
        }
    }

    /// The span a path points at. A mapping entry spans from its key to the end
    /// of its value. When the path leaves the tree (a missing key: the thing a
    /// rule says is absent), the deepest node reached is returned with
    /// `exact == false`: the nearest enclosing node that should have held it.
    pub fn locate(&self, path: &[Step]) -> Located {
        let mut node = self;
        let mut span = self.span;
        for (depth, step) in path.iter().enumerate() {
            let next = match (&node.value, step) {
                (Value::Map(entries), Step::Key(k)) => entries
                    .iter()
                    .find(|e| &e.key == k)
                    .map(|e| (e.key_span.join(e.value.span), &e.value)),
                (Value::Seq(items), Step::Index(i)) => items.get(*i).map(|n| (n.span, n)),
                _ => None,
            };
            match next {
                Some((s, n)) => {
                    span = s;
                    node = n;
                }
                None => {
                    return Located {
                        span,
                        node: node.span,
                        depth,
                        exact: false,
                    }
                }
            }
        }
        Located {
            span,
            node: node.span,
            depth: path.len(),
            exact: true,
        }
    }

    /// A tree from plain JSON, every span empty: for documents that are not
    /// text files (an image config read from a layout or an archive).
    pub fn from_json(json: &Json) -> Node {
        let value = match json {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(0.0)),
            },
            Json::String(s) => Value::Str(s.clone()),
            Json::Array(items) => Value::Seq(items.iter().map(Node::from_json).collect()),
            Json::Object(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| Entry {
                        key: k.clone(),
                        key_span: Span::default(),
                        value: Node::from_json(v),
                    })
                    .collect(),
            ),
        };
        Node::new(Span::default(), value)
    }

    /// Visits every string scalar with its path (used by the secret scanner).
    pub fn walk_strings<'a>(
        &'a self,
        path: &mut Vec<Step>,
        f: &mut dyn FnMut(&[Step], &'a Node, &'a str),
    ) {
        match &self.value {
            Value::Str(s) => f(path, self, s),
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    item.walk_strings(path, f);
                    path.pop();
                }
            }
            Value::Map(entries) => {
                for e in entries {
                    path.push(Step::Key(e.key.clone()));
                    e.value.walk_strings(path, f);
                    path.pop();
                }
            }
            _ => {}
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    pub span: Span,
    /// The span of the node reached, without its key: what
    /// [`Related`] locations are keyed by.
    pub node: Span,
    /// How many steps of the path were found.
    pub depth: usize,
    pub exact: bool,
}

/// A second place that explains a node, shown beside a finding at the
/// node: the values.yaml line that set what a template line emitted, the
/// base a patch changed. Kept beside the tree (see
/// `parse::Document::related`), so that nodes without one cost nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    /// What the place is, e.g. `value set here`.
    pub message: String,
}

/// Path from Rego (`["spec", "containers", 0]`) to steps; anything else is rejected.
pub fn path_from_json(path: &Json) -> Option<Vec<Step>> {
    path.as_array()?
        .iter()
        .map(|step| match step {
            Json::String(s) => Some(Step::Key(s.clone())),
            Json::Number(n) => n.as_u64().map(|i| Step::Index(i as usize)),
            _ => None,
        })
        .collect()
}

/// Builds nodes for parsers that synthesise documents (the Dockerfile parser).
pub mod build {
    use super::*;

    pub fn str(span: Span, s: impl Into<String>) -> Node {
        Node::new(span, Value::Str(s.into()))
    }

    pub fn bool(span: Span, b: bool) -> Node {
        Node::new(span, Value::Bool(b))
    }

    pub fn int(span: Span, i: i64) -> Node {
        Node::new(span, Value::Int(i))
    }

    pub fn null(span: Span) -> Node {
        Node::new(span, Value::Null)
    }

    pub fn seq(span: Span, items: Vec<Node>) -> Node {
        Node::new(span, Value::Seq(items))
    }

    /// A mapping whose entries all carry the span of their value as key span.
    pub fn map(span: Span, entries: Vec<(&str, Node)>) -> Node {
        Node::new(
            span,
            Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| Entry {
                        key: k.to_string(),
                        key_span: v.span,
                        value: v,
                    })
                    .collect(),
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_moved_to_another_file_keeps_its_ranges_and_locates_there() {
        let tree = build::map(
            Span::new(0, 20),
            vec![(
                "web",
                build::map(
                    Span::new(5, 20),
                    vec![("privileged", build::bool(Span::new(10, 14), true))],
                ),
            )],
        );
        let moved = tree.clone().in_file(FileId(1));
        let path = [Step::Key("web".into()), Step::Key("privileged".into())];
        let located = moved.locate(&path);
        assert_eq!(located.span, Span::new(10, 14).in_file(FileId(1)));
        assert_eq!(located.node, Span::new(10, 14).in_file(FileId(1)));
        let entry = moved
            .get("web")
            .and_then(|w| w.entry("privileged"))
            .unwrap();
        assert_eq!(entry.key_span.file, FileId(1));
        assert_eq!(tree.locate(&path).span.file, FileId::PRIMARY);
    }
}
