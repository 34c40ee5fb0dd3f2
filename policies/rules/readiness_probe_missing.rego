package rules.readiness_probe_missing

import data.lib
import rego.v1

metadata := {
	"id": "CP603",
	"name": "readiness-probe-missing",
	"title": "No readiness probe",
	"severity": "warning",
	"tags": ["health"],
	"kinds": ["kubernetes"],
	"why": "Without a readiness probe a pod receives traffic as soon as its process starts, before it can serve, and keeps receiving it while it is overloaded or broken; rolling updates cannot tell a bad version from a good one.",
	"fix": "Add `readinessProbe` that checks the service can answer requests (e.g. `httpGet: {path: /ready, port: 8080}`).",
	"examples": [{"kind": "kubernetes", "bad": "containers:\n  - name: app\n    image: app:1.0", "good": "containers:\n  - name: app\n    image: app:1.0\n    readinessProbe:\n      httpGet: {path: /ready, port: 8080}"}],
}

batch := {"Job", "CronJob"}

# A pod that is not restarted (`restartPolicy: Never` or `OnFailure`) runs
# to completion: a bare test or task Pod (e.g. a `helm.sh/hook: test`).
runs_to_completion(w) if w.restart in {"Never", "OnFailure"}

deny contains lib.finding(c, "readiness_probe", msg) if {
	some w in input.workloads
	not batch[w.kind]
	not runs_to_completion(w)
	some c in w.containers
	not c.init
	not c.health.readiness_probe
	msg := sprintf("%s has no readinessProbe; add one so it only receives traffic when it can serve", [c.resource])
}
