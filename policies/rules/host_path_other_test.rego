package rules.host_path_other

import data.lib
import rego.v1

mock_pod(paths) := lib.mock_pod_input({"name": "agent"}, {
	"containers": [{"name": "agent", "image": "agent:1.0"}],
	"volumes": [{"name": sprintf("v%d", [i]), "hostPath": {"path": p}} | some i, p in paths],
})

test_other_host_paths_denied if {
	count(deny) == 2 with input as mock_pod(["/var/log", "/srv/data"])
}

test_sensitive_paths_and_sockets_are_other_rules if {
	count(deny) == 0 with input as mock_pod(["/", "/etc", "/var/run/docker.sock", "/run/containerd/containerd.sock"])
}
