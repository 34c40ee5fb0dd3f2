package rules.image_latest

import rego.v1

mock_image(ref, tag, digest) := {
	"ref": ref, "tag": tag, "digest": digest, "variable": false,
	"resource": "service web", "at": ["services", "web", "image"],
}

mock_compose_input(img) := {"kind": "compose", "document": {"services": {"web": {"image": img.ref}}}, "images": [img]}

test_latest_denied if {
	some f in deny with input as mock_compose_input(mock_image("nginx:latest", "latest", null))
	f.at == ["services", "web", "image"]
	contains(f.msg, "latest")
}

test_version_tag_allowed if {
	count(deny) == 0 with input as mock_compose_input(mock_image("nginx:1.27", "1.27", null))
}

test_latest_with_digest_allowed if {
	digest := "sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"
	img := mock_image(sprintf("nginx:latest@%s", [digest]), "latest", digest)
	count(deny) == 0 with input as mock_compose_input(img)
}

test_dockerfile_from_latest_denied if {
	img := {"ref": "alpine:latest", "tag": "latest", "digest": null, "variable": false, "resource": "stage 0", "at": ["instructions", 0, "image"]}
	count(deny) == 1 with input as {"kind": "dockerfile", "images": [img]}
}
