package rules.consecutive_run

import rego.v1

run(line, commands, flags) := {"cmd": "run", "stage": 0, "line": line, "json": false, "flags": flags, "heredocs": [], "commands": commands}

dockerfile(instructions) := {"kind": "dockerfile", "document": {"instructions": array.concat([{"cmd": "from", "stage": 0, "line": 1, "image": "debian:12"}], instructions)}}

test_two_short_runs_denied if {
	some f in deny with input as dockerfile([run(2, [["apt-get", "update"]], []), run(3, [["apt-get", "install", "-y", "curl"]], [])])
	f.at == ["instructions", 2]
	contains(f.msg, "line 2")
}

test_different_flags_allowed if {
	mount := [{"name": "mount", "value": "type=cache,target=/root/.cache"}]
	count(deny) == 0 with input as dockerfile([run(2, [["make"]], []), run(3, [["pip", "install", "x"]], mount)])
}

test_long_script_allowed if {
	count(deny) == 0 with input as dockerfile([run(2, [["make"]], []), run(3, [["a"], ["b"], ["c"]], [])])
}

test_separated_runs_allowed if {
	env := {"cmd": "env", "stage": 0, "line": 3}
	count(deny) == 0 with input as dockerfile([run(2, [["make"]], []), env, run(4, [["make", "install"]], [])])
}

# `a=$(uname -m) && b`: the substitution's command is not one of the RUN's own.
test_substitution_commands_do_not_count if {
	long := object.union(run(3, [["uname", "-m"], ["a=$(uname -m)"], ["make"]], []), {"depths": [1, 0, 0]})
	count(deny) == 1 with input as dockerfile([run(2, [["true"]], []), long])
}
