package rules.install_without_yes

import rego.v1

mock_run(commands, pipes) := {"cmd": "run", "stage": 0, "json": false, "command": concat(" && ", [concat(" ", c) | some c in commands]), "commands": commands, "pipes": pipes, "heredocs": [], "flags": []}

mock_dockerfile(runs) := {"kind": "dockerfile", "document": {
	"instructions": array.concat([{"cmd": "from", "stage": 0, "image": "debian:12", "name": null}], runs),
	"stages": [{"index": 0, "name": null, "base": "debian:12"}],
}}

test_install_without_yes_denied if {
	some f in deny with input as mock_dockerfile([mock_run([["apt-get", "update"], ["apt-get", "install", "curl"]], [])])
	f.at == ["instructions", 1]
	contains(f.msg, "-y")
}

test_behind_wrapper_denied if {
	count(deny) == 1 with input as mock_dockerfile([mock_run([["then", "gosu", "root", "apt-get", "install", "curl"]], [])])
}

test_yes_variants_allowed if {
	every flag in ["-y", "--yes", "--assume-yes", "-qq", "-qy", "-yq"] {
		count(deny) == 0 with input as mock_dockerfile([mock_run([["apt-get", "install", flag, "curl"]], [])])
	}
}

test_simulate_allowed if {
	count(deny) == 0 with input as mock_dockerfile([mock_run([["if", "apt-get", "install", "-s", "libfoo"]], [])])
}

test_piped_yes_allowed if {
	count(deny) == 0 with input as mock_dockerfile([mock_run([["yes"], ["apt-get", "install", "curl"]], [[0, 1]])])
}

test_configured_before_allowed if {
	conf := mock_run([["echo", "APT::Get::Assume-Yes \"true\";"]], [])
	count(deny) == 0 with input as mock_dockerfile([conf, mock_run([["apt-get", "install", "curl"]], [])])
}

test_rpm_install_without_yes_denied if {
	every cmd in [["yum", "install", "httpd"], ["dnf", "install", "httpd"], ["zypper", "install", "curl"]] {
		some f in deny with input as mock_dockerfile([mock_run([cmd], [])])
		contains(f.msg, "without `-y`")
	}
}

test_rpm_yes_allowed if {
	every cmd in [["yum", "-y", "install", "httpd"], ["dnf", "install", "--assumeyes", "httpd"], ["zypper", "-n", "in", "curl"], ["zypper", "install", "-y", "curl"], ["yum", "clean", "all"]] {
		count(deny) == 0 with input as mock_dockerfile([mock_run([cmd], [])])
	}
}
