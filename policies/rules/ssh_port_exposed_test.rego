package rules.ssh_port_exposed

import rego.v1

mock_input(kind, port, protocol) := {"kind": kind, "workloads": [{"resource": "x", "containers": [{
	"resource": "image app:1.0", "ports": [{"container_port": port, "host_port": null, "protocol": protocol, "at": ["config", "ExposedPorts", "22/tcp"]}],
	"at": {"self": ["config"]},
}]}]}

test_image_port_22_denied if {
	some f in deny with input as mock_input("image", "22", "tcp")
	f.at == ["config", "ExposedPorts", "22/tcp"]
	contains(f.msg, "port 22")
}

test_dockerfile_port_22_without_protocol_denied if {
	count(deny) == 1 with input as mock_input("dockerfile", "22", null)
}

test_udp_22_allowed if {
	count(deny) == 0 with input as mock_input("image", "22", "udp")
}

test_other_port_allowed if {
	count(deny) == 0 with input as mock_input("kubernetes", "2222", null)
}
