package rules.restart_policy_missing

import data.lib
import rego.v1

metadata := {
	"id": "CP801",
	"name": "restart-policy-missing",
	"title": "Service or container has no restart policy",
	"severity": "info",
	"tags": ["resilience", "hygiene"],
	"kinds": ["compose", "container"],
	"why": "Compose's default is `restart: \"no\"`: a service that crashes, or a host that reboots, leaves it down until someone notices.",
	"fix": "Set `restart: unless-stopped` (or `on-failure`), or `deploy.restart_policy` for swarm.",
	"examples": [{"kind": "compose", "bad": "services:\n  web:\n    image: web:1.0", "good": "services:\n  web:\n    image: web:1.0\n    restart: unless-stopped"}],
}

deny contains lib.finding(w, "restart", msg) if {
	some w in input.workloads
	w.restart == null
	not lib.inherits(w, "restart")
	msg := sprintf("%s has no restart policy and stays down after a crash or reboot; %s", [w.resource, remedy])
}

remedy := "run it with `--restart unless-stopped`" if {
	input.kind == "container"
} else := "set `restart: unless-stopped`"
