//! The compose specification's merge rules, on source-mapped trees: a
//! mapping merges key by key; a sequence appends; `command`, `entrypoint`
//! and `healthcheck.test` are replaced; `ports`, `volumes`, `secrets` and
//! `configs` keep one entry per unique key (the later file's); mappings
//! written as `KEY=VALUE` lists (`environment`, `labels`, …) merge by key.
//! Every node keeps its span, so a merged value points at the file and line
//! that set it. In the later file, `!reset` removes the attribute and
//! `!override` replaces it whole (compose v2).

use crate::document::{Entry, Node, Value};
use crate::source::Span;
use std::collections::HashSet;

/// Values tagged `!reset` or `!override`, by span.
#[derive(Debug, Default)]
pub struct Tags {
    pub reset: HashSet<Span>,
    pub replace: HashSet<Span>,
}

impl Tags {
    /// Finds the tagged mapping values of `node`, parsed from `text`: the
    /// parser drops tags, so the text between a key and its value is read.
    pub fn scan(&mut self, node: &Node, text: &str) {
        match &node.value {
            Value::Map(entries) => {
                for e in entries {
                    let from = e.key_span.end.min(text.len());
                    let line_end = text[from..].find('\n').map_or(text.len(), |i| from + i);
                    let to = e.value.span.start.max(from).min(line_end);
                    let before = text[from..to].trim_start_matches([':', ' ', '\t', '"', '\'']);
                    if before.starts_with("!reset") {
                        self.reset.insert(e.value.span);
                    } else if before.starts_with("!override") {
                        self.replace.insert(e.value.span);
                    }
                    self.scan(&e.value, text);
                }
            }
            Value::Seq(items) => items.iter().for_each(|n| self.scan(n, text)),
            _ => {}
        }
    }
}

/// `later` merged over `earlier`, as `docker compose -f earlier -f later`.
#[cfg(test)]
pub fn merge(earlier: Node, later: Node) -> Node {
    merge_with(earlier, later, &Tags::default())
}

/// `later` merged over `earlier`, as `docker compose -f earlier -f later`,
/// honouring `!reset` and `!override` in `later`.
pub fn merge_with(earlier: Node, later: Node, tags: &Tags) -> Node {
    merge_at(earlier, later, &mut Vec::new(), tags)
}

/// One service's `later` configuration over `earlier` (`extends`), by the
/// same rules as services of two files.
pub fn merge_service(earlier: Node, later: Node) -> Node {
    let mut path = vec!["services".to_string(), String::new()];
    merge_at(earlier, later, &mut path, &Tags::default())
}

fn merge_at(earlier: Node, later: Node, path: &mut Vec<String>, tags: &Tags) -> Node {
    let service_key = match path.as_slice() {
        [services, _, key] if services == "services" => Some(key.as_str()),
        _ => None,
    };
    let replaced = matches!(service_key, Some("command" | "entrypoint"))
        || matches!(path.as_slice(), [s, _, h, t] if s == "services" && h == "healthcheck" && t == "test");
    if replaced {
        return later;
    }
    let keyed_list = matches!(
        service_key,
        Some("environment" | "labels" | "extra_hosts" | "sysctls" | "annotations")
    ) || matches!(path.as_slice(), [s, _, b, a] if s == "services" && b == "build" && a == "args");
    if keyed_list {
        return merge_maps(as_map(earlier), as_map(later), path, tags);
    }
    // Attributes that take one string or a list of them merge as lists.
    let listable = matches!(
        service_key,
        Some("env_file" | "dns" | "dns_search" | "tmpfs")
    );
    let (earlier, later) = match listable {
        true => (as_list(earlier), as_list(later)),
        false => (earlier, later),
    };
    match (earlier.value, later.value) {
        (Value::Map(a), Value::Map(b)) => {
            let node = Node::new(earlier.span, Value::Map(a));
            merge_maps(node, Node::new(later.span, Value::Map(b)), path, tags)
        }
        (Value::Seq(mut a), Value::Seq(b)) => {
            match service_key.and_then(unique_key) {
                Some(key_of) => {
                    for item in b {
                        let key = key_of(&item);
                        match a.iter().position(|x| key.is_some() && key_of(x) == key) {
                            Some(i) => a[i] = item,
                            None => a.push(item),
                        }
                    }
                }
                None => a.extend(b),
            }
            Node::new(earlier.span, Value::Seq(a))
        }
        (_, value) => Node::new(later.span, value),
    }
}

