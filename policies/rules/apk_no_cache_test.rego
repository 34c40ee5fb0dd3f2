package rules.apk_no_cache

import rego.v1

mock_run(stage, commands, flags) := {"cmd": "run", "stage": stage, "json": false, "command": concat(" && ", [concat(" ", c) | some c in commands]), "commands": commands, "pipes": [], "heredocs": [], "flags": flags}

mock_dockerfile(instructions) := {"kind": "dockerfile", "document": {
	"instructions": instructions,
	"stages": [{"index": ins.stage, "name": ins.name, "base": ins.image} | some ins in instructions; ins.cmd == "from"],
}}

from(stage, name) := {"cmd": "from", "stage": stage, "image": "alpine:3.20", "name": name}

test_apk_add_denied if {
	some f in deny with input as mock_dockerfile([from(0, null), mock_run(0, [["apk", "update"], ["apk", "add", "curl"]], [])])
	f.at == ["instructions", 1]
	contains(f.msg, "--no-cache")
}

test_no_cache_allowed if {
	count(deny) == 0 with input as mock_dockerfile([from(0, null), mock_run(0, [["apk", "--no-cache", "add", "curl"]], [])])
}

test_no_network_allowed if {
	count(deny) == 0 with input as mock_dockerfile([from(0, null), mock_run(0, [["apk", "add", "--no-network", "--virtual", ".rundeps", "libffi"]], [])])
}

test_rm_cache_allowed if {
	run := mock_run(0, [["apk", "add", "curl"], ["rm", "-rf", "/var/cache/apk/*"]], [])
	count(deny) == 0 with input as mock_dockerfile([from(0, null), run])
}

test_cache_mount_allowed if {
	run := mock_run(0, [["apk", "add", "curl"]], [{"name": "mount", "value": "type=cache,target=/var/cache/apk"}])
	count(deny) == 0 with input as mock_dockerfile([from(0, null), run])
}

test_builder_stage_allowed if {
	count(deny) == 0 with input as mock_dockerfile([from(0, "build"), mock_run(0, [["apk", "add", "gcc"]], []), from(1, null)])
}
