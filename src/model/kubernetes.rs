//! Kubernetes manifests → workloads. Pod specs are found where each workload
//! kind keeps them; `List` kinds contribute every item.

use super::{uid_of, Container, EnvVar, ImageRef, ImageUse, Model, Mount, Path, Port, Workload};
use crate::document::{Node, Value};

/// Where a workload keeps its pod spec: by kind for the built-in workloads
/// and the controllers that keep it elsewhere, else any object with a pod
/// template (`spec.template.spec.containers`), as OpenShift's
/// DeploymentConfig, Argo's Rollout, Knative's Service and Configuration and
/// most operators' custom workloads have.
fn pod_spec_path(obj: &Node, kind: &str) -> Option<&'static [&'static str]> {
    const TEMPLATE: &[&str] = &["spec", "template", "spec"];
    let knative =
        str_at(obj, &["apiVersion"]).is_some_and(|v| v.starts_with("serving.knative.dev/"));
    Some(match kind {
        "Pod" => &["spec"],
        "Deployment"
        | "ReplicaSet"
        | "StatefulSet"
        | "DaemonSet"
        | "Job"
        | "ReplicationController"
        | "DeploymentConfig" => TEMPLATE,
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        "PodTemplate" => &["template", "spec"],
        // A Knative Revision's spec is a pod spec.
        "Revision" if knative => &["spec"],
        "LeaderWorkerSet" => &["spec", "leaderWorkerTemplate", "workerTemplate", "spec"],
        _ if descend(obj, &["spec", "template", "spec", "containers"])
            .and_then(Node::as_seq)
            .is_some() =>
        {
            TEMPLATE
        }
        _ => return None,
    })
}

pub fn normalize(doc: &Node) -> Model {
    let mut model = Model::default();
    object(doc, &Path::root(), &mut model);
    model
}

fn object(obj: &Node, at: &Path, model: &mut Model) {
    let kind = str_at(obj, &["kind"]).unwrap_or_default();
    if kind.ends_with("List") {
        if let Some(items) = obj.get("items").and_then(Node::as_seq) {
            for (i, item) in items.iter().enumerate() {
                object(item, &at.key("items").index(i), model);
            }
        }
        return;
    }
    let Some(spec_path) = pod_spec_path(obj, &kind) else {
        return;
    };
    let Some(spec) = descend(obj, spec_path) else {
        return;
    };
    let name = str_at(obj, &["metadata", "name"])
        .or_else(|| str_at(obj, &["metadata", "generateName"]))
        .unwrap_or_default();
    let resource = format!("{kind}/{}", display_name(&name));
    let mut w = Workload::new(&kind, &name, resource.clone(), at.clone());
    w.namespace = str_at(obj, &["metadata", "namespace"]);
    w.labels = string_map(obj.get("metadata").and_then(|m| m.get("labels")));
    w.annotations = string_map(obj.get("metadata").and_then(|m| m.get("annotations")));
    let spec_at = at.keys(spec_path);
    // The pod template's metadata sits beside its spec (`spec.template.metadata`).
    let template_path = &spec_path[..spec_path.len() - 1];
    w.pod_labels = string_map(
        descend(obj, template_path)
            .and_then(|t| t.get("metadata"))
            .and_then(|m| m.get("labels")),
    );
    if let Some(crate::document::Value::Int(n)) =
        descend(obj, &["spec", "replicas"]).map(|n| &n.value)
    {
        w.replicas = Some(*n);
    }
    w.at.insert("spec", spec_at.clone());
    for (field, key) in [
        ("host_network", "hostNetwork"),
        ("host_pid", "hostPID"),
        ("host_ipc", "hostIPC"),
    ] {
        let value = spec.get(key).and_then(as_bool);
        match field {
            "host_network" => w.host_network = value,
            "host_pid" => w.host_pid = value,
            _ => w.host_ipc = value,
        }
        if value.is_some() {
            w.at.insert(field, spec_at.key(key));
        }
    }
    w.restart = str_at(spec, &["restartPolicy"]);
    if w.restart.is_some() {
        w.at.insert("restart", spec_at.key("restartPolicy"));
    }
    let pod_sc = spec.get("securityContext");
    let volumes = spec.get("volumes").and_then(Node::as_seq).unwrap_or(&[]);

    for (list, init) in [
        ("initContainers", true),
        ("containers", false),
        ("ephemeralContainers", true),
    ] {
        let Some(items) = spec.get(list).and_then(Node::as_seq) else {
            continue;
        };
        for (i, c) in items.iter().enumerate() {
            let c_at = spec_at.key(list).index(i);
            let cname = str_at(c, &["name"]).unwrap_or_default();
            // Knative lets a single container go unnamed.
            let shown = if cname.is_empty() {
                format!("{list}[{i}]")
            } else {
                cname.clone()
            };
            let mut out = Container::new(
                &cname,
                format!("{resource} container {shown}"),
                c_at.clone(),
            );
            // A sidecar (an init container with `restartPolicy: Always`) runs
            // beside the app for the pod's lifetime: probes apply to it.
            out.init = init
                && !(list == "initContainers"
                    && str_at(c, &["restartPolicy"]).as_deref() == Some("Always"));
            if let Some(image) = str_at(c, &["image"]) {
                let r = ImageRef::parse(&image);
                model.images.push(ImageUse {
                    image: r.clone(),
                    resource: out.resource.clone(),
                    at: c_at.key("image"),
                });
                out.image = Some(r);
                out.at.insert("image", c_at.key("image"));
            }
            security(&mut out, c, &c_at, pod_sc, &spec_at);
            resources(&mut out, c, &c_at);
            mounts(&mut out, c, &c_at, volumes, &spec_at);
            env(&mut out, c, &c_at);
            ports(&mut out, c, &c_at);
            for (key, field) in [
                ("livenessProbe", "liveness_probe"),
                ("readinessProbe", "readiness_probe"),
                ("startupProbe", "startup_probe"),
            ] {
                if c.get(key).is_some() {
                    match field {
                        "liveness_probe" => out.health.liveness_probe = true,
                        "readiness_probe" => out.health.readiness_probe = true,
                        _ => out.health.startup_probe = true,
                    }
                    out.at.insert(field, c_at.key(key));
                }
            }
            if kind == "Pod" {
                if let Some((key, i, state)) = pod_container_state(obj, list, &cname) {
                    out.state = Some(state);
                    out.at.insert("state", at.keys(&["status", key]).index(i));
                }
            }
            w.containers.push(out);
        }
    }
    model.workloads.push(w);
}

