package rules.wget_progress

import rego.v1

mock_run(commands) := {"cmd": "run", "stage": 0, "json": false, "command": concat(" && ", [concat(" ", c) | some c in commands]), "commands": commands, "pipes": [], "heredocs": [], "flags": []}

mock_dockerfile(run) := {"kind": "dockerfile", "document": {
	"instructions": [{"cmd": "from", "stage": 0, "image": "debian:12", "name": null}, run],
	"stages": [{"index": 0, "name": null, "base": "debian:12"}],
}}

test_plain_wget_denied if {
	some f in deny with input as mock_dockerfile(mock_run([["then", "wget", "-O", "/tmp/a", "https://x/a"]]))
	f.at == ["instructions", 1]
	contains(f.msg, "--progress")
}

test_quiet_variants_allowed if {
	every flag in ["-q", "-qO-", "--quiet", "-nv", "--progress=dot:giga", "--no-verbose"] {
		count(deny) == 0 with input as mock_dockerfile(mock_run([["wget", flag, "https://x/a"]]))
	}
}
