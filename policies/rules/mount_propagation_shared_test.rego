package rules.mount_propagation_shared

import data.lib
import rego.v1

compose_input(volumes) := {
	"kind": "compose",
	"document": {"services": {"agent": {"image": "agent:1.0", "volumes": volumes}}},
	"workloads": [{"kind": "service", "resource": "service agent", "containers": [{
		"resource": "service agent",
		"mounts": [{"type": "bind", "source": "/mnt", "target": "/data", "read_only": false, "at": ["services", "agent", "volumes", i]} | some i, _ in volumes],
	}]}],
}

test_compose_short_syntax_shared_denied if {
	inp := compose_input(["/mnt:/data:ro,rshared", "/srv:/srv:shared"])
	count(deny) == 2 with input as inp
	some f in deny with input as inp
	f.at == ["services", "agent", "volumes", 0]
	contains(f.msg, "`rshared`")
}

test_compose_long_syntax_shared_denied if {
	some f in deny with input as compose_input([{"type": "bind", "source": "/mnt", "target": "/data", "bind": {"propagation": "shared"}}])
	f.at == ["services", "agent", "volumes", 0, "bind", "propagation"]
}

test_compose_slave_and_private_allowed if {
	count(deny) == 0 with input as compose_input(["/:/rootfs:ro,rslave", "${DATA:-/srv/shared}:/data", "./shared:/shared:ro", {"type": "bind", "source": "/mnt", "target": "/mnt", "bind": {"propagation": "rprivate"}}])
}

test_kubernetes_bidirectional_denied if {
	inp := lib.mock_pod_input({"name": "csi"}, {"containers": [{"name": "node", "image": "csi:1.0", "volumeMounts": [
		{"name": "a", "mountPath": "/a", "mountPropagation": "HostToContainer"},
		{"name": "b", "mountPath": "/var/lib/kubelet", "mountPropagation": "Bidirectional"},
	]}]})
	count(deny) == 1 with input as inp
	some f in deny with input as inp
	f.at == ["spec", "containers", 0, "volumeMounts", 1, "mountPropagation"]
}
