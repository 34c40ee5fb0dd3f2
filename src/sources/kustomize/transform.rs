//! kustomize's built-in transformers: `namespace`, `namePrefix`/
//! `nameSuffix` (and the references they rename), labels, annotations,
//! `images`, `replicas`. A value a transformer adds points at the
//! kustomization line that asked for it.

use super::tree::{self, Resource, CONTAINER_LISTS};
use crate::document::{Node, Value};
use crate::source::Span;

/// Kinds that live outside namespaces (kustomize leaves their namespace
/// unset).
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "APIService",
    "Node",
    "CSIDriver",
    "CSINode",
    "RuntimeClass",
    "PodSecurityPolicy",
    "IngressClass",
    "VolumeAttachment",
    "CertificateSigningRequest",
];

pub fn namespace(resources: &mut [Resource], value: &Node) {
    let Some(ns) = value.as_str() else { return };
    for r in resources.iter_mut() {
        let old = r.namespace().to_string();
        if r.kind() == "RoleBinding" || r.kind() == "ClusterRoleBinding" {
            for subject in tree::items_mut(&mut r.node, "subjects") {
                let is_sa = subject.get("kind").and_then(Node::as_str) == Some("ServiceAccount");
                let sns = subject.get("namespace").and_then(Node::as_str);
                // kustomize moves service accounts of the old namespace
                // (or none, or `default`) along.
                if is_sa && sns.is_none_or(|s| s == "default" || s == old) {
                    tree::set(subject, "namespace", tree::str_node(value.span, ns));
                }
            }
        }
        if CLUSTER_SCOPED.contains(&r.kind()) {
            continue;
        }
        let meta = tree::map_at(&mut r.node, &["metadata"], value.span);
        tree::set(meta, "namespace", tree::str_node(value.span, ns));
    }
}

/// `namePrefix` and `nameSuffix` of one kustomization, with the references
/// to the renamed objects following them.
pub fn prefix_suffix(resources: &mut [Resource], prefix: &str, suffix: &str) {
    if prefix.is_empty() && suffix.is_empty() {
        return;
    }
    let mut renames = Vec::new();
    for r in resources.iter_mut() {
        if matches!(r.kind(), "CustomResourceDefinition" | "Namespace") {
            continue;
        }
        let old = r.name().to_string();
        let new = format!("{prefix}{old}{suffix}");
        renames.push((r.kind().to_string(), old, new.clone()));
        if let Some(name) = tree::path_mut(&mut r.node, &["metadata", "name"]) {
            name.value = Value::Str(new);
        }
    }
    rename_references(resources, &renames);
}

