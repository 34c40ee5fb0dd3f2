package rules.copy_relative_without_workdir

import data.lib
import rego.v1

metadata := {
	"id": "CP729",
	"name": "copy-relative-without-workdir",
	"title": "COPY to a relative destination before any WORKDIR",
	"severity": "warning",
	"tags": ["hygiene"],
	"kinds": ["dockerfile"],
	"why": "A relative COPY or ADD destination is resolved against the working directory, which, before the first WORKDIR of the stage (or of the stage it is built `FROM`), is whatever the base image left: `/` for most images, something else for others, and it changes when the base image does (a stage `FROM scratch` starts in `/` and is not reported). Reading the file does not tell where the files land. hadolint reports it as DL3045.",
	"fix": "Set `WORKDIR /app` before the COPY, or give the destination as an absolute path.",
	"examples": [{"kind": "dockerfile", "bad": "FROM node:20\nCOPY package.json .", "good": "FROM node:20\nWORKDIR /app\nCOPY package.json ."}],
}

absolute(path) if startswith(path, "/")

# A variable may expand to an absolute path.
absolute(path) if startswith(path, "$")

# Windows: `C:\app`, `C:/app`.
absolute(path) if regex.match(`^[A-Za-z]:[\\/]`, path)

# Stages whose WORKDIR a stage starts from: itself and, through `FROM
# alias`, the stages it builds on.
lineage(s) := graph.reachable(
	{t: [p | p := lib.stage_parent(t)] | some t, _ in input.document.stages},
	{s},
)

# The line of the first WORKDIR of a stage.
first_workdir(s) := min([ins.line | some ins in input.document.instructions; ins.cmd == "workdir"; ins.stage == s])

# A WORKDIR set before line `line` in stage `s` or in a stage it builds on
# (those come earlier in the file, so any of their WORKDIRs counts).
workdir_before(s, line) if first_workdir(s) < line

workdir_before(s, _) if {
	some p in lineage(s)
	p != s
	first_workdir(p)
}

# A stage built on `scratch` starts in `/`: there is no base image to move it.
from_scratch(s) if {
	some p in lineage(s)
	lower(input.document.stages[p].base) == "scratch"
}

deny contains {"msg": msg, "at": ["instructions", i, "dest"], "resource": sprintf("stage %v", [ins.stage])} if {
	some i, ins in input.document.instructions
	ins.cmd in {"copy", "add"}
	is_string(ins.dest)
	dest := trim(ins.dest, "\"'")
	not absolute(dest)
	not workdir_before(ins.stage, ins.line)
	not from_scratch(ins.stage)
	msg := sprintf("%s to %q before any WORKDIR: the files land wherever the base image's working directory is; set WORKDIR first or use an absolute path", [upper(ins.cmd), dest])
}
