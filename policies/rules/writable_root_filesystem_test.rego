package rules.writable_root_filesystem

import rego.v1

mock_k8s_input(read_only) := {"kind": "kubernetes", "workloads": [{"kind": "Deployment", "resource": "Deployment/api", "containers": [{
	"name": "api", "resource": "Deployment/api container api", "read_only_root_filesystem": read_only,
	"at": {
		"self": ["spec", "template", "spec", "containers", 0],
		"security_context": ["spec", "template", "spec", "containers", 0, "securityContext"],
	},
}]}]}

mock_compose_input(service, read_only) := {
	"kind": "compose",
	"document": {"services": {"web": service}},
	"workloads": [{"kind": "service", "name": "web", "resource": "service web", "containers": [{
		"name": "web", "resource": "service web", "read_only_root_filesystem": read_only,
		"at": {"self": ["services", "web"]},
	}]}],
}

test_k8s_writable_denied if {
	some f in deny with input as mock_k8s_input(null)
	f.at == ["spec", "template", "spec", "containers", 0, "securityContext"]
}

test_k8s_explicitly_writable_denied if {
	count(deny) == 1 with input as mock_k8s_input(false)
}

test_k8s_read_only_allowed if {
	count(deny) == 0 with input as mock_k8s_input(true)
}

test_compose_writable_denied if {
	some f in deny with input as mock_compose_input({"image": "nginx:1.27"}, null)
	contains(f.msg, "read_only: true")
}

test_compose_read_only_allowed if {
	count(deny) == 0 with input as mock_compose_input({"image": "nginx:1.27", "read_only": true}, true)
}
