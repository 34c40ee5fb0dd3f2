package rules.memory_limit

import rego.v1

mock_k8s_input(limits, at) := {"kind": "kubernetes", "workloads": [{"kind": "Deployment", "resource": "Deployment/api", "containers": [{
	"name": "api", "resource": "Deployment/api container api",
	"resources": {"limits": limits, "requests": {"cpu": "100m", "memory": "128Mi"}},
	"at": object.union({"self": ["spec", "template", "spec", "containers", 0]}, at),
}]}]}

mock_compose_input(service, limits) := {
	"kind": "compose",
	"document": {"services": {"web": service}},
	"workloads": [{"kind": "service", "name": "web", "resource": "service web", "containers": [{
		"name": "web", "resource": "service web",
		"resources": {"limits": limits, "requests": {"cpu": null, "memory": null}},
		"at": {"self": ["services", "web"]},
	}]}],
}

test_k8s_missing_limit_denied if {
	at := {"resources": ["spec", "template", "spec", "containers", 0, "resources"]}
	some f in deny with input as mock_k8s_input({"cpu": "500m", "memory": null}, at)
	f.at == ["spec", "template", "spec", "containers", 0, "resources"]
	contains(f.msg, "resources.limits.memory")
}

test_k8s_limit_allowed if {
	count(deny) == 0 with input as mock_k8s_input({"cpu": "500m", "memory": "512Mi"}, {})
}

test_compose_missing_limit_denied if {
	some f in deny with input as mock_compose_input({"image": "nginx:1.27"}, {"cpu": null, "memory": null})
	contains(f.msg, "mem_limit")
}

test_compose_mem_limit_allowed if {
	count(deny) == 0 with input as mock_compose_input({"image": "nginx:1.27", "mem_limit": "512m"}, {"cpu": null, "memory": "512m"})
}

test_compose_override_fragment_allowed if {
	count(deny) == 0 with input as mock_compose_input({"environment": ["DEBUG=1"]}, {"cpu": null, "memory": null})
}
