package rules.service_selects_nothing

import rego.v1

# The combined input (`policy check --combine`): every Kubernetes and compose
# document of the run, and namespace -> indexes of its Kubernetes documents,
# as src/check.rs builds them. Documents are trimmed to what the rule reads;
# `policy inspect FILE` prints the full shape.
mock_input(docs) := {"documents": docs, "namespaces": {ns: mock_indexes(docs, ns) |
	some d in docs
	d.kind == "kubernetes"
	ns := mock_namespace(d)
}}

mock_indexes(docs, ns) := [i | some i, d in docs; d.kind == "kubernetes"; mock_namespace(d) == ns]

mock_namespace(d) := d.document.metadata.namespace if is_string(d.document.metadata.namespace)

else := "default"

mock_metadata(name, ns) := {"name": name} if ns == null

else := {"name": name, "namespace": ns}

mock_doc(path, i, document, workloads) := {
	"kind": "kubernetes", "path": path, "document_index": i,
	"document": document, "workloads": workloads,
}

# A workload document (`ns` null: no `metadata.namespace`) whose pod template
# carries `labels`; its own `metadata.labels` are `{"app": name}`.
mock_workload(path, i, kind, name, ns, labels) := mock_doc(
	path, i,
	{
		"apiVersion": "apps/v1", "kind": kind, "metadata": object.union(mock_metadata(name, ns), {"labels": {"app": name}}),
		"spec": {"template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": name, "image": "registry.example.com/app:1.0"}]}}},
	},
	[{
		"kind": kind, "name": name, "namespace": ns, "resource": sprintf("%s/%s", [kind, name]),
		"labels": {"app": name}, "pod_labels": labels, "replicas": null,
		"at": {"self": [], "spec": ["spec", "template", "spec"]},
	}],
)

# A Service (`selector` null: no `spec.selector`).
mock_service(path, i, name, ns, selector) := mock_doc(
	path, i,
	{
		"apiVersion": "v1", "kind": "Service", "metadata": mock_metadata(name, ns),
		"spec": object.union({"ports": [{"port": 80}]}, {"selector": selector | selector != null}),
	},
	[],
)

mock_web := mock_workload("k8s/web.yaml", 1, "Deployment", "web", "shop", {"app": "web", "version": "v2"})

# (Bound in a function: regorus leaves rules used in a `with` value undefined
# for the rest of a `some ... in ... with` body.)
mock_findings(docs) := fs if {
	fs := deny with input as mock_input(docs)
}

# Where each finding points: [path, document_index, at].
mock_located(docs) := {[f.path, f.document_index, f.at] | some f in mock_findings(docs)}

# True when a Service of namespace shop with this selector reaches the web pods.
mock_selects(selector) if {
	count(mock_findings([mock_service("k8s/web.yaml", 0, "web", "shop", selector), mock_web])) == 0
}

test_selector_matching_no_pod_denied if {
	docs := [mock_service("k8s/web.yaml", 0, "web", "shop", {"app": "frontend"}), mock_web]
	fs := mock_findings(docs)
	count(fs) == 1
	some f in fs
	f.path == "k8s/web.yaml"
	f.document_index == 0
	f.at == ["spec", "selector", "app"]
	contains(f.msg, "Service/web selects app=frontend")
	contains(f.msg, `namespace "shop"`)
}

test_selector_matching_pod_labels_allowed if {
	mock_selects({"app": "web"})
	mock_selects({"app": "web", "version": "v2"})
}

test_each_unmatched_pair_reported if {
	docs := [mock_service("k8s/svc.yaml", 0, "web", "shop", {"app": "web", "version": "v3", "tier": "front"}), mock_web]
	mock_located(docs) == {
		["k8s/svc.yaml", 0, ["spec", "selector", "version"]],
		["k8s/svc.yaml", 0, ["spec", "selector", "tier"]],
	}
}

test_workload_labels_are_not_pod_labels if {
	# The Deployment's own metadata.labels do not label its pods.
	web := mock_workload("k8s/web.yaml", 1, "Deployment", "web", "shop", {"app": "frontend"})
	mock_located([mock_service("k8s/web.yaml", 0, "web", "shop", {"app": "web"}), web]) == {["k8s/web.yaml", 0, ["spec", "selector", "app"]]}
}

test_no_selector_not_reported if {
	# Without a selector the endpoints are managed by hand.
	mock_selects(null)
	mock_selects({})
}

