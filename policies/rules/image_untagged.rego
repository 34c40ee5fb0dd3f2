package rules.image_untagged

import data.lib
import rego.v1

metadata := {
	"id": "CP201",
	"name": "image-untagged",
	"title": "Image has no tag",
	"severity": "warning",
	"tags": ["pinned-image"],
	"kinds": ["dockerfile", "compose", "kubernetes", "image", "container"],
	"why": "An image without a tag means `latest`: whatever was pushed last. Builds and deployments stop being reproducible, and a compromised or broken upstream push flows straight in.",
	"fix": "Pin a version tag (`nginx:1.27.3`), or better a digest (`nginx:1.27.3@sha256:...`).",
	"examples": [{"kind": "dockerfile", "bad": "FROM python", "good": "FROM python:3.12-slim"}],
}

# Dockerfile: any variable may hold the tag (`FROM $BASE`). Compose and
# Kubernetes: only a variable in the last path component may (`${IMAGE}`,
# `app-${ENV}`); `${REGISTRY}/app` is untagged whatever the registry.
tag_unknown(img) if {
	input.kind == "dockerfile"
	img.variable
}

tag_unknown(img) if {
	input.kind != "dockerfile"
	lib.variable_image_name(img.ref)
}

deny contains {"msg": msg, "at": img.at, "resource": img.resource} if {
	some img in input.images
	img.tag == null
	img.digest == null
	not tag_unknown(img)
	not lib.not_pulled(img)
	msg := sprintf("image %q has no tag, so it means whatever `latest` is today; pin a version such as %s:<version>", [img.ref, img.ref])
}

# A built image saved or loaded by ID has no name at all.
deny contains {"msg": msg, "at": [names_key]} if {
	input.kind == "image"
	names_key := object.get({"inspect": "RepoTags"}, input.image.format, "references")
	input.image.references_known
	count(input.image.references) == 0
	msg := "the image has no name or tag (it was saved by ID), so nothing says which version it is; tag it, e.g. `docker tag <id> app:1.4.2`, and save or push it by that tag"
}
