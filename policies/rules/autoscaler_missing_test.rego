package rules.autoscaler_missing

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

# A workload document (`ns` null: no `metadata.namespace`).
mock_workload(path, i, kind, name, ns) := mock_doc(
	path, i,
	{
		"apiVersion": "apps/v1", "kind": kind, "metadata": mock_metadata(name, ns),
		"spec": {"template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": name, "image": "registry.example.com/app:1.0"}]}}},
	},
	[{
		"kind": kind, "name": name, "namespace": ns, "resource": sprintf("%s/%s", [kind, name]),
		"labels": {}, "pod_labels": {"app": name}, "replicas": null,
		"at": {"self": [], "spec": ["spec", "template", "spec"]},
	}],
)

# A HorizontalPodAutoscaler (or KEDA ScaledObject) with this scaleTargetRef.
mock_scaler(path, i, kind, ns, ref) := mock_doc(
	path, i,
	{"kind": kind, "metadata": mock_metadata("scaler", ns), "spec": {"scaleTargetRef": ref, "maxReplicas": 5}},
	[],
)

mock_hpa(path, i, ns, ref) := mock_scaler(path, i, "HorizontalPodAutoscaler", ns, ref)

mock_web := mock_workload("k8s/web.yaml", 0, "Deployment", "web", "shop")

# (Bound in a function: regorus leaves rules used in a `with` value undefined
# for the rest of a `some ... in ... with` body.)
mock_findings(docs) := fs if {
	fs := deny with input as mock_input(docs)
}

# Where each finding points: [path, document_index, at].
mock_located(docs) := {[f.path, f.document_index, f.at] | some f in mock_findings(docs)}

test_deployment_without_autoscaler_denied if {
	fs := mock_findings([mock_web])
	count(fs) == 1
	some f in fs
	f.path == "k8s/web.yaml"
	f.document_index == 0
	f.at == ["metadata", "name"]
	contains(f.msg, "Deployment/web has no HorizontalPodAutoscaler")
}

test_statefulset_without_autoscaler_denied if {
	mock_located([mock_workload("k8s/queue.yaml", 0, "StatefulSet", "queue", "shop")]) == {["k8s/queue.yaml", 0, ["metadata", "name"]]}
}

test_other_workload_kinds_not_reported if {
	docs := [
		mock_workload("k8s/all.yaml", 0, "DaemonSet", "agent", "shop"),
		mock_workload("k8s/all.yaml", 1, "Job", "migrate", "shop"),
		mock_workload("k8s/all.yaml", 2, "CronJob", "report", "shop"),
		mock_workload("k8s/all.yaml", 3, "Pod", "debug", "shop"),
		mock_workload("k8s/all.yaml", 4, "ReplicaSet", "old", "shop"),
	]
	count(mock_findings(docs)) == 0
}

