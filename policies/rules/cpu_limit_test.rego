package rules.cpu_limit

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
	at := {
		"resources": ["spec", "template", "spec", "containers", 0, "resources"],
		"limits": ["spec", "template", "spec", "containers", 0, "resources", "limits"],
	}
	some f in deny with input as mock_k8s_input({"cpu": null, "memory": "512Mi"}, at)
	f.at == ["spec", "template", "spec", "containers", 0, "resources", "limits"]
	contains(f.msg, "resources.limits.cpu")
}

test_k8s_no_resources_points_at_container if {
	some f in deny with input as mock_k8s_input({"cpu": null, "memory": null}, {})
	f.at == ["spec", "template", "spec", "containers", 0]
}

test_k8s_limit_allowed if {
	count(deny) == 0 with input as mock_k8s_input({"cpu": "1", "memory": "512Mi"}, {})
}

test_compose_missing_limit_denied if {
	some f in deny with input as mock_compose_input({"image": "nginx:1.27"}, {"cpu": null, "memory": null})
	contains(f.msg, "limits.cpus")
}

test_compose_cpus_allowed if {
	count(deny) == 0 with input as mock_compose_input({"image": "nginx:1.27", "cpus": "1.0"}, {"cpu": "1.0", "memory": null})
}

test_compose_extends_allowed if {
	count(deny) == 0 with input as mock_compose_input({"image": "nginx:1.27", "extends": {"service": "base"}}, {"cpu": null, "memory": null})
}
