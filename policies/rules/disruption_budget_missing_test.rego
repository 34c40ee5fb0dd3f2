package rules.disruption_budget_missing

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

# A workload document (`ns` null: no `metadata.namespace`; `replicas` null: no
# `spec.replicas`) whose pod template carries `labels`.
mock_workload(path, i, kind, name, ns, replicas, labels) := mock_doc(
	path, i,
	{
		"apiVersion": "apps/v1", "kind": kind, "metadata": mock_metadata(name, ns),
		"spec": object.union(
			{"template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": name, "image": "registry.example.com/app:1.0"}]}}},
			{"replicas": replicas | replicas != null},
		),
	},
	[{
		"kind": kind, "name": name, "namespace": ns, "resource": sprintf("%s/%s", [kind, name]),
		"labels": {}, "pod_labels": labels, "replicas": replicas,
		"at": {"self": [], "spec": ["spec", "template", "spec"]},
	}],
)

mock_pdb(path, i, ns, selector) := mock_doc(
	path, i,
	{
		"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": mock_metadata("pdb", ns),
		"spec": {"maxUnavailable": 1, "selector": selector},
	},
	[],
)

mock_web := mock_workload("k8s/web.yaml", 0, "Deployment", "web", "shop", 3, {"app": "web", "tier": "frontend"})

# (Bound in a function: regorus leaves rules used in a `with` value undefined
# for the rest of a `some ... in ... with` body.)
mock_findings(docs) := fs if {
	fs := deny with input as mock_input(docs)
}

# Where each finding points: [path, document_index, at].
mock_located(docs) := {[f.path, f.document_index, f.at] | some f in mock_findings(docs)}

# True when the web Deployment is protected by a budget in its namespace.
mock_protected_by(selector) if {
	count(mock_findings([mock_web, mock_pdb("k8s/pdb.yaml", 0, "shop", selector)])) == 0
}

test_replicated_deployment_without_budget_denied if {
	fs := mock_findings([mock_web])
	count(fs) == 1
	some f in fs
	f.path == "k8s/web.yaml"
	f.document_index == 0
	f.at == ["metadata", "name"]
	contains(f.msg, "Deployment/web runs 3 replicas")
	contains(f.msg, "maxUnavailable: 1")
}

test_replicated_statefulset_without_budget_denied if {
	db := mock_workload("k8s/db.yaml", 0, "StatefulSet", "db", "shop", 2, {"app": "db"})
	fs := mock_findings([db])
	mock_located([db]) == {["k8s/db.yaml", 0, ["metadata", "name"]]}
	some f in fs
	contains(f.msg, "StatefulSet/db runs 2 replicas")
}

test_single_replica_not_reported if {
	# A budget on one replica would block every drain.
	count(mock_findings([mock_workload("k8s/ui.yaml", 0, "Deployment", "ui", "shop", 1, {"app": "ui"})])) == 0
	count(mock_findings([mock_workload("k8s/ui.yaml", 0, "Deployment", "ui", "shop", 0, {"app": "ui"})])) == 0
}

test_replicas_unset_not_reported if {
	# Unset means 1 (or an autoscaler decides).
	count(mock_findings([mock_workload("k8s/ui.yaml", 0, "Deployment", "ui", "shop", null, {"app": "ui"})])) == 0
}

test_other_workload_kinds_not_reported if {
	docs := [
		mock_workload("k8s/all.yaml", 0, "DaemonSet", "agent", "shop", 3, {"app": "agent"}),
		mock_workload("k8s/all.yaml", 1, "ReplicaSet", "old", "shop", 3, {"app": "old"}),
		mock_workload("k8s/all.yaml", 2, "Job", "batch", "shop", 3, {"app": "batch"}),
	]
	count(mock_findings(docs)) == 0
}

test_match_labels_protects if {
	mock_protected_by({"matchLabels": {"app": "web"}})
	mock_protected_by({"matchLabels": {"app": "web", "tier": "frontend"}})
}

test_match_labels_of_other_pods_denied if {
	not mock_protected_by({"matchLabels": {"app": "db"}})
	not mock_protected_by({"matchLabels": {"app": "web", "tier": "backend"}})
}

test_match_expressions if {
	mock_protected_by({"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}]})
	mock_protected_by({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["backend"]}]})
	mock_protected_by({"matchExpressions": [{"key": "tier", "operator": "Exists"}]})
	mock_protected_by({"matchExpressions": [{"key": "canary", "operator": "DoesNotExist"}]})
	not mock_protected_by({"matchExpressions": [{"key": "app", "operator": "In", "values": ["api"]}]})
	not mock_protected_by({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["frontend"]}]})
	not mock_protected_by({"matchExpressions": [{"key": "canary", "operator": "Exists"}]})
	not mock_protected_by({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]})
	not mock_protected_by({
		"matchLabels": {"app": "web"},
		"matchExpressions": [{"key": "tier", "operator": "In", "values": ["backend"]}],
	})
}

