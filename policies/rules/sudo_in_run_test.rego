package rules.sudo_in_run

import rego.v1

mock_run(command, commands) := {"cmd": "run", "stage": 0, "command": command, "commands": commands, "pipes": [], "heredocs": [], "flags": []}

mock_dockerfile(run) := {"kind": "dockerfile", "document": {"instructions": [{"cmd": "from", "stage": 0, "image": "ubuntu:24.04"}, run]}}

test_sudo_denied if {
	some f in deny with input as mock_dockerfile(mock_run("sudo apt-get update", [["sudo", "apt-get", "update"]]))
	f.at == ["instructions", 1]
	contains(f.msg, "USER root")
}

test_sudo_after_assignment_denied if {
	run := mock_run("DEBIAN_FRONTEND=noninteractive sudo apt-get install -y curl", [["DEBIAN_FRONTEND=noninteractive", "sudo", "apt-get", "install", "-y", "curl"]])
	count(deny) == 1 with input as mock_dockerfile(run)
}

test_sudo_in_if_denied if {
	run := mock_run("if [ -f x ]; then sudo rm x; fi", [["if", "[", "-f", "x", "]"], ["then", "sudo", "rm", "x"], ["fi"]])
	count(deny) == 1 with input as mock_dockerfile(run)
}

test_installing_sudo_allowed if {
	run := mock_run("apt-get install -y sudo", [["apt-get", "install", "-y", "sudo"]])
	count(deny) == 0 with input as mock_dockerfile(run)
}

test_sudoers_file_allowed if {
	run := mock_run("echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app", [["echo", "app ALL=(ALL) NOPASSWD: ALL"]])
	count(deny) == 0 with input as mock_dockerfile(run)
}
