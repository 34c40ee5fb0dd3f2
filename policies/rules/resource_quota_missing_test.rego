package rules.resource_quota_missing

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

mock_doc(path, i, document) := {
	"kind": "kubernetes", "path": path, "document_index": i,
	"document": document, "workloads": [],
}

mock_namespace_doc(path, i, name) := mock_doc(path, i, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})

# A ResourceQuota (`ns` null: no `metadata.namespace`).
mock_quota(path, i, ns) := mock_doc(path, i, {
	"apiVersion": "v1", "kind": "ResourceQuota", "metadata": mock_metadata("quota", ns),
	"spec": {"hard": {"requests.cpu": "4", "requests.memory": "8Gi"}},
})

# (Bound in a function: regorus leaves rules used in a `with` value undefined
# for the rest of a `some ... in ... with` body.)
mock_findings(docs) := fs if {
	fs := deny with input as mock_input(docs)
}

# Where each finding points: [path, document_index, at].
mock_located(docs) := {[f.path, f.document_index, f.at] | some f in mock_findings(docs)}

test_namespace_without_quota_denied if {
	fs := mock_findings([mock_namespace_doc("k8s/namespaces.yaml", 0, "shop")])
	count(fs) == 1
	some f in fs
	f.path == "k8s/namespaces.yaml"
	f.document_index == 0
	f.at == ["metadata", "name"]
	contains(f.msg, "Namespace shop has no ResourceQuota")
}

test_quota_in_the_namespace_allowed if {
	count(mock_findings([mock_namespace_doc("k8s/shop.yaml", 0, "shop"), mock_quota("k8s/shop.yaml", 1, "shop")])) == 0
}

test_quota_in_another_file_counts if {
	count(mock_findings([mock_namespace_doc("k8s/namespaces.yaml", 0, "shop"), mock_quota("k8s/quotas/shop.yaml", 0, "shop")])) == 0
}

test_quota_of_another_namespace_denied if {
	docs := [mock_namespace_doc("k8s/shop.yaml", 0, "shop"), mock_quota("k8s/billing.yaml", 0, "billing")]
	mock_located(docs) == {["k8s/shop.yaml", 0, ["metadata", "name"]]}
}

test_quota_without_namespace_is_in_default if {
	# An unset namespace is `default`: it covers a declared `default` ...
	count(mock_findings([mock_namespace_doc("k8s/ns.yaml", 0, "default"), mock_quota("k8s/quota.yaml", 0, null)])) == 0

	# ... and no other namespace.
	count(mock_findings([mock_namespace_doc("k8s/ns.yaml", 0, "shop"), mock_quota("k8s/quota.yaml", 0, null)])) == 1
}

test_namespaces_not_declared_are_not_judged if {
	# Only Namespace objects of the run are reported, not namespaces that
	# objects merely name.
	deployment := {
		"kind": "kubernetes", "path": "k8s/web.yaml", "document_index": 0,
		"document": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}},
		"workloads": [{"kind": "Deployment", "name": "web", "namespace": "shop", "resource": "Deployment/web", "pod_labels": {}, "at": {"self": []}}],
	}
	count(mock_findings([deployment])) == 0
	count(mock_findings([])) == 0
}

test_other_objects_do_not_count if {
	limits := mock_doc("k8s/shop.yaml", 1, {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "limits", "namespace": "shop"}})
	count(mock_findings([mock_namespace_doc("k8s/shop.yaml", 0, "shop"), limits])) == 1
}

test_one_finding_per_namespace_without_quota if {
	docs := [
		mock_namespace_doc("k8s/namespaces.yaml", 0, "shop"),
		mock_namespace_doc("k8s/namespaces.yaml", 1, "billing"),
		mock_namespace_doc("k8s/namespaces.yaml", 2, "search"),
		mock_quota("k8s/quotas.yaml", 0, "billing"),
		mock_quota("k8s/quotas.yaml", 1, "billing"),
		mock_quota("k8s/quotas.yaml", 2, "staging"),
		mock_namespace_doc("k8s/monitoring.yaml", 3, "monitoring"),
	]
	mock_located(docs) == {
		["k8s/namespaces.yaml", 0, ["metadata", "name"]],
		["k8s/namespaces.yaml", 2, ["metadata", "name"]],
		["k8s/monitoring.yaml", 3, ["metadata", "name"]],
	}
	some f in mock_findings(docs)
	f.document_index == 2
	contains(f.msg, "Namespace search")
}

test_namespace_without_name_ignored if {
	count(mock_findings([mock_doc("k8s/ns.yaml", 0, {"apiVersion": "v1", "kind": "Namespace", "metadata": {}})])) == 0
}

test_compose_documents_ignored if {
	# A compose document is not a Namespace, even with a `kind` key.
	compose := {
		"kind": "compose", "path": "compose.yaml", "document_index": 0,
		"document": {"kind": "Namespace", "metadata": {"name": "shop"}, "services": {}},
		"workloads": [],
	}
	count(mock_findings([compose])) == 0
}
