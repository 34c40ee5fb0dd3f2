package rules.image_latest

import data.lib
import rego.v1

metadata := {
	"id": "CP202",
	"name": "image-latest-tag",
	"title": "Image uses the latest tag",
	"severity": "warning",
	"tags": ["pinned-image"],
	"kinds": ["dockerfile", "compose", "kubernetes", "image", "container"],
	"why": "`latest` moves with every push: two builds of the same file produce different images, rollbacks do not roll back, and Kubernetes pulls on every start (`imagePullPolicy: Always`).",
	"fix": "Replace `:latest` with a version tag, or pin a digest.",
	"examples": [{"kind": "kubernetes", "bad": "image: nginx:latest", "good": "image: nginx:1.27.3"}],
}

deny contains {"msg": msg, "at": img.at, "resource": img.resource} if {
	some img in input.images
	img.tag == "latest"
	img.digest == null
	not lib.not_pulled(img)
	msg := sprintf("image %q uses the moving `latest` tag; pin a version tag or a digest", [img.ref])
}