test_empty_selector_protects_every_pod if {
	# policy/v1: an empty selector selects every pod of the namespace.
	mock_protected_by({})
}

test_budget_in_another_namespace_does_not_count if {
	pdb := mock_pdb("k8s/pdb.yaml", 0, "billing", {"matchLabels": {"app": "web"}})
	mock_located([mock_web, pdb]) == {["k8s/web.yaml", 0, ["metadata", "name"]]}
}

test_default_namespace if {
	unset := mock_workload("k8s/web.yaml", 0, "Deployment", "web", null, 3, {"app": "web"})
	explicit := mock_workload("k8s/web.yaml", 1, "Deployment", "api", "default", 3, {"app": "web"})
	selector := {"matchLabels": {"app": "web"}}

	# Unset and explicit `default` are the same namespace, on either side ...
	count(mock_findings([unset, explicit, mock_pdb("k8s/pdb.yaml", 0, null, selector)])) == 0
	count(mock_findings([unset, explicit, mock_pdb("k8s/pdb.yaml", 0, "default", selector)])) == 0

	# ... and neither is `shop`.
	count(mock_findings([unset, explicit, mock_pdb("k8s/pdb.yaml", 0, "shop", selector)])) == 2
}

test_one_finding_per_unprotected_workload_across_files if {
	docs := [
		mock_web,
		mock_workload("k8s/web.yaml", 1, "Deployment", "api", "shop", 2, {"app": "api"}),
		mock_pdb("k8s/budgets.yaml", 0, "shop", {"matchLabels": {"app": "web"}}),
		mock_pdb("k8s/budgets.yaml", 1, "shop", {"matchLabels": {"app": "db"}}),
		mock_workload("k8s/db.yaml", 0, "StatefulSet", "db", "shop", 3, {"app": "db"}),
		mock_workload("k8s/db.yaml", 1, "StatefulSet", "cache", "shop", 3, {"app": "cache"}),
		mock_workload("k8s/db.yaml", 2, "StatefulSet", "solo", "shop", 1, {"app": "solo"}),
		mock_workload("k8s/staging.yaml", 4, "Deployment", "web", "staging", 2, {"app": "web"}),
	]
	mock_located(docs) == {
		["k8s/web.yaml", 1, ["metadata", "name"]],
		["k8s/db.yaml", 1, ["metadata", "name"]],
		["k8s/staging.yaml", 4, ["metadata", "name"]],
	}
}

test_list_item_points_at_the_item if {
	list := mock_doc(
		"k8s/list.yaml", 0,
		{"apiVersion": "v1", "kind": "List", "items": [{"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 2}}]},
		[{
			"kind": "Deployment", "name": "web", "namespace": null, "resource": "Deployment/web",
			"pod_labels": {"app": "web"}, "replicas": 2, "at": {"self": ["items", 0]},
		}],
	)
	mock_located([list]) == {["k8s/list.yaml", 0, ["items", 0, "metadata", "name"]]}
}

test_compose_documents_ignored if {
	compose := {
		"kind": "compose", "path": "compose.yaml", "document_index": 0,
		"document": {"services": {"web": {"image": "web:1.0", "deploy": {"replicas": 3}}}},
		"workloads": [{"kind": "service", "name": "web", "namespace": null, "resource": "service web", "pod_labels": {}, "replicas": 3, "at": {"self": ["services", "web"]}}],
	}
	count(mock_findings([compose])) == 0
}

# policy/v1: a budget without `spec.selector` selects no pods; `{}` selects all.
test_budget_without_selector_protects_nothing if {
	no_selector := mock_doc("k8s/pdb.yaml", 0, {
		"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": mock_metadata("pdb", "shop"),
		"spec": {"maxUnavailable": 1},
	}, [])
	count(mock_findings([mock_web, no_selector])) == 1
	mock_protected_by({})
}

test_budget_inside_a_list_protects if {
	list := mock_doc("k8s/all.yaml", 0, {"kind": "List", "metadata": {"namespace": "shop"}, "items": [{
		"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
		"metadata": mock_metadata("pdb", "shop"),
		"spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": "web"}}},
	}]}, [])
	count(mock_findings([mock_web, list])) == 0
}
