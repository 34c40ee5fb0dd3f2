//! `replacements`: a value of one object (its `source`) copied into fields
//! of others (`targets`), as kustomize's replacement transformer does. The
//! copied value keeps the source's span, so a finding on it points at the
//! line that set it.

use super::select::select;
use super::tree::Resource;
use crate::document::{Entry, Node, Value};
use crate::model::kubernetes::scalar_text;
use crate::source::Span;

/// Applies one replacement (`{source, targets}`) to `resources`.
pub fn apply(resources: &mut [Resource], replacement: &Node) -> Result<(), (Span, String)> {
    let at = |n: &Node, message: String| (n.span, message);
    let source = replacement
        .get("source")
        .ok_or_else(|| at(replacement, "a replacement needs a `source`".into()))?;
    let found = select(resources, source).map_err(|m| at(source, m))?;
    let [index] = found.as_slice() else {
        return Err(at(
            source,
            format!(
                "the replacement source matches {} objects, not one",
                found.len()
            ),
        ));
    };
    let path = source
        .get("fieldPath")
        .and_then(Node::as_str)
        .unwrap_or("metadata.name");
    let steps = segments(path);
    let mut value = lookup(&resources[*index].node, &steps)
        .cloned()
        .ok_or_else(|| {
            at(
                source,
                format!("the replacement source has no field `{path}`"),
            )
        })?;
    if let Some(options) = source.get("options") {
        if let Some((delimiter, index)) = delimited(options) {
            let text = scalar_text(&value).unwrap_or_default();
            let part = text
                .split(delimiter.as_str())
                .nth(index)
                .unwrap_or("")
                .to_string();
            value = Node::new(value.span, Value::Str(part));
        }
    }
    for target in replacement
        .get("targets")
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        let select_node = target
            .get("select")
            .ok_or_else(|| at(target, "a replacement target needs `select`".into()))?;
        let mut chosen = select(resources, select_node).map_err(|m| at(select_node, m))?;
        for reject in target
            .get("reject")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            let rejected = select(resources, reject).map_err(|m| at(reject, m))?;
            chosen.retain(|i| !rejected.contains(i));
        }
        let options = target.get("options");
        let create = options
            .and_then(|o| o.get("create"))
            .is_some_and(|c| c.value == Value::Bool(true));
        let delimited = options.and_then(delimited);
        for field in target
            .get("fieldPaths")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            let path = field.as_str().unwrap_or("");
            for &i in &chosen {
                let put = Put {
                    value: &value,
                    create,
                    delimited: delimited.as_ref(),
                };
                put.at(&mut resources[i].node, &segments(path))
                    .map_err(|m| at(field, format!("`{path}`: {m}")))?;
            }
        }
    }
    Ok(())
}

fn delimited(options: &Node) -> Option<(String, usize)> {
    let delimiter = options.get("delimiter").and_then(Node::as_str)?;
    let index = match options.get("index").map(|n| &n.value) {
        Some(Value::Int(i)) => usize::try_from(*i).ok()?,
        _ => 0,
    };
    Some((delimiter.to_string(), index))
}

/// `a.[k=v].b.[x.y]` as its steps; a dot inside brackets is not a step.
fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            '.' if depth == 0 => {
                out.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    out.push(current);
    out
}

/// A step: a key, `[key]`, `[k=v]` (the list items whose `k` is `v`), `*`
/// (every item) or an index.
enum Step<'a> {
    Key(&'a str),
    Match(&'a str, &'a str),
    All,
    Index(usize),
}

fn step(segment: &str) -> Step<'_> {
    if segment == "*" {
        return Step::All;
    }
    if let Some(inner) = segment.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        return match inner.split_once('=') {
            Some((k, v)) => Step::Match(k, v),
            None => Step::Key(inner),
        };
    }
    match segment.parse::<usize>() {
        Ok(i) => Step::Index(i),
        Err(_) => Step::Key(segment),
    }
}

