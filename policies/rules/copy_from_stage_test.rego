package rules.copy_from_stage

import rego.v1

from(stage, name) := {"cmd": "from", "stage": stage, "image": "golang:1.22", "name": name, "flags": []}

copy_from(stage, value) := {"cmd": "copy", "stage": stage, "flags": [{"name": "from", "value": value}], "sources": ["/src"], "dest": "/src"}

mock_dockerfile(instructions) := {"kind": "dockerfile", "document": {
	"instructions": instructions,
	"stages": [{"index": ins.stage, "name": ins.name, "base": ins.image} | some ins in instructions; ins.cmd == "from"],
}}

test_own_stage_denied if {
	some f in deny with input as mock_dockerfile([from(0, "build"), copy_from(0, "build")])
	f.at == ["instructions", 1]
	contains(f.msg, "the stage it is in")
}

test_own_index_denied if {
	count(deny) == 1 with input as mock_dockerfile([from(0, null), from(1, null), copy_from(1, "1")])
}

test_later_stage_denied if {
	some f in deny with input as mock_dockerfile([from(0, null), copy_from(0, "assets"), from(1, "assets")])
	contains(f.msg, "later stage")
}

test_missing_index_denied if {
	some f in deny with input as mock_dockerfile([from(0, null), copy_from(0, "3")])
	contains(f.msg, "has 1")
}

test_earlier_stage_allowed if {
	count(deny) == 0 with input as mock_dockerfile([from(0, "build"), from(1, null), copy_from(1, "build"), copy_from(1, "0")])
}

test_image_or_context_allowed if {
	count(deny) == 0 with input as mock_dockerfile([from(0, null), copy_from(0, "nginx:1.27"), copy_from(0, "sources")])
}
