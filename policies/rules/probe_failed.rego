package rules.probe_failed

import rego.v1

# Reported by policy itself when it runs probes (src/runtime/probe.rs);
# this file holds the rule's metadata and documentation.
metadata := {
	"id": "CP610",
	"name": "probe-failed",
	"title": "Probe failed",
	"severity": "error",
	"profile": "minimal",
	"tags": ["health", "runtime", "probe"],
	"kinds": ["probe"],
	"engine": true,
	"why": "A service that does not answer its health endpoint, answers with the wrong status or too slowly, or does not accept connections is down for its users, whatever its configuration says. Probes check from outside what the declared probes and healthchecks claim.",
	"fix": "Look at the failure (connection refused, timeout, status, latency) in the message: start or fix the service, check the port and path, or adjust the probe's expectations (`?status=200-399`, `?max-latency=…`) when they are wrong.",
	"examples": [{
		"kind": "probe",
		"bad": "policy runtime --probe http://127.0.0.1:8080/health   # answers 503",
		"good": "policy runtime --probe 'http://127.0.0.1:8080/health?status=200&max-latency=500ms'   # answers 200 in 12 ms",
	}],
}
