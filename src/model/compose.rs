//! Compose files → one workload per service.

use super::kubernetes::{as_bool, scalar_text, str_at, string_list, string_map};
use super::{
    uid_of, Container, EnvVar, ImageRef, ImageUse, Logging, Model, Mount, Path, Port, Workload,
};
use crate::document::{Node, Value};

pub fn normalize(doc: &Node) -> Model {
    let mut model = Model::default();
    let Some(services) = doc.get("services").and_then(Node::as_map) else {
        return model;
    };
    for entry in services {
        let s = &entry.value;
        let name = entry.key.as_str();
        let s_at = Path::root().key("services").key(name);
        let resource = format!("service {name}");
        let mut w = Workload::new("service", name, resource.clone(), s_at.clone());
        let mut c = Container::new(name, resource.clone(), s_at.clone());
        let field = |k: &str| s.get(k);

        if let Some(image) = str_at(s, &["image"]) {
            let r = ImageRef::parse(&image);
            model.images.push(ImageUse {
                image: r.clone(),
                resource: resource.clone(),
                at: s_at.key("image"),
            });
            c.image = Some(r);
            c.at.insert("image", s_at.key("image"));
        }
        if let Some(user) = field("user").and_then(scalar_text) {
            c.uid = uid_of(&user);
            c.user = Some(user);
            c.at.insert("user", s_at.key("user"));
        }
        for (key, slot) in [
            ("read_only", &mut c.read_only_root_filesystem),
            ("privileged", &mut c.privileged),
        ] {
            if let Some(v) = field(key).and_then(as_bool) {
                *slot = Some(v);
            }
        }
        if field("read_only").is_some() {
            c.at.insert("read_only_root_filesystem", s_at.key("read_only"));
        }
        if field("privileged").is_some() {
            c.at.insert("privileged", s_at.key("privileged"));
        }
        if let Some(opts) = field("security_opt").and_then(Node::as_seq) {
            c.at.insert("security_opt", s_at.key("security_opt"));
            for (i, o) in opts.iter().enumerate() {
                let text = scalar_text(o).unwrap_or_default().replace('=', ":");
                if let Some(rest) = text.strip_prefix("no-new-privileges") {
                    let enabled = !matches!(rest, ":false");
                    c.allow_privilege_escalation = Some(!enabled);
                    c.at.insert(
                        "allow_privilege_escalation",
                        s_at.key("security_opt").index(i),
                    );
                }
            }
        }
        c.capabilities.add = string_list(field("cap_add"));
        c.capabilities.drop = string_list(field("cap_drop"));
        if field("cap_add").is_some() {
            c.at.insert("capabilities_add", s_at.key("cap_add"));
        }
        if field("cap_drop").is_some() {
            c.at.insert("capabilities_drop", s_at.key("cap_drop"));
        }
        resources(&mut c, s, &s_at);
        for (key, slot, name) in [
            ("network_mode", &mut w.host_network, "host_network"),
            ("pid", &mut w.host_pid, "host_pid"),
            ("ipc", &mut w.host_ipc, "host_ipc"),
        ] {
            if let Some(v) = field(key).and_then(scalar_text) {
                *slot = Some(v == "host");
                w.at.insert(name, s_at.key(key));
            }
        }
        volumes(&mut c, s, &s_at);
        environment(&mut c, s, &s_at);
        ports(&mut c, s, &s_at);
        if let Some(hc) = field("healthcheck") {
            let disabled = hc.get("disable").and_then(as_bool) == Some(true)
                || string_list(hc.get("test")).first().map(String::as_str) == Some("NONE");
            c.health.healthcheck = Some(!disabled);
            c.at.insert("healthcheck", s_at.key("healthcheck"));
        }
        if let Some(r) = field("restart").and_then(scalar_text) {
            w.restart = Some(r);
            w.at.insert("restart", s_at.key("restart"));
        } else if let Some(policy) = s.get("deploy").and_then(|d| d.get("restart_policy")) {
            // `condition` defaults to `any` when a restart_policy is given.
            w.restart = Some(str_at(policy, &["condition"]).unwrap_or_else(|| "any".into()));
            w.at.insert("restart", s_at.keys(&["deploy", "restart_policy"]));
        }
        if let Some(logging) = field("logging") {
            w.logging = Some(Logging {
                driver: str_at(logging, &["driver"]),
                options: string_map(logging.get("options")),
            });
            w.at.insert("logging", s_at.key("logging"));
        }
        w.labels = labels(field("labels"));
        w.containers.push(c);
        model.workloads.push(w);
    }
    model
}

