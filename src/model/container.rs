//! `docker inspect` output (an array of containers, or one container object)
//! → one workload per container. A container's `Config` is its image's
//! config merged with the options it was started with, so what it says is
//! what runs: an empty `User` is root, `ReadonlyRootfs: false` is writable.
//! The live runtime stage inspects containers through the Engine API and
//! checks the same JSON, so offline and live findings come from this code.

use super::kubernetes::{as_bool, descend, scalar_text, str_at, string_list, string_map};
use super::{
    Container, EnvVar, HealthCheckResult, ImageRef, ImageUse, Logging, Model, Mount, Path, Port,
    RuntimeState, Workload,
};
use crate::document::{Node, Value};

/// A container object of `docker inspect` (also Podman's): `Config`,
/// `HostConfig` and `State` mappings. Image inspect output has no
/// `HostConfig` or `State`.
pub fn is_container(node: &Node) -> bool {
    let has_map = |k| matches!(node.get(k).map(|n| &n.value), Some(Value::Map(_)));
    has_map("HostConfig") && has_map("Config") && has_map("State")
}

/// The document is `docker inspect` output: a non-empty array of
/// containers, or one container.
pub fn is_inspect_output(node: &Node) -> bool {
    match &node.value {
        Value::Seq(items) => !items.is_empty() && items.iter().all(is_container),
        _ => is_container(node),
    }
}

pub fn normalize(doc: &Node) -> Model {
    let mut model = Model::default();
    match &doc.value {
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                container(item, &Path::root().index(i), &mut model);
            }
        }
        _ => container(doc, &Path::root(), &mut model),
    }
    model
}

