package rules.autoscaler_missing

import data.lib
import rego.v1

metadata := {
	"id": "CP902",
	"name": "autoscaler-missing",
	"title": "No HorizontalPodAutoscaler targets the workload",
	"severity": "info",
	"tags": ["resilience", "resource-limits", "cross-document"],
	"kinds": ["combined"],
	"why": "A fixed replica count either wastes capacity at night or falls over at peak; an autoscaler adjusts it to load.",
	"fix": "Add a HorizontalPodAutoscaler (or a KEDA ScaledObject) whose `scaleTargetRef` names the workload, with resource requests set so CPU utilization is meaningful.",
	"examples": [{"kind": "kubernetes", "bad": "kind: Deployment\nmetadata: {name: api}", "good": "kind: HorizontalPodAutoscaler\napiVersion: autoscaling/v2\nmetadata: {name: api}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n  minReplicas: 2\n  maxReplicas: 10"}],
}

scalable := {"Deployment", "StatefulSet"}

# [namespace, kind, name] of every scale target in the run (KEDA's
# ScaledObject defaults the target kind to Deployment).
targets contains [ns, kind, ref.name] if {
	some object_kind in ["HorizontalPodAutoscaler", "ScaledObject"]
	some [_, obj, ns, _] in lib.k8s_objects(object_kind)
	ref := obj.spec.scaleTargetRef
	kind := object.get(ref, "kind", "Deployment")
}

deny contains lib.document_finding(d, array.concat(w.at.self, ["metadata", "name"]), msg) if {
	some [d, w, ns] in lib.k8s_workloads
	scalable[w.kind]
	not [ns, w.kind, w.name] in targets
	msg := sprintf("%s has no HorizontalPodAutoscaler; add one targeting it so replicas follow load", [w.resource])
}
