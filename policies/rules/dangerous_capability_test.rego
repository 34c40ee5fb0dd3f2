package rules.dangerous_capability

import rego.v1

mock_input_with(add) := {"kind": "compose", "workloads": [{"kind": "service", "resource": "service vpn", "containers": [{
	"name": "vpn", "resource": "service vpn",
	"capabilities": {"add": add, "drop": []},
	"at": {"self": ["services", "vpn"], "capabilities_add": ["services", "vpn", "cap_add"]},
}]}]}

test_sys_admin_denied if {
	some f in deny with input as mock_input_with(["SYS_ADMIN"])
	f.at == ["services", "vpn", "cap_add", 0]
	f.resource == "service vpn"
	contains(f.msg, "SYS_ADMIN")
}

test_cap_prefix_and_case_normalized if {
	some f in deny with input as mock_input_with(["NET_BIND_SERVICE", "cap_net_admin"])
	f.at == ["services", "vpn", "cap_add", 1]
	contains(f.msg, "NET_ADMIN")
}

test_harmless_capability_allowed if {
	count(deny) == 0 with input as mock_input_with(["NET_BIND_SERVICE", "CHOWN"])
}

test_nothing_added_allowed if {
	count(deny) == 0 with input as mock_input_with([])
}
