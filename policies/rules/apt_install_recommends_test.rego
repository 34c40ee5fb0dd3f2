package rules.apt_install_recommends

import rego.v1

mock_from(stage, image, name) := {"cmd": "from", "stage": stage, "image": image, "name": name, "flags": []}

mock_run(stage, command, commands) := {"cmd": "run", "stage": stage, "command": command, "commands": commands, "pipes": [], "heredocs": [], "flags": []}

mock_dockerfile(instructions) := {"kind": "dockerfile", "document": {
	"instructions": instructions,
	"stages": [{"index": ins.stage, "name": ins.name, "base": ins.image} | some ins in instructions; ins.cmd == "from"],
}}

test_install_without_flag_denied if {
	run := mock_run(0, "apt-get update && apt-get install -y curl", [["apt-get", "update"], ["apt-get", "install", "-y", "curl"]])
	some f in deny with input as mock_dockerfile([mock_from(0, "debian:12", null), run])
	f.at == ["instructions", 1]
	contains(f.msg, "--no-install-recommends")
}

test_apt_install_denied if {
	run := mock_run(0, "apt install -y git", [["apt", "install", "-y", "git"]])
	count(deny) == 1 with input as mock_dockerfile([mock_from(0, "ubuntu:24.04", null), run])
}

test_install_with_flag_allowed if {
	run := mock_run(0, "apt-get install -y --no-install-recommends curl", [["apt-get", "install", "-y", "--no-install-recommends", "curl"]])
	count(deny) == 0 with input as mock_dockerfile([mock_from(0, "debian:12", null), run])
}

test_install_recommends_option_allowed if {
	run := mock_run(0, "apt-get -o APT::Install-Recommends=false install -y curl", [["apt-get", "-o", "APT::Install-Recommends=false", "install", "-y", "curl"]])
	count(deny) == 0 with input as mock_dockerfile([mock_from(0, "debian:12", null), run])
}

test_recommends_turned_off_earlier_allowed if {
	conf := mock_run(0, "echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/99norecommends", [["echo", "APT::Install-Recommends \"false\";"]])
	run := mock_run(0, "apt-get install -y curl", [["apt-get", "install", "-y", "curl"]])
	count(deny) == 0 with input as mock_dockerfile([mock_from(0, "debian:12", null), conf, run])
}

test_builder_stage_allowed if {
	run := mock_run(0, "apt-get install -y build-essential", [["apt-get", "install", "-y", "build-essential"]])
	instructions := [mock_from(0, "debian:12", "build"), run, mock_from(1, "gcr.io/distroless/cc-debian12", null)]
	count(deny) == 0 with input as mock_dockerfile(instructions)
}

test_install_under_sudo_denied if {
	run := mock_run(0, "sudo apt-get install -y curl", [["sudo", "apt-get", "install", "-y", "curl"]])
	count(deny) == 1 with input as mock_dockerfile([mock_from(0, "debian:12", null), run])
}