test_hpa_targeting_the_deployment_allowed if {
	hpa := mock_hpa("k8s/hpa.yaml", 0, "shop", {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"})
	count(mock_findings([mock_web, hpa])) == 0
}

test_hpa_targeting_the_statefulset_allowed if {
	queue := mock_workload("k8s/queue.yaml", 0, "StatefulSet", "queue", "shop")
	hpa := mock_hpa("k8s/queue.yaml", 1, "shop", {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "queue"})
	count(mock_findings([queue, hpa])) == 0
}

test_hpa_targeting_another_name_denied if {
	hpa := mock_hpa("k8s/hpa.yaml", 0, "shop", {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"})
	mock_located([mock_web, hpa]) == {["k8s/web.yaml", 0, ["metadata", "name"]]}
}

test_hpa_targeting_another_kind_denied if {
	# A StatefulSet named web is not the Deployment web.
	hpa := mock_hpa("k8s/hpa.yaml", 0, "shop", {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web"})
	mock_located([mock_web, hpa]) == {["k8s/web.yaml", 0, ["metadata", "name"]]}
}

test_hpa_in_another_namespace_denied if {
	hpa := mock_hpa("k8s/hpa.yaml", 0, "staging", {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"})
	mock_located([mock_web, hpa]) == {["k8s/web.yaml", 0, ["metadata", "name"]]}
}

test_default_namespace if {
	ref := {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}
	unset := mock_workload("k8s/web.yaml", 0, "Deployment", "web", null)
	explicit := mock_workload("k8s/web.yaml", 0, "Deployment", "web", "default")

	# Unset and explicit `default` are the same namespace, on either side ...
	count(mock_findings([unset, mock_hpa("k8s/hpa.yaml", 0, null, ref)])) == 0
	count(mock_findings([unset, mock_hpa("k8s/hpa.yaml", 0, "default", ref)])) == 0
	count(mock_findings([explicit, mock_hpa("k8s/hpa.yaml", 0, null, ref)])) == 0

	# ... and neither is `shop`.
	count(mock_findings([unset, mock_hpa("k8s/hpa.yaml", 0, "shop", ref)])) == 1
	count(mock_findings([mock_web, mock_hpa("k8s/hpa.yaml", 0, null, ref)])) == 1
}

test_keda_scaled_object_defaults_to_deployment if {
	scaled := mock_scaler("k8s/keda.yaml", 0, "ScaledObject", "shop", {"name": "web"})
	count(mock_findings([mock_web, scaled])) == 0

	# The default kind is Deployment: a StatefulSet needs `kind` written.
	queue := mock_workload("k8s/queue.yaml", 0, "StatefulSet", "queue", "shop")
	count(mock_findings([queue, mock_scaler("k8s/keda.yaml", 0, "ScaledObject", "shop", {"name": "queue"})])) == 1
	count(mock_findings([queue, mock_scaler("k8s/keda.yaml", 0, "ScaledObject", "shop", {"kind": "StatefulSet", "name": "queue"})])) == 0
}

test_other_scalers_do_not_count if {
	ref := {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}
	vpa := mock_scaler("k8s/vpa.yaml", 0, "VerticalPodAutoscaler", "shop", ref)
	count(mock_findings([mock_web, vpa])) == 1
}

test_autoscaler_without_target_does_not_count if {
	broken := mock_doc("k8s/hpa.yaml", 0, {"kind": "HorizontalPodAutoscaler", "metadata": {"name": "web", "namespace": "shop"}, "spec": {"maxReplicas": 5}}, [])
	no_name := mock_hpa("k8s/hpa.yaml", 1, "shop", {"apiVersion": "apps/v1", "kind": "Deployment"})
	mock_located([mock_web, broken, no_name]) == {["k8s/web.yaml", 0, ["metadata", "name"]]}
}

test_one_finding_per_unscaled_workload_across_files if {
	docs := [
		mock_web,
		mock_workload("k8s/web.yaml", 1, "Deployment", "api", "shop"),
		mock_hpa("k8s/scaling.yaml", 0, "shop", {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}),
		mock_hpa("k8s/scaling.yaml", 1, "shop", {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "db"}),
		mock_workload("k8s/db.yaml", 0, "StatefulSet", "db", "shop"),
		mock_workload("k8s/db.yaml", 1, "StatefulSet", "cache", "shop"),
		mock_workload("k8s/other.yaml", 3, "Deployment", "web", "staging"),
	]
	mock_located(docs) == {
		["k8s/web.yaml", 1, ["metadata", "name"]],
		["k8s/db.yaml", 1, ["metadata", "name"]],
		["k8s/other.yaml", 3, ["metadata", "name"]],
	}
}

test_list_item_points_at_the_item if {
	list := mock_doc(
		"k8s/list.yaml", 1,
		{"apiVersion": "v1", "kind": "List", "items": [{"kind": "Deployment", "metadata": {"name": "web"}}]},
		[{"kind": "Deployment", "name": "web", "namespace": null, "resource": "Deployment/web", "pod_labels": {}, "at": {"self": ["items", 0]}}],
	)
	mock_located([list]) == {["k8s/list.yaml", 1, ["items", 0, "metadata", "name"]]}
}

test_compose_documents_ignored if {
	compose := {
		"kind": "compose", "path": "compose.yaml", "document_index": 0,
		"document": {"services": {"web": {"image": "web:1.0"}}},
		"workloads": [{"kind": "service", "name": "web", "namespace": null, "resource": "service web", "pod_labels": {}, "at": {"self": ["services", "web"]}}],
	}
	count(mock_findings([compose])) == 0
}
