package rules.wget_and_curl

import rego.v1

mock_run(commands, line) := {"cmd": "run", "stage": 0, "line": line, "json": false, "command": concat(" && ", [concat(" ", c) | some c in commands]), "commands": commands, "pipes": [], "heredocs": [], "flags": []}

mock_dockerfile(runs) := {"kind": "dockerfile", "document": {
	"instructions": array.concat([{"cmd": "from", "stage": 0, "image": "debian:12", "name": null, "line": 1}], runs),
	"stages": [{"index": 0, "name": null, "base": "debian:12"}],
}}

test_both_denied_at_second if {
	runs := [mock_run([["wget", "-q", "https://x/a"]], 2), mock_run([["curl", "-fsSL", "https://x/b"]], 3)]
	findings := deny with input as mock_dockerfile(runs)
	count(findings) == 1
	some f in findings
	f.at == ["instructions", 2]
	contains(f.msg, "uses curl, but the image already uses wget (line 2)")
}

test_one_tool_allowed if {
	runs := [mock_run([["curl", "-o", "a", "https://x/a"]], 2), mock_run([["curl", "-o", "b", "https://x/b"]], 3)]
	count(deny) == 0 with input as mock_dockerfile(runs)
}

test_mention_allowed if {
	runs := [mock_run([["curl", "-o", "a", "https://x/a"]], 2), mock_run([["apt-get", "purge", "-y", "wget"]], 3)]
	count(deny) == 0 with input as mock_dockerfile(runs)
}

test_same_run_denied if {
	some f in deny with input as mock_dockerfile([mock_run([["wget", "-q", "https://x/a"], ["curl", "-fsSL", "https://x/b"]], 2)])
	f.at == ["instructions", 1]
	contains(f.msg, "uses both wget and curl")
}
