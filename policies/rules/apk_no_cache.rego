package rules.apk_no_cache

import data.lib
import rego.v1

metadata := {
	"id": "CP716",
	"name": "apk-add-without-no-cache",
	"title": "apk add keeps its index cache in the image",
	"severity": "info",
	"tags": ["image-size", "hygiene"],
	"kinds": ["dockerfile"],
	"why": "`apk add` without `--no-cache` leaves the package index in /var/cache/apk, a few megabytes of dead weight in every image built on it. Only the stages the shipped image is made of are judged, and a RUN that removes /var/cache/apk or mounts a cache there is fine, as is `apk add --no-network`, which fetches no index.",
	"fix": "`apk add --no-cache <packages>` (no `apk update` needed), or a cache mount `RUN --mount=type=cache,target=/var/cache/apk apk add …`.",
	"examples": [{"kind": "dockerfile", "bad": "FROM alpine:3.20\nRUN apk update && apk add curl", "good": "FROM alpine:3.20\nRUN apk add --no-cache curl"}],
}

# The RUN takes care of the cache itself: a cache mount on it, or `rm` of it.
cache_handled(ins) if lib.has_cache_mount(ins, "/var/cache/apk")

cache_handled(ins) if {
	some cmd in ins.commands
	lib.program(cmd) == "rm"
	some w in lib.program_args(cmd)
	startswith(w, "/var/cache/apk")
}

cache_handled(ins) if {
	some cmd in ins.commands
	lib.program(cmd) == "apk"
	"cache" in lib.program_args(cmd)
	"clean" in lib.program_args(cmd)
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some [i, ins, _, cmd] in lib.program_runs("apk")
	ins.stage in lib.final_stages
	args := lib.program_args(cmd)
	"add" in args
	not "--no-cache" in args
	not "--no-network" in args
	not cache_handled(ins)
	msg := "`apk add` without `--no-cache` leaves the package index in /var/cache/apk; use `apk add --no-cache`"
}
