package rules.network_policy_missing

import data.lib
import rego.v1

metadata := {
	"id": "CP901",
	"name": "network-policy-missing",
	"title": "No NetworkPolicy selects the workload's pods",
	"severity": "info",
	"tags": ["network", "privilege", "cross-document"],
	"kinds": ["combined"],
	"why": "Without a NetworkPolicy selecting them, pods accept traffic from every pod in the cluster and can reach anything: one compromised pod can talk to all others.",
	"fix": "Add a NetworkPolicy in the same namespace whose podSelector matches the pods: a default-deny policy (`podSelector: {}`) plus policies allowing only the traffic the workload needs.",
	"examples": [{"kind": "kubernetes", "bad": "kind: Deployment\nmetadata: {name: api, namespace: shop}\n# no NetworkPolicy in namespace shop", "good": "kind: NetworkPolicy\nmetadata: {name: default-deny, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]"}],
}

netpols := lib.k8s_objects("NetworkPolicy")

selected(w, ns) if {
	some [_, np, np_ns, _] in netpols
	np_ns == ns
	lib.selector_matches(object.get(np, ["spec", "podSelector"], {}), w.pod_labels)
}

deny contains lib.document_finding(d, array.concat(w.at.self, ["metadata", "name"]), msg) if {
	some [d, w, ns] in lib.k8s_workloads
	lib.long_running[w.kind]
	not selected(w, ns)
	msg := sprintf("%s: no NetworkPolicy in namespace %q selects its pods, so any pod can reach them; add a default-deny NetworkPolicy and allow only the traffic it needs", [w.resource, ns])
}
