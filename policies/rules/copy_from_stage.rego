package rules.copy_from_stage

import rego.v1

metadata := {
	"id": "CP719",
	"name": "copy-from-invalid-stage",
	"title": "COPY --from its own stage or a later one",
	"severity": "error",
	"profile": "minimal",
	"tags": ["correctness"],
	"kinds": ["dockerfile"],
	"why": "`COPY --from` reads an earlier stage: naming the stage it is in, a later stage, or a stage number that does not exist before it is a dependency cycle or a typo, and the build fails or copies from a registry image of that name. A name that is no stage at all is not reported: it may be an image or a named build context (`--build-context name=…`).",
	"fix": "Point `--from` at an earlier stage (by its `AS` name or its index), or move the stage it needs before this one.",
	"examples": [{"kind": "dockerfile", "bad": "FROM golang:1.22 AS build\nCOPY --from=build /src /src", "good": "FROM golang:1.22 AS src\nCOPY . /src\nFROM golang:1.22 AS build\nCOPY --from=src /src /src"}],
}

from_flag(ins) := lower(f.value) if {
	some f in ins.flags
	f.name == "from"
	is_string(f.value)
}

# Stage indexes a `--from` value names: by `AS` name, or by number.
named(value) := by_name | by_number if {
	by_name := {s.index | some s in input.document.stages; s.name == value}
	by_number := {to_number(value) | regex.match(`^[0-9]+$`, value)}
}

problem(ins, value) := "names the stage it is in" if ins.stage in named(value)

problem(ins, value) := "names a later stage" if {
	not ins.stage in named(value)
	count(named(value)) > 0
	every s in named(value) {
		s > ins.stage
	}
	every s in named(value) {
		s < count(input.document.stages)
	}
}

problem(ins, value) := sprintf("names stage %s, but the Dockerfile has %d", [value, count(input.document.stages)]) if {
	regex.match(`^[0-9]+$`, value)
	to_number(value) >= count(input.document.stages)
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some i, ins in input.document.instructions
	ins.cmd in {"copy", "add"}
	value := from_flag(ins)
	why := problem(ins, value)
	msg := sprintf("`%s --from=%s` %s; copy from an earlier stage instead", [upper(ins.cmd), value, why])
}
