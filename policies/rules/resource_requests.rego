package rules.resource_requests

import data.lib
import rego.v1

metadata := {
	"id": "CP303",
	"name": "resource-requests-missing",
	"title": "No CPU or memory request",
	"severity": "warning",
	"tags": ["resource-limits"],
	"kinds": ["kubernetes"],
	"why": "The scheduler places pods by their requests. Without a request or a limit (a request left out defaults to the limit) a pod is `BestEffort`, first to be evicted, and nodes are over-committed.",
	"fix": "Set `resources.requests.cpu` and `resources.requests.memory` to what the container needs under normal load (or a limit, which the request then defaults to).",
	"examples": [{"kind": "kubernetes", "bad": "resources:\n  limits:\n    memory: 512Mi", "good": "resources:\n  requests:\n    cpu: 100m\n    memory: 256Mi\n  limits:\n    memory: 512Mi"}],
}

# A request left out defaults to the limit, when there is one.
missing(c) := [r |
	some r in ["cpu", "memory"]
	c.resources.requests[r] == null
	c.resources.limits[r] == null
]

deny contains lib.finding_first(c, ["requests", "resources"], msg) if {
	some c in lib.containers
	m := missing(c)
	count(m) > 0
	msg := sprintf("%s has no %s request; set `resources.requests` so the scheduler can place it", [c.resource, concat(" or ", m)])
}
