package rules.docker_socket

import data.lib
import rego.v1

metadata := {
	"id": "CP107",
	"name": "docker-socket-mounted",
	"title": "Container runtime socket is mounted",
	"severity": "error",
	"profile": "minimal",
	"tags": ["privilege"],
	"kinds": ["compose", "kubernetes", "container"],
	"why": "Whoever can talk to the Docker (or containerd, CRI-O, Podman) socket can start a privileged container that mounts the host's root filesystem: mounting the socket is root on the host, read-only or not.",
	"fix": "Do not mount the runtime socket. For CI builds use rootless BuildKit or Kaniko; for monitoring use an API proxy that allows only the read calls needed.",
	"examples": [{"kind": "compose", "bad": "volumes:\n  - /var/run/docker.sock:/var/run/docker.sock", "good": "volumes:\n  - data:/data"}],
}

deny contains {"msg": msg, "at": m.at, "resource": c.resource} if {
	some w in input.workloads
	some c in w.containers
	some m in c.mounts
	m.type in {"bind", "hostPath"}
	lib.runtime_socket(m.source)
	msg := sprintf("%s mounts the container runtime socket %s, which gives root on the host; remove the mount", [c.resource, m.source])
}
