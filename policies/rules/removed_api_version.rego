package rules.removed_api_version

import data.lib
import rego.v1

metadata := {
	"id": "CP150",
	"name": "removed-api-version",
	"title": "API version is removed in the target Kubernetes version",
	"severity": "error",
	"profile": "minimal",
	"tags": ["hygiene", "deprecated-api"],
	"kinds": ["kubernetes"],
	"why": "The API server refuses objects of an API version it no longer serves: a manifest written for `extensions/v1beta1` or `policy/v1beta1` fails to apply after the cluster upgrade, usually discovered during the upgrade. The target version is `parameters.kubernetes_version` (default \"1.32\"; write it quoted, `\"1.30\"`, since YAML reads 1.30 as 1.3).",
	"fix": "Move the object to the replacement API version named in the message (`kubectl convert` helps; fields may have changed, e.g. Ingress `backend.serviceName` became `backend.service.name`). Set `parameters: {kubernetes_version: \"1.24\"}` in `.policy.yaml` if the cluster is older.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  schedule: \"0 * * * *\"", "good": "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  schedule: \"0 * * * *\""}],
}

default_version := "1.32"

# The target minor version: `1.29` -> 29.
target_minor := minor(data.parameters.kubernetes_version) if {
	minor(data.parameters.kubernetes_version)
} else := minor(default_version)

minor(v) := to_number(parts[1]) if {
	text := trim_prefix(sprintf("%v", [v]), "v")
	parts := split(text, ".")
	count(parts) >= 2
	parts[0] == "1"
	regex.match(`^[0-9]+$`, parts[1])
}

# [apiVersion, kind] -> [removed in 1.x, replacement]. Kind `*`: every kind of
# that version.
removals := {
	["extensions/v1beta1", "Deployment"]: [16, "apps/v1"],
	["extensions/v1beta1", "DaemonSet"]: [16, "apps/v1"],
	["extensions/v1beta1", "ReplicaSet"]: [16, "apps/v1"],
	["extensions/v1beta1", "NetworkPolicy"]: [16, "networking.k8s.io/v1"],
	["extensions/v1beta1", "PodSecurityPolicy"]: [16, "Pod Security Admission (PodSecurityPolicy is gone since 1.25)"],
	["extensions/v1beta1", "Ingress"]: [22, "networking.k8s.io/v1"],
	["apps/v1beta1", "*"]: [16, "apps/v1"],
	["apps/v1beta2", "*"]: [16, "apps/v1"],
	["networking.k8s.io/v1beta1", "*"]: [22, "networking.k8s.io/v1"],
	["rbac.authorization.k8s.io/v1beta1", "*"]: [22, "rbac.authorization.k8s.io/v1"],
	["rbac.authorization.k8s.io/v1alpha1", "*"]: [22, "rbac.authorization.k8s.io/v1"],
	["apiextensions.k8s.io/v1beta1", "*"]: [22, "apiextensions.k8s.io/v1"],
	["admissionregistration.k8s.io/v1beta1", "*"]: [22, "admissionregistration.k8s.io/v1"],
	["apiregistration.k8s.io/v1beta1", "*"]: [22, "apiregistration.k8s.io/v1"],
	["authentication.k8s.io/v1beta1", "*"]: [22, "authentication.k8s.io/v1"],
	["authorization.k8s.io/v1beta1", "*"]: [22, "authorization.k8s.io/v1"],
	["certificates.k8s.io/v1beta1", "*"]: [22, "certificates.k8s.io/v1"],
	["coordination.k8s.io/v1beta1", "*"]: [22, "coordination.k8s.io/v1"],
	["scheduling.k8s.io/v1beta1", "*"]: [22, "scheduling.k8s.io/v1"],
	["scheduling.k8s.io/v1alpha1", "*"]: [22, "scheduling.k8s.io/v1"],
	["storage.k8s.io/v1beta1", "CSIDriver"]: [22, "storage.k8s.io/v1"],
	["storage.k8s.io/v1beta1", "CSINode"]: [22, "storage.k8s.io/v1"],
	["storage.k8s.io/v1beta1", "StorageClass"]: [22, "storage.k8s.io/v1"],
	["storage.k8s.io/v1beta1", "VolumeAttachment"]: [22, "storage.k8s.io/v1"],
	["storage.k8s.io/v1beta1", "CSIStorageCapacity"]: [27, "storage.k8s.io/v1"],
	["batch/v1beta1", "CronJob"]: [25, "batch/v1"],
	["batch/v2alpha1", "CronJob"]: [21, "batch/v1"],
	["discovery.k8s.io/v1beta1", "*"]: [25, "discovery.k8s.io/v1"],
	["events.k8s.io/v1beta1", "*"]: [25, "events.k8s.io/v1"],
	["autoscaling/v2beta1", "*"]: [25, "autoscaling/v2"],
	["autoscaling/v2beta2", "*"]: [26, "autoscaling/v2"],
	["policy/v1beta1", "PodDisruptionBudget"]: [25, "policy/v1"],
	["policy/v1beta1", "PodSecurityPolicy"]: [25, "Pod Security Admission (pod-security.kubernetes.io labels on the namespace)"],
	["node.k8s.io/v1beta1", "*"]: [25, "node.k8s.io/v1"],
	["flowcontrol.apiserver.k8s.io/v1beta1", "*"]: [26, "flowcontrol.apiserver.k8s.io/v1"],
	["flowcontrol.apiserver.k8s.io/v1beta2", "*"]: [29, "flowcontrol.apiserver.k8s.io/v1"],
	["flowcontrol.apiserver.k8s.io/v1beta3", "*"]: [32, "flowcontrol.apiserver.k8s.io/v1"],
}

prerelease(api) if contains(api, "beta")

prerelease(api) if contains(api, "alpha")

removal(api, kind) := r if {
	r := removals[[api, kind]]
} else := r if {
	r := removals[[api, "*"]]
}

deny contains lib.finding_at(array.concat(at, ["apiVersion"]), lib.object_resource(obj), msg) if {
	some [obj, at] in lib.all_objects
	is_string(obj.apiVersion)
	is_string(obj.kind)
	# Every removed version is an alpha or beta: skip the table for the rest.
	prerelease(obj.apiVersion)
	[removed, replacement] := removal(obj.apiVersion, obj.kind)
	removed <= target_minor
	msg := sprintf("%s uses %s, removed in Kubernetes 1.%d (target 1.%d); use %s", [lib.object_resource(obj), obj.apiVersion, removed, target_minor, replacement])
}
