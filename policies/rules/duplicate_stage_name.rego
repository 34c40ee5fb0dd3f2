package rules.duplicate_stage_name

import rego.v1

metadata := {
	"id": "CP720",
	"name": "duplicate-stage-name",
	"title": "Two stages with the same name",
	"severity": "error",
	"profile": "minimal",
	"tags": ["correctness"],
	"kinds": ["dockerfile"],
	"why": "Stage names are case-insensitive and must be unique: BuildKit refuses a second `AS build`, and older builders silently resolve `--from=build` to one of the two.",
	"fix": "Rename one of the stages, and update the `COPY --from` / `FROM` lines that name it.",
	"examples": [{"kind": "dockerfile", "bad": "FROM golang:1.22 AS build\nFROM node:20 AS build", "good": "FROM golang:1.22 AS build-go\nFROM node:20 AS build-web"}],
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some i, ins in input.document.instructions
	ins.cmd == "from"
	is_string(ins.name)
	some s in input.document.stages
	s.index < ins.stage
	s.name == ins.name
	msg := sprintf("stage name `%s` is already used by stage %d (line %d); give this stage another name", [ins.name, s.index, input.document.instructions[s.from].line])
}
