package rules.image_size_budget

import rego.v1

metadata := {
	"id": "CP710",
	"name": "image-size-over-budget",
	"title": "Image is larger than its size budget",
	"severity": "warning",
	"tags": ["image-size", "hygiene"],
	"kinds": ["image"],
	"why": "Every byte of an image is pulled by every node that starts it, stored in every registry it is pushed to and scanned for vulnerabilities: a build that quietly doubles in size (a dev toolchain left in the final stage, caches, a second copy of the dependencies) slows deployments and autoscaling. A budget per image turns that into a failing check. The size is the unpacked size of the layers (inspect's `Size` when only `docker image inspect` output is given), and the message gives the compressed (pushed) size too. Enabled by default, the rule checks nothing until `parameters.image_size_budget` is set.",
	"fix": "Make the image smaller: a multi-stage build that copies only the build output into a slim or distroless base, no package caches (`--no-install-recommends`, `rm -rf /var/lib/apt/lists/*`, `pip --no-cache-dir`), a `.dockerignore`. Or raise the budget in `.policy.yaml`: `parameters: {image-size-budget: 200MB}`, or per image name: `{image-size-budget: {backend: 200MB, \"*\": 100MB}}`.",
	"examples": [{
		"kind": "dockerfile",
		"bad": "FROM node:22\nCOPY . .\nRUN npm ci && npm run build",
		"good": "FROM node:22 AS build\nCOPY . .\nRUN npm ci && npm run build\nFROM gcr.io/distroless/nodejs22-debian12\nCOPY --from=build /app/dist /app",
	}],
}

# The budget: one size for every image, or per image name (a key matches
# the repository, `team/backend`, or its last component, `backend`;
# `*` is the fallback). Absent: the rule reports nothing.
budget := data.parameters.image_size_budget if is_number(data.parameters.image_size_budget)

budget := min(named) if {
	is_object(data.parameters.image_size_budget)
	named := [limit |
		some name, limit in data.parameters.image_size_budget
		some img in input.images
		name_matches(name, img)
	]
	count(named) > 0
} else := data.parameters.image_size_budget["*"] if {
	is_object(data.parameters.image_size_budget)
}

name_matches(name, img) if name == img.repository

name_matches(name, img) if endswith(img.repository, concat("", ["/", name]))

name_matches(name, img) if name == concat("/", [img.registry, img.repository])

image_size := input.image.size.uncompressed if is_number(input.image.size.uncompressed)

else := input.image.size.compressed if is_number(input.image.size.compressed)

deny contains {"msg": msg, "at": [where]} if {
	input.kind == "image"
	is_number(budget)
	is_number(image_size)
	image_size > budget
	where := object.get({"inspect": "Size"}, input.image.format, "rootfs")
	msg := sprintf("%s is %s%s, over its size budget of %s (`parameters.image_size_budget`); slim the final stage or raise the budget", [
		object.get(input.workloads[0], "resource", "the image"), megabytes(image_size), compressed, megabytes(budget),
	])
}

compressed := sprintf(" unpacked (%s compressed)", [megabytes(input.image.size.compressed)]) if {
	is_number(input.image.size.uncompressed)
	is_number(input.image.size.compressed)
} else := ""

megabytes(bytes) := sprintf("%v MB", [round(bytes / 100000) / 10])
