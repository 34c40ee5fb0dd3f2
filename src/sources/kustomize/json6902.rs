//! JSON patches (RFC 6902) on source-mapped trees: `add`, `remove`,
//! `replace`, `move`, `copy`, `test`. Values added keep the patch's spans.

use crate::document::{Entry, Node, Value};

/// Applies every operation of `ops` (a sequence of `{op, path, value?,
/// from?}`) to `doc`, or says which operation failed and why. What the
/// operations add is taken from `budget` (see [`super::tree::weight`]).
pub fn apply(doc: &mut Node, ops: &Node, budget: &mut usize) -> Result<(), String> {
    let ops = ops.as_seq().ok_or("a JSON patch is a list of operations")?;
    for (i, op) in ops.iter().enumerate() {
        apply_one(doc, op, budget).map_err(|e| format!("operation {}: {e}", i + 1))?;
    }
    Ok(())
}

fn spend(budget: &mut usize, node: &Node) -> Result<(), String> {
    let cost = super::tree::weight(node);
    *budget = budget
        .checked_sub(cost)
        .ok_or("the patches copy more than a kustomization may hold")?;
    Ok(())
}

fn field<'a>(op: &'a Node, key: &str) -> Result<&'a str, String> {
    op.get(key)
        .and_then(Node::as_str)
        .ok_or_else(|| format!("`{key}` is missing"))
}

fn apply_one(doc: &mut Node, op: &Node, budget: &mut usize) -> Result<(), String> {
    let path = pointer(field(op, "path")?)?;
    let value = || {
        op.get("value")
            .cloned()
            .ok_or("`value` is missing".to_string())
    };
    match field(op, "op")? {
        "add" => {
            let value = value()?;
            spend(budget, &value)?;
            add(doc, &path, value)
        }
        "remove" => remove(doc, &path).map(drop),
        "replace" => {
            let target = find_mut(doc, &path)?;
            *target = value()?;
            Ok(())
        }
        "move" => {
            let from = pointer(field(op, "from")?)?;
            let moved = remove(doc, &from)?;
            add(doc, &path, moved)
        }
        "copy" => {
            let from = pointer(field(op, "from")?)?;
            let copied = find_mut(doc, &from)?.clone();
            spend(budget, &copied)?;
            add(doc, &path, copied)
        }
        "test" => match find_mut(doc, &path)?.to_json() == value()?.to_json() {
            true => Ok(()),
            false => Err(format!("test failed at {}", field(op, "path")?)),
        },
        other => Err(format!("unknown op `{other}`")),
    }
}

fn pointer(text: &str) -> Result<Vec<String>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let rest = text
        .strip_prefix('/')
        .ok_or_else(|| format!("path `{text}` does not start with `/`"))?;
    Ok(rest
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn index(token: &str, len: usize) -> Result<usize, String> {
    token
        .parse::<usize>()
        .ok()
        .filter(|i| *i < len)
        .ok_or_else(|| format!("no item `{token}` in a list of {len}"))
}

fn find_mut<'a>(doc: &'a mut Node, path: &[String]) -> Result<&'a mut Node, String> {
    let mut node = doc;
    for token in path {
        node = match &mut node.value {
            Value::Map(entries) => entries
                .iter_mut()
                .find(|e| &e.key == token)
                .map(|e| &mut e.value)
                .ok_or_else(|| format!("no key `{token}`"))?,
            Value::Seq(items) => {
                let i = index(token, items.len())?;
                &mut items[i]
            }
            _ => return Err(format!("`{token}` is below a scalar")),
        };
    }
    Ok(node)
}

fn add(doc: &mut Node, path: &[String], value: Node) -> Result<(), String> {
    let Some((last, parent)) = path.split_last() else {
        *doc = value;
        return Ok(());
    };
    let parent = find_mut(doc, parent)?;
    match &mut parent.value {
        Value::Map(entries) => {
            match entries.iter_mut().find(|e| &e.key == last) {
                Some(e) => e.value = value,
                None => entries.push(Entry {
                    key: last.clone(),
                    key_span: value.span,
                    value,
                }),
            }
            Ok(())
        }
        Value::Seq(items) => {
            let at = match last.as_str() {
                "-" => items.len(),
                _ => last
                    .parse::<usize>()
                    .ok()
                    .filter(|i| *i <= items.len())
                    .ok_or_else(|| format!("no place `{last}` in a list of {}", items.len()))?,
            };
            items.insert(at, value);
            Ok(())
        }
        _ => Err(format!("`{last}` is below a scalar")),
    }
}

fn remove(doc: &mut Node, path: &[String]) -> Result<Node, String> {
    let (last, parent) = path.split_last().ok_or("cannot remove the whole object")?;
    let parent = find_mut(doc, parent)?;
    match &mut parent.value {
        Value::Map(entries) => {
            let i = entries
                .iter()
                .position(|e| &e.key == last)
                .ok_or_else(|| format!("no key `{last}`"))?;
            Ok(entries.remove(i).value)
        }
        Value::Seq(items) => {
            let i = index(last, items.len())?;
            Ok(items.remove(i))
        }
        _ => Err(format!("`{last}` is below a scalar")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_yaml;

    fn tree(text: &str) -> Node {
        parse_yaml(text).unwrap().remove(0).node
    }

    #[test]
    fn a_document_copied_into_itself_runs_out_of_budget() {
        let mut doc = tree("a: [1, 2, 3, 4]\n");
        let op = "- {op: copy, from: /a, path: /a/-}\n";
        let ops = tree(&op.repeat(64));
        let err = apply(&mut doc, &ops, &mut 100_000).unwrap_err();
        assert!(err.contains("copy more than"), "{err}");
    }

    #[test]
    fn operations_apply_in_order() {
        let mut doc = tree("spec:\n  replicas: 1\n  list: [a, b]\n");
        let ops = tree(
            "- {op: replace, path: /spec/replicas, value: 3}\n- {op: add, path: /spec/list/-, value: c}\n- {op: remove, path: /spec/list/0}\n- {op: copy, from: /spec/replicas, path: /spec/copy}\n- {op: move, from: /spec/copy, path: /moved}\n- {op: test, path: /moved, value: 3}\n",
        );
        apply(&mut doc, &ops, &mut 1000).unwrap();
        assert_eq!(
            doc.to_json(),
            serde_json::json!({"spec": {"replicas": 3, "list": ["b", "c"]}, "moved": 3})
        );
        let failing = tree("- {op: remove, path: /spec/nothing}\n");
        assert_eq!(
            apply(&mut doc, &failing, &mut 1000).unwrap_err(),
            "operation 1: no key `nothing`"
        );
    }
}