fn merge_maps(earlier: Node, later: Node, path: &mut Vec<String>, tags: &Tags) -> Node {
    let (Value::Map(mut entries), Value::Map(more)) = (earlier.value, later.value) else {
        unreachable!("callers pass mappings")
    };
    for entry in more {
        if tags.reset.contains(&entry.value.span) {
            entries.retain(|e| e.key != entry.key);
            continue;
        }
        match entries.iter().position(|e| e.key == entry.key) {
            Some(i) if tags.replace.contains(&entry.value.span) => entries[i] = entry,
            Some(i) => {
                let old = entries.remove(i);
                let old_value_span = old.value.span;
                path.push(entry.key.clone());
                let value = merge_at(old.value, entry.value, path, tags);
                path.pop();
                entries.insert(
                    i,
                    Entry::merged(
                        old.key_span,
                        old_value_span,
                        entry.key,
                        entry.key_span,
                        value,
                    ),
                );
            }
            None => entries.push(entry),
        }
    }
    Node::new(earlier.span, Value::Map(entries))
}

/// One string as a list of it.
fn as_list(node: Node) -> Node {
    match node.value {
        Value::Str(_) => Node::new(node.span, Value::Seq(vec![node])),
        _ => node,
    }
}

/// A `KEY=VALUE` list as a mapping (a mapping stays as it is); `KEY` alone
/// has a null value, as compose reads it.
pub(super) fn as_map(node: Node) -> Node {
    let items = match node.value {
        Value::Seq(items) => items,
        value => return Node::new(node.span, value),
    };
    let entries = items
        .into_iter()
        .filter_map(|item| {
            let text = item.as_str()?.to_string();
            let (key, value) = match text.split_once('=') {
                Some((k, v)) => (k.to_string(), Value::Str(v.to_string())),
                None => (text.clone(), Value::Null),
            };
            Some(Entry {
                key,
                key_span: item.span,
                value: Node::new(item.span, value),
            })
        })
        .collect();
    Node::new(node.span, Value::Map(entries))
}

type KeyOf = fn(&Node) -> Option<String>;

/// How the entries of a unique-resource list are told apart.
fn unique_key(attribute: &str) -> Option<KeyOf> {
    match attribute {
        "ports" => Some(port_key),
        "volumes" => Some(|n| mount_target(n, ':', 1)),
        "secrets" | "configs" => Some(|n| match &n.value {
            Value::Str(s) => Some(format!("/run/secrets/{s}")),
            _ => n
                .get("target")
                .and_then(Node::as_str)
                .map(str::to_string)
                .or_else(|| n.get("source").and_then(Node::as_str).map(str::to_string)),
        }),
        _ => None,
    }
}

/// `{ip, target, published, protocol}` of a port, short or long syntax.
fn port_key(node: &Node) -> Option<String> {
    let scalar = |n: &Node| match &n.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        _ => None,
    };
    if let Some(text) = scalar(node) {
        let (text, protocol) = text.split_once('/').unwrap_or((&text, "tcp"));
        let parts: Vec<&str> = text.rsplitn(3, ':').collect();
        let (target, published, ip) = match parts.as_slice() {
            [t] => (*t, "", ""),
            [t, p] => (*t, *p, ""),
            [t, p, ip] => (*t, *p, *ip),
            _ => return None,
        };
        return Some(format!("{ip}|{target}|{published}|{protocol}"));
    }
    let field = |k: &str| node.get(k).and_then(scalar).unwrap_or_default();
    let protocol = node
        .get("protocol")
        .and_then(scalar)
        .unwrap_or_else(|| "tcp".into());
    Some(format!(
        "{}|{}|{}|{protocol}",
        field("host_ip"),
        field("target"),
        field("published")
    ))
}

