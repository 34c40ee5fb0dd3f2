package rules.docker_socket

import rego.v1

metadata := {
	"id": "CP107",
	"name": "docker-socket-mounted",
	"title": "Container runtime socket is mounted",
	"severity": "error",
	"tags": ["privilege"],
	"kinds": ["compose", "kubernetes", "container"],
	"why": "Whoever can talk to the Docker (or containerd, CRI-O, Podman) socket can start a privileged container that mounts the host's root filesystem: mounting the socket is root on the host, read-only or not.",
	"fix": "Do not mount the runtime socket. For CI builds use rootless BuildKit or Kaniko; for monitoring use an API proxy that allows only the read calls needed.",
	"examples": [{"kind": "compose", "bad": "volumes:\n  - /var/run/docker.sock:/var/run/docker.sock", "good": "volumes:\n  - data:/data"}],
}

sockets := {"docker.sock", "containerd.sock", "crio.sock", "podman.sock", "cri-dockerd.sock"}

# `${DOCKER_SOCK:-/var/run/docker.sock}` and `${XDG_RUNTIME_DIR}/docker.sock` too.
is_socket(path) if {
	some s in sockets
	endswith(trim_right(path, "}"), s)
}

# Mounting /var/run or /run whole also exposes the socket.
is_socket(path) if trim_right(trim_right(path, "}"), "/") in {"/var/run", "/run", "/var/run/docker", "/run/containerd"}

deny contains {"msg": msg, "at": m.at, "resource": c.resource} if {
	some w in input.workloads
	some c in w.containers
	some m in c.mounts
	m.type in {"bind", "hostPath"}
	is_socket(m.source)
	msg := sprintf("%s mounts the container runtime socket %s, which gives root on the host; remove the mount", [c.resource, m.source])
}
