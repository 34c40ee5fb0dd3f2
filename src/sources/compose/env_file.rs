//! A service's `env_file`: its variables join the service's environment
//! (under the ones `environment:` sets, as compose does), each value
//! pointing at its line in the env file, so a secret written there is
//! judged (and masked) like one written under `environment:`.

use super::{merge, Project};
use crate::document::{Entry, Node, Value};
use crate::source::Span;

/// The `env_file` entries: a path or `{path, required}`; an optional one
/// that does not exist is left out, as compose leaves it.
fn paths(node: &Node, dir: &std::path::Path) -> Vec<(String, Span)> {
    let one = |n: &Node| match &n.value {
        Value::Str(s) => Some((s.clone(), n.span)),
        Value::Map(_) => {
            let path = n.get("path")?;
            let path_text = path.as_str()?.to_string();
            let optional = n.get("required").is_some_and(|r| {
                matches!(r.value, Value::Bool(false)) || r.as_str() == Some("false")
            });
            if optional && !dir.join(&path_text).exists() {
                return None;
            }
            Some((path_text, path.span))
        }
        _ => None,
    };
    match &node.value {
        Value::Seq(items) => items.iter().filter_map(one).collect(),
        _ => one(node).into_iter().collect(),
    }
}

pub(super) fn resolve(project: &mut Project, document: &mut Node) {
    let Value::Map(top) = &mut document.value else {
        return;
    };
    let Some(services) = top.iter_mut().find(|e| e.key == "services") else {
        return;
    };
    let Value::Map(services) = &mut services.value.value else {
        return;
    };
    for service in services {
        let Some(env_file) = service.value.get("env_file").cloned() else {
            continue;
        };
        let mut added: Vec<Entry> = Vec::new();
        let dir = project.dir_of_file(env_file.span.file);
        for (path, span) in paths(&env_file, &dir) {
            let full = project.dir_of_file(span.file).join(&path);
            let Some(id) = project.read(&full, "an `env_file`") else {
                continue;
            };
            let text = &project.files[id.0 as usize].text;
            let mut vars: Vec<_> = super::parse_dotenv(text).into_iter().collect();
            vars.sort_by_key(|(_, v)| v.line.start);
            for (name, var) in vars {
                let line = &text[var.line.clone()];
                let key_start = var.line.start + line.find(&name).unwrap_or(0);
                let value_start = var.line.start + line.find('=').map_or(0, |i| i + 1);
                let entry = Entry {
                    key_span: Span::new(key_start, key_start + name.len()).in_file(id),
                    value: Node::new(
                        Span::new(value_start, var.line.end).in_file(id),
                        Value::Str(var.value),
                    ),
                    key: name,
                };
                // A later env file wins over an earlier one.
                match added.iter().position(|e| e.key == entry.key) {
                    Some(i) => added[i] = entry,
                    None => added.push(entry),
                }
            }
        }
        if added.is_empty() {
            continue;
        }
        let Value::Map(fields) = &mut service.value.value else {
            continue;
        };
        let environment = match fields.iter().position(|e| e.key == "environment") {
            Some(i) => &mut fields[i],
            None => {
                fields.push(Entry {
                    key: "environment".into(),
                    key_span: env_file.span,
                    value: Node::new(env_file.span, Value::Map(Vec::new())),
                });
                fields.last_mut().expect("just pushed")
            }
        };
        let node = std::mem::replace(
            &mut environment.value,
            Node::new(Span::default(), Value::Null),
        );
        let mut node = match node.value {
            Value::Null => Node::new(node.span, Value::Map(Vec::new())),
            _ => merge::as_map(node),
        };
        if let Value::Map(entries) = &mut node.value {
            for entry in added {
                if !entries.iter().any(|e| e.key == entry.key) {
                    entries.push(entry);
                }
            }
        }
        environment.value = node;
    }
}
