package rules.cpu_limit

import data.lib
import rego.v1

metadata := {
	"id": "CP302",
	"name": "cpu-limit-missing",
	"title": "No CPU limit",
	"severity": "warning",
	"tags": ["resource-limits"],
	"kinds": ["compose", "kubernetes", "container"],
	"why": "Without a CPU limit a busy loop in one container starves every other process on the host, including the runtime's own health checks.",
	"fix": "Kubernetes: `resources.limits.cpu: \"1\"`. Compose: `deploy.resources.limits.cpus: \"1.0\"` (or `cpus`).",
	"examples": [{"kind": "compose", "bad": "services:\n  app:\n    image: app:1.0", "good": "services:\n  app:\n    image: app:1.0\n    deploy:\n      resources:\n        limits:\n          cpus: \"1.0\""}],
}

deny contains lib.finding_first(c, ["limits", "resources"], msg) if {
	input.kind == "kubernetes"
	some c in lib.containers
	c.resources.limits.cpu == null
	msg := sprintf("%s has no CPU limit; set `resources.limits.cpu` (e.g. \"1\")", [c.resource])
}

deny contains lib.finding_first(c, ["limits", "resources"], msg) if {
	input.kind == "compose"
	some c in lib.containers
	c.resources.limits.cpu == null
	not lib.inherits(c, "limits")
	msg := sprintf("%s has no CPU limit; set `deploy.resources.limits.cpus` (e.g. \"1.0\") or `cpus`", [c.resource])
}

deny contains lib.finding(c, "limits_cpu", msg) if {
	input.kind == "container"
	some c in lib.containers
	c.resources.limits.cpu == null
	msg := sprintf("%s has no CPU limit; run it with `--cpus` (e.g. 1)", [c.resource])
}
