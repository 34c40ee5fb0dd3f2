package rules.privileged_container

import rego.v1

mock_container(privileged) := {
	"name": "agent", "resource": "DaemonSet/agent mock_container agent", "privileged": privileged,
	"at": {
		"self": ["spec", "template", "spec", "containers", 0],
		"privileged": ["spec", "template", "spec", "containers", 0, "securityContext", "privileged"],
	},
}

mock_workloads(c) := [{"kind": "DaemonSet", "name": "agent", "resource": "DaemonSet/agent", "containers": [c]}]

test_privileged_denied if {
	some f in deny with input as {"kind": "kubernetes", "workloads": mock_workloads(mock_container(true))}
	f.at == ["spec", "template", "spec", "containers", 0, "securityContext", "privileged"]
	f.resource == "DaemonSet/agent mock_container agent"
}

test_privileged_false_allowed if {
	count(deny) == 0 with input as {"kind": "kubernetes", "workloads": mock_workloads(mock_container(false))}
}

test_privileged_unset_allowed if {
	count(deny) == 0 with input as {"kind": "kubernetes", "workloads": mock_workloads(mock_container(null))}
}

test_compose_privileged_denied if {
	c := {"name": "web", "resource": "service web", "privileged": true, "at": {"self": ["services", "web"], "privileged": ["services", "web", "privileged"]}}
	count(deny) == 1 with input as {"kind": "compose", "workloads": [{"kind": "service", "resource": "service web", "containers": [c]}]}
}

test_container_privileged_denied_with_docker_advice if {
	c := {"name": "web", "resource": "container web (4f1c2a9e8b7d, web:1.4)", "privileged": true, "at": {"self": [0], "privileged": [0, "HostConfig", "Privileged"]}}
	some f in deny with input as {"kind": "container", "workloads": [{"kind": "container", "resource": c.resource, "containers": [c]}]}
	f.at == [0, "HostConfig", "Privileged"]
	contains(f.msg, "without `--privileged`")
}