/// The container path of a mount: `SOURCE:TARGET[:MODE]` or `TARGET`
/// alone, or a long-syntax `target:`.
fn mount_target(node: &Node, separator: char, index: usize) -> Option<String> {
    match &node.value {
        Value::Str(s) => {
            let parts: Vec<&str> = s.split(separator).collect();
            Some(parts.get(index).unwrap_or(&parts[0]).to_string())
        }
        _ => node
            .get("target")
            .and_then(Node::as_str)
            .map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_yaml;

    fn tree(text: &str) -> Node {
        parse_yaml(text).unwrap().remove(0).node
    }

    fn merged(a: &str, b: &str) -> serde_json::Value {
        merge(tree(a), tree(b)).to_json()
    }

    #[test]
    fn mappings_merge_and_scalars_are_replaced() {
        let got = merged(
            "services:\n  web:\n    image: a\n    user: app\n",
            "services:\n  web:\n    user: root\n  db:\n    image: pg\n",
        );
        assert_eq!(got["services"]["web"]["image"], "a");
        assert_eq!(got["services"]["web"]["user"], "root");
        assert_eq!(got["services"]["db"]["image"], "pg");
    }

    #[test]
    fn sequences_append_but_commands_are_replaced() {
        let got = merged(
            "services:\n  w:\n    dns: [1.1.1.1]\n    command: [a, b]\n    healthcheck:\n      test: [CMD, x]\n",
            "services:\n  w:\n    dns: [8.8.8.8]\n    command: [c]\n    healthcheck:\n      test: [CMD, y]\n",
        );
        let w = &got["services"]["w"];
        assert_eq!(w["dns"], serde_json::json!(["1.1.1.1", "8.8.8.8"]));
        assert_eq!(w["command"], serde_json::json!(["c"]));
        assert_eq!(w["healthcheck"]["test"], serde_json::json!(["CMD", "y"]));
    }

    #[test]
    fn unique_resources_keep_one_entry_per_key() {
        let got = merged(
            "services:\n  w:\n    ports: ['8080:80', '443:443']\n    volumes: ['./a:/data', '/logs']\n",
            "services:\n  w:\n    ports: ['9090:80', '127.0.0.1:443:443']\n    volumes: ['./b:/data']\n",
        );
        let w = &got["services"]["w"];
        // A different published port or host IP is another entry.
        assert_eq!(
            w["ports"],
            serde_json::json!(["8080:80", "443:443", "9090:80", "127.0.0.1:443:443"])
        );
        assert_eq!(w["volumes"], serde_json::json!(["./b:/data", "/logs"]));
        let again = merged(
            "services:\n  w:\n    ports: ['8080:80']\n",
            "services:\n  w:\n    ports: ['8080:80']\n",
        );
        assert_eq!(
            again["services"]["w"]["ports"],
            serde_json::json!(["8080:80"])
        );
    }

    #[test]
    fn environment_lists_and_mappings_merge_by_key() {
        let got = merged(
            "services:\n  w:\n    environment: [A=1, B=2]\n",
            "services:\n  w:\n    environment:\n      B: '3'\n      C: '4'\n",
        );
        assert_eq!(
            got["services"]["w"]["environment"],
            serde_json::json!({"A": "1", "B": "3", "C": "4"})
        );
    }

    #[test]
    fn a_replaced_value_points_at_the_later_file() {
        use crate::source::FileId;
        let base = tree("services:\n  web:\n    image: a\n    privileged: false\n");
        let over = tree("services:\n  web:\n    privileged: true\n").in_file(FileId(1));
        let node = merge(base, over);
        let web = node.get("services").unwrap().get("web").unwrap();
        assert_eq!(web.get("privileged").unwrap().span.file, FileId(1));
        assert_eq!(web.entry("privileged").unwrap().key_span.file, FileId(1));
        assert_eq!(web.get("image").unwrap().span.file, FileId::PRIMARY);
    }
}
