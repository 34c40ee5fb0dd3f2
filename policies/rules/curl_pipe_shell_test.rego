package rules.curl_pipe_shell

import rego.v1

mock_run(command, commands, pipes) := {"cmd": "run", "stage": 0, "command": command, "commands": commands, "pipes": pipes, "heredocs": [], "flags": []}

mock_dockerfile(run) := {"kind": "dockerfile", "document": {"instructions": [{"cmd": "from", "stage": 0, "image": "debian:12"}, run]}}

test_curl_into_sh_denied if {
	run := mock_run("curl -fsSL https://example.com/install.sh | sh", [["curl", "-fsSL", "https://example.com/install.sh"], ["sh"]], [[0, 1]])
	some f in deny with input as mock_dockerfile(run)
	f.at == ["instructions", 1]
	contains(f.msg, "verify its checksum")
}

test_wget_into_sudo_bash_denied if {
	run := mock_run(
		"wget -qO- https://example.com/setup | sudo -E bash -s -- --yes",
		[["wget", "-qO-", "https://example.com/setup"], ["sudo", "-E", "bash", "-s", "--", "--yes"]],
		[[0, 1]],
	)
	count(deny) == 1 with input as mock_dockerfile(run)
}

test_curl_into_python_stdin_denied if {
	run := mock_run("curl -sSL https://install.python-poetry.org | python3 -", [["curl", "-sSL", "https://install.python-poetry.org"], ["python3", "-"]], [[0, 1]])
	count(deny) == 1 with input as mock_dockerfile(run)
}

test_command_substitution_denied if {
	run := mock_run("sh -c \"$(curl -fsSL https://example.com/install.sh)\"", [["sh", "-c", "$(curl -fsSL https://example.com/install.sh)"]], [])
	count(deny) == 1 with input as mock_dockerfile(run)
}

test_curl_into_python_parser_allowed if {
	run := mock_run(
		"curl -fsSL https://api.github.com/repos/x/y/releases/latest | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"tag_name\"])'",
		[["curl", "-fsSL", "https://api.github.com/repos/x/y/releases/latest"], ["python3", "-c", "import json,sys; print(json.load(sys.stdin)[\"tag_name\"])"]],
		[[0, 1]],
	)
	count(deny) == 0 with input as mock_dockerfile(run)
}

test_download_then_verify_allowed if {
	run := mock_run(
		"curl -fsSLo install.sh https://example.com/install.sh && sha256sum -c install.sh.sha256 && sh install.sh",
		[["curl", "-fsSLo", "install.sh", "https://example.com/install.sh"], ["sha256sum", "-c", "install.sh.sha256"], ["sh", "install.sh"]],
		[],
	)
	count(deny) == 0 with input as mock_dockerfile(run)
}

test_curl_into_tar_allowed if {
	run := mock_run("curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local/bin", [["curl", "-fsSL", "https://example.com/tool.tgz"], ["tar", "-xz", "-C", "/usr/local/bin"]], [[0, 1]])
	count(deny) == 0 with input as mock_dockerfile(run)
}
