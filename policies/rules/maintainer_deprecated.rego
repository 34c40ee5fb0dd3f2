package rules.maintainer_deprecated

import rego.v1

metadata := {
	"id": "CP722",
	"name": "maintainer-deprecated",
	"title": "MAINTAINER is deprecated",
	"severity": "info",
	"tags": ["deprecation"],
	"kinds": ["dockerfile"],
	"why": "`MAINTAINER` was deprecated in Docker 1.13: it sets a field of the image config that registries and tools no longer show. The OCI `org.opencontainers.image.authors` label is what they read.",
	"fix": "`LABEL org.opencontainers.image.authors=\"Name <email>\"` instead of `MAINTAINER`.",
	"examples": [{"kind": "dockerfile", "bad": "FROM debian:12-slim\nMAINTAINER Jane Doe <jane@example.com>", "good": "FROM debian:12-slim\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\""}],
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some i, ins in input.document.instructions
	ins.cmd == "maintainer"
	msg := "`MAINTAINER` is deprecated; use `LABEL org.opencontainers.image.authors=\"…\"`"
}
