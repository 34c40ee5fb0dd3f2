//! Strategic merge patches, as kustomize applies them: mappings merge key
//! by key, `null` deletes, lists of Kubernetes objects with a merge key
//! (containers by `name`, volumeMounts by `mountPath`, …) merge item by
//! item, other lists are replaced; `$patch: delete|replace` directives.
//! A value the patch set keeps the patch's span; a base value it replaced
//! is recorded so findings can name both.

use crate::document::{Entry, Node, Value};
use crate::source::Span;

/// `patch` merged over `base`; `None` when the patch deletes the object.
/// `replaced` gets `(patch span, base span)` of every base value overridden.
pub fn merge(base: Node, patch: Node, replaced: &mut Vec<(Span, Span)>) -> Option<Node> {
    merge_node(base, patch, "", replaced)
}

fn directive(node: &Node) -> Option<&str> {
    node.get("$patch").and_then(Node::as_str)
}

fn without_directives(mut node: Node) -> Node {
    if let Value::Map(entries) = &mut node.value {
        entries.retain(|e| !e.key.starts_with('$'));
        for e in entries.iter_mut() {
            let value = std::mem::replace(&mut e.value.value, Value::Null);
            e.value.value = without_directives(Node::new(e.value.span, value)).value;
        }
    } else if let Value::Seq(items) = &mut node.value {
        items.retain(|i| directive(i).is_none());
        for item in items.iter_mut() {
            let value = std::mem::replace(&mut item.value, Value::Null);
            item.value = without_directives(Node::new(item.span, value)).value;
        }
    }
    node
}

fn merge_node(
    base: Node,
    patch: Node,
    field: &str,
    replaced: &mut Vec<(Span, Span)>,
) -> Option<Node> {
    match directive(&patch) {
        Some("delete") => return None,
        Some("replace") => return Some(without_directives(patch)),
        _ => {}
    }
    match (base.value, patch.value) {
        (Value::Map(entries), Value::Map(more)) => Some(Node::new(
            base.span,
            Value::Map(merge_entries(entries, more, replaced)),
        )),
        (Value::Seq(items), Value::Seq(more)) => Some(Node::new(
            base.span,
            Value::Seq(merge_list(items, more, field, replaced)),
        )),
        (old, value) => {
            if !matches!(old, Value::Null) {
                replaced.push((patch.span, base.span));
            }
            Some(without_directives(Node::new(patch.span, value)))
        }
    }
}

fn merge_entries(
    mut entries: Vec<Entry>,
    more: Vec<Entry>,
    replaced: &mut Vec<(Span, Span)>,
) -> Vec<Entry> {
    for entry in more {
        if entry.key.starts_with('$') {
            continue;
        }
        let at = entries.iter().position(|e| e.key == entry.key);
        match (at, &entry.value.value) {
            (Some(i), Value::Null) => {
                entries.remove(i);
            }
            (None, Value::Null) => {}
            (Some(i), _) => {
                let old = entries.remove(i);
                let old_span = old.value.span;
                if let Some(value) = merge_node(old.value, entry.value, &entry.key, replaced) {
                    entries.insert(
                        i,
                        Entry::merged(old.key_span, old_span, entry.key, entry.key_span, value),
                    );
                }
            }
            (None, _) => {
                if directive(&entry.value) != Some("delete") {
                    entries.push(Entry {
                        value: without_directives(entry.value),
                        ..entry
                    });
                }
            }
        }
    }
    entries
}

/// The key items of a Kubernetes list are merged by, by the list's field
/// name (the patch strategy of the core API types).
fn merge_key(field: &str, items: &[Node]) -> Option<&'static str> {
    let key = match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "hostAliases"
        | "args" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "conditions" => "type",
        "ports" => match items.iter().any(|i| i.get("containerPort").is_some()) {
            true => "containerPort",
            false => "port",
        },
        _ => return None,
    };
    // Lists of scalars (`args`) are replaced.
    items.iter().all(|i| i.as_map().is_some()).then_some(key)
}

fn key_of(node: &Node, key: &str) -> Option<String> {
    match &node.get(key)?.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

fn merge_list(
    items: Vec<Node>,
    more: Vec<Node>,
    field: &str,
    replaced: &mut Vec<(Span, Span)>,
) -> Vec<Node> {
    if more.iter().any(|i| directive(i) == Some("replace")) {
        return without_directives(Node::new(Span::default(), Value::Seq(more)))
            .as_seq()
            .map(<[Node]>::to_vec)
            .unwrap_or_default();
    }
    let Some(key) = merge_key(field, &items).filter(|_| more.iter().all(|i| i.as_map().is_some()))
    else {
        return match without_directives(Node::new(Span::default(), Value::Seq(more))).value {
            Value::Seq(more) => more,
            _ => Vec::new(),
        };
    };
    // kustomize's order: the patch's items first, in its order (merged
    // with their base item), then the items only the base has.
    let mut items: Vec<Option<Node>> = items.into_iter().map(Some).collect();
    let mut merged = Vec::new();
    for item in more {
        let id = key_of(&item, key);
        let at = id.as_ref().and_then(|id| {
            items.iter().position(|x| {
                x.as_ref()
                    .is_some_and(|x| key_of(x, key).as_ref() == Some(id))
            })
        });
        match at {
            Some(i) => {
                let old = items[i].take().expect("present");
                merged.extend(merge_node(old, item, "", replaced));
            }
            None if directive(&item) == Some("delete") => {}
            None => merged.push(without_directives(item)),
        }
    }
    merged.extend(items.into_iter().flatten());
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_yaml;

    fn tree(text: &str) -> Node {
        parse_yaml(text).unwrap().remove(0).node
    }

    fn patched(base: &str, patch: &str) -> serde_json::Value {
        merge(tree(base), tree(patch), &mut Vec::new())
            .map(|n| n.to_json())
            .unwrap_or_default()
    }

    #[test]
    fn containers_merge_by_name_and_scalars_are_replaced() {
        let got = patched(
            "spec:\n  containers:\n  - name: a\n    image: x\n    env: [{name: A, value: '1'}]\n  - name: b\n    image: y\n",
            "spec:\n  containers:\n  - name: b\n    image: z\n  - name: a\n    env: [{name: B, value: '2'}]\n",
        );
        assert_eq!(
            got,
            serde_json::json!({"spec": {"containers": [
                {"name": "b", "image": "z"},
                {"name": "a", "image": "x", "env": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}]},
            ]}})
        );
    }

    #[test]
    fn directives_delete_and_replace() {
        let got = patched(
            "spec:\n  volumes: [{name: a}, {name: b}]\n  sel: {x: '1', y: '2'}\n  gone: 1\n",
            "spec:\n  volumes: [{name: a, $patch: delete}]\n  sel: {$patch: replace, z: '3'}\n  gone: null\n",
        );
        assert_eq!(
            got,
            serde_json::json!({"spec": {"volumes": [{"name": "b"}], "sel": {"z": "3"}}})
        );
        assert!(merge(tree("a: 1\n"), tree("$patch: delete\n"), &mut Vec::new()).is_none());
    }
}
