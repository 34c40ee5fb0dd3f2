package rules.image_registry

import data.lib
import rego.v1

metadata := {
	"id": "CP204",
	"name": "image-registry-not-allowed",
	"title": "Image comes from a registry that is not allowed",
	"severity": "error",
	"profile": "minimal",
	"tags": ["supply-chain"],
	"kinds": ["dockerfile", "compose", "kubernetes", "container"],
	"why": "Images pulled from anywhere bypass what the organization's registries do: scanning, signing, licence review, a mirror that outlives upstream outages and deleted tags. Every pulled image is checked against `parameters.allowed_registries`: each `FROM` (not `scratch` or an earlier stage) and `COPY --from=<image>`, compose `image:` (not one beside `build:`), Kubernetes containers, init and ephemeral containers. References with a variable registry or repository (`${REGISTRY}/app`, `$BASE`) are not judged. Enabled by default, the rule checks nothing until the parameter is set (an empty list counts as unset): setting it turns the rule on.",
	"fix": "Use a copy from an allowed registry (`crane copy nginx:1.27 registry.example.com/mirror/nginx:1.27`), or add a trusted registry to `parameters.allowed_registries` in `.policy.yaml` (or a `--data` file). An entry is a registry (`registry.example.com`, `localhost:5000`) or a registry and path prefix matched at a path boundary: `ghcr.io/example` allows `ghcr.io/example/app`, not `ghcr.io/example-evil/app`. Docker Hub short names (`nginx`, `bitnami/redis`) are on `docker.io`: `docker.io` allows them, `docker.io/library` only the official images.",
	"examples": [
		{
			"kind": "kubernetes",
			"bad": "# parameters: {allowed_registries: [registry.example.com]}\ncontainers:\n  - name: web\n    image: nginx:1.27",
			"good": "# parameters: {allowed_registries: [registry.example.com]}\ncontainers:\n  - name: web\n    image: registry.example.com/mirror/nginx:1.27",
		},
		{
			"kind": "dockerfile",
			"bad": "# parameters: {allowed_registries: [ghcr.io/example]}\nFROM ghcr.io/example-evil/base:1.0",
			"good": "# parameters: {allowed_registries: [ghcr.io/example]}\nFROM ghcr.io/example/base:1.0",
		},
	],
}

# The allowed entries as written (for messages) and normalized (for matching).
# Empty when the parameter is absent: the rule then reports nothing.
allowed_as_written := [e | some e in data.parameters.allowed_registries; is_string(e); trim_space(e) != ""]

allowed := {prefix(e) | some e in allowed_as_written}

deny contains {"msg": msg, "at": img.at, "resource": img.resource} if {
	count(allowed) > 0
	some img in input.images
	not unknown(img)
	not lib.not_pulled(img)
	name := image_name(img)
	not allowed_name(name)
	msg := sprintf(
		"image %q (%s) is not from an allowed registry (%s); pull a copy mirrored to one of them",
		[img.ref, name, concat(", ", allowed_as_written)],
	)
}

# A variable in the registry or repository (`${REGISTRY}/app`, `$BASE`): the
# image's origin is unknown here. A variable tag (`app:${TAG}`) is no matter.
unknown(img) if contains(img.registry, "$")

unknown(img) if contains(repository_path(img), "$")

allowed_name(name) if name in allowed

allowed_name(name) if {
	some p in allowed
	startswith(name, concat("", [p, "/"]))
}

# `registry/repository`, with Docker Hub's aliases folded into `docker.io`
# and its official images under `library/` (`docker.io/nginx` is
# `docker.io/library/nginx`).
image_name(img) := concat("/", [registry(img.registry), repository(img)])

repository(img) := concat("/", ["library", lower(repository_path(img))]) if {
	registry(img.registry) == "docker.io"
	not contains(repository_path(img), "/")
} else := lower(repository_path(img))

# The repository without a tag the parser left in it: a variable's default
# holds a colon (`app:${TAG:-1.0}` parses as repository `app:${TAG`), and in
# the last component a colon always starts the tag.
repository_path(img) := concat("/", array.concat(array.slice(parts, 0, n - 1), [split(parts[n - 1], ":")[0]])) if {
	parts := split(img.repository, "/")
	n := count(parts)
}

registry(r) := "docker.io" if {
	lower(r) in {"index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}
} else := lower(r)

# An allowed entry read as an image name is: a first component with a dot or
# a port, or `localhost`, is a registry; otherwise it is a Docker Hub path
# (`bitnami` is `docker.io/bitnami`).
prefix(entry) := concat("/", array.concat([registry(parts[0])], array.slice(parts, 1, count(parts)))) if {
	parts := split(trim_right(lower(trim_space(entry)), "/"), "/")
	registry_host(parts[0])
} else := concat("/", ["docker.io", trim_right(lower(trim_space(entry)), "/")])

registry_host(s) if contains(s, ".")

registry_host(s) if contains(s, ":")

registry_host(s) if s == "localhost"
