package rules.secret_arg_in_env

import data.lib
import rego.v1

metadata := {
	"id": "CP727",
	"name": "secret-arg-in-env",
	"title": "Secret build argument copied into ENV",
	"severity": "error",
	"profile": "minimal",
	"tags": ["secrets"],
	"kinds": ["dockerfile"],
	"why": "`ARG DB_PASSWORD` + `ENV DB_PASSWORD=$DB_PASSWORD` writes the value passed with `--build-arg` into the image config, where `docker inspect` shows it to anyone who can pull the image. Build arguments are not secret either (they are in the image history), but ENV also carries it into every container. Only the stages the shipped image is made of are judged.",
	"fix": "Pass build-time secrets with `RUN --mount=type=secret,id=db_password` and run-time secrets when the container starts (`docker run -e`, a Kubernetes Secret); do not copy them into ENV.",
	"examples": [{"kind": "dockerfile", "bad": "FROM node:20-slim\nARG NPM_TOKEN\nENV NPM_TOKEN=${NPM_TOKEN}", "good": "FROM node:20-slim\nRUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci"}],
}

# Variables an ENV value expands: `$NAME` and `${NAME}`, `${NAME:-default}`.
expanded(value) := {m[1] | some m in regex.find_all_string_submatch_n(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`, value, -1)}

# ARGs declared before instruction i in the stages the image is built on.
declared_arg(name, i) if {
	some j, ins in input.document.instructions
	j < i
	ins.cmd == "arg"
	ins.stage in lib.final_stages
	some pair in ins.pairs
	pair.key == name
}

deny contains {"msg": msg, "at": ["instructions", i, "pairs", k]} if {
	some i, ins in input.document.instructions
	ins.cmd == "env"
	ins.stage in lib.final_stages
	some k, pair in ins.pairs
	is_string(pair.value)
	contains(pair.value, "$")
	some name in expanded(pair.value)
	lib.is_secret_name(name)
	declared_arg(name, i)
	msg := sprintf("ENV %s copies the build argument %s into the image config, where anyone who pulls the image reads it; use `RUN --mount=type=secret` for build-time secrets and pass run-time secrets when the container starts", [pair.key, name])
}
