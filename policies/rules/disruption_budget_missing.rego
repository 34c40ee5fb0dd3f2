package rules.disruption_budget_missing

import data.lib
import rego.v1

metadata := {
	"id": "CP903",
	"name": "disruption-budget-missing",
	"title": "Replicated workload has no PodDisruptionBudget",
	"severity": "info",
	"tags": ["resilience", "cross-document"],
	"kinds": ["combined"],
	"why": "Node drains and cluster upgrades evict pods freely unless a PodDisruptionBudget says how many must stay up: all replicas of a service can go down at once.",
	"fix": "Add a PodDisruptionBudget in the same namespace whose selector matches the pods, e.g. `maxUnavailable: 1`.",
	"examples": [{"kind": "kubernetes", "bad": "kind: Deployment\nspec:\n  replicas: 3", "good": "kind: PodDisruptionBudget\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {app: api}"}],
}

pdbs := lib.k8s_objects("PodDisruptionBudget")

protected(w, ns) if {
	some [_, pdb, pdb_ns, _] in pdbs
	pdb_ns == ns
	# policy/v1: a missing selector selects no pods; an empty one selects all.
	lib.selector_matches(pdb.spec.selector, w.pod_labels)
}

deny contains lib.document_finding(d, array.concat(w.at.self, ["metadata", "name"]), msg) if {
	some [d, w, ns] in lib.k8s_workloads
	w.kind in {"Deployment", "StatefulSet"}
	w.replicas > 1
	not protected(w, ns)
	msg := sprintf("%s runs %d replicas but no PodDisruptionBudget protects them; add one (e.g. maxUnavailable: 1) selecting its pods", [w.resource, w.replicas])
}
