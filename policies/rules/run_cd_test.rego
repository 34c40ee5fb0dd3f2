package rules.run_cd

import rego.v1

mock_run(commands) := {"cmd": "run", "stage": 0, "json": false, "command": concat(" && ", [concat(" ", c) | some c in commands]), "commands": commands, "pipes": [], "heredocs": [], "flags": []}

mock_dockerfile(run) := {"kind": "dockerfile", "document": {
	"instructions": [{"cmd": "from", "stage": 0, "image": "debian:12", "name": null}, run],
	"stages": [{"index": 0, "name": null, "base": "debian:12"}],
}}

test_trailing_cd_denied if {
	some f in deny with input as mock_dockerfile(mock_run([["mkdir", "-p", "/app"], ["cd", "/app"]]))
	f.at == ["instructions", 1]
	contains(f.msg, "WORKDIR /app")
}

test_lone_cd_denied if {
	count(deny) == 1 with input as mock_dockerfile(mock_run([["cd", "/src"]]))
}

test_cd_then_command_allowed if {
	count(deny) == 0 with input as mock_dockerfile(mock_run([["cd", "/src"], ["make"]]))
}

test_echo_cd_allowed if {
	count(deny) == 0 with input as mock_dockerfile(mock_run([["echo", "cd", "/src"]]))
}

test_going_back_allowed if {
	every dir in ["..", "../..", "-", "~", "/"] {
		count(deny) == 0 with input as mock_dockerfile(mock_run([["cd", "/src"], ["make"], ["cd", dir]]))
	}
}
