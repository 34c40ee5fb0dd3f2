package rules.run_as_root

import rego.v1

mock_k8s_container(fields) := object.union(
	{
		"name": "api", "resource": "Deployment/api container api", "init": false,
		"user": null, "uid": null, "run_as_non_root": null,
		"at": {"self": ["spec", "template", "spec", "containers", 0]},
	},
	fields,
)

mock_k8s_input(c) := {"kind": "kubernetes", "workloads": [{"kind": "Deployment", "name": "api", "resource": "Deployment/api", "containers": [c]}]}

mock_dockerfile_input(image, user, uid) := {
	"kind": "dockerfile",
	"workloads": [{"kind": "image", "name": "image", "resource": "stage 1", "containers": [{
		"name": "image", "resource": "stage 1", "user": user, "uid": uid,
		"image": {"ref": image, "tag": "x", "digest": null, "variable": false},
		"at": {"self": ["instructions", 4]},
	}]}],
}

mock_compose_input(service, c) := {
	"kind": "compose",
	"document": {"services": {"web": service}},
	"workloads": [{"kind": "service", "name": "web", "resource": "service web", "containers": [c]}],
}

mock_compose_container(user, uid) := {
	"name": "web", "resource": "service web", "user": user, "uid": uid,
	"at": {"self": ["services", "web"]},
}

test_k8s_run_as_user_zero_denied if {
	c := mock_k8s_container({"user": "0", "uid": 0, "at": {
		"self": ["spec", "template", "spec", "containers", 0],
		"user": ["spec", "template", "spec", "containers", 0, "securityContext", "runAsUser"],
	}})
	some f in deny with input as mock_k8s_input(c)
	f.at == ["spec", "template", "spec", "containers", 0, "securityContext", "runAsUser"]
	contains(f.msg, "runs as root")
}

test_k8s_without_security_context_denied if {
	some f in deny with input as mock_k8s_input(mock_k8s_container({}))
	f.at == ["spec", "template", "spec", "containers", 0]
	contains(f.msg, "runAsNonRoot")
}

test_k8s_run_as_non_root_allowed if {
	count(deny) == 0 with input as mock_k8s_input(mock_k8s_container({"run_as_non_root": true}))
}

test_k8s_non_zero_uid_allowed if {
	count(deny) == 0 with input as mock_k8s_input(mock_k8s_container({"user": "10001", "uid": 10001}))
}

test_dockerfile_without_user_denied if {
	some f in deny with input as mock_dockerfile_input("python:3.12-slim", null, null)
	contains(f.msg, "never sets USER")
	contains(f.msg, "runs as root")
}

test_dockerfile_user_root_denied if {
	count(deny) > 0 with input as mock_dockerfile_input("python:3.12-slim", "root", 0)
}

test_dockerfile_unprivileged_user_allowed if {
	count(deny) == 0 with input as mock_dockerfile_input("python:3.12-slim", "app", null)
}

test_dockerfile_distroless_nonroot_base_allowed if {
	count(deny) == 0 with input as mock_dockerfile_input("gcr.io/distroless/static-debian12:nonroot", null, null)
}

test_dockerfile_windows_base_suggests_container_user if {
	some f in deny with input as mock_dockerfile_input("mcr.microsoft.com/windows/servercore:ltsc2022", null, null)
	contains(f.msg, "USER ContainerUser")
}

test_dockerfile_container_administrator_denied if {
	some f in deny with input as mock_dockerfile_input("mcr.microsoft.com/windows/servercore:ltsc2022", "ContainerAdministrator", 0)
	contains(f.msg, "Windows administrator")
}

test_compose_without_user_denied if {
	c := mock_compose_container(null, null)
	some f in deny with input as mock_compose_input({"image": "nginx:1.27"}, c)
	f.resource == "service web"
	contains(f.msg, "sets no `user:`")
}

test_compose_with_user_allowed if {
	c := mock_compose_container("10001:10001", 10001)
	count(deny) == 0 with input as mock_compose_input({"image": "nginx:1.27", "user": "10001:10001"}, c)
}

test_compose_override_fragment_allowed if {
	c := mock_compose_container(null, null)
	count(deny) == 0 with input as mock_compose_input({"environment": ["DEBUG=1"]}, c)
}

