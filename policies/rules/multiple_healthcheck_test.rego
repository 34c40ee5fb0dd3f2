package rules.multiple_healthcheck

import rego.v1

hc(stage, line) := {"cmd": "healthcheck", "stage": stage, "line": line, "none": false}

from(stage, line) := {"cmd": "from", "stage": stage, "image": "nginx:1.27", "name": null, "line": line}

mock_dockerfile(instructions) := {"kind": "dockerfile", "document": {
	"instructions": instructions,
	"stages": [{"index": ins.stage, "name": ins.name, "base": ins.image} | some ins in instructions; ins.cmd == "from"],
}}

test_earlier_healthchecks_denied if {
	findings := deny with input as mock_dockerfile([from(0, 1), hc(0, 2), hc(0, 3), hc(0, 4)])
	count(findings) == 2
	some f in findings
	f.at == ["instructions", 1]
	contains(f.msg, "line 4")
}

test_one_per_stage_allowed if {
	count(deny) == 0 with input as mock_dockerfile([from(0, 1), hc(0, 2), from(1, 3), hc(1, 4)])
}
