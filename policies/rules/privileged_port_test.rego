package rules.privileged_port

import data.lib
import rego.v1

mock_pod(ports) := lib.mock_pod_input({"name": "web"}, {"containers": [{"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": p} | some p in ports]}]})

test_low_port_denied_at_the_field if {
	count(deny) == 1 with input as mock_pod([80, 8080])
	some f in deny with input as mock_pod([443])
	f.at == ["spec", "containers", 0, "ports", 0, "containerPort"]
}

test_high_and_named_ports_allowed if {
	count(deny) == 0 with input as mock_pod([1024, 8080, "http"])
}

test_missing_port_ignored if {
	inp := lib.mock_pod_input({"name": "web"}, {"containers": [{"name": "web", "image": "nginx:1.27", "ports": [{"name": "http"}]}]})
	count(deny) == 0 with input as inp
}
