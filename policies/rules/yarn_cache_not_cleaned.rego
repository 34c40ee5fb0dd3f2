package rules.yarn_cache_not_cleaned

import data.lib
import rego.v1

metadata := {
	"id": "CP732",
	"name": "yarn-cache-not-cleaned",
	"title": "yarn install without cleaning yarn's cache",
	"severity": "info",
	"tags": ["image-size", "hygiene"],
	"kinds": ["dockerfile"],
	"why": "yarn keeps every package it downloads in its global cache (/usr/local/share/.cache/yarn for root), often as large as node_modules itself; unless the same RUN cleans it, it stays in the layer for good. Only the stages the shipped image is made of are judged.",
	"fix": "End the same RUN with `yarn cache clean`, or use a cache mount: `RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install`.",
	"examples": [{"kind": "dockerfile", "bad": "FROM node:22-slim\nRUN yarn install --frozen-lockfile", "good": "FROM node:22-slim\nRUN yarn install --frozen-lockfile && yarn cache clean"}],
}

# What fills the cache: `yarn`, `yarn install`, `yarn add`, `yarn global add`.
installs(cmd) if {
	lib.program(cmd) == "yarn"
	installing(operands(cmd))
}

# `yarn` alone installs; `yarn --version` or `yarn --help` does not.
installs(cmd) if {
	lib.program(cmd) == "yarn"
	count(operands(cmd)) == 0
	every w in lib.program_args(cmd) {
		not w in {"--version", "-v", "-V", "--help", "-h"}
	}
}

installing(args) if args[0] in {"install", "add"}

installing(args) if {
	args[0] == "global"
	args[1] == "add"
}

# The same RUN cleans: `yarn cache clean`, an `rm` of a yarn cache
# directory, or a cache mount on one.
cleans(ins) if {
	some cmd in ins.commands
	lib.program(cmd) == "yarn"
	args := lib.program_args(cmd)
	some k, w in args
	w == "cache"
	args[k + 1] == "clean"
}

cleans(ins) if {
	some cmd in ins.commands
	lib.program(cmd) == "rm"
	some w in lib.program_args(cmd)
	yarn_cache_dir(w)
}

cleans(ins) if lib.has_cache_mount(ins, "yarn")

yarn_cache_dir(w) if contains(w, ".cache/yarn")

yarn_cache_dir(w) if contains(w, "yarn cache dir")

yarn_cache_dir(w) if contains(w, ".yarn/cache")

yarn_cache_dir(w) if contains(w, ".yarn/berry/cache")

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some [i, ins] in lib.final_runs
	lib.run_mentions(ins, "yarn")
	some cmd in ins.commands
	installs(cmd)
	not cleans(ins)
	msg := sprintf("`%s` leaves its package cache in the layer; end the same RUN with `yarn cache clean` (or use a cache mount on the yarn cache)", [what(cmd)])
}

# How the message names the command: `yarn`, `yarn install`, `yarn add`,
# `yarn global add`.
what(cmd) := "yarn global add" if operands(cmd)[0] == "global"

else := sprintf("yarn %s", [operands(cmd)[0]]) if count(operands(cmd)) > 0

else := "yarn"

operands(cmd) := [w | some w in lib.program_args(cmd); not startswith(w, "-")]
