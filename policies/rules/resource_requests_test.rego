package rules.resource_requests

import rego.v1

mock_k8s_input(requests) := mock_input(requests, {"cpu": null, "memory": null})

mock_input(requests, limits) := {"kind": "kubernetes", "workloads": [{"kind": "Deployment", "resource": "Deployment/api", "containers": [{
	"name": "api", "resource": "Deployment/api container api",
	"resources": {"limits": limits, "requests": requests},
	"at": {
		"self": ["spec", "template", "spec", "containers", 0],
		"resources": ["spec", "template", "spec", "containers", 0, "resources"],
	},
}]}]}

test_no_requests_denied if {
	some f in deny with input as mock_k8s_input({"cpu": null, "memory": null})
	f.at == ["spec", "template", "spec", "containers", 0, "resources"]
	contains(f.msg, "no cpu or memory request")
}

test_missing_cpu_request_denied if {
	some f in deny with input as mock_k8s_input({"cpu": null, "memory": "256Mi"})
	contains(f.msg, "no cpu request")
}

test_requests_allowed if {
	count(deny) == 0 with input as mock_k8s_input({"cpu": "250m", "memory": "256Mi"})
}

test_limits_stand_for_requests if {
	count(deny) == 0 with input as mock_input({"cpu": null, "memory": null}, {"cpu": "1", "memory": "512Mi"})
}

test_a_limit_covers_only_its_own_resource if {
	some f in deny with input as mock_input({"cpu": null, "memory": null}, {"cpu": null, "memory": "512Mi"})
	contains(f.msg, "no cpu request")
}
