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

compose_input(service) := {"kind": "compose", "document": {"services": {"app": service}}, "workloads": []}

test_compose_userns_and_cgroup_host_denied if {
	inp := compose_input({"image": "app:1.0", "userns_mode": "host", "cgroup": "host"})
	count(deny) == 2 with input as inp
	some f in deny with input as inp
	f.at == ["services", "app", "userns_mode"]
	f.resource == "service app"
	contains(f.msg, "user namespace")
}

test_compose_private_cgroup_allowed if {
	count(deny) == 0 with input as compose_input({"image": "app:1.0", "cgroup": "private", "userns_mode": "keep-id"})
}
