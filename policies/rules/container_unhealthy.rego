package rules.container_unhealthy

import data.lib
import rego.v1

metadata := {
	"id": "CP604",
	"name": "container-unhealthy",
	"title": "Running container is unhealthy or not ready",
	"severity": "error",
	"profile": "minimal",
	"tags": ["health", "runtime"],
	"kinds": ["container", "kubernetes"],
	"why": "The healthcheck or readiness probe is the service's own statement that it works. A container Docker marks `unhealthy`, one whose last checks failed, or a Pod container that is not ready serves errors or no traffic at all, whatever its configuration says.",
	"fix": "Read the failing check's output (in the message; `docker inspect --format '{{json .State.Health}}' NAME` shows the whole log) or `kubectl describe pod`, fix the service or its dependencies, and make sure the check probes what the service needs.",
	"examples": [{
		"kind": "container",
		"bad": "\"State\": {\"Status\": \"running\", \"Health\": {\"Status\": \"unhealthy\", \"FailingStreak\": 3}}",
		"good": "\"State\": {\"Status\": \"running\", \"Health\": {\"Status\": \"healthy\", \"FailingStreak\": 0}}",
	}],
}

# Docker marks it unhealthy after `retries` failed checks in a row.
deny contains lib.finding_first(c, ["health_state", "state"], msg) if {
	input.kind == "container"
	some c in lib.containers
	c.state.running
	c.state.health == "unhealthy"
	msg := sprintf("%s is unhealthy: %d health checks in a row failed%s", [c.resource, c.state.failing_streak, last_output(c)])
}

# Still `healthy` or `starting`, but the last checks failed.
deny contains lib.finding_first(c, ["health_state", "state"], msg) if {
	input.kind == "container"
	some c in lib.containers
	c.state.running
	c.state.health in {"healthy", "starting"}
	c.state.failing_streak > 0
	msg := sprintf("%s is %s, but its last %d health checks failed%s", [c.resource, c.state.health, c.state.failing_streak, last_output(c)])
}

last_output(c) := sprintf("; the last failed with exit code %d: %q", [c.state.last_failure.exit_code, c.state.last_failure.output]) if {
	c.state.last_failure.output != ""
} else := sprintf("; the last failed with exit code %d and no output", [c.state.last_failure.exit_code]) if {
	c.state.last_failure != null
} else := ""

# A Pod's container that is not ready (`kubectl get pods -o json`).
deny contains lib.finding(c, "state", msg) if {
	input.kind == "kubernetes"
	some c in lib.containers
	not c.init
	c.state.health == "not-ready"
	msg := sprintf("%s is not ready (%s%s)", [c.resource, pod_reason(c), restarts(c)])
}

pod_reason(c) := c.state.reason if is_string(c.state.reason)

else := c.state.status

restarts(c) := sprintf(", %d restarts", [c.state.restart_count]) if c.state.restart_count > 0

else := ""
