package rules.apt_instead_of_apt_get

import rego.v1

mock_run(commands) := {"cmd": "run", "stage": 0, "json": false, "command": concat(" && ", [concat(" ", c) | some c in commands]), "commands": commands, "pipes": [], "heredocs": [], "flags": []}

mock_dockerfile(run) := {"kind": "dockerfile", "document": {
	"instructions": [{"cmd": "from", "stage": 0, "image": "debian:12", "name": null}, run],
	"stages": [{"index": 0, "name": null, "base": "debian:12"}],
}}

test_apt_install_denied if {
	some f in deny with input as mock_dockerfile(mock_run([["apt", "update"], ["sudo", "apt", "install", "-y", "curl"]]))
	f.at == ["instructions", 1]
	contains(f.msg, "`apt install`, `apt update`")
}

test_apt_get_allowed if {
	count(deny) == 0 with input as mock_dockerfile(mock_run([["apt-get", "update"], ["apt-get", "install", "-y", "curl"]]))
}

test_apt_list_allowed if {
	count(deny) == 0 with input as mock_dockerfile(mock_run([["apt", "list", "--installed"]]))
}
