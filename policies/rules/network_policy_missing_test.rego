package rules.network_policy_missing

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
# carries `labels`.
mock_workload(path, i, kind, name, ns, labels) := mock_doc(
	path, i,
	{
		"apiVersion": "apps/v1", "kind": kind, "metadata": mock_metadata(name, ns),
		"spec": {"template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": name, "image": "registry.example.com/app:1.0"}]}}},
	},
	[{
		"kind": kind, "name": name, "namespace": ns, "resource": sprintf("%s/%s", [kind, name]),
		"labels": {}, "pod_labels": labels, "replicas": null,
		"at": {"self": [], "spec": ["spec", "template", "spec"]},
	}],
)

mock_netpol(path, i, ns, pod_selector) := mock_doc(
	path, i,
	{
		"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": mock_metadata("np", ns),
		"spec": {"podSelector": pod_selector, "policyTypes": ["Ingress"]},
	},
	[],
)

mock_web := mock_workload("k8s/web.yaml", 0, "Deployment", "web", "shop", {"app": "web", "tier": "frontend"})

# (Bound in a function: regorus leaves rules used in a `with` value undefined
# for the rest of a `some ... in ... with` body.)
mock_findings(docs) := fs if {
	fs := deny with input as mock_input(docs)
}

# Where each finding points: [path, document_index, at].
mock_located(docs) := {[f.path, f.document_index, f.at] | some f in mock_findings(docs)}

# True when the web Deployment is selected by a policy in its namespace.
mock_selected_by(pod_selector) if {
	count(mock_findings([mock_web, mock_netpol("k8s/np.yaml", 0, "shop", pod_selector)])) == 0
}

test_deployment_without_network_policy_denied if {
	fs := mock_findings([mock_web])
	count(fs) == 1
	some f in fs
	f.path == "k8s/web.yaml"
	f.document_index == 0
	f.at == ["metadata", "name"]
	contains(f.msg, "Deployment/web")
	contains(f.msg, `namespace "shop"`)
	contains(f.msg, "default-deny")
}

test_statefulset_and_daemonset_denied if {
	docs := [
		mock_workload("k8s/cache.yaml", 0, "StatefulSet", "cache", "shop", {"app": "cache"}),
		mock_workload("k8s/agent.yaml", 0, "DaemonSet", "agent", "shop", {"app": "agent"}),
	]
	mock_located(docs) == {
		["k8s/cache.yaml", 0, ["metadata", "name"]],
		["k8s/agent.yaml", 0, ["metadata", "name"]],
	}
}

test_short_lived_workloads_not_reported if {
	docs := [
		mock_workload("k8s/jobs.yaml", 0, "Job", "migrate", "shop", {"app": "migrate"}),
		mock_workload("k8s/jobs.yaml", 1, "CronJob", "report", "shop", {"app": "report"}),
		mock_workload("k8s/jobs.yaml", 2, "Pod", "debug", "shop", {"app": "debug"}),
		mock_workload("k8s/jobs.yaml", 3, "ReplicaSet", "old", "shop", {"app": "old"}),
	]
	count(mock_findings(docs)) == 0
}

test_empty_pod_selector_selects_every_pod if {
	mock_selected_by({})
}

test_missing_pod_selector_selects_every_pod if {
	# networking/v1 defaults an absent podSelector to {}: every pod.
	np := mock_doc("k8s/np.yaml", 0, {"kind": "NetworkPolicy", "metadata": {"name": "np", "namespace": "shop"}, "spec": {}}, [])
	count(mock_findings([mock_web, np])) == 0
}

test_match_labels_selects if {
	mock_selected_by({"matchLabels": {"app": "web"}})
	mock_selected_by({"matchLabels": {"app": "web", "tier": "frontend"}})
}

test_match_labels_of_other_pods_denied if {
	not mock_selected_by({"matchLabels": {"app": "db"}})
	not mock_selected_by({"matchLabels": {"app": "web", "tier": "backend"}})
	not mock_selected_by({"matchLabels": {"app": "web", "team": "shop"}})
}

test_match_expressions_select if {
	mock_selected_by({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["backend", "frontend"]}]})
	mock_selected_by({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["backend"]}]})
	mock_selected_by({"matchExpressions": [{"key": "team", "operator": "NotIn", "values": ["shop"]}]})
	mock_selected_by({"matchExpressions": [{"key": "app", "operator": "Exists"}]})
	mock_selected_by({"matchExpressions": [{"key": "legacy", "operator": "DoesNotExist"}]})
}