/// A Pod's observed container state (`kubectl get pods -o json` output has
/// `status.containerStatuses`); none for a manifest.
fn pod_container_state(
    pod: &Node,
    list: &str,
    name: &str,
) -> Option<(&'static str, usize, super::RuntimeState)> {
    let statuses = match list {
        "initContainers" => "initContainerStatuses",
        "ephemeralContainers" => "ephemeralContainerStatuses",
        _ => "containerStatuses",
    };
    let (index, status) = descend(pod, &["status", statuses])?
        .as_seq()?
        .iter()
        .enumerate()
        .find(|(_, s)| str_at(s, &["name"]).as_deref() == Some(name))?;
    let state = status.get("state").and_then(Node::as_map);
    let (phase, detail) = state
        .and_then(|entries| entries.first())
        .map(|e| (e.key.clone(), Some(&e.value)))
        .unwrap_or_default();
    let last_reason = descend(status, &["lastState", "terminated", "reason"]).and_then(scalar_text);
    let ready = status.get("ready").and_then(as_bool);
    let state = super::RuntimeState {
        running: phase == "running",
        status: phase,
        health: ready.map(|r| if r { "ready" } else { "not-ready" }.to_string()),
        failing_streak: 0,
        last_failure: None,
        restart_count: match status.get("restartCount").map(|n| &n.value) {
            Some(Value::Int(n)) => *n,
            _ => 0,
        },
        reason: detail.and_then(|d| str_at(d, &["reason"])).or(last_reason),
    };
    Some((statuses, index, state))
}

