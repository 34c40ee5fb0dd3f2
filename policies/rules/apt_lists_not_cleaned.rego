package rules.apt_lists_not_cleaned

import data.lib
import rego.v1

metadata := {
	"id": "CP702",
	"name": "apt-lists-not-cleaned",
	"title": "apt lists are left in the image",
	"severity": "info",
	"tags": ["hygiene", "image-size"],
	"kinds": ["dockerfile"],
	"why": "`apt-get update` downloads package lists (tens of MB) into /var/lib/apt/lists; unless the same RUN deletes them they stay in the layer, and stale lists in the image make later installs unpredictable.",
	"fix": "End the RUN that runs `apt-get update` with `&& rm -rf /var/lib/apt/lists/*`, or use a cache mount: `RUN --mount=type=cache,target=/var/lib/apt ...`.",
	"examples": [{"kind": "dockerfile", "bad": "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl", "good": "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*"}],
}

updates(ins) if {
	some cmd in lib.run_commands(ins)
	cmd[i] in {"apt-get", "apt"}
	lib.runs_at(cmd, i)
	"update" in array.slice(cmd, i + 1, count(cmd))
}

cleans(ins) if {
	some script in lib.run_scripts(ins)
	contains(script, "/var/lib/apt/lists")
	contains(script, "rm ")
}

# `apt-get dist-clean` (apt 2.7+, Debian trixie, Ubuntu 24.04) also deletes
# the package lists.
cleans(ins) if {
	lib.run_mentions(ins, "dist-clean")
	some cmd in lib.run_commands(ins)
	cmd[i] in {"apt-get", "apt"}
	"dist-clean" in array.slice(cmd, i + 1, count(cmd))
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some [i, ins] in lib.final_runs
	lib.run_mentions(ins, "apt")
	updates(ins)
	not cleans(ins)
	not lib.has_cache_mount(ins, "/var/lib/apt")
	msg := "`apt-get update` leaves package lists in the layer; end this RUN with `&& rm -rf /var/lib/apt/lists/*` (or `apt-get dist-clean`)"
}
