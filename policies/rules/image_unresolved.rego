package rules.image_unresolved

import rego.v1

metadata := {
	"id": "CP205",
	"name": "image-reference-unresolved",
	"title": "Base image depends on a build argument with no default",
	"severity": "info",
	"tags": ["pinned-image"],
	"kinds": ["dockerfile"],
	"why": "`FROM` sees only the `ARG`s declared before the first `FROM`, with their defaults. A variable with no default (`FROM ${BASE}`, `FROM app:${TAG}` after a bare `ARG TAG`) is empty unless every build passes `--build-arg`: the build fails without one, and nothing here can tell which image it pulls, so the pinning and registry rules cannot check it. Platform arguments (`TARGETARCH`, `BUILDPLATFORM`…) are set by every build and are not reported.",
	"fix": "Give the argument a default before the first `FROM` (`ARG BASE=python:3.12-slim`): builds still override it with `--build-arg`, and the default is what gets checked.",
	"examples": [{"kind": "dockerfile", "bad": "ARG TAG\nFROM python:${TAG}", "good": "ARG TAG=3.12-slim\nFROM python:${TAG}"}],
}

# Set by BuildKit from the build's platforms: no default to give.
platform_args := {
	"BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
	"TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
}

# The last global `ARG` (before the first `FROM`) of that name: a later
# declaration replaces an earlier one.
global_arg(name) := pairs[count(pairs) - 1] if {
	pairs := [pair |
		some ins in input.document.instructions
		ins.cmd == "arg"
		ins.stage < 0
		some pair in ins.pairs
		pair.key == name
	]
	count(pairs) > 0
}

why_unset(name) := sprintf("`%s` has an empty default, which leaves no valid image name", [name]) if {
	global_arg(name).value == ""
} else := sprintf("`%s` has no default", [name]) if {
	global_arg(name)
} else := sprintf("`%s` is not declared before the first FROM", [name])

deny contains {"msg": msg, "at": img.at, "resource": img.resource} if {
	input.kind == "dockerfile"
	some img in input.images

	# `FROM` references only: `COPY --from` sees the stage's arguments.
	img.at[count(img.at) - 1] == "image"
	unset := [name | some name in img.unresolved; not name in platform_args]
	count(unset) > 0
	msg := sprintf(
		"image %q is unresolved: %s, so which image the build pulls is unknown and the pinning rules cannot check it; declare `ARG %s=<value>` before the first FROM",
		[img.written, concat(", ", [why_unset(n) | some n in unset]), unset[0]],
	)
}