fn lookup<'a>(node: &'a Node, segments: &[String]) -> Option<&'a Node> {
    let Some((first, rest)) = segments.split_first() else {
        return Some(node);
    };
    let next = match (step(first), &node.value) {
        (Step::Key(k), Value::Map(_)) => node.get(k),
        (Step::Match(k, v), Value::Seq(items)) => items
            .iter()
            .find(|i| i.get(k).and_then(scalar_text).as_deref() == Some(v)),
        (Step::Index(i), Value::Seq(items)) => items.get(i),
        (Step::All, Value::Seq(items)) => items.first(),
        _ => None,
    };
    lookup(next?, rest)
}

struct Put<'a> {
    value: &'a Node,
    create: bool,
    delimited: Option<&'a (String, usize)>,
}

impl Put<'_> {
    fn at(&self, node: &mut Node, segments: &[String]) -> Result<(), String> {
        let Some((first, rest)) = segments.split_first() else {
            *node = self.replaced(node);
            return Ok(());
        };
        let missing = || "no such field in the target; kustomize fails too".to_string();
        match (step(first), &mut node.value) {
            (Step::Key(k), Value::Map(entries)) => {
                if !entries.iter().any(|e| e.key == k) {
                    if !self.create {
                        return Err(missing());
                    }
                    entries.push(Entry {
                        key: k.to_string(),
                        key_span: self.value.span,
                        value: Node::new(self.value.span, Value::Map(Vec::new())),
                    });
                }
                let entry = entries.iter_mut().find(|e| e.key == k).expect("present");
                self.at(&mut entry.value, rest)
            }
            (Step::Match(k, v), Value::Seq(items)) => {
                let mut hit = false;
                for item in items.iter_mut() {
                    if item.get(k).and_then(scalar_text).as_deref() == Some(v) {
                        hit = true;
                        self.at(item, rest)?;
                    }
                }
                match hit {
                    true => Ok(()),
                    false => Err(missing()),
                }
            }
            (Step::All, Value::Seq(items)) => items.iter_mut().try_for_each(|i| self.at(i, rest)),
            (Step::Index(i), Value::Seq(items)) => match items.get_mut(i) {
                Some(item) => self.at(item, rest),
                None => Err(missing()),
            },
            (_, Value::Null) if self.create => {
                node.value = Value::Map(Vec::new());
                self.at(node, segments)
            }
            _ => Err(missing()),
        }
    }

    /// The value put in place of `old`: the source's, or with a
    /// delimiter, `old` with one of its parts replaced.
    fn replaced(&self, old: &Node) -> Node {
        let Some((delimiter, index)) = self.delimited else {
            return self.value.clone();
        };
        let text = scalar_text(old).unwrap_or_default();
        let mut parts: Vec<String> = text.split(delimiter.as_str()).map(str::to_string).collect();
        let new = scalar_text(self.value).unwrap_or_default();
        match parts.get_mut(*index) {
            Some(part) => *part = new,
            None => parts.push(new),
        }
        Node::new(self.value.span, Value::Str(parts.join(delimiter)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_yaml;

    fn node(text: &str) -> Node {
        parse_yaml(text).unwrap().remove(0).node
    }

    #[test]
    fn a_missing_target_field_fails_unless_created() {
        let mut resources = vec![
            Resource::new(node("kind: ConfigMap\nmetadata: {name: c}\ndata: {k: v}\n")),
            Resource::new(node("kind: Pod\nmetadata: {name: p}\n")),
        ];
        let replacement = |create: bool| {
            node(&format!(
                "source: {{kind: ConfigMap, fieldPath: data.k}}\ntargets:\n- select: {{kind: Pod}}\n  fieldPaths: [metadata.labels.k]\n  options: {{create: {create}}}\n"
            ))
        };
        let (_, message) = apply(&mut resources, &replacement(false)).unwrap_err();
        assert!(message.contains("no such field"), "{message}");
        apply(&mut resources, &replacement(true)).unwrap();
        assert_eq!(resources[1].node.to_json()["metadata"]["labels"]["k"], "v");
    }

    #[test]
    fn paths_split_outside_brackets() {
        assert_eq!(
            segments("a.[x.y/z].[name=b.c].*.0"),
            vec!["a", "[x.y/z]", "[name=b.c]", "*", "0"]
        );
    }
}
