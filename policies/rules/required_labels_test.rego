package rules.required_labels

import rego.v1

mock_params := {"required_labels": ["team", "app.kubernetes.io/name"]}

mock_k8s_input(metadata) := {
	"kind": "kubernetes",
	"document": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata},
	"workloads": [{"kind": "Deployment", "name": "api", "resource": "Deployment/api", "at": {"self": []}}],
}

mock_compose_input(service) := {
	"kind": "compose",
	"document": {"services": {"web": service}},
	"workloads": [{"kind": "service", "name": "web", "resource": "service web", "at": {"self": ["services", "web"]}}],
}

# A Dockerfile: `instructions` as [cmd, stage, pairs]; the final stage is the last.
mock_dockerfile_input(stages, instructions) := {
	"kind": "dockerfile",
	"document": {
		"stages": stages,
		"instructions": [{"cmd": i[0], "stage": i[1], "pairs": [{"key": k, "value": "x"} | some k in i[2]]} | some i in instructions],
	},
	"workloads": [{"kind": "image", "name": "image", "resource": "stage 1", "at": {"self": ["instructions", 2]}}],
}

# (Bound in a function: regorus leaves rules used in a `with` value undefined
# for the rest of a `some ... in ... with` body.)
mock_findings(inp, params) := fs if {
	fs := deny with input as inp with data.parameters as params
}

test_k8s_missing_labels_one_finding_each if {
	fs := mock_findings(mock_k8s_input({"name": "api", "labels": {"app": "api"}}), mock_params)
	count(fs) == 2
	some f in fs
	f.at == ["metadata", "labels"]
	f.resource == "Deployment/api"
	contains(f.msg, `no label "team"`)
	contains(f.msg, "`metadata.labels`")
}

test_k8s_all_labels_allowed if {
	labels := {"team": "payments", "app.kubernetes.io/name": "api", "tier": "web"}
	count(mock_findings(mock_k8s_input({"name": "api", "labels": labels}), mock_params)) == 0
}

test_k8s_empty_value_counts if {
	labels := {"team": "", "app.kubernetes.io/name": null}
	count(mock_findings(mock_k8s_input({"name": "api", "labels": labels}), mock_params)) == 0
}

test_k8s_without_labels_points_at_labels_path if {
	# The engine resolves the missing `labels` to `metadata`, the nearest node written.
	fs := mock_findings(mock_k8s_input({"name": "api"}), {"required_labels": ["team"]})
	some f in fs
	f.at == ["metadata", "labels"]
}

test_k8s_list_item if {
	doc := {"kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "a", "labels": {"team": "x"}}}, {"kind": "Pod", "metadata": {"name": "b"}}]}
	inp := {"kind": "kubernetes", "document": doc, "workloads": [
		{"kind": "Pod", "name": "a", "resource": "Pod/a", "at": {"self": ["items", 0]}},
		{"kind": "Pod", "name": "b", "resource": "Pod/b", "at": {"self": ["items", 1]}},
	]}
	fs := mock_findings(inp, {"required_labels": ["team"]})
	count(fs) == 1
	some f in fs
	f.at == ["items", 1, "metadata", "labels"]
	f.resource == "Pod/b"
}

test_compose_map_labels if {
	fs := mock_findings(mock_compose_input({"image": "nginx:1.27", "labels": {"team": "web"}}), mock_params)
	count(fs) == 1
	some f in fs
	f.at == ["services", "web", "labels"]
	contains(f.msg, `service web has no label "app.kubernetes.io/name"`)
}

test_compose_list_labels if {
	service := {"image": "nginx:1.27", "labels": ["team=web", "app.kubernetes.io/name=web"]}
	count(mock_findings(mock_compose_input(service), mock_params)) == 0
}

test_compose_list_label_without_value_counts if {
	service := {"image": "nginx:1.27", "labels": ["team", "app.kubernetes.io/name="]}
	count(mock_findings(mock_compose_input(service), mock_params)) == 0
}

test_compose_without_labels_denied if {
	count(mock_findings(mock_compose_input({"image": "nginx:1.27"}), mock_params)) == 2
}

test_compose_override_fragment_skipped if {
	count(mock_findings(mock_compose_input({"ports": ["8080:80"]}), mock_params)) == 0
}

test_dockerfile_labels_of_final_stage if {
	stages := [{"index": 0, "name": "build", "base": "golang:1.23", "from": 0}, {"index": 1, "name": null, "base": "alpine:3.20", "from": 2}]
	# The builder's labels do not reach the image.
	inp := mock_dockerfile_input(stages, [["from", 0, []], ["label", 0, ["team"]], ["from", 1, []], ["label", 1, ["app.kubernetes.io/name", "x"]]])
	fs := mock_findings(inp, mock_params)
	count(fs) == 1
	some f in fs
	f.at == ["instructions", 2]
	f.resource == "stage 1"
	contains(f.msg, "`LABEL team=<value>`")
}

test_dockerfile_labels_of_parent_stage_count if {
	stages := [{"index": 0, "name": "base", "base": "alpine:3.20", "from": 0}, {"index": 1, "name": null, "base": "base", "from": 2}]
	inp := mock_dockerfile_input(stages, [["from", 0, []], ["label", 0, ["team"]], ["from", 1, []], ["label", 1, ["app.kubernetes.io/name"]]])
	count(mock_findings(inp, mock_params)) == 0
}

test_without_parameter_nothing if {
	inp := mock_k8s_input({"name": "api"})
	count(deny) == 0 with input as inp
	count(mock_findings(inp, {})) == 0
	count(mock_findings(inp, {"allowed_registries": ["docker.io"]})) == 0
	count(mock_findings(inp, {"required_labels": []})) == 0
}

mock_image(labels) := {
	"kind": "image",
	"document": {"config": {"Labels": labels}},
	"workloads": [{"resource": "image app:1.0", "at": {"self": []}, "containers": [{"at": {"self": ["config"]}}]}],
}

test_image_missing_label_denied if {
	some f in deny with input as mock_image({"team": "shop"})
		with data.parameters.required_labels as ["team", "app.kubernetes.io/name"]
	f.at == ["config", "Labels"]
	contains(f.msg, "app.kubernetes.io/name")
}

test_image_with_labels_allowed if {
	count(deny) == 0 with input as mock_image({"team": "shop", "app.kubernetes.io/name": "api"})
		with data.parameters.required_labels as ["team", "app.kubernetes.io/name"]
}