fn resources(c: &mut Container, s: &Node, s_at: &Path) {
    let deploy_at = s_at.keys(&["deploy", "resources"]);
    let deploy = s.get("deploy").and_then(|d| d.get("resources"));
    for (section, field) in [("limits", "limits"), ("reservations", "requests")] {
        let Some(values) = deploy.and_then(|r| r.get(section)) else {
            continue;
        };
        let target = c.resources.section_mut(field);
        target.cpu = values.get("cpus").and_then(scalar_text);
        target.memory = values.get("memory").and_then(scalar_text);
        c.at.insert(field, deploy_at.key(section));
    }
    // Service-level keys (the compose file format 2 style) also set limits.
    if let Some(v) = s.get("mem_limit").and_then(scalar_text) {
        c.resources.limits.memory = Some(v);
        c.at.insert("limits_memory", s_at.key("mem_limit"));
    }
    if let Some(v) = s.get("cpus").and_then(scalar_text) {
        c.resources.limits.cpu = Some(v);
        c.at.insert("limits_cpu", s_at.key("cpus"));
    }
    if let Some(v) = s.get("mem_reservation").and_then(scalar_text) {
        c.resources.requests.memory = Some(v);
    }
    if c.at.contains_key("limits") || c.at.contains_key("requests") {
        c.at.insert("resources", deploy_at);
    }
}

fn volumes(c: &mut Container, s: &Node, s_at: &Path) {
    let Some(items) = s.get("volumes").and_then(Node::as_seq) else {
        return;
    };
    for (i, v) in items.iter().enumerate() {
        let at = s_at.key("volumes").index(i);
        let mount = match &v.value {
            Value::Str(spec) => {
                // SOURCE:TARGET[:MODE] or TARGET alone (an anonymous volume).
                let parts = split_volume(spec);
                let (source, target, mode) = match parts.as_slice() {
                    [t] => (None, Some(t.to_string()), ""),
                    [s, t] => (Some(s.to_string()), Some(t.to_string()), ""),
                    [s, t, m, ..] => (Some(s.to_string()), Some(t.to_string()), *m),
                    [] => (None, None, ""),
                };
                let kind = match &source {
                    Some(src) if src.starts_with(['/', '.', '~', '$']) => "bind",
                    Some(_) => "volume",
                    None => "volume",
                };
                Mount {
                    kind: kind.to_string(),
                    source,
                    target,
                    read_only: mode.split(',').any(|m| m == "ro"),
                    at,
                }
            }
            Value::Map(_) => Mount {
                kind: str_at(v, &["type"]).unwrap_or_else(|| "volume".into()),
                source: str_at(v, &["source"]),
                target: str_at(v, &["target"]),
                read_only: v.get("read_only").and_then(as_bool).unwrap_or(false),
                at,
            },
            _ => continue,
        };
        c.mounts.push(mount);
    }
}

/// Splits a short volume spec on `:`, except inside `${VAR:-default}`.
fn split_volume(spec: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    let bytes = spec.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && bytes[i - 1] == b'$' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                parts.push(&spec[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&spec[start..]);
    parts
}

fn environment(c: &mut Container, s: &Node, s_at: &Path) {
    let Some(env) = s.get("environment") else {
        return;
    };
    let env_at = s_at.key("environment");
    match &env.value {
        Value::Map(entries) => {
            for e in entries {
                c.env.push(EnvVar {
                    name: e.key.clone(),
                    value: scalar_text(&e.value),
                    from_reference: false,
                    source: "env",
                    at: env_at.key(&e.key),
                });
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                let Some(text) = scalar_text(item) else {
                    continue;
                };
                let (name, value) = match text.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    // `- NAME` passes the variable through from the host.
                    None => (text.clone(), None),
                };
                c.env.push(EnvVar {
                    name,
                    value,
                    from_reference: false,
                    source: "env",
                    at: env_at.index(i),
                });
            }
        }
        _ => {}
    }
}

fn ports(c: &mut Container, s: &Node, s_at: &Path) {
    let Some(items) = s.get("ports").and_then(Node::as_seq) else {
        return;
    };
    for (i, p) in items.iter().enumerate() {
        let at = s_at.key("ports").index(i);
        let port = match &p.value {
            Value::Map(_) => Port {
                container_port: p.get("target").and_then(scalar_text),
                host_port: p.get("published").and_then(scalar_text),
                protocol: str_at(p, &["protocol"]),
                at,
            },
            _ => {
                let text = scalar_text(p).unwrap_or_default();
                let (spec, protocol) = match text.split_once('/') {
                    Some((s, proto)) => (s.to_string(), Some(proto.to_string())),
                    None => (text.clone(), None),
                };
                // [IP:]HOST:CONTAINER or CONTAINER
                let parts: Vec<&str> = spec.rsplitn(2, ':').collect();
                let (container_port, host_port) = match parts.as_slice() {
                    [cp, rest] => (
                        Some(cp.to_string()),
                        Some(rest.rsplit(':').next().unwrap_or(rest).to_string()),
                    ),
                    [cp] => (Some(cp.to_string()), None),
                    _ => (None, None),
                };
                Port {
                    container_port,
                    host_port,
                    protocol,
                    at,
                }
            }
        };
        c.ports.push(port);
    }
}

fn labels(node: Option<&Node>) -> std::collections::BTreeMap<String, String> {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(scalar_text)
            .map(|l| match l.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (l, String::new()),
            })
            .collect(),
        _ => string_map(node),
    }
}
