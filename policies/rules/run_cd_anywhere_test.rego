package rules.run_cd_anywhere

import rego.v1

run(commands) := {"kind": "dockerfile", "document": {"instructions": [
	{"cmd": "from", "stage": 0, "image": "debian:12"},
	{"cmd": "run", "stage": 0, "json": false, "flags": [], "heredocs": [], "command": concat(" && ", [concat(" ", c) | some c in commands]), "commands": commands},
]}}

test_cd_in_chain_denied if {
	some f in deny with input as run([["cd", "/src"], ["make"]])
	f.at == ["instructions", 1]
	contains(f.msg, "`cd /src` inside RUN")
}

test_cd_after_sudo_denied if {
	count(deny) == 1 with input as run([["apt-get", "update"], ["sudo", "cd", "/x"]])
}

test_no_cd_allowed if {
	count(deny) == 0 with input as run([["make"], ["echo", "cd"]])
}

test_cdrom_word_allowed if {
	count(deny) == 0 with input as run([["ls", "/media/cdrom"]])
}

test_one_finding_per_run if {
	fs := deny with input as run([["cd", "/src"], ["make"], ["cd", "/"]])
	count(fs) == 1
	some f in fs
	contains(f.msg, "`cd /src`, `cd /` inside RUN")
}

# `$(cd "$dir" && pwd)` runs in a subshell: the script stays where it was.
test_cd_in_substitution_allowed if {
	doc := run([["cd", "/src"], ["pwd"], ["echo", "$(cd /src && pwd)"]])
	ins := object.union(doc.document.instructions[1], {"depths": [1, 1, 0]})
	count(deny) == 0 with input as {"kind": "dockerfile", "document": {"instructions": [doc.document.instructions[0], ins]}}
}
