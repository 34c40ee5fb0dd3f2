package rules.relative_workdir

import rego.v1

mock_dockerfile(path) := {"kind": "dockerfile", "document": {"instructions": [
	{"cmd": "from", "stage": 0, "image": "node:20"},
	{"cmd": "workdir", "stage": 0, "path": path},
]}}

test_relative_denied if {
	some f in deny with input as mock_dockerfile("app")
	f.at == ["instructions", 1, "path"]
	contains(f.msg, "such as /app")
}

test_dot_relative_denied if {
	some f in deny with input as mock_dockerfile("./src")
	contains(f.msg, "write the absolute path")
}

test_quoted_relative_denied if {
	count(deny) == 1 with input as mock_dockerfile("\"app\"")
}

test_absolute_allowed if {
	count(deny) == 0 with input as mock_dockerfile("/usr/src/app")
}

test_variable_allowed if {
	count(deny) == 0 with input as mock_dockerfile("$HOME/app")
}

test_windows_absolute_allowed if {
	count(deny) == 0 with input as mock_dockerfile("C:\\app")
}
