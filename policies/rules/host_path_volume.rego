package rules.host_path_volume

import data.lib
import rego.v1

metadata := {
	"id": "CP115",
	"name": "host-path-sensitive",
	"title": "Sensitive host directory is mounted",
	"severity": "error",
	"profile": "minimal",
	"tags": ["privilege", "host-path"],
	"kinds": ["compose", "kubernetes"],
	"why": "A `hostPath` volume of `/`, `/etc`, `/proc`, `/sys`, `/dev`, `/root`, `/boot` or the kubelet's and runtime's state directories hands the container the node's credentials, kernel tunables or devices: writing there, or often just reading, is a host escape. Runtime sockets (`/var/run`, `docker.sock`) are CP107's. In compose the same directories as bind mounts are reported; other bind mounts are not, since sharing a project directory is what compose bind mounts are for.",
	"fix": "Kubernetes: remove the `hostPath` volume; use a ConfigMap, Secret, emptyDir or PersistentVolumeClaim. Compose: bind-mount only the files the service needs (`./config/app.yaml:/etc/app/app.yaml:ro`) or use a named volume. A node agent (node-exporter, cAdvisor) that really needs host files should mount the narrowest subdirectory read-only, with a suppression saying why.",
	"examples": [
		{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n    - name: agent\n      image: registry.example.com/agent:1.0\n  volumes:\n    - name: host\n      hostPath:\n        path: /", "good": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n    - name: agent\n      image: registry.example.com/agent:1.0\n  volumes:\n    - name: cache\n      emptyDir: {}"},
		{"kind": "compose", "bad": "services:\n  agent:\n    image: registry.example.com/agent:1.0\n    volumes:\n      - /etc:/host/etc", "good": "services:\n  agent:\n    image: registry.example.com/agent:1.0\n    volumes:\n      - ./agent.yaml:/etc/agent/agent.yaml:ro"},
	],
}

sensitive_paths := {
	"/", "/etc", "/proc", "/sys", "/dev", "/root", "/boot", "/home",
	"/etc/kubernetes", "/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd", "/var/lib/etcd",
}

# `/etc/`, `/etc/.` and `//etc` name /etc too.
normalized(path) := "/" if trim_right(path, "/.") == ""

else := concat("/", ["", concat("/", [p | some p in split(path, "/"); not p in {"", "."}])])

# [workload, volume index, host path] of every hostPath volume, except
# runtime sockets (CP107).
host_paths := [[w, i, spec_at, path] |
	some [w, spec, spec_at] in lib.pod_specs
	some i, v in lib.array_of(spec.volumes)
	path := v.hostPath.path
	is_string(path)
	not lib.runtime_socket(path)
]

deny contains lib.finding_at(array.concat(spec_at, ["volumes", i, "hostPath", "path"]), w.resource, msg) if {
	some [w, i, spec_at, path] in host_paths
	normalized(path) in sensitive_paths
	msg := sprintf("%s mounts the host's %s (`hostPath`), which exposes the node; remove the volume or mount a narrow, read-only subdirectory", [w.resource, path])
}

# Compose (bind mounts, short or long syntax).
deny contains {"msg": msg, "at": m.at, "resource": c.resource} if {
	input.kind == "compose"
	some c in lib.containers
	some m in c.mounts
	m.type == "bind"
	is_string(m.source)
	startswith(m.source, "/") # `.` and `..` are the project's directories
	not lib.runtime_socket(m.source)
	normalized(m.source) in sensitive_paths
	msg := sprintf("%s bind-mounts the host's %s, which exposes the host; mount only the files it needs, read-only", [c.resource, m.source])
}
