package lib

import rego.v1

# A Pod document and the workload model the normalizer makes of it (the
# fields the Kubernetes rules read), for rule tests: `policy inspect FILE`
# prints the full shape.
mock_pod_input(metadata, spec) := {
	"kind": "kubernetes",
	"document": {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec},
	"workloads": [{
		"kind": "Pod", "name": metadata.name, "namespace": null,
		"resource": sprintf("Pod/%s", [metadata.name]),
		"at": {"self": [], "spec": ["spec"]},
		"containers": [mock_container(metadata.name, i, c) | some i, c in object.get(spec, "containers", [])],
	}],
}

# An object of another kind (Service, Role...): no workloads.
mock_object_input(document) := {"kind": "kubernetes", "document": document, "workloads": []}

mock_container(pod, i, c) := {
	"name": c.name,
	"resource": sprintf("Pod/%s container %s", [pod, c.name]),
	"image": mock_image(c.image),
	"ports": [mock_port(i, j, p) | some j, p in object.get(c, "ports", [])],
	"env": [mock_env(i, k, e) | some k, e in object.get(c, "env", [])],
	"at": object.union(
		{"self": ["spec", "containers", i], "image": ["spec", "containers", i, "image"]},
		{field: ["spec", "containers", i, key] |
			some key, field in {"securityContext": "security_context", "livenessProbe": "liveness_probe", "readinessProbe": "readiness_probe"}
			c[key]
		},
	),
}

mock_image(ref) := {"ref": ref, "tag": parts[1], "digest": null, "variable": false} if {
	parts := split(ref, ":")
	count(parts) == 2
} else := {"ref": ref, "tag": null, "digest": null, "variable": false}

mock_port(i, j, p) := {
	"container_port": mock_text(object.get(p, "containerPort", null)),
	"host_port": mock_text(object.get(p, "hostPort", null)),
	"protocol": null,
	"at": ["spec", "containers", i, "ports", j],
}

mock_text(v) := null if v == null

else := sprintf("%v", [v])

mock_env(i, k, e) := {"name": e.name, "value": object.get(e, "value", null), "source": "env", "at": ["spec", "containers", i, "env", k, "value"]}

test_pod_specs_and_containers_read_the_document if {
	input_doc := mock_pod_input({"name": "web"}, {"hostNetwork": true, "containers": [{"name": "web", "image": "nginx:1.27"}]})
	specs := pod_specs with input as input_doc
	some [_, spec, spec_at] in specs
	spec.hostNetwork == true
	spec_at == ["spec"]
	some [_, c, node] in pod_containers with input as input_doc
	c.name == "web"
	node.image == "nginx:1.27"
}

test_pod_annotations_of_a_template if {
	doc := {"kind": "Deployment", "spec": {"template": {"metadata": {"annotations": {"a": "b"}}, "spec": {}}}}
	w := {"at": {"self": [], "spec": ["spec", "template", "spec"]}}
	pod_annotations(w) == {"a": "b"} with input as {"kind": "kubernetes", "document": doc}
	pod_annotations_at(w) == ["spec", "template", "metadata", "annotations"]
}

test_objects_include_list_items if {
	doc := {"kind": "List", "items": [{"kind": "Service", "metadata": {"name": "a"}}, {"kind": "Role"}]}
	objects("Service") == [[doc.items[0], ["items", 0]]] with input as mock_object_input(doc)
	count(all_objects) == 2 with input as mock_object_input(doc)
	object_resource(doc.items[1]) == "Role/<unnamed>"
}

test_seccomp_profile_container_overrides_pod if {
	inp := mock_pod_input({"name": "web"}, {
		"securityContext": {"seccompProfile": {"type": "Unconfined"}},
		"containers": [{"name": "web", "image": "nginx:1.27", "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}}],
	})
	some [w, c, node] in pod_containers with input as inp
	[profile, profile_at] := seccomp_profile(w, c, node) with input as inp
	profile == "RuntimeDefault"
	profile_at == ["spec", "containers", 0, "securityContext", "seccompProfile", "type"]
}

test_windows_pods if {
	inp := mock_pod_input({"name": "iis"}, {"nodeSelector": {"kubernetes.io/os": "windows"}, "containers": []})
	windows_pod(inp.workloads[0]) with input as inp
	linux := mock_pod_input({"name": "web"}, {"os": {"name": "linux"}, "containers": []})
	not windows_pod(linux.workloads[0]) with input as linux
}

test_malformed_rbac_lists_are_empty if {
	doc := {"kind": "Role", "metadata": {"name": "r"}, "rules": null}
	count(rbac_rules) == 0 with input as mock_object_input(doc)
	rbac_list({"verbs": "get"}, "verbs") == []
	api_groups({}) == [""]
	array_of(null) == []
}
