package rules.image_registry

import rego.v1

mock_params := {"allowed_registries": ["registry.example.com", "ghcr.io/example"]}

# An image use as the normalizers produce it (src/model/image_ref.rs).
mock_image(ref, registry, repository) := {
	"ref": ref, "registry": registry, "repository": repository, "tag": "1", "digest": null,
	"variable": contains(ref, "$"), "resource": "Deployment/web container web",
	"at": ["spec", "template", "spec", "containers", 0, "image"],
}

mock_k8s_input(img) := {"kind": "kubernetes", "document": {}, "images": [img]}

# The findings for one image. (Bound in a function: regorus leaves rules
# used in a `with` value undefined for the rest of a `some ... in ... with` body.)
mock_findings(img, params) := fs if {
	fs := deny with input as mock_k8s_input(img) with data.parameters as params
}

mock_denied(img, params) if count(mock_findings(img, params)) == 1

mock_allowed(img, params) if count(mock_findings(img, params)) == 0

test_registry_not_allowed_denied if {
	img := mock_image("quay.io/team/app:1", "quay.io", "team/app")
	some f in mock_findings(img, mock_params)
	f.at == ["spec", "template", "spec", "containers", 0, "image"]
	f.resource == "Deployment/web container web"
	contains(f.msg, `image "quay.io/team/app:1" (quay.io/team/app) is not from an allowed registry`)
	contains(f.msg, "registry.example.com, ghcr.io/example")
}

test_allowed_registry_allowed if {
	mock_allowed(mock_image("registry.example.com/shop/api:1", "registry.example.com", "shop/api"), mock_params)
}

test_allowed_prefix_allowed if {
	mock_allowed(mock_image("ghcr.io/example/app:1", "ghcr.io", "example/app"), mock_params)
}

test_prefix_matches_at_path_boundary_only if {
	mock_denied(mock_image("ghcr.io/example-evil/app:1", "ghcr.io", "example-evil/app"), mock_params)
}

test_registry_of_a_prefix_alone_denied if {
	mock_denied(mock_image("ghcr.io/other/app:1", "ghcr.io", "other/app"), mock_params)
}

test_prefix_naming_the_repository_allowed if {
	mock_allowed(mock_image("ghcr.io/example/app:1", "ghcr.io", "example/app"), {"allowed_registries": ["ghcr.io/example/app"]})
}

test_docker_hub_short_name_denied if {
	some f in mock_findings(mock_image("nginx:1.27", "docker.io", "library/nginx"), mock_params)
	contains(f.msg, `image "nginx:1.27" (docker.io/library/nginx)`)
}

test_docker_io_allows_short_names if {
	params := {"allowed_registries": ["docker.io"]}
	mock_allowed(mock_image("nginx:1.27", "docker.io", "library/nginx"), params)
	mock_allowed(mock_image("bitnami/redis:7", "docker.io", "bitnami/redis"), params)
	mock_allowed(mock_image("docker.io/nginx:1.27", "docker.io", "nginx"), params)
	mock_allowed(mock_image("index.docker.io/library/nginx:1.27", "index.docker.io", "library/nginx"), params)
}

test_docker_io_library_allows_official_images_only if {
	params := {"allowed_registries": ["docker.io/library"]}
	mock_allowed(mock_image("nginx:1.27", "docker.io", "library/nginx"), params)
	mock_allowed(mock_image("docker.io/nginx:1.27", "docker.io", "nginx"), params)
	mock_denied(mock_image("bitnami/redis:7", "docker.io", "bitnami/redis"), params)
}

test_docker_hub_namespace_entry if {
	params := {"allowed_registries": ["bitnami"]}
	mock_allowed(mock_image("bitnami/redis:7", "docker.io", "bitnami/redis"), params)
	mock_denied(mock_image("nginx:1.27", "docker.io", "library/nginx"), params)
}

test_entries_are_case_and_slash_insensitive if {
	mock_allowed(mock_image("ghcr.io/example/app:1", "ghcr.io", "example/app"), {"allowed_registries": ["GHCR.io/Example/"]})
}

test_registry_port_is_part_of_the_registry if {
	params := {"allowed_registries": ["localhost:5000"]}
	mock_allowed(mock_image("localhost:5000/app:1", "localhost:5000", "app"), params)
	mock_denied(mock_image("localhost/app:1", "localhost", "app"), params)
}

test_variable_registry_not_judged if {
	mock_allowed(mock_image("${REGISTRY}/app:1", "docker.io", "${REGISTRY}/app"), mock_params)
	mock_allowed(mock_image("$BASE", "docker.io", "library/$BASE"), mock_params)
}

test_variable_tag_still_judged if {
	mock_denied(mock_image("quay.io/team/app:${TAG}", "quay.io", "team/app"), mock_params)
	# A default value's colon is taken for the tag's by the parser.
	mock_denied(mock_image("quay.io/team/app:${TAG:-1.0}", "quay.io", "team/app:${TAG"), mock_params)
	mock_allowed(mock_image("ghcr.io/example/app:${TAG:-1.0}", "ghcr.io", "example/app:${TAG"), {"allowed_registries": ["ghcr.io/example/app"]})
}

test_variable_in_last_component_not_judged if {
	mock_allowed(mock_image("quay.io/team/${IMAGE}", "quay.io", "team/${IMAGE}"), mock_params)
	mock_allowed(mock_image("quay.io/team/app-${ENV}:1", "quay.io", "team/app-${ENV}"), mock_params)
}

test_without_parameter_nothing if {
	img := mock_image("quay.io/team/app:1", "quay.io", "team/app")
	count(deny) == 0 with input as mock_k8s_input(img)
	mock_allowed(img, {})
	mock_allowed(img, {"required_labels": ["team"]})
}

test_empty_list_is_unset if {
	mock_allowed(mock_image("quay.io/team/app:1", "quay.io", "team/app"), {"allowed_registries": []})
}

test_compose_image_beside_build_not_judged if {
	img := object.union(mock_image("quay.io/team/app:1", "quay.io", "team/app"), {"at": ["services", "web", "image"]})
	inp := {"kind": "compose", "document": {"services": {"web": {"build": ".", "image": img.ref}}}, "images": [img]}
	count(deny) == 0 with input as inp with data.parameters as mock_params
}

test_dockerfile_from_denied if {
	img := {
		"ref": "debian:12", "registry": "docker.io", "repository": "library/debian", "tag": "12", "digest": null,
		"variable": false, "resource": "stage 0", "at": ["instructions", 0, "image"],
	}
	some f in deny with input as {"kind": "dockerfile", "images": [img]} with data.parameters as mock_params
	f.at == ["instructions", 0, "image"]
}
