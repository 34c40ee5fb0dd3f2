package rules.copy_relative_without_workdir

import rego.v1

from(stage, line, image, name) := {"cmd": "from", "stage": stage, "line": line, "image": image, "name": name}

workdir(stage, line) := {"cmd": "workdir", "stage": stage, "line": line, "path": "/app"}

copy(stage, line, dest) := {"cmd": "copy", "stage": stage, "line": line, "flags": [], "sources": ["src"], "dest": dest}

dockerfile(stages, instructions) := {"kind": "dockerfile", "document": {"stages": stages, "instructions": instructions}}

stage(index, base, name) := {"index": index, "base": base, "name": name}

one_stage(instructions) := dockerfile([stage(0, "node:20", null)], instructions)

test_relative_without_workdir_denied if {
	some f in deny with input as one_stage([from(0, 1, "node:20", null), copy(0, 2, ".")])
	f.at == ["instructions", 1, "dest"]
	contains(f.msg, "COPY to \".\" before any WORKDIR")
}

test_add_relative_denied if {
	add := object.union(copy(0, 2, "app/"), {"cmd": "add"})
	count(deny) == 1 with input as one_stage([from(0, 1, "node:20", null), add])
}

test_workdir_after_copy_still_denied if {
	count(deny) == 1 with input as one_stage([from(0, 1, "node:20", null), copy(0, 2, "app"), workdir(0, 3)])
}

test_workdir_before_allowed if {
	count(deny) == 0 with input as one_stage([from(0, 1, "node:20", null), workdir(0, 2), copy(0, 3, ".")])
}

test_absolute_destinations_allowed if {
	ins := [from(0, 1, "node:20", null), copy(0, 2, "/app/"), copy(0, 3, "$APP_HOME"), copy(0, 4, "C:\\app"), copy(0, 5, "c:/app"), copy(0, 6, "\"/quoted\"")]
	count(deny) == 0 with input as one_stage(ins)
}

test_workdir_inherited_from_parent_stage if {
	stages := [stage(0, "node:20", "base"), stage(1, "base", null)]
	ins := [from(0, 1, "node:20", "base"), workdir(0, 2), from(1, 3, "base", null), copy(1, 4, ".")]
	count(deny) == 0 with input as dockerfile(stages, ins)
}

test_workdir_inherited_through_two_stages if {
	stages := [stage(0, "node:20", "a"), stage(1, "a", "b"), stage(2, "b", null)]
	ins := [from(0, 1, "node:20", "a"), workdir(0, 2), from(1, 3, "a", "b"), from(2, 4, "b", null), copy(2, 5, ".")]
	count(deny) == 0 with input as dockerfile(stages, ins)
}

test_workdir_of_unrelated_stage_not_inherited if {
	stages := [stage(0, "node:20", "build"), stage(1, "nginx:1.27", null)]
	ins := [from(0, 1, "node:20", "build"), workdir(0, 2), from(1, 3, "nginx:1.27", null), copy(1, 4, "html")]
	some f in deny with input as dockerfile(stages, ins)
	f.resource == "stage 1"
}

test_scratch_stage_allowed if {
	stages := [stage(0, "golang:1.22", "build"), stage(1, "scratch", "bin"), stage(2, "bin", null)]
	ins := [from(0, 1, "golang:1.22", "build"), from(1, 2, "scratch", "bin"), copy(1, 3, "."), from(2, 4, "bin", null), copy(2, 5, "app")]
	count(deny) == 0 with input as dockerfile(stages, ins)
}