/// The inspect field a path into `docker inspect` output names, as Go
/// templates write it: `HostConfig.ReadonlyRootfs`, `Config.Env[2]` (the
/// index of the container in the array is left out: the resource names it).
pub fn field_path(path: &[crate::document::Step]) -> Option<String> {
    use crate::document::Step;
    let steps = match path.first() {
        Some(Step::Index(_)) => &path[1..],
        _ => path,
    };
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// `name`, without the leading `/` Docker stores.
pub fn container_name(node: &Node) -> String {
    let name = str_at(node, &["Name"]).unwrap_or_default();
    let name = name.trim_start_matches('/');
    if name.is_empty() {
        short_id(&str_at(node, &["Id"]).unwrap_or_default())
    } else {
        name.to_string()
    }
}

/// The 12-character id Docker shows.
pub fn short_id(id: &str) -> String {
    id.trim_start_matches("sha256:").chars().take(12).collect()
}

/// `container web (3f2a1b4c5d6e, nginx:1.27)`.
pub fn resource_name(node: &Node) -> String {
    let name = container_name(node);
    let id = short_id(&str_at(node, &["Id"]).unwrap_or_default());
    let image = str_at(node, &["Config", "Image"]).unwrap_or_default();
    let details: Vec<&str> = [id.as_str(), image.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty() && *s != name)
        .collect();
    if details.is_empty() {
        format!("container {name}")
    } else {
        format!("container {name} ({})", details.join(", "))
    }
}

fn container(node: &Node, at: &Path, model: &mut Model) {
    if !is_container(node) {
        return;
    }
    let name = container_name(node);
    let resource = resource_name(node);
    let mut w = Workload::new("container", &name, resource.clone(), at.clone());
    let mut c = Container::new(&name, resource.clone(), at.clone());
    let config_at = at.key("Config");
    let host_at = at.key("HostConfig");
    let config = node.get("Config");
    let host = node.get("HostConfig");
    let config_field = |k: &str| config.and_then(|n| n.get(k));
    let host_field = |k: &str| host.and_then(|n| n.get(k));

    if let Some(image) = config_field("Image").and_then(scalar_text) {
        // A container started from an image id names no repository or tag.
        if !is_image_id(&image) {
            let r = ImageRef::parse(&image);
            model.images.push(ImageUse {
                image: r.clone(),
                resource: resource.clone(),
                at: config_at.key("Image"),
            });
            c.image = Some(r);
        }
        c.at.insert("image", config_at.key("Image"));
    }

    // The effective user: the image's USER unless `--user` overrode it.
    // Empty means root.
    c.at.insert("user", config_at.key("User"));
    if let Some(user) = config_field("User").and_then(scalar_text) {
        if user.trim().is_empty() {
            c.uid = Some(0);
        } else {
            c.uid = super::uid_of(&user);
            c.user = Some(user);
        }
    } else {
        c.uid = Some(0);
    }

    for (key, slot, field) in [
        (
            "ReadonlyRootfs",
            &mut c.read_only_root_filesystem,
            "read_only_root_filesystem",
        ),
        ("Privileged", &mut c.privileged, "privileged"),
    ] {
        *slot = host_field(key).and_then(as_bool);
        c.at.insert(field, host_at.key(key));
    }
    c.at.insert("security_opt", host_at.key("SecurityOpt"));
    if let Some(opts) = host_field("SecurityOpt").and_then(Node::as_seq) {
        for (i, o) in opts.iter().enumerate() {
            let text = scalar_text(o).unwrap_or_default().replace('=', ":");
            if let Some(rest) = text.strip_prefix("no-new-privileges") {
                c.allow_privilege_escalation = Some(matches!(rest, ":false"));
                c.at.insert(
                    "allow_privilege_escalation",
                    host_at.key("SecurityOpt").index(i),
                );
            }
        }
    }
    c.capabilities.add = string_list(host_field("CapAdd"));
    c.capabilities.drop = string_list(host_field("CapDrop"));
    if host_field("CapAdd").is_some() {
        c.at.insert("capabilities_add", host_at.key("CapAdd"));
    }
    // Fields the Engine API leaves out when empty still have a path: it
    // resolves to `HostConfig`, the object that would hold them.
    c.at.insert("capabilities_drop", host_at.key("CapDrop"));
    resources(&mut c, host, &host_at);

    for (key, slot, field) in [
        ("NetworkMode", &mut w.host_network, "host_network"),
        ("PidMode", &mut w.host_pid, "host_pid"),
        ("IpcMode", &mut w.host_ipc, "host_ipc"),
    ] {
        if let Some(v) = host_field(key).and_then(scalar_text) {
            *slot = Some(v == "host");
            w.at.insert(field, host_at.key(key));
        }
    }
    if let Some(policy) = host_field("RestartPolicy") {
        let name = str_at(policy, &["Name"]).unwrap_or_default();
        // `no` (or empty) is Docker's default: never restarted.
        if !matches!(name.as_str(), "" | "no") {
            w.restart = Some(name);
        }
    }
    w.at.insert("restart", host_at.key("RestartPolicy"));
    if let Some(log) = host_field("LogConfig") {
        w.logging = Some(Logging {
            driver: str_at(log, &["Type"]),
            options: string_map(log.get("Config")),
        });
    }
    w.at.insert("logging", host_at.key("LogConfig"));
    w.labels = string_map(config_field("Labels"));

    mounts(&mut c, node, at);
    env(&mut c, config, &config_at);
    ports(&mut c, host, &host_at);
    match config_field("Healthcheck") {
        Some(hc) => {
            let test = string_list(hc.get("Test"));
            // `["NONE"]` disables the image's healthcheck; an empty test inherits it.
            c.health.healthcheck = Some(test.first().map(String::as_str) != Some("NONE"));
            c.at.insert("healthcheck", config_at.key("Healthcheck"));
        }
        None => {
            c.at.insert("healthcheck", config_at.key("Healthcheck"));
        }
    }
    if let Some(state) = node.get("State") {
        c.state = Some(runtime_state(node, state));
        c.at.insert("state", at.key("State"));
        if state.get("Health").is_some() {
            c.at.insert("health_state", at.keys(&["State", "Health"]));
        }
    }
    w.containers.push(c);
    model.workloads.push(w);
}

/// `sha256:…` or a bare 64-hex-digit id.
fn is_image_id(image: &str) -> bool {
    let hex = image.strip_prefix("sha256:").unwrap_or(image);
    image.starts_with("sha256:") || (hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

fn int(node: Option<&Node>) -> Option<i64> {
    match node.map(|n| &n.value) {
        Some(Value::Int(i)) => Some(*i),
        Some(Value::Float(f)) => Some(*f as i64),
        _ => None,
    }
}

fn resources(c: &mut Container, host: Option<&Node>, host_at: &Path) {
    let empty = Node::new(crate::source::Span::default(), Value::Null);
    let host = host.unwrap_or(&empty);
    if let Some(bytes) = int(host.get("Memory")).filter(|b| *b > 0) {
        c.resources.limits.memory = Some(bytes.to_string());
        c.at.insert("limits_memory", host_at.key("Memory"));
    }
    if let Some(nano) = int(host.get("NanoCpus")).filter(|n| *n > 0) {
        c.resources.limits.cpu = Some(cpus(nano as f64 / 1e9));
        c.at.insert("limits_cpu", host_at.key("NanoCpus"));
    } else if let Some(quota) = int(host.get("CpuQuota")).filter(|q| *q > 0) {
        // The period defaults to 100ms.
        let period = int(host.get("CpuPeriod"))
            .filter(|p| *p > 0)
            .unwrap_or(100_000);
        c.resources.limits.cpu = Some(cpus(quota as f64 / period as f64));
        c.at.insert("limits_cpu", host_at.key("CpuQuota"));
    }
    if let Some(bytes) = int(host.get("MemoryReservation")).filter(|b| *b > 0) {
        c.resources.requests.memory = Some(bytes.to_string());
    }
    // A missing limit points at the field that would hold it (`Memory: 0`).
    for (field, key) in [("limits_memory", "Memory"), ("limits_cpu", "NanoCpus")] {
        if !c.at.contains_key(field) {
            c.at.insert(field, host_at.key(key));
        }
    }
}

/// `0.5`, `2`: CPUs as `--cpus` takes them.
fn cpus(n: f64) -> String {
    let text = format!("{n:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn mounts(c: &mut Container, node: &Node, at: &Path) {
    if let Some(items) = node.get("Mounts").and_then(Node::as_seq) {
        for (i, m) in items.iter().enumerate() {
            let kind = str_at(m, &["Type"]).unwrap_or_else(|| "bind".into());
            let source = match kind.as_str() {
                "volume" => str_at(m, &["Name"]).or_else(|| str_at(m, &["Source"])),
                _ => str_at(m, &["Source"]),
            };
            c.mounts.push(Mount {
                kind,
                source,
                target: str_at(m, &["Destination"]),
                read_only: m.get("RW").and_then(as_bool) == Some(false),
                at: at.key("Mounts").index(i),
            });
        }
        return;
    }
    // Older output: only `HostConfig.Binds` (`/src:/dst[:ro]`).
    let binds = descend(node, &["HostConfig", "Binds"]).and_then(Node::as_seq);
    for (i, b) in binds.unwrap_or(&[]).iter().enumerate() {
        let spec = scalar_text(b).unwrap_or_default();
        let parts: Vec<&str> = spec.split(':').collect();
        let source = parts.first().map(|s| s.to_string());
        c.mounts.push(Mount {
            kind: if spec.starts_with('/') {
                "bind"
            } else {
                "volume"
            }
            .into(),
            source,
            target: parts.get(1).map(|s| s.to_string()),
            read_only: parts
                .get(2)
                .is_some_and(|m| m.split(',').any(|o| o == "ro")),
            at: at.keys(&["HostConfig", "Binds"]).index(i),
        });
    }
}

fn env(c: &mut Container, config: Option<&Node>, config_at: &Path) {
    let Some(vars) = config.and_then(|n| n.get("Env")).and_then(Node::as_seq) else {
        return;
    };
    for (i, var) in vars.iter().enumerate() {
        let Some(text) = scalar_text(var) else {
            continue;
        };
        let (name, value) = match text.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (text, None),
        };
        c.env.push(EnvVar {
            name,
            value,
            from_reference: false,
            source: "env",
            at: config_at.key("Env").index(i),
        });
    }
}

fn ports(c: &mut Container, host: Option<&Node>, host_at: &Path) {
    let Some(bindings) = host
        .and_then(|h| h.get("PortBindings"))
        .and_then(Node::as_map)
    else {
        return;
    };
    for e in bindings {
        let (port, protocol) = match e.key.split_once('/') {
            Some((p, proto)) => (p.to_string(), Some(proto.to_string())),
            None => (e.key.clone(), None),
        };
        let at = host_at.keys(&["PortBindings", &e.key]);
        let hosts = e.value.as_seq().unwrap_or(&[]);
        if hosts.is_empty() {
            c.ports.push(Port {
                container_port: Some(port.clone()),
                host_port: None,
                protocol: protocol.clone(),
                at: at.clone(),
            });
        }
        for (i, h) in hosts.iter().enumerate() {
            c.ports.push(Port {
                container_port: Some(port.clone()),
                host_port: str_at(h, &["HostPort"]).filter(|p| !p.is_empty()),
                protocol: protocol.clone(),
                at: at.index(i),
            });
        }
    }
}

fn runtime_state(node: &Node, state: &Node) -> RuntimeState {
    let health = state.get("Health");
    let last_failure = health
        .and_then(|h| h.get("Log"))
        .and_then(Node::as_seq)
        .and_then(|log| {
            log.iter()
                .rev()
                .find(|entry| int(entry.get("ExitCode")).is_some_and(|c| c != 0))
        })
        .map(|entry| HealthCheckResult {
            exit_code: int(entry.get("ExitCode")).unwrap_or(0),
            output: check_output(&str_at(entry, &["Output"]).unwrap_or_default()),
            at: str_at(entry, &["End"]).or_else(|| str_at(entry, &["Start"])),
        });
    let status = str_at(state, &["Status"]).unwrap_or_default();
    let reason = if state.get("OOMKilled").and_then(as_bool) == Some(true) {
        Some("OOMKilled".to_string())
    } else {
        str_at(state, &["Error"]).filter(|e| !e.is_empty())
    };
    RuntimeState {
        running: state
            .get("Running")
            .and_then(as_bool)
            .unwrap_or(status == "running"),
        status,
        health: health.and_then(|h| str_at(h, &["Status"])),
        failing_streak: int(health.and_then(|h| h.get("FailingStreak"))).unwrap_or(0),
        last_failure,
        restart_count: int(node.get("RestartCount")).unwrap_or(0),
        reason,
    }
}

/// Longest health check output kept in a finding, in characters.
pub const MAX_OUTPUT_CHARS: usize = 200;

/// A health check's output for a message: whitespace collapsed, secrets
/// redacted (known token formats, `NAME=value` with a secret-looking name),
/// cut to [`MAX_OUTPUT_CHARS`].
pub fn check_output(raw: &str) -> String {
    let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let redacted = redact_text(&collapsed);
    if redacted.chars().count() <= MAX_OUTPUT_CHARS {
        return redacted;
    }
    let cut: String = redacted.chars().take(MAX_OUTPUT_CHARS).collect();
    format!("{cut}…")
}

/// Free text with secrets redacted: known token formats anywhere, and the
/// value of each `NAME=value` / `NAME: value` whose name says it holds a secret.
pub fn redact_text(text: &str) -> String {
    use crate::secrets;
    let mut out = String::with_capacity(text.len());
    let tokens = secrets::find_tokens(text);
    let mut last = 0;
    for m in &tokens {
        if m.range.start < last {
            continue;
        }
        out.push_str(&text[last..m.range.start]);
        out.push_str(&secrets::redact(&text[m.range.clone()]));
        last = m.range.end;
    }
    out.push_str(&text[last..]);
    // `password=hunter2`, `token: abc`: the word after a secret name.
    let words: Vec<&str> = out.split(' ').collect();
    let mut result = Vec::with_capacity(words.len());
    let mut redact_next = false;
    for word in words {
        if redact_next {
            redact_next = false;
            if !secrets::is_placeholder(word) && !word.contains("****") {
                result.push(secrets::redact(word));
                continue;
            }
        }
        match word.split_once(['=', ':']) {
            Some((name, value))
                if secrets::is_secret_name(name)
                    && !value.is_empty()
                    && !value.contains("****")
                    && !secrets::is_placeholder(value) =>
            {
                let sep = &word[name.len()..name.len() + 1];
                result.push(format!("{name}{sep}{}", secrets::redact(value)));
            }
            Some((name, "")) if secrets::is_secret_name(name) => {
                redact_next = true;
                result.push(word.to_string());
            }
            _ => result.push(word.to_string()),
        }
    }
    result.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_trimmed_and_redacted() {
        assert_eq!(
            check_output("  db down\n password=hunter2-long \n"),
            "db down password=hu**************"
        );
        assert_eq!(
            check_output("token: ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            "token: ghp_************"
        );
        let long = "x ".repeat(300);
        assert!(check_output(&long).ends_with('…'));
        assert_eq!(cpus(0.5), "0.5");
        assert_eq!(cpus(2.0), "2");
    }
}
