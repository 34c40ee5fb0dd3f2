package rules.image_unresolved

import rego.v1

mock_input(img, instructions) := {
	"kind": "dockerfile",
	"document": {"instructions": instructions},
	"images": [object.union(
		{"resource": "stage 0", "at": ["instructions", count(instructions) - 1, "image"]},
		img,
	)],
}

bare_arg(name) := {"cmd": "arg", "stage": -1, "pairs": [{"key": name, "value": null}]}

from_ins := {"cmd": "from", "stage": 0}

test_arg_without_default_reported if {
	img := {"ref": "python:${TAG}", "written": "python:${TAG}", "unresolved": ["TAG"]}
	some f in deny with input as mock_input(img, [bare_arg("TAG"), from_ins])
	contains(f.msg, "`TAG` has no default")
	contains(f.msg, "ARG TAG=<value>")
	f.at == ["instructions", 1, "image"]
}

test_undeclared_variable_says_so if {
	img := {"ref": "$BASE", "written": "$BASE", "unresolved": ["BASE"]}
	some f in deny with input as mock_input(img, [from_ins])
	contains(f.msg, "`BASE` is not declared before the first FROM")
}

test_resolved_reference_allowed if {
	img := {"ref": "python:3.12", "written": "python:${TAG}", "unresolved": []}
	count(deny) == 0 with input as mock_input(img, [from_ins])
}

test_platform_argument_allowed if {
	img := {"ref": "app:${TARGETARCH}", "written": "app:${TARGETARCH}", "unresolved": ["TARGETARCH"]}
	count(deny) == 0 with input as mock_input(img, [from_ins])
}

test_copy_from_not_judged if {
	img := {
		"ref": "$IMG", "written": "$IMG", "unresolved": ["IMG"],
		"at": ["instructions", 1, "flags", 0, "value"],
	}
	count(deny) == 0 with input as mock_input(img, [from_ins, {"cmd": "copy", "stage": 0}])
}

test_empty_default_says_so if {
	img := {"ref": "servercore:${TAG}", "written": "servercore:${TAG}", "unresolved": ["TAG"]}
	ins := [{"cmd": "arg", "stage": -1, "pairs": [{"key": "TAG", "value": "1"}]}, {"cmd": "arg", "stage": -1, "pairs": [{"key": "TAG", "value": ""}]}, from_ins]
	some f in deny with input as mock_input(img, ins)
	contains(f.msg, "`TAG` has an empty default")
}
