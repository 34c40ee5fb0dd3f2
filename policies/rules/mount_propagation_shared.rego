package rules.mount_propagation_shared

import data.lib
import rego.v1

metadata := {
	"id": "CP125",
	"name": "mount-propagation-shared",
	"title": "Mount propagates back to the host (shared / Bidirectional)",
	"severity": "warning",
	"tags": ["privilege", "host-path"],
	"kinds": ["compose", "kubernetes"],
	"why": "With `shared`/`rshared` propagation (compose) or `mountPropagation: Bidirectional` (Kubernetes), mounts the container makes under that path appear on the host, in every other container that mounts it, and stay after the container is gone: a compromised container can mount over host directories. Only storage drivers (CSI node plugins) need it; `rslave`/`HostToContainer` is enough for seeing the host's mounts.",
	"fix": "Drop the propagation option (the default is `rprivate`), or use `rslave` (compose) / `HostToContainer` (Kubernetes) when the container only needs to see mounts made on the host.",
	"examples": [
		{"kind": "compose", "bad": "services:\n  agent:\n    image: registry.example.com/agent:1.0\n    volumes:\n      - /mnt/data:/data:rshared", "good": "services:\n  agent:\n    image: registry.example.com/agent:1.0\n    volumes:\n      - /mnt/data:/data:rslave"},
		{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n    - name: agent\n      image: registry.example.com/agent:1.0\n      volumeMounts:\n        - name: data\n          mountPath: /data\n          mountPropagation: Bidirectional\n  volumes:\n    - name: data\n      hostPath:\n        path: /mnt/data", "good": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n    - name: agent\n      image: registry.example.com/agent:1.0\n      volumeMounts:\n        - name: data\n          mountPath: /data\n          mountPropagation: HostToContainer\n  volumes:\n    - name: data\n      hostPath:\n        path: /mnt/data"},
	],
}

shared_modes := {"shared", "rshared"}

# Compose short syntax: `SOURCE:TARGET:ro,rshared`. Variables are cut out
# first, so a `:` inside `${VAR:-default}` does not split.
short_propagation(spec) := mode if {
	parts := split(regex.replace(spec, `\$\{[^}]*\}`, "V"), ":")
	count(parts) >= 3
	some mode in split(parts[2], ",")
	lower(trim_space(mode)) in shared_modes
}

deny contains {"msg": msg, "at": m.at, "resource": c.resource} if {
	input.kind == "compose"
	some c in lib.containers
	some m in c.mounts
	spec := object.get(input.document, m.at, null)
	is_string(spec)
	mode := short_propagation(spec)
	msg := sprintf("%s mounts %s with `%s` propagation, so mounts made in the container reach the host; drop the option or use `rslave`", [c.resource, target(m), mode])
}

deny contains {"msg": msg, "at": array.concat(m.at, ["bind", "propagation"]), "resource": c.resource} if {
	input.kind == "compose"
	some c in lib.containers
	some m in c.mounts
	item := object.get(input.document, m.at, null)
	is_object(item)
	mode := item.bind.propagation
	is_string(mode)
	lower(mode) in shared_modes
	msg := sprintf("%s mounts %s with `%s` propagation, so mounts made in the container reach the host; drop `bind.propagation` or use `rslave`", [c.resource, target(m), mode])
}

deny contains lib.finding_at(array.concat(c.at.self, ["volumeMounts", i, "mountPropagation"]), c.resource, msg) if {
	some [_, c, node] in lib.pod_containers
	some i, vm in lib.array_of(node.volumeMounts)
	is_string(vm.mountPropagation)
	vm.mountPropagation == "Bidirectional"
	msg := sprintf("%s mounts %s with `mountPropagation: Bidirectional`, so mounts made in the container reach the node; use `HostToContainer` or none", [c.resource, mount_path(vm)])
}

target(m) := m.target if is_string(m.target)

else := "a volume"

mount_path(vm) := vm.mountPath if is_string(vm.mountPath)

else := "a volume"