test_match_expressions_of_other_pods_denied if {
	not mock_selected_by({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["backend"]}]})
	not mock_selected_by({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["frontend"]}]})
	not mock_selected_by({"matchExpressions": [{"key": "team", "operator": "Exists"}]})
	not mock_selected_by({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]})
}

test_match_labels_and_expressions_must_both_match if {
	mock_selected_by({
		"matchLabels": {"app": "web"},
		"matchExpressions": [{"key": "tier", "operator": "In", "values": ["frontend"]}],
	})
	not mock_selected_by({
		"matchLabels": {"app": "web"},
		"matchExpressions": [{"key": "tier", "operator": "In", "values": ["backend"]}],
	})
	not mock_selected_by({
		"matchLabels": {"app": "db"},
		"matchExpressions": [{"key": "tier", "operator": "In", "values": ["frontend"]}],
	})
}

test_policy_in_another_namespace_does_not_count if {
	fs := mock_findings([mock_web, mock_netpol("k8s/np.yaml", 0, "billing", {})])
	count(fs) == 1
	some f in fs
	f.path == "k8s/web.yaml"
	contains(f.msg, `namespace "shop"`)
}

test_default_namespace if {
	web := mock_workload("k8s/web.yaml", 0, "Deployment", "web", null, {"app": "web"})
	explicit := mock_workload("k8s/web.yaml", 1, "Deployment", "api", "default", {"app": "api"})

	# Unset and explicit `default` are the same namespace, on either side.
	count(mock_findings([web, explicit, mock_netpol("k8s/np.yaml", 0, null, {})])) == 0
	count(mock_findings([web, explicit, mock_netpol("k8s/np.yaml", 0, "default", {})])) == 0
}

test_unset_namespace_is_not_another_namespace if {
	web := mock_workload("k8s/web.yaml", 0, "Deployment", "web", null, {"app": "web"})
	fs := mock_findings([web, mock_netpol("k8s/np.yaml", 0, "shop", {})])
	count(fs) == 1
	some f in fs
	contains(f.msg, `namespace "default"`)

	# ... and a policy without namespace does not select pods of `shop`.
	count(mock_findings([mock_web, mock_netpol("k8s/np.yaml", 0, null, {})])) == 1
}

test_one_finding_per_unselected_workload_across_files if {
	docs := [
		mock_web,
		mock_workload("k8s/web.yaml", 1, "Deployment", "api", "shop", {"app": "api"}),
		mock_netpol("k8s/policies.yaml", 0, "shop", {"matchLabels": {"app": "web"}}),
		mock_netpol("k8s/policies.yaml", 1, "shop", {"matchLabels": {"app": "db"}}),
		mock_workload("k8s/db.yaml", 0, "StatefulSet", "db", "shop", {"app": "db"}),
		mock_workload("k8s/db.yaml", 1, "StatefulSet", "cache", "shop", {"app": "cache"}),
		mock_workload("k8s/agent.yaml", 0, "DaemonSet", "agent", "monitoring", {"app": "db"}),
	]
	mock_located(docs) == {
		["k8s/web.yaml", 1, ["metadata", "name"]],
		["k8s/db.yaml", 1, ["metadata", "name"]],
		["k8s/agent.yaml", 0, ["metadata", "name"]],
	}
}

test_list_item_points_at_the_item if {
	# A workload inside a `kind: List` has its path under `items`.
	list := mock_doc(
		"k8s/list.yaml", 2,
		{"apiVersion": "v1", "kind": "List", "items": [{}, {"kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}}]},
		[{
			"kind": "Deployment", "name": "web", "namespace": "shop", "resource": "Deployment/web",
			"pod_labels": {"app": "web"}, "at": {"self": ["items", 1]},
		}],
	)
	mock_located([list]) == {["k8s/list.yaml", 2, ["items", 1, "metadata", "name"]]}
	count(mock_findings([list, mock_netpol("k8s/np.yaml", 0, "shop", {})])) == 0
}

test_compose_documents_ignored if {
	compose := {
		"kind": "compose", "path": "compose.yaml", "document_index": 0,
		"document": {"services": {"web": {"image": "web:1.0"}}},
		"workloads": [{"kind": "service", "name": "web", "namespace": null, "resource": "service web", "pod_labels": {}, "at": {"self": ["services", "web"]}}],
	}
	count(mock_findings([compose])) == 0
}

test_no_documents_no_findings if {
	count(mock_findings([])) == 0
}
