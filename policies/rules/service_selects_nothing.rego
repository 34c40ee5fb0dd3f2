package rules.service_selects_nothing

import data.lib
import rego.v1

metadata := {
	"id": "CP905",
	"name": "service-selects-nothing",
	"title": "Service selector matches no workload",
	"severity": "warning",
	"profile": "minimal",
	"tags": ["correctness", "cross-document"],
	"kinds": ["combined"],
	"why": "A Service whose selector matches no pod has no endpoints: every request to it fails, usually because a label was renamed on one side only.",
	"fix": "Make `spec.selector` of the Service equal to (a subset of) the pod template labels of the workload it fronts.",
	"examples": [{"kind": "kubernetes", "bad": "kind: Service\nspec:\n  selector: {app: web}\n---\nkind: Deployment\nspec:\n  template:\n    metadata:\n      labels: {app: frontend}", "good": "kind: Service\nspec:\n  selector: {app: frontend}"}],
}

# [namespace, key, value] of every pod template label in the run: built in
# one pass, so checking a Service costs a few set lookups. A selector with a
# pair no pod in its namespace has selects nothing. (A selector whose pairs
# all exist, but never on the same pod, is not detected.)
label_pairs := {[ns, k, v] | some [_, w, ns] in lib.k8s_workloads; some k, v in w.pod_labels}

# Only judge namespaces whose workloads the run sees.
namespaces_with_workloads := {ns | some [_, _, ns] in lib.k8s_workloads}

deny contains lib.document_finding(d, array.concat(at, ["spec", "selector", k]), msg) if {
	some [d, svc, ns, at] in lib.k8s_objects("Service")
	namespaces_with_workloads[ns]
	some k, v in object.get(svc, ["spec", "selector"], {})
	not label_pairs[[ns, k, v]]
	msg := sprintf("Service/%s selects %s=%v but no workload in namespace %q has that pod label, so it has no endpoints; fix the selector or the pod labels", [svc.metadata.name, k, v, ns])
}