/// References to objects renamed `(kind, old, new)`: the fields
/// kustomize's name reference transformer follows in common kinds.
pub fn rename_references(resources: &mut [Resource], renames: &[(String, String, String)]) {
    // Looked up once per reference: many objects each renamed.
    let by_old: std::collections::HashMap<(&str, &str), &str> = renames
        .iter()
        .map(|(kind, old, new)| ((kind.as_str(), old.as_str()), new.as_str()))
        .collect();
    let renamed = |kind: &str, name: &str| by_old.get(&(kind, name)).map(|n| n.to_string());
    let fix = |node: Option<&mut Node>, kind: &str| {
        if let Some(node) = node {
            if let Some(new) = node.as_str().and_then(|n| renamed(kind, n)) {
                node.value = Value::Str(new);
            }
        }
    };
    for r in resources.iter_mut() {
        let kind = r.kind().to_string();
        if let Some(spec) = tree::pod_spec_mut(&mut r.node) {
            fix(tree::get_mut(spec, "serviceAccountName"), "ServiceAccount");
            fix(tree::get_mut(spec, "serviceAccount"), "ServiceAccount");
            fix(tree::get_mut(spec, "priorityClassName"), "PriorityClass");
            for s in tree::items_mut(spec, "imagePullSecrets") {
                fix(tree::get_mut(s, "name"), "Secret");
            }
            for v in tree::items_mut(spec, "volumes") {
                fix(tree::path_mut(v, &["configMap", "name"]), "ConfigMap");
                fix(tree::path_mut(v, &["secret", "secretName"]), "Secret");
                fix(
                    tree::path_mut(v, &["persistentVolumeClaim", "claimName"]),
                    "PersistentVolumeClaim",
                );
                if let Some(projected) = tree::get_mut(v, "projected") {
                    for s in tree::items_mut(projected, "sources") {
                        fix(tree::path_mut(s, &["configMap", "name"]), "ConfigMap");
                        fix(tree::path_mut(s, &["secret", "name"]), "Secret");
                    }
                }
            }
            for list in CONTAINER_LISTS {
                for c in tree::items_mut(spec, list) {
                    for e in tree::items_mut(c, "envFrom") {
                        fix(tree::path_mut(e, &["configMapRef", "name"]), "ConfigMap");
                        fix(tree::path_mut(e, &["secretRef", "name"]), "Secret");
                    }
                    for e in tree::items_mut(c, "env") {
                        fix(
                            tree::path_mut(e, &["valueFrom", "configMapKeyRef", "name"]),
                            "ConfigMap",
                        );
                        fix(
                            tree::path_mut(e, &["valueFrom", "secretKeyRef", "name"]),
                            "Secret",
                        );
                    }
                }
            }
        }
        match kind.as_str() {
            "StatefulSet" => fix(
                tree::path_mut(&mut r.node, &["spec", "serviceName"]),
                "Service",
            ),
            "RoleBinding" | "ClusterRoleBinding" => {
                if let Some(role) = tree::get_mut(&mut r.node, "roleRef") {
                    let role_kind = role
                        .get("kind")
                        .and_then(Node::as_str)
                        .unwrap_or("")
                        .to_string();
                    fix(tree::get_mut(role, "name"), &role_kind);
                }
                for s in tree::items_mut(&mut r.node, "subjects") {
                    if s.get("kind").and_then(Node::as_str) == Some("ServiceAccount") {
                        fix(tree::get_mut(s, "name"), "ServiceAccount");
                    }
                }
            }
            "HorizontalPodAutoscaler" => {
                if let Some(target) = tree::path_mut(&mut r.node, &["spec", "scaleTargetRef"]) {
                    let target_kind = target
                        .get("kind")
                        .and_then(Node::as_str)
                        .unwrap_or("")
                        .to_string();
                    fix(tree::get_mut(target, "name"), &target_kind);
                }
            }
            "Ingress" => {
                let Some(spec) = tree::get_mut(&mut r.node, "spec") else {
                    continue;
                };
                for t in tree::items_mut(spec, "tls") {
                    fix(tree::get_mut(t, "secretName"), "Secret");
                }
                fix(
                    tree::path_mut(spec, &["defaultBackend", "service", "name"]),
                    "Service",
                );
                for rule in tree::items_mut(spec, "rules") {
                    let Some(http) = tree::get_mut(rule, "http") else {
                        continue;
                    };
                    for p in tree::items_mut(http, "paths") {
                        fix(
                            tree::path_mut(p, &["backend", "service", "name"]),
                            "Service",
                        );
                        fix(tree::path_mut(p, &["backend", "serviceName"]), "Service");
                    }
                }
            }
            "ServiceAccount" => {
                for s in tree::items_mut(&mut r.node, "secrets") {
                    fix(tree::get_mut(s, "name"), "Secret");
                }
                for s in tree::items_mut(&mut r.node, "imagePullSecrets") {
                    fix(tree::get_mut(s, "name"), "Secret");
                }
            }
            _ => {}
        }
    }
}

/// Where labels go: `metadata.labels` always; selectors and pod template
/// labels as asked.
pub struct LabelTargets {
    pub selectors: bool,
    pub templates: bool,
}

