package rules.image_digest

import rego.v1

mock_digest := "sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"

mock_image(ref, d) := {
	"ref": ref, "tag": "1.27", "digest": d, "variable": false,
	"resource": "Deployment/web container web", "at": ["spec", "template", "spec", "containers", 0, "image"],
}

test_tag_only_denied if {
	some f in deny with input as {"kind": "kubernetes", "images": [mock_image("nginx:1.27", null)]}
	contains(f.msg, "@sha256:")
	f.resource == "Deployment/web container web"
}

test_digest_allowed if {
	count(deny) == 0 with input as {"kind": "kubernetes", "images": [mock_image(sprintf("nginx:1.27@%s", [mock_digest]), mock_digest)]}
}

test_istio_auto_image_allowed if {
	img := object.union(mock_image("auto", null), {"tag": null})
	count(deny) == 0 with input as {"kind": "kubernetes", "images": [img]}
}

test_dockerfile_variable_allowed if {
	img := {"ref": "${BASE_IMAGE}", "tag": null, "digest": null, "variable": true, "resource": "stage 0", "at": ["instructions", 1, "image"]}
	count(deny) == 0 with input as {"kind": "dockerfile", "images": [img]}
}
