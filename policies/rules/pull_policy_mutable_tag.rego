package rules.pull_policy_mutable_tag

import data.lib
import rego.v1

metadata := {
	"id": "CP122",
	"name": "pull-policy-mutable-tag",
	"title": "Image with a moving tag is not pulled Always",
	"severity": "info",
	"tags": ["supply-chain", "pinned-image"],
	"kinds": ["kubernetes"],
	"why": "With `imagePullPolicy: IfNotPresent` (or `Never`) a node keeps whatever it pulled first under a moving tag (`latest`, `main`, `stable`...): pods on different nodes run different code, and a fixed image never arrives. Kubernetes defaults to `Always` only for `latest` and untagged images.",
	"fix": "Pin a version tag or a digest (best), or set `imagePullPolicy: Always`.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: registry.example.com/web:latest\n      imagePullPolicy: IfNotPresent", "good": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: registry.example.com/web:1.4.2\n      imagePullPolicy: IfNotPresent"}],
}

# Tags that name a branch or channel rather than a release.
moving_tags := {"latest", "main", "master", "stable", "edge", "nightly", "dev", "develop", "development", "canary", "beta", "alpha", "testing", "unstable", "next", "snapshot", "head", "trunk"}

moving(image) if {
	image.digest == null
	not image.variable
	image.tag == null
}

moving(image) if {
	image.digest == null
	not image.variable
	is_string(image.tag)
	lower(image.tag) in moving_tags
}

# Kubernetes pulls `latest` and untagged images Always when no policy is set.
defaults_to_always(image) if image.tag == null

defaults_to_always(image) if image.tag == "latest"

deny contains lib.finding_at(array.concat(c.at.self, ["imagePullPolicy"]), c.resource, msg) if {
	some [_, c, node] in lib.pod_containers
	moving(c.image)
	policy := node.imagePullPolicy
	policy in {"IfNotPresent", "Never"}
	msg := sprintf("%s pulls %q with `imagePullPolicy: %s`, so nodes keep stale copies of a moving tag; pin a version or digest, or pull Always", [c.resource, c.image.ref, policy])
}

deny contains lib.finding_at(c.at.image, c.resource, msg) if {
	some [_, c, node] in lib.pod_containers
	moving(c.image)
	not node.imagePullPolicy
	not defaults_to_always(c.image)
	msg := sprintf("%s uses the moving tag %q without `imagePullPolicy: Always`, so nodes keep stale copies; pin a version or digest, or pull Always", [c.resource, c.image.ref])
}