/// Container security context, falling back to the pod's where Kubernetes does.
fn security(out: &mut Container, c: &Node, c_at: &Path, pod_sc: Option<&Node>, spec_at: &Path) {
    let sc = c.get("securityContext");
    let sc_at = c_at.key("securityContext");
    let pod_sc_at = spec_at.key("securityContext");
    if sc.is_some() {
        out.at.insert("security_context", sc_at.clone());
    }
    // Fields a container inherits from the pod security context.
    let inherited = |key: &str| -> Option<(&Node, Path)> {
        if let Some(v) = sc.and_then(|s| s.get(key)) {
            return Some((v, sc_at.key(key)));
        }
        pod_sc
            .and_then(|s| s.get(key))
            .map(|v| (v, pod_sc_at.key(key)))
    };
    if let Some((v, at)) = inherited("runAsUser") {
        let text = scalar_text(v);
        out.uid = text.as_deref().and_then(uid_of);
        out.user = text;
        out.at.insert("user", at);
    }
    if let Some((v, at)) = inherited("runAsNonRoot") {
        out.run_as_non_root = as_bool(v);
        out.at.insert("run_as_non_root", at);
    }
    let own = |key: &str| sc.and_then(|s| s.get(key)).map(|v| (v, sc_at.key(key)));
    if let Some((v, at)) = own("readOnlyRootFilesystem") {
        out.read_only_root_filesystem = as_bool(v);
        out.at.insert("read_only_root_filesystem", at);
    }
    if let Some((v, at)) = own("privileged") {
        out.privileged = as_bool(v);
        out.at.insert("privileged", at);
    }
    if let Some((v, at)) = own("allowPrivilegeEscalation") {
        out.allow_privilege_escalation = as_bool(v);
        out.at.insert("allow_privilege_escalation", at);
    }
    if let Some(caps) = sc.and_then(|s| s.get("capabilities")) {
        let caps_at = sc_at.key("capabilities");
        out.at.insert("capabilities", caps_at.clone());
        out.capabilities.add = string_list(caps.get("add"));
        out.capabilities.drop = string_list(caps.get("drop"));
        if caps.get("add").is_some() {
            out.at.insert("capabilities_add", caps_at.key("add"));
        }
        if caps.get("drop").is_some() {
            out.at.insert("capabilities_drop", caps_at.key("drop"));
        }
    }
}

fn resources(out: &mut Container, c: &Node, c_at: &Path) {
    let Some(res) = c.get("resources") else {
        return;
    };
    let res_at = c_at.key("resources");
    out.at.insert("resources", res_at.clone());
    for section in ["limits", "requests"] {
        let Some(values) = res.get(section) else {
            continue;
        };
        out.at.insert(section, res_at.key(section));
        let target = out.resources.section_mut(section);
        target.cpu = values.get("cpu").and_then(scalar_text);
        target.memory = values.get("memory").and_then(scalar_text);
    }
}

fn mounts(out: &mut Container, c: &Node, c_at: &Path, volumes: &[Node], spec_at: &Path) {
    let Some(vms) = c.get("volumeMounts").and_then(Node::as_seq) else {
        return;
    };
    for (i, vm) in vms.iter().enumerate() {
        let vname = str_at(vm, &["name"]).unwrap_or_default();
        let volume = volumes
            .iter()
            .enumerate()
            .find(|(_, v)| str_at(v, &["name"]).as_deref() == Some(vname.as_str()));
        let (kind, source, at) = match volume {
            Some((vi, v)) => {
                let v_at = spec_at.key("volumes").index(vi);
                if let Some(p) = str_at(v, &["hostPath", "path"]) {
                    ("hostPath", Some(p), v_at.keys(&["hostPath", "path"]))
                } else {
                    let kind = [
                        "secret",
                        "configMap",
                        "emptyDir",
                        "persistentVolumeClaim",
                        "projected",
                    ]
                    .into_iter()
                    .find(|k| v.get(k).is_some())
                    .unwrap_or("other");
                    (kind, Some(vname.clone()), c_at.key("volumeMounts").index(i))
                }
            }
            None => (
                "other",
                Some(vname.clone()),
                c_at.key("volumeMounts").index(i),
            ),
        };
        out.mounts.push(Mount {
            kind: kind.to_string(),
            source,
            target: str_at(vm, &["mountPath"]),
            read_only: vm.get("readOnly").and_then(as_bool).unwrap_or(false),
            at,
        });
    }
}

fn env(out: &mut Container, c: &Node, c_at: &Path) {
    let Some(vars) = c.get("env").and_then(Node::as_seq) else {
        return;
    };
    for (i, var) in vars.iter().enumerate() {
        let Some(name) = str_at(var, &["name"]) else {
            continue;
        };
        let at = c_at.key("env").index(i);
        let value = var.get("value").and_then(scalar_text);
        out.env.push(EnvVar {
            name,
            at: if value.is_some() { at.key("value") } else { at },
            value,
            from_reference: var.get("valueFrom").is_some(),
            source: "env",
        });
    }
}

fn ports(out: &mut Container, c: &Node, c_at: &Path) {
    let Some(ports) = c.get("ports").and_then(Node::as_seq) else {
        return;
    };
    for (i, p) in ports.iter().enumerate() {
        out.ports.push(Port {
            container_port: p.get("containerPort").and_then(scalar_text),
            host_port: p.get("hostPort").and_then(scalar_text),
            protocol: str_at(p, &["protocol"]),
            at: c_at.key("ports").index(i),
        });
    }
}