test_pod_labels_of_any_workload_kind_count if {
	pod := mock_doc(
		"k8s/pod.yaml", 0,
		{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "debug", "namespace": "shop", "labels": {"app": "debug"}}},
		[{"kind": "Pod", "name": "debug", "namespace": "shop", "resource": "Pod/debug", "pod_labels": {"app": "debug"}, "at": {"self": []}}],
	)
	docs := [
		mock_service("k8s/svc.yaml", 0, "debug", "shop", {"app": "debug"}),
		mock_service("k8s/svc.yaml", 1, "migrate", "shop", {"app": "migrate"}),
		mock_service("k8s/svc.yaml", 2, "agent", "shop", {"app": "agent"}),
		pod,
		mock_workload("k8s/jobs.yaml", 0, "Job", "migrate", "shop", {"app": "migrate"}),
		mock_workload("k8s/agent.yaml", 0, "DaemonSet", "agent", "shop", {"app": "agent"}),
	]
	count(mock_findings(docs)) == 0
}

test_pod_labels_of_another_namespace_do_not_count if {
	billing := mock_workload("k8s/billing.yaml", 0, "Deployment", "web", "billing", {"app": "frontend"})
	docs := [mock_service("k8s/svc.yaml", 0, "web", "shop", {"app": "frontend"}), mock_web, billing]
	mock_located(docs) == {["k8s/svc.yaml", 0, ["spec", "selector", "app"]]}
}

test_namespace_without_workloads_not_judged if {
	# No workload of `edge` is in the run: its pods may be deployed elsewhere.
	count(mock_findings([mock_service("k8s/edge.yaml", 0, "proxy", "edge", {"app": "proxy"}), mock_web])) == 0
	count(mock_findings([mock_service("k8s/edge.yaml", 0, "proxy", "edge", {"app": "proxy"})])) == 0
}

test_default_namespace if {
	unset := mock_workload("k8s/web.yaml", 1, "Deployment", "web", null, {"app": "web"})
	explicit := mock_workload("k8s/web.yaml", 1, "Deployment", "web", "default", {"app": "web"})

	# Unset and explicit `default` are the same namespace, on either side ...
	count(mock_findings([mock_service("k8s/web.yaml", 0, "web", null, {"app": "web"}), unset])) == 0
	count(mock_findings([mock_service("k8s/web.yaml", 0, "web", "default", {"app": "web"}), unset])) == 0
	count(mock_findings([mock_service("k8s/web.yaml", 0, "web", null, {"app": "web"}), explicit])) == 0

	# ... and a Service without namespace does not see the pods of `shop`.
	db := mock_workload("k8s/db.yaml", 0, "StatefulSet", "db", null, {"app": "db"})
	fs := mock_findings([mock_service("k8s/web.yaml", 0, "web", null, {"app": "web"}), mock_web, db])
	count(fs) == 1
	some f in fs
	contains(f.msg, `namespace "default"`)
}

test_pairs_on_different_pods_not_detected if {
	# A documented limit: each pair exists on some pod of the namespace, so
	# the selector is not reported although no single pod has both.
	docs := [
		mock_service("k8s/svc.yaml", 0, "web", "shop", {"app": "web", "tier": "backend"}),
		mock_web,
		mock_workload("k8s/db.yaml", 0, "StatefulSet", "db", "shop", {"app": "db", "tier": "backend"}),
	]
	count(mock_findings(docs)) == 0
}

test_findings_point_at_their_services_across_files if {
	docs := [
		mock_service("k8s/web.yaml", 0, "web", "shop", {"app": "web"}),
		mock_web,
		mock_service("k8s/services.yaml", 0, "api", "shop", {"app": "api"}),
		mock_service("k8s/services.yaml", 1, "db", "shop", {"app": "db"}),
		mock_service("k8s/services.yaml", 2, "cache", "shop", {"app": "cache"}),
		mock_workload("k8s/db.yaml", 0, "StatefulSet", "db", "shop", {"app": "db"}),
	]
	mock_located(docs) == {
		["k8s/services.yaml", 0, ["spec", "selector", "app"]],
		["k8s/services.yaml", 2, ["spec", "selector", "app"]],
	}
}

test_compose_documents_ignored if {
	compose := {
		"kind": "compose", "path": "compose.yaml", "document_index": 0,
		"document": {"kind": "Service", "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}}, "services": {}},
		"workloads": [{"kind": "service", "name": "web", "namespace": null, "resource": "service web", "pod_labels": {"app": "web"}, "at": {"self": ["services", "web"]}}],
	}

	# Neither judged as a Service nor counted as pods.
	count(mock_findings([compose, mock_workload("k8s/db.yaml", 0, "StatefulSet", "db", null, {"app": "db"})])) == 0
	count(mock_findings([compose, mock_service("k8s/web.yaml", 0, "web", null, {"app": "web"}), mock_workload("k8s/db.yaml", 0, "StatefulSet", "db", null, {"app": "db"})])) == 1
}
