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

mock_dockerfile_on(ref) := {"kind": "dockerfile", "workloads": [{"kind": "image", "resource": "stage 0", "containers": [object.union(
	mock_container("stage 0", null, {"self": ["instructions", 0]}),
	{"image": {"ref": ref}},
)]}]}

test_dockerfile_on_exempt_bases_allowed if {
	some ref in ["scratch", "gcr.io/distroless/static-debian12:nonroot", "ghcr.io/actions/actions-runner:2.321.0"]
	count(deny) == 0 with input as mock_dockerfile_on(ref)
}

test_dockerfile_on_a_service_base_denied if {
	count(deny) == 1 with input as mock_dockerfile_on("nginx:1.27")
	count(deny) == 1 with input as mock_dockerfile_on("scratchpad/app:1.0")
}

test_dockerfile_exempt_base_from_parameters if {
	inp := mock_dockerfile_on("registry.example.com/tools/linter:3")
	count(deny) == 0 with input as inp with data.parameters.healthcheck_exempt_base_images as ["registry.example.com/tools/*"]
}

test_github_docker_action_allowed if {
	inp := object.union(mock_dockerfile_on("alpine:3.20"), {"context": {"github_action": "action.yml"}})
	count(deny) == 0 with input as inp
	count(deny) == 1 with input as object.union(inp, {"context": {"github_action": null}})
}

test_explain_lists_the_exempt_table if {
	contains(metadata.why, "`scratch`")
	contains(metadata.why, "healthcheck-exempt-base-images")
}

# The metadata is a literal (read without evaluating Rego at start-up): it
# must still list every built-in exempt image.
test_why_lists_the_builtin_exempt_images if {
	contains(metadata.why, data.lib.base_image_list(data.lib.builtin_healthcheck_exempt_base_images))
}