pub fn labels(resources: &mut [Resource], pairs: &Node, to: &LabelTargets) {
    let Some(pairs) = pairs.as_map() else { return };
    let span = pairs.first().map(|e| e.key_span).unwrap_or_default();
    let put = |node: &mut Node, keys: &[&str], create: bool| {
        if !create && tree::path(node, keys).is_none() {
            return;
        }
        let target = tree::map_at(node, keys, span);
        for e in pairs {
            tree::set(target, &e.key, e.value.clone());
        }
    };
    for r in resources.iter_mut() {
        let kind = r.kind().to_string();
        put(&mut r.node, &["metadata", "labels"], true);
        let node = &mut r.node;
        match kind.as_str() {
            "Service" if to.selectors => put(node, &["spec", "selector"], true),
            "ReplicationController" => {
                if to.selectors {
                    put(node, &["spec", "selector"], true);
                }
                if to.templates || to.selectors {
                    put(node, &["spec", "template", "metadata", "labels"], true);
                }
            }
            "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" => {
                if to.selectors {
                    put(node, &["spec", "selector", "matchLabels"], true);
                }
                if to.templates || to.selectors {
                    put(node, &["spec", "template", "metadata", "labels"], true);
                }
                if (to.templates || to.selectors) && kind == "StatefulSet" {
                    if let Some(Value::Seq(claims)) =
                        tree::path_mut(node, &["spec", "volumeClaimTemplates"])
                            .map(|n| &mut n.value)
                    {
                        for c in claims {
                            put(c, &["metadata", "labels"], true);
                        }
                    }
                }
            }
            "Job" => {
                if to.selectors {
                    put(node, &["spec", "selector", "matchLabels"], false);
                }
                if to.templates || to.selectors {
                    put(node, &["spec", "template", "metadata", "labels"], true);
                }
            }
            "CronJob" => {
                if to.selectors {
                    put(
                        node,
                        &["spec", "jobTemplate", "spec", "selector", "matchLabels"],
                        false,
                    );
                }
                if to.templates || to.selectors {
                    put(node, &["spec", "jobTemplate", "metadata", "labels"], true);
                    put(
                        node,
                        &[
                            "spec",
                            "jobTemplate",
                            "spec",
                            "template",
                            "metadata",
                            "labels",
                        ],
                        true,
                    );
                }
            }
            "PodDisruptionBudget" if to.selectors => {
                put(node, &["spec", "selector", "matchLabels"], false)
            }
            "NetworkPolicy" if to.selectors => {
                put(node, &["spec", "podSelector", "matchLabels"], false)
            }
            _ => {}
        }
    }
}

pub fn annotations(resources: &mut [Resource], pairs: &Node) {
    let Some(pairs) = pairs.as_map() else { return };
    let span = pairs.first().map(|e| e.key_span).unwrap_or_default();
    for r in resources.iter_mut() {
        let kind = r.kind().to_string();
        let mut places = vec![vec!["metadata", "annotations"]];
        match kind.as_str() {
            "Deployment"
            | "ReplicaSet"
            | "DaemonSet"
            | "StatefulSet"
            | "Job"
            | "ReplicationController" => {
                places.push(vec!["spec", "template", "metadata", "annotations"])
            }
            "CronJob" => {
                places.push(vec!["spec", "jobTemplate", "metadata", "annotations"]);
                places.push(vec![
                    "spec",
                    "jobTemplate",
                    "spec",
                    "template",
                    "metadata",
                    "annotations",
                ]);
            }
            _ => {}
        }
        for keys in places {
            let target = tree::map_at(&mut r.node, &keys, span);
            for e in pairs {
                tree::set(target, &e.key, e.value.clone());
            }
        }
    }
}

/// `images`: a container image whose name matches gets the new name, tag
/// or digest; the changed value points at the `images` entry. Like
/// kustomize, every `containers`/`initContainers` list of an object is
/// looked at, whatever its kind (a CronJob, a custom resource).
pub fn images(resources: &mut [Resource], entries: &Node) {
    let Some(entries) = entries.as_seq() else {
        return;
    };
    for r in resources.iter_mut() {
        retag_images(&mut r.node, entries);
    }
}

fn retag_images(node: &mut Node, entries: &[Node]) {
    match &mut node.value {
        Value::Map(fields) => {
            for field in fields.iter_mut() {
                let is_list = matches!(field.key.as_str(), "containers" | "initContainers");
                if let (true, Value::Seq(containers)) = (is_list, &mut field.value.value) {
                    for c in containers.iter_mut() {
                        if let Some(image) = tree::get_mut(c, "image") {
                            retag(image, entries);
                        }
                    }
                } else {
                    retag_images(&mut field.value, entries);
                }
            }
        }
        Value::Seq(items) => items.iter_mut().for_each(|n| retag_images(n, entries)),
        _ => {}
    }
}

