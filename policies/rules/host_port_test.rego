package rules.host_port

import data.lib
import rego.v1

test_host_port_denied_at_the_field if {
	inp := lib.mock_pod_input({"name": "web"}, {"containers": [{"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}, {"containerPort": 443, "hostPort": 443}]}]})
	count(deny) == 1 with input as inp
	some f in deny with input as inp
	f.at == ["spec", "containers", 0, "ports", 1, "hostPort"]
}

test_no_or_zero_host_port_allowed if {
	inp := lib.mock_pod_input({"name": "web"}, {"containers": [{"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80, "hostPort": 0}]}]})
	count(deny) == 0 with input as inp
}