pub(crate) fn descend<'a>(node: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    keys.iter().try_fold(node, |n, k| n.get(k))
}

pub(crate) fn str_at(node: &Node, keys: &[&str]) -> Option<String> {
    descend(node, keys).and_then(scalar_text)
}

/// The text of a scalar (numbers and booleans as written in JSON).
pub(crate) fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(crate) fn as_bool(node: &Node) -> Option<bool> {
    match &node.value {
        Value::Bool(b) => Some(*b),
        Value::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

pub(crate) fn string_list(node: Option<&Node>) -> Vec<String> {
    node.and_then(Node::as_seq)
        .map(|items| items.iter().filter_map(scalar_text).collect())
        .unwrap_or_default()
}

pub(crate) fn string_map(node: Option<&Node>) -> std::collections::BTreeMap<String, String> {
    node.and_then(Node::as_map)
        .map(|entries| {
            entries
                .iter()
                .filter_map(|e| scalar_text(&e.value).map(|v| (e.key.clone(), v)))
                .collect()
        })
        .unwrap_or_default()
}

/// An object's name as resources show it: `Pod/<unnamed>`, not `Pod/`.
pub fn display_name(name: &str) -> &str {
    match name {
        "" => "<unnamed>",
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each workload of a YAML stream: (kind, resource, path of the pod spec, container names).
    fn workloads(text: &str) -> Vec<(String, String, Path, Vec<String>)> {
        crate::parse::parse_yaml(text)
            .expect("fixture parses")
            .iter()
            .flat_map(|d| normalize(&d.node).workloads)
            .map(|w| {
                let spec = w.at.get("spec").cloned().unwrap_or_default();
                let names = w.containers.iter().map(|c| c.name.clone()).collect();
                (w.kind, w.resource, spec, names)
            })
            .collect()
    }

    const CONTAINERS: &str =
        "containers:\n  - name: app\n    image: registry.example.com/app:1.0\n";

    fn indent(text: &str, n: usize) -> String {
        let pad = " ".repeat(n);
        text.lines().map(|l| format!("{pad}{l}\n")).collect()
    }

    #[test]
    fn controllers_with_a_pod_template_are_workloads() {
        let template = format!("spec:\n  template:\n    spec:\n{}", indent(CONTAINERS, 6));
        for (api, kind) in [
            ("apps.openshift.io/v1", "DeploymentConfig"),
            ("v1", "ReplicationController"),
            ("argoproj.io/v1alpha1", "Rollout"),
            ("serving.knative.dev/v1", "Service"),
            ("serving.knative.dev/v1", "Configuration"),
            ("example.com/v1", "Widget"),
        ] {
            let text =
                format!("apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: web\n{template}");
            let found = workloads(&text);
            assert_eq!(found.len(), 1, "{kind}: {found:?}");
            assert_eq!(found[0].1, format!("{kind}/web"));
            assert_eq!(found[0].2, Path::root().keys(&["spec", "template", "spec"]));
            assert_eq!(found[0].3, vec!["app".to_string()]);
        }
    }

    #[test]
    fn knative_revision_and_leader_worker_set_keep_their_pod_spec_elsewhere() {
        let revision = format!(
            "apiVersion: serving.knative.dev/v1\nkind: Revision\nmetadata:\n  name: web-00001\nspec:\n{}",
            indent(CONTAINERS, 2)
        );
        let found = workloads(&revision);
        assert_eq!(found[0].2, Path::root().key("spec"));
        assert_eq!(found[0].3, vec!["app".to_string()]);
        let lws = format!(
            "apiVersion: leaderworkerset.x-k8s.io/v1\nkind: LeaderWorkerSet\nmetadata:\n  name: vllm\nspec:\n  replicas: 2\n  leaderWorkerTemplate:\n    size: 4\n    workerTemplate:\n      spec:\n{}",
            indent(CONTAINERS, 8)
        );
        let found = workloads(&lws);
        assert_eq!(
            found[0].2,
            Path::root().keys(&["spec", "leaderWorkerTemplate", "workerTemplate", "spec"])
        );
        assert_eq!(found[0].3, vec!["app".to_string()]);
    }

    #[test]
    fn objects_without_a_pod_template_are_not_workloads() {
        for text in [
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n",
            "apiVersion: v1\nkind: Revision\nmetadata:\n  name: r\nspec:\n  containers: []\n",
            "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: vm\nspec:\n  template:\n    spec:\n      domain: {}\n",
        ] {
            assert_eq!(workloads(text).len(), 0, "{text}");
        }
    }
}