fn retag(image: &mut Node, entries: &[Node]) {
    let Some(current) = image.as_str() else {
        return;
    };
    let (name, tag) = split_image(current);
    let Some(entry) = entries
        .iter()
        .find(|e| e.get("name").and_then(Node::as_str) == Some(name))
    else {
        return;
    };
    let field = |k| {
        entry.get(k).and_then(|n| match &n.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            _ => None,
        })
    };
    let new_name = field("newName").unwrap_or_else(|| name.to_string());
    let new_tag = match (field("digest"), field("newTag")) {
        (Some(digest), _) => format!("@{digest}"),
        (None, Some(tag)) => format!(":{tag}"),
        (None, None) => tag.to_string(),
    };
    *image = tree::str_node(entry.span, format!("{new_name}{new_tag}"));
}

/// An image reference as `(name, ":tag" or "@digest" or "")`.
fn split_image(image: &str) -> (&str, &str) {
    if let Some(at) = image.find('@') {
        return (&image[..at], &image[at..]);
    }
    let last_slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[last_slash..].find(':') {
        Some(colon) => image.split_at(last_slash + colon),
        None => (image, ""),
    }
}

pub fn replicas(resources: &mut [Resource], entries: &Node) {
    let Some(entries) = entries.as_seq() else {
        return;
    };
    for entry in entries {
        let (Some(name), Some(count)) =
            (entry.get("name").and_then(Node::as_str), entry.get("count"))
        else {
            continue;
        };
        for r in resources.iter_mut() {
            let scalable = matches!(
                r.kind(),
                "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController"
            );
            if scalable && r.is_named(name) {
                tree::set(
                    tree::map_at(&mut r.node, &["spec"], entry.span),
                    "replicas",
                    count.clone(),
                );
            }
        }
    }
}

/// `vars`: `$(NAME)` in container commands, args and env values becomes
/// the named field (by default `metadata.name`) of the referenced object.
pub fn vars(
    resources: &mut [Resource],
    vars: &[(String, String, Span)],
    budget: &mut usize,
) -> Result<(), String> {
    if vars.is_empty() {
        return Ok(());
    }
    fn substitute(
        node: &mut Node,
        vars: &[(String, String, Span)],
        budget: &mut usize,
    ) -> Result<(), String> {
        match &mut node.value {
            Value::Str(s) if s.contains("$(") => {
                for (name, value, _) in vars {
                    let pattern = format!("$({name})");
                    let uses = s.matches(&pattern).count();
                    if uses == 0 {
                        continue;
                    }
                    *budget = budget
                        .checked_sub(uses * value.len())
                        .ok_or("`vars` expand to more than a kustomization may hold")?;
                    *s = s.replace(&pattern, value);
                }
                Ok(())
            }
            Value::Seq(items) => items
                .iter_mut()
                .try_for_each(|n| substitute(n, vars, budget)),
            Value::Map(entries) => entries
                .iter_mut()
                .try_for_each(|e| substitute(&mut e.value, vars, budget)),
            _ => Ok(()),
        }
    }
    for r in resources.iter_mut() {
        let Some(spec) = tree::pod_spec_mut(&mut r.node) else {
            continue;
        };
        for list in CONTAINER_LISTS {
            for c in tree::items_mut(spec, list) {
                for key in ["command", "args"] {
                    if let Some(n) = tree::get_mut(c, key) {
                        substitute(n, vars, budget)?;
                    }
                }
                for e in tree::items_mut(c, "env") {
                    if let Some(n) = tree::get_mut(e, "value") {
                        substitute(n, vars, budget)?;
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references_split_at_tag_or_digest() {
        assert_eq!(split_image("nginx"), ("nginx", ""));
        assert_eq!(split_image("nginx:1.25"), ("nginx", ":1.25"));
        assert_eq!(split_image("reg:5000/app:v1"), ("reg:5000/app", ":v1"));
        assert_eq!(split_image("app@sha256:abc"), ("app", "@sha256:abc"));
    }
}
