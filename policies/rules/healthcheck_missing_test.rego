package rules.healthcheck_missing

import rego.v1

mock_container(name, health, at) := {
	"name": name, "resource": name, "health": {"healthcheck": health, "liveness_probe": false, "readiness_probe": false, "startup_probe": false},
	"at": at,
}

mock_dockerfile_input(health) := {"kind": "dockerfile", "workloads": [{"kind": "image", "resource": "stage 0", "containers": [object.union(
	mock_container("image", health, {"self": ["instructions", 0]}),
	{"resource": "stage 0"},
)]}]}

mock_compose_input(service, health) := {
	"kind": "compose",
	"document": {"services": {"web": service}},
	"workloads": [{"kind": "service", "name": "web", "resource": "service web", "containers": [object.union(
		mock_container("web", health, {"self": ["services", "web"]}),
		{"resource": "service web"},
	)]}],
}

test_dockerfile_without_healthcheck_denied if {
	some f in deny with input as mock_dockerfile_input(null)
	f.at == ["instructions", 0]
	contains(f.msg, "HEALTHCHECK")
}

test_dockerfile_with_healthcheck_allowed if {
	count(deny) == 0 with input as mock_dockerfile_input(true)
}

test_dockerfile_healthcheck_none_allowed if {
	count(deny) == 0 with input as mock_dockerfile_input(false)
}

test_compose_without_healthcheck_denied if {
	some f in deny with input as mock_compose_input({"image": "nginx:1.27"}, null)
	f.resource == "service web"
}

test_compose_with_healthcheck_allowed if {
	service := {"image": "nginx:1.27", "healthcheck": {"test": ["CMD", "curl", "-f", "http://localhost/"]}}
	count(deny) == 0 with input as mock_compose_input(service, true)
}

test_compose_override_fragment_allowed if {
	count(deny) == 0 with input as mock_compose_input({"ports": ["8080:80"]}, null)
}
