package rules.image_digest

import data.lib
import rego.v1

metadata := {
	"id": "CP203",
	"name": "image-not-pinned-by-digest",
	"title": "Image is not pinned by digest",
	"severity": "info",
	"tags": ["pinned-image", "supply-chain"],
	"kinds": ["dockerfile", "compose", "kubernetes", "container"],
	"why": "Tags are mutable: the registry owner (or an attacker with push access) can point `1.27` at new content. Only a digest names exact, verifiable bytes.",
	"fix": "Append the digest: `nginx:1.27.3@sha256:<digest>` (`docker buildx imagetools inspect nginx:1.27.3` prints it). Let a bot such as Renovate keep it current.",
	"default_enabled": false,
	"examples": [{"kind": "dockerfile", "bad": "FROM nginx:1.27.3", "good": "FROM nginx:1.27.3@sha256:4f0cbe4a1d1c2e6a3b4c..."}],
}

# Dockerfile: any variable may hold the digest. Compose and Kubernetes: only
# one in the last path component may (`${IMAGE}`, `app@${DIGEST}`).
digest_unknown(img) if {
	input.kind == "dockerfile"
	img.variable
}

digest_unknown(img) if {
	input.kind != "dockerfile"
	lib.variable_image_name(img.ref)
}

deny contains {"msg": msg, "at": img.at, "resource": img.resource} if {
	some img in input.images
	img.digest == null
	not digest_unknown(img)
	not lib.not_pulled(img)
	msg := sprintf("image %q is not pinned by digest; append @sha256:<digest> so the exact image is used", [img.ref])
}
