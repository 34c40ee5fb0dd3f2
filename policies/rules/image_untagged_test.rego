package rules.image_untagged

import rego.v1

mock_image(ref, tag, variable) := {
	"ref": ref, "tag": tag, "digest": null, "variable": variable,
	"resource": "Deployment/web container web", "at": ["spec", "template", "spec", "containers", 0, "image"],
}

test_untagged_denied if {
	some f in deny with input as {"kind": "kubernetes", "images": [mock_image("nginx", null, false)]}
	f.at == ["spec", "template", "spec", "containers", 0, "image"]
	contains(f.msg, "nginx:<version>")
}

test_tagged_allowed if {
	count(deny) == 0 with input as {"kind": "kubernetes", "images": [mock_image("nginx:1.27", "1.27", false)]}
}

test_digest_without_tag_allowed if {
	img := object.union(mock_image("nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31", null, false), {"digest": "sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"})
	count(deny) == 0 with input as {"kind": "kubernetes", "images": [img]}
}

test_dockerfile_variable_allowed if {
	img := {"ref": "$BASE", "tag": null, "digest": null, "variable": true, "resource": "stage 0", "at": ["instructions", 1, "image"]}
	count(deny) == 0 with input as {"kind": "dockerfile", "images": [img]}
}

test_compose_variable_image_name_allowed if {
	img := {"ref": "${IMAGE}", "tag": null, "digest": null, "variable": true, "resource": "service api", "at": ["services", "api", "image"]}
	count(deny) == 0 with input as {"kind": "compose", "document": {"services": {"api": {"image": "${IMAGE}"}}}, "images": [img]}
}

test_compose_variable_registry_denied if {
	img := {"ref": "${REGISTRY}/api", "tag": null, "digest": null, "variable": true, "resource": "service api", "at": ["services", "api", "image"]}
	count(deny) == 1 with input as {"kind": "compose", "document": {"services": {"api": {"image": "${REGISTRY}/api"}}}, "images": [img]}
}

test_compose_image_built_here_allowed if {
	img := {"ref": "shop/api", "tag": null, "digest": null, "variable": false, "resource": "service api", "at": ["services", "api", "image"]}
	doc := {"services": {"api": {"build": ".", "image": "shop/api"}}}
	count(deny) == 0 with input as {"kind": "compose", "document": doc, "images": [img]}
}
