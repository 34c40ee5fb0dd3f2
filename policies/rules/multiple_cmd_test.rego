package rules.multiple_cmd

import rego.v1

mock_ins(cmd, stage, line) := {"cmd": cmd, "stage": stage, "line": line}

mock_dockerfile(instructions) := {"kind": "dockerfile", "document": {"instructions": instructions}}

test_two_cmd_in_a_stage_denied if {
	instructions := [mock_ins("from", 0, 1), mock_ins("cmd", 0, 5), mock_ins("cmd", 0, 9)]
	some f in deny with input as mock_dockerfile(instructions)
	f.at == ["instructions", 1]
	contains(f.msg, "line 9")
}

test_two_entrypoint_denied if {
	instructions := [mock_ins("from", 0, 1), mock_ins("entrypoint", 0, 2), mock_ins("cmd", 0, 3), mock_ins("entrypoint", 0, 4)]
	some f in deny with input as mock_dockerfile(instructions)
	f.at == ["instructions", 1]
	startswith(f.msg, "this ENTRYPOINT")
}

test_cmd_and_entrypoint_allowed if {
	instructions := [mock_ins("from", 0, 1), mock_ins("entrypoint", 0, 2), mock_ins("cmd", 0, 3)]
	count(deny) == 0 with input as mock_dockerfile(instructions)
}

test_one_cmd_per_stage_allowed if {
	instructions := [mock_ins("from", 0, 1), mock_ins("cmd", 0, 2), mock_ins("from", 1, 3), mock_ins("cmd", 1, 4)]
	count(deny) == 0 with input as mock_dockerfile(instructions)
}
