package rules.identical_probes

import data.lib
import rego.v1

metadata := {
	"id": "CP124",
	"name": "identical-probes",
	"title": "Liveness and readiness probes are identical",
	"severity": "warning",
	"tags": ["health"],
	"kinds": ["kubernetes"],
	"why": "Readiness takes a pod out of the Service while it is busy or a dependency is down; liveness restarts it when it is stuck. When both probes are the same, a pod that is only temporarily unready is killed as well, so a slow dependency turns into a restart storm.",
	"fix": "Make the liveness probe check only that the process is alive (a cheap endpoint, a longer `failureThreshold`), and the readiness probe that it can serve.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      livenessProbe:\n        httpGet: {path: /ready, port: 80}\n      readinessProbe:\n        httpGet: {path: /ready, port: 80}", "good": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      livenessProbe:\n        httpGet: {path: /healthz, port: 80}\n      readinessProbe:\n        httpGet: {path: /ready, port: 80}"}],
}

deny contains lib.finding_at(c.at.liveness_probe, c.resource, msg) if {
	some [_, c, node] in lib.pod_containers
	is_object(node.livenessProbe)
	node.livenessProbe == node.readinessProbe
	msg := sprintf("%s has identical liveness and readiness probes, so a pod that is only unready is restarted; make liveness check only that the process is alive", [c.resource])
}
