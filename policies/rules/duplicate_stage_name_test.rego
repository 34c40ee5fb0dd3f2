package rules.duplicate_stage_name

import rego.v1

from(stage, name) := {"cmd": "from", "stage": stage, "image": "golang:1.22", "name": name, "line": stage + 1}

mock_dockerfile(instructions) := {"kind": "dockerfile", "document": {
	"instructions": instructions,
	"stages": [{"index": ins.stage, "name": ins.name, "base": ins.image, "from": i} | some i, ins in instructions; ins.cmd == "from"],
}}

test_duplicate_denied if {
	some f in deny with input as mock_dockerfile([from(0, "build"), from(1, "build")])
	f.at == ["instructions", 1]
	contains(f.msg, "stage 0 (line 1)")
}

test_distinct_allowed if {
	count(deny) == 0 with input as mock_dockerfile([from(0, "build"), from(1, "test"), from(2, null), from(3, null)])
}
