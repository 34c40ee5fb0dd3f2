# Kubernetes helpers: pod specs and objects as written, for rules about fields
# the workload model does not carry (seccomp, sysctls, RBAC rules...).
package lib

import rego.v1

# [workload, pod spec as written, path of the pod spec] of every Kubernetes
# workload of the document. (Arrays, not sets: set elements are compared with
# each other, and these hold whole workloads.)
pod_specs := [[w, spec, w.at.spec] |
	input.kind == "kubernetes"
	some w in input.workloads
	spec := object.get(input.document, w.at.spec, null)
	is_object(spec)
]

# [workload, container model, container as written] of every Kubernetes
# container (init and ephemeral ones too).
pod_containers := [[w, c, node] |
	input.kind == "kubernetes"
	some w in input.workloads
	some c in w.containers
	node := object.get(input.document, c.at.self, null)
	is_object(node)
]

# The pod spec of a workload as written (`{}` when it cannot be read).
pod_spec(w) := spec if {
	spec := object.get(input.document, w.at.spec, null)
	is_object(spec)
} else := {}

# The annotations of the pods a workload creates: the pod template's
# (`spec.template.metadata.annotations`), or the Pod's own.
pod_annotations(w) := annotations if {
	annotations := object.get(input.document, pod_annotations_at(w), {})
	is_object(annotations)
} else := {}

# The path of those annotations.
pod_annotations_at(w) := array.concat(array.slice(w.at.spec, 0, count(w.at.spec) - 1), ["metadata", "annotations"])

# [object, path of the object] of a kind in this document, also the items of a
# `kind: List`.
objects(kind) := array.concat(
	[[input.document, []] | input.kind == "kubernetes"; input.document.kind == kind],
	[[obj, ["items", i]] |
		input.kind == "kubernetes"
		endswith(object.get(input.document, "kind", ""), "List")
		is_array(input.document.items)
		some i, obj in input.document.items
		obj.kind == kind
	],
)

# `Kind/name` of an object, `Kind/<unnamed>` without a name.
object_resource(obj) := sprintf("%s/%s", [obj.kind, obj.metadata.name]) if {
	is_string(obj.metadata.name)
	obj.metadata.name != ""
} else := sprintf("%s/<unnamed>", [obj.kind])

# The seccomp profile type a container runs with and the path that sets it:
# the container's `seccompProfile`, else the pod's, else the deprecated
# annotations (`container.seccomp.security.alpha.kubernetes.io/<name>`,
# `seccomp.security.alpha.kubernetes.io/pod`) when the target cluster still
# reads them. (CP111, CP112)
seccomp_profile(w, c, node) := [profile, array.concat(c.at.self, ["securityContext", "seccompProfile", "type"])] if {
	profile := node.securityContext.seccompProfile.type
	is_string(profile)
} else := [profile, array.concat(w.at.spec, ["securityContext", "seccompProfile", "type"])] if {
	profile := pod_spec(w).securityContext.seccompProfile.type
	is_string(profile)
} else := [seccomp_annotation_profile(value), array.concat(pod_annotations_at(w), [key])] if {
	seccomp_annotations_read
	key := concat("", ["container.seccomp.security.alpha.kubernetes.io/", c.name])
	value := pod_annotations(w)[key]
	is_string(value)
} else := [seccomp_annotation_profile(value), array.concat(pod_annotations_at(w), [key])] if {
	seccomp_annotations_read
	key := "seccomp.security.alpha.kubernetes.io/pod"
	value := pod_annotations(w)[key]
	is_string(value)
}

# The document mentions the deprecated seccomp annotations at all: computed
# once per document, so containers without a profile skip the lookups.
seccomp_annotated if {
	input.kind == "kubernetes"
	some w in input.workloads
	some key, _ in pod_annotations(w)
	contains(key, "seccomp.security.alpha.kubernetes.io/")
}

# The document has seccomp annotations and the target cluster reads them:
# Kubernetes 1.27 removed them (1.25 kubelets ignored them; the API server
# copied them into the fields until 1.27), so only a
# `parameters.kubernetes_version` (as CP150 reads it; default 1.32) before
# 1.27 counts them.
seccomp_annotations_read if {
	parts := split(trim_prefix(sprintf("%v", [data.parameters.kubernetes_version]), "v"), ".")
	parts[0] == "1"
	trim_left(parts[1], "0123456789") == ""
	to_number(parts[1]) < 27
	seccomp_annotated
}

seccomp_annotation_profile(value) := "Unconfined" if lower(value) == "unconfined"

else := "RuntimeDefault" if lower(value) in {"runtime/default", "docker/default"}

else := "Localhost" if startswith(lower(value), "localhost/")

else := value


# [role, path of the role, index, rule] of every rule of a Role or
# ClusterRole in this document (RBAC rules CP140-CP143).
rbac_rules := [[role, role_at, i, rule] |
	some kind in ["Role", "ClusterRole"]
	some [role, role_at] in objects(kind)
	some i, rule in array_of(role.rules)
	is_object(rule)
]

# The strings of a rule's list field (`verbs`, `resources`, `apiGroups`).
rbac_list(rule, field) := [s | some s in array_of(rule[field]); is_string(s)]

# A rule grants `verb` (or `*`) on `resource` (or `*`) in the core API group.
rbac_grants(rule, verbs, resource) if {
	some v in rbac_list(rule, "verbs")
	v in verbs
	some r in rbac_list(rule, "resources")
	r == resource
	some g in api_groups(rule)
	g in {"", "*"}
}

# [object, path of the object] of every object in this document: the document
# itself, or the items of a `kind: List`.
all_objects := [[input.document, []]] if {
	input.kind == "kubernetes"
	not endswith(object.get(input.document, "kind", ""), "List")
} else := [[obj, ["items", i]] |
	input.kind == "kubernetes"
	is_array(input.document.items)
	some i, obj in input.document.items
	is_object(obj)
]

# A pod that runs on Windows nodes (`spec.os.name`, or a `kubernetes.io/os`
# node selector): Linux-only settings (seccomp, AppArmor, runAsGroup) do not apply.
windows_pod(w) if w.at.spec in windows_specs

# Paths of the pod specs that run on Windows, computed once per document.
windows_specs contains spec_at if {
	some [_, spec, spec_at] in pod_specs
	lower_text(spec.os.name) == "windows"
}

windows_specs contains spec_at if {
	some [_, spec, spec_at] in pod_specs
	lower_text(spec.nodeSelector["kubernetes.io/os"]) == "windows"
}

lower_text(s) := lower(s) if is_string(s)

# A rule's `apiGroups`, the core group when unset.
api_groups(rule) := rbac_list(rule, "apiGroups") if rule.apiGroups != null

else := [""]

# A value that should be a list, or `[]` when it is missing, null or not a list
# (manifests are untrusted: `rules: null` must not stop the evaluation).
array_of(value) := value if is_array(value)

else := []