mock_container_input(user, uid) := {"kind": "container", "workloads": [{"kind": "container", "resource": "container web", "containers": [{
	"name": "web", "resource": "container web", "user": user, "uid": uid,
	"at": {"self": [0], "user": [0, "Config", "User"]},
}]}]}

test_container_empty_user_is_root if {
	some f in deny with input as mock_container_input(null, 0)
	f.at == [0, "Config", "User"]
	contains(f.msg, "`docker run --user`")
}

test_container_root_user_named if {
	some f in deny with input as mock_container_input("root", 0)
	contains(f.msg, "(user \"root\")")
}

test_container_unprivileged_user_allowed if {
	count(deny) == 0 with input as mock_container_input("10001", 10001)
	count(deny) == 0 with input as mock_container_input("app", null)
}

test_dockerfile_known_nonroot_bases_allowed if {
	some ref in [
		"cgr.dev/chainguard/python:latest",
		"mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled",
		"nginxinc/nginx-unprivileged:1.27-alpine",
		"docker:27-dind-rootless",
		"gcr.io/distroless/java21-debian12:debug-nonroot@sha256:0123",
	]
	count(deny) == 0 with input as mock_dockerfile_input(ref, null, null)
}

test_dockerfile_chainguard_dev_and_wolfi_base_still_denied if {
	count(deny) == 1 with input as mock_dockerfile_input("cgr.dev/chainguard/python:latest-dev", null, null)
	count(deny) == 1 with input as mock_dockerfile_input("cgr.dev/chainguard/wolfi-base:latest", null, null)
}

test_dockerfile_nonroot_base_from_parameters if {
	inp := mock_dockerfile_input("registry.example.com/base/python:3.12", null, null)
	count(deny) == 1 with input as inp
	count(deny) == 0 with input as inp with data.parameters.nonroot_base_images as ["registry.example.com/base/*"]
}

test_dockerfile_parameter_takes_a_builtin_entry_back if {
	inp := mock_dockerfile_input("cgr.dev/chainguard/busybox:latest", null, null)
	count(deny) == 0 with input as inp
	count(deny) == 1 with input as inp with data.parameters.nonroot_base_images as ["!cgr.dev/chainguard/busybox*"]
}

test_compose_known_nonroot_image_allowed if {
	c := object.union(mock_compose_container(null, null), {"image": {"ref": "gcr.io/distroless/static-debian12:nonroot"}})
	count(deny) == 0 with input as mock_compose_input({"image": "gcr.io/distroless/static-debian12:nonroot"}, c)
}

test_explain_lists_the_table if {
	contains(metadata.why, "`cgr.dev/chainguard/*`")
	contains(metadata.why, "nonroot-base-images")
}

test_github_docker_action_without_user_allowed if {
	inp := object.union(mock_dockerfile_input("alpine:3.20", null, null), {"context": {"github_action": "action.yml"}})
	count(deny) == 0 with input as inp
	count(deny) == 1 with input as object.union(inp, {"context": {"github_action": null}})
	# An explicit root user is still reported.
	count(deny) == 1 with input as object.union(mock_dockerfile_input("alpine:3.20", "root", 0), {"context": {"github_action": "action.yml"}})
}

test_compose_building_a_non_root_image_allowed if {
	c := mock_compose_container(null, null)
	built := {"compose": {"built": {"web": {"dockerfile": "Dockerfile", "user": "1000", "uid": 1000, "healthcheck": null}}}}
	count(deny) == 0 with input as object.union(mock_compose_input({"build": "."}, c), {"context": built})
}

test_compose_building_a_root_image_denied if {
	c := mock_compose_container(null, null)
	built := {"compose": {"built": {"web": {"dockerfile": "Dockerfile", "user": "root", "uid": 0, "healthcheck": null}}}}
	some f in deny with input as object.union(mock_compose_input({"build": "."}, c), {"context": built})
	contains(f.msg, "sets no `user:`")
}

# The metadata is a literal (read without evaluating Rego at start-up): it
# must still list every built-in non-root image.
test_why_lists_the_builtin_nonroot_images if {
	contains(metadata.why, data.lib.base_image_list(data.lib.builtin_nonroot_base_images))
}
