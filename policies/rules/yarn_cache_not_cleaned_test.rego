package rules.yarn_cache_not_cleaned

import rego.v1

mock_run(stage, commands, flags) := {"cmd": "run", "stage": stage, "json": false, "command": concat(" && ", [concat(" ", c) | some c in commands]), "commands": commands, "pipes": [], "heredocs": [], "flags": flags}

mock_dockerfile(instructions) := {"kind": "dockerfile", "document": {
	"instructions": instructions,
	"stages": [{"index": ins.stage, "name": ins.name, "base": ins.image} | some ins in instructions; ins.cmd == "from"],
}}

from(stage, name) := {"cmd": "from", "stage": stage, "image": "node:22", "name": name}

denied(cmds) if {
	some f in deny with input as mock_dockerfile([from(0, null), mock_run(0, cmds, [])])
	f.at == ["instructions", 1]
}

test_installs_denied if {
	every cmds in [
		[["yarn", "install", "--frozen-lockfile"]],
		[["yarn"]],
		[["yarn", "--production"]],
		[["yarn", "add", "left-pad"]],
		[["yarn", "global", "add", "serve"]],
		[["cd", "/app"], ["yarn", "install"]],
	] {
		denied(cmds)
	}
}

test_message_names_the_command if {
	some f in deny with input as mock_dockerfile([from(0, null), mock_run(0, [["yarn", "global", "add", "serve"]], [])])
	startswith(f.msg, "`yarn global add` leaves")
	some g in deny with input as mock_dockerfile([from(0, null), mock_run(0, [["yarn", "--frozen-lockfile"]], [])])
	startswith(g.msg, "`yarn` leaves")
}

test_clean_allowed if {
	every cmds in [
		[["yarn", "install"], ["yarn", "cache", "clean"]],
		[["yarn", "install"], ["yarn", "cache", "clean", "--all"]],
		[["yarn", "install"], ["rm", "-rf", "/usr/local/share/.cache/yarn"]],
		[["yarn", "install"], ["rm", "-rf", "$(yarn cache dir)"]],
		[["yarn", "build"]],
		[["yarn", "run", "build"]],
		[["echo", "yarn", "install"]],
		[["yarn", "--version"]],
		[["node", "--version"], ["yarn", "-v"]],
	] {
		not denied(cmds)
	}
}

test_cache_mount_allowed if {
	run := mock_run(0, [["yarn", "install"]], [{"name": "mount", "value": "type=cache,target=/usr/local/share/.cache/yarn"}])
	count(deny) == 0 with input as mock_dockerfile([from(0, null), run])
}

test_builder_stage_allowed if {
	count(deny) == 0 with input as mock_dockerfile([from(0, "build"), mock_run(0, [["yarn", "install"]], []), from(1, null)])
}
