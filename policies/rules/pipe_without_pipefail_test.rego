package rules.pipe_without_pipefail

import rego.v1

mock_from(stage, image) := {"cmd": "from", "stage": stage, "image": image, "name": null, "flags": []}

mock_shell(stage, args) := {"cmd": "shell", "stage": stage, "args": args}

mock_run(stage, commands, pipes) := {"cmd": "run", "stage": stage, "command": "", "commands": commands, "pipes": pipes, "heredocs": [], "flags": []}

mock_dockerfile(instructions) := {"kind": "dockerfile", "document": {
	"instructions": instructions,
	"stages": [{"index": ins.stage, "name": ins.name, "base": ins.image} | some ins in instructions; ins.cmd == "from"],
}}

download := mock_run(0, [["curl", "-fsSL", "https://x/t.tgz"], ["tar", "-xz"]], [[0, 1]])

test_pipe_denied if {
	some f in deny with input as mock_dockerfile([mock_from(0, "debian:12"), download])
	f.at == ["instructions", 1]
	contains(f.msg, "`curl` into `tar`")
}

test_pipefail_shell_allowed if {
	count(deny) == 0 with input as mock_dockerfile([mock_from(0, "debian:12"), mock_shell(0, ["/bin/bash", "-o", "pipefail", "-c"]), download])
}

test_set_pipefail_allowed if {
	run := mock_run(0, [["set", "-eo", "pipefail"], ["curl", "x"], ["tar", "-x"]], [[1, 2]])
	count(deny) == 0 with input as mock_dockerfile([mock_from(0, "debian:12"), run])
}

test_powershell_allowed if {
	count(deny) == 0 with input as mock_dockerfile([mock_from(0, "debian:12"), mock_shell(0, ["pwsh", "-Command"]), download])
}

test_shell_without_pipefail_denied if {
	count(deny) == 1 with input as mock_dockerfile([mock_from(0, "debian:12"), mock_shell(0, ["/bin/bash", "-c"]), download])
}

test_echo_source_allowed if {
	run := mock_run(0, [["echo", "deb x"], ["tee", "/etc/apt/sources.list"]], [[0, 1]])
	count(deny) == 0 with input as mock_dockerfile([mock_from(0, "debian:12"), run])
}

test_no_pipe_allowed if {
	run := mock_run(0, [["curl", "-o", "x"], ["tar", "-xf", "x"]], [])
	count(deny) == 0 with input as mock_dockerfile([mock_from(0, "debian:12"), run])
}

# `a | b "$(c)"`: c runs first, so the pipe pairs commands 0 and 2.
test_pipe_pair_names_its_own_commands if {
	run := mock_run(0, [["curl", "x"], ["uname", "-m"], ["tar", "-x", "$(uname -m)"]], [[0, 2]])
	some f in deny with input as mock_dockerfile([mock_from(0, "debian:12"), run])
	contains(f.msg, "`curl` into `tar`")
}
