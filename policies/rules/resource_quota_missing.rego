package rules.resource_quota_missing

import data.lib
import rego.v1

metadata := {
	"id": "CP904",
	"name": "resource-quota-missing",
	"title": "Namespace has no ResourceQuota",
	"severity": "info",
	"tags": ["resource-limits", "cross-document"],
	"kinds": ["combined"],
	"why": "Without a ResourceQuota a namespace can claim the whole cluster: one runaway deployment or a replica typo starves every other team.",
	"fix": "Add a ResourceQuota in the namespace capping `requests.cpu`, `requests.memory`, `limits.cpu`, `limits.memory` (and object counts if useful).",
	"examples": [{"kind": "kubernetes", "bad": "kind: Namespace\nmetadata: {name: shop}", "good": "kind: ResourceQuota\nmetadata: {name: shop-quota, namespace: shop}\nspec:\n  hard: {requests.cpu: \"10\", requests.memory: 20Gi}"}],
}

quota_namespaces := {ns | some [_, _, ns, _] in lib.k8s_objects("ResourceQuota")}

deny contains lib.document_finding(d, array.concat(at, ["metadata", "name"]), msg) if {
	some [d, obj, _, at] in lib.k8s_objects("Namespace")
	name := obj.metadata.name
	not quota_namespaces[name]
	msg := sprintf("Namespace %s has no ResourceQuota; add one capping CPU and memory requests and limits", [name])
}
