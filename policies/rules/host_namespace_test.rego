package rules.host_namespace

import rego.v1

mock_workload(fields) := object.union(
	{
		"kind": "Deployment", "name": "node-agent", "resource": "Deployment/node-agent",
		"host_network": null, "host_pid": null, "host_ipc": null, "containers": [],
		"at": {"self": []},
	},
	fields,
)

test_host_network_denied if {
	w := mock_workload({"host_network": true, "at": {"self": [], "host_network": ["spec", "template", "spec", "hostNetwork"]}})
	some f in deny with input as {"kind": "kubernetes", "workloads": [w]}
	f.at == ["spec", "template", "spec", "hostNetwork"]
	contains(f.msg, "network namespace")
}

test_host_pid_and_ipc_denied if {
	w := mock_workload({"host_pid": true, "host_ipc": true})
	count(deny) == 2 with input as {"kind": "kubernetes", "workloads": [w]}
}

test_host_network_false_allowed if {
	w := mock_workload({"host_network": false})
	count(deny) == 0 with input as {"kind": "kubernetes", "workloads": [w]}
}

test_unset_allowed if {
	count(deny) == 0 with input as {"kind": "kubernetes", "workloads": [mock_workload({})]}
}
