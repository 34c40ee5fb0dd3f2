package rules.capabilities_not_dropped

import rego.v1

mock_k8s_input(drop) := {"kind": "kubernetes", "workloads": [{"kind": "Deployment", "resource": "Deployment/api", "containers": [{
	"name": "api", "resource": "Deployment/api container api",
	"capabilities": {"add": [], "drop": drop},
	"at": {"self": ["spec", "template", "spec", "containers", 0]},
}]}]}

mock_compose_input(service, drop) := {
	"kind": "compose",
	"document": {"services": {"web": service}},
	"workloads": [{"kind": "service", "name": "web", "resource": "service web", "containers": [{
		"name": "web", "resource": "service web", "capabilities": {"add": [], "drop": drop},
		"at": {"self": ["services", "web"]},
	}]}],
}

test_k8s_default_capabilities_denied if {
	some f in deny with input as mock_k8s_input([])
	f.at == ["spec", "template", "spec", "containers", 0]
	contains(f.msg, "drop: [\"ALL\"]")
}

test_k8s_dropping_some_denied if {
	count(deny) == 1 with input as mock_k8s_input(["NET_RAW"])
}

test_k8s_drop_all_allowed if {
	count(deny) == 0 with input as mock_k8s_input(["ALL"])
}

test_k8s_drop_all_lowercase_allowed if {
	count(deny) == 0 with input as mock_k8s_input(["all"])
}

test_compose_no_cap_drop_denied if {
	some f in deny with input as mock_compose_input({"image": "nginx:1.27"}, [])
	contains(f.msg, "cap_drop")
}

test_compose_cap_drop_all_allowed if {
	count(deny) == 0 with input as mock_compose_input({"image": "nginx:1.27", "cap_drop": ["ALL"]}, ["ALL"])
}

test_compose_override_fragment_allowed if {
	count(deny) == 0 with input as mock_compose_input({"ports": ["8080:80"]}, [])
}
