package rules.liveness_probe_missing

import data.lib
import rego.v1

metadata := {
	"id": "CP602",
	"name": "liveness-probe-missing",
	"title": "No liveness probe",
	"severity": "warning",
	"tags": ["health"],
	"kinds": ["kubernetes"],
	"why": "Without a liveness probe Kubernetes restarts a container only when its process exits; a deadlocked or hung server keeps its place and serves nothing.",
	"fix": "Add `livenessProbe` (httpGet, tcpSocket, grpc or exec) with sensible `periodSeconds` and `failureThreshold`.",
	"examples": [{"kind": "kubernetes", "bad": "containers:\n  - name: app\n    image: app:1.0", "good": "containers:\n  - name: app\n    image: app:1.0\n    livenessProbe:\n      httpGet: {path: /healthz, port: 8080}"}],
}

# Batch workloads run to completion: probes are not expected.
batch := {"Job", "CronJob"}

# A pod that is not restarted (`restartPolicy: Never` or `OnFailure`) runs
# to completion: a bare test or task Pod (e.g. a `helm.sh/hook: test`).
runs_to_completion(w) if w.restart in {"Never", "OnFailure"}

deny contains lib.finding(c, "liveness_probe", msg) if {
	some w in input.workloads
	not batch[w.kind]
	not runs_to_completion(w)
	some c in w.containers
	not c.init
	not c.health.liveness_probe
	msg := sprintf("%s has no livenessProbe; add one so Kubernetes restarts it when it hangs", [c.resource])
}
