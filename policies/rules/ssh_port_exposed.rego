package rules.ssh_port_exposed

import data.lib
import rego.v1

metadata := {
	"id": "CP110",
	"name": "ssh-port-exposed",
	"title": "SSH port 22 is exposed",
	"severity": "warning",
	"tags": ["network", "privilege"],
	"kinds": ["dockerfile", "compose", "kubernetes", "image"],
	"why": "A container that exposes port 22 usually runs an SSH server: one more service to patch, credentials or keys baked into the image, and a way in that bypasses the orchestrator's logs and access control. `docker exec` and `kubectl exec` already give operators a shell.",
	"fix": "Remove the SSH server and `EXPOSE 22` (or the published port / `containerPort: 22`); use `docker exec` or `kubectl exec` (or an ephemeral debug container) to get a shell.",
	"examples": [
		{"kind": "dockerfile", "bad": "FROM debian:12-slim\nRUN apt-get update && apt-get install -y openssh-server\nEXPOSE 22", "good": "FROM debian:12-slim\nEXPOSE 8080"},
		{"kind": "kubernetes", "bad": "ports:\n  - containerPort: 22", "good": "ports:\n  - containerPort: 8080"},
	],
}

deny contains {"msg": msg, "at": p.at, "resource": c.resource} if {
	some c in lib.containers
	some p in c.ports
	p.container_port == "22"
	tcp(p)
	msg := sprintf("%s exposes port 22 (SSH); remove the SSH server and use `docker exec` / `kubectl exec` for a shell", [c.resource])
}

tcp(p) if not is_string(p.protocol)

tcp(p) if {
	is_string(p.protocol)
	lower(p.protocol) == "tcp"
}
