package rules.rpm_cache_not_cleaned

import rego.v1

mock_run(stage, commands, flags) := {"cmd": "run", "stage": stage, "json": false, "command": concat(" && ", [concat(" ", c) | some c in commands]), "commands": commands, "pipes": [], "heredocs": [], "flags": flags}

mock_dockerfile(instructions) := {"kind": "dockerfile", "document": {
	"instructions": instructions,
	"stages": [{"index": ins.stage, "name": ins.name, "base": ins.image} | some ins in instructions; ins.cmd == "from"],
}}

from(stage, name) := {"cmd": "from", "stage": stage, "image": "rockylinux:9", "name": name}

test_dnf_install_denied if {
	some f in deny with input as mock_dockerfile([from(0, null), mock_run(0, [["dnf", "install", "-y", "httpd"]], [])])
	f.at == ["instructions", 1]
	contains(f.msg, "dnf clean all")
}

test_zypper_in_denied if {
	some f in deny with input as mock_dockerfile([from(0, null), mock_run(0, [["zypper", "-n", "in", "curl"]], [])])
	contains(f.msg, "zypper clean --all")
}

test_clean_allowed if {
	every cmds in [
		[["yum", "install", "-y", "x"], ["yum", "clean", "all"]],
		[["microdnf", "install", "x"], ["microdnf", "clean", "all"]],
		[["dnf", "install", "-y", "x"], ["rm", "-rf", "/var/cache/dnf"]],
		[["zypper", "in", "-y", "x"], ["zypper", "cc", "-a"]],
	] {
		count(deny) == 0 with input as mock_dockerfile([from(0, null), mock_run(0, cmds, [])])
	}
}

test_cache_mount_allowed if {
	run := mock_run(0, [["dnf", "install", "-y", "x"]], [{"name": "mount", "value": "type=cache,target=/var/cache/dnf"}])
	count(deny) == 0 with input as mock_dockerfile([from(0, null), run])
}

test_builder_stage_allowed if {
	count(deny) == 0 with input as mock_dockerfile([from(0, "build"), mock_run(0, [["dnf", "install", "-y", "gcc"]], []), from(1, null)])
}
