package rules.secret_arg_in_env

import rego.v1

mock_dockerfile(instructions) := {"kind": "dockerfile", "document": {
	"instructions": instructions,
	"stages": [{"index": ins.stage, "name": ins.name, "base": ins.image} | some ins in instructions; ins.cmd == "from"],
}}

from(stage, name) := {"cmd": "from", "stage": stage, "image": "node:20-slim", "name": name}

arg(stage, name) := {"cmd": "arg", "stage": stage, "pairs": [{"key": name, "value": null}]}

env(stage, key, value) := {"cmd": "env", "stage": stage, "pairs": [{"key": key, "value": value}]}

test_secret_arg_in_env_denied if {
	some f in deny with input as mock_dockerfile([from(0, null), arg(0, "NPM_TOKEN"), env(0, "NPM_TOKEN", "${NPM_TOKEN}")])
	f.at == ["instructions", 2, "pairs", 0]
	contains(f.msg, "ENV NPM_TOKEN copies the build argument NPM_TOKEN")
}

test_renamed_denied if {
	count(deny) == 1 with input as mock_dockerfile([from(0, null), arg(0, "DB_PASSWORD"), env(0, "PGPASS", "$DB_PASSWORD")])
}

test_plain_arg_allowed if {
	count(deny) == 0 with input as mock_dockerfile([from(0, null), arg(0, "VERSION"), env(0, "APP_VERSION", "${VERSION}")])
}

test_undeclared_allowed if {
	count(deny) == 0 with input as mock_dockerfile([from(0, null), env(0, "TOKEN_FILE", "${TOKEN_PATH:-/run/secrets/token}")])
}

test_builder_stage_allowed if {
	count(deny) == 0 with input as mock_dockerfile([from(0, "build"), arg(0, "NPM_TOKEN"), env(0, "NPM_TOKEN", "$NPM_TOKEN"), from(1, null)])
}
