package rules.pids_limit_missing

import data.lib
import rego.v1

metadata := {
	"id": "CP304",
	"name": "pids-limit-missing",
	"title": "No limit on the number of processes",
	"severity": "info",
	"tags": ["resource-limits"],
	"kinds": ["compose"],
	"default_enabled": false,
	"why": "Without `pids_limit` a fork bomb or a thread leak in one service can exhaust the host's process table and take down every other container and the daemon. Opt-in: most projects rely on the memory limit (CP301) to contain runaway processes, and a good limit depends on the workload.",
	"fix": "Set `pids_limit: 200` on the service (or `deploy.resources.limits.pids`), with room for the most threads and processes it really runs.",
	"examples": [{"kind": "compose", "bad": "services:\n  app:\n    image: app:1.0", "good": "services:\n  app:\n    image: app:1.0\n    pids_limit: 200"}],
}

# `pids_limit` (service) or `deploy.resources.limits.pids`, as written.
pids_limit(svc) := svc.pids_limit

pids_limit(svc) := svc.deploy.resources.limits.pids

# A positive number (also written as a string); -1 and 0 mean unlimited.
limited(value) if to_number(value) > 0

deny contains lib.finding_at(at, sprintf("service %s", [name]), msg) if {
	some [name, svc, at] in lib.compose_services
	not lib.compose_partial({"name": name})
	not any_limit(svc)
	msg := sprintf("service %s has no process limit (`pids_limit`), so it may start processes until the host runs out; set `pids_limit` (e.g. 200)", [name])
}

any_limit(svc) if {
	some value in [pids_limit(svc)]
	is_number(value)
	limited(value)
}

any_limit(svc) if {
	some value in [pids_limit(svc)]
	is_string(value)
	regex.match(`^\s*[0-9]+\s*$`, value)
	limited(value)
}
