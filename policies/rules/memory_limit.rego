package rules.memory_limit

import data.lib
import rego.v1

metadata := {
	"id": "CP301",
	"name": "memory-limit-missing",
	"title": "No memory limit",
	"severity": "warning",
	"tags": ["resource-limits"],
	"kinds": ["compose", "kubernetes", "container"],
	"why": "Without a memory limit a leak or a load spike in one container exhausts the host's memory and the kernel's OOM killer picks victims among every workload on it.",
	"fix": "Kubernetes: `resources.limits.memory: 512Mi`. Compose: `deploy.resources.limits.memory: 512M` (or `mem_limit`).",
	"examples": [{"kind": "kubernetes", "bad": "resources: {}", "good": "resources:\n  limits:\n    memory: 512Mi"}],
}

deny contains lib.finding_first(c, ["limits", "resources"], msg) if {
	input.kind == "kubernetes"
	some c in lib.containers
	c.resources.limits.memory == null
	msg := sprintf("%s has no memory limit; set `resources.limits.memory` (e.g. 512Mi)", [c.resource])
}

deny contains lib.finding_first(c, ["limits", "resources"], msg) if {
	input.kind == "compose"
	some c in lib.containers
	c.resources.limits.memory == null
	not lib.inherits(c, "limits")
	msg := sprintf("%s has no memory limit; set `deploy.resources.limits.memory` (e.g. 512M) or `mem_limit`", [c.resource])
}

deny contains lib.finding(c, "limits_memory", msg) if {
	input.kind == "container"
	some c in lib.containers
	c.resources.limits.memory == null
	msg := sprintf("%s has no memory limit; run it with `--memory` (e.g. 512m)", [c.resource])
}
