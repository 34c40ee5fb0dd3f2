package rules.multiple_cmd

import rego.v1

metadata := {
	"id": "CP707",
	"name": "multiple-cmd",
	"title": "Several CMD or ENTRYPOINT in one stage",
	"severity": "warning",
	"tags": ["hygiene"],
	"kinds": ["dockerfile"],
	"why": "Only the last CMD (and the last ENTRYPOINT) of a stage takes effect; the earlier ones are dead code that misleads readers.",
	"fix": "Keep one CMD and at most one ENTRYPOINT per stage; delete the others.",
	"examples": [{"kind": "dockerfile", "bad": "CMD [\"serve\"]\nCMD [\"worker\"]", "good": "CMD [\"worker\"]"}],
}

# Indexes of CMD and ENTRYPOINT instructions: a handful per file.
starts := [i | some i, ins in input.document.instructions; ins.cmd in {"cmd", "entrypoint"}]

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some i in starts
	ins := input.document.instructions[i]
	later := [j |
		some j in starts
		j > i
		input.document.instructions[j].cmd == ins.cmd
		input.document.instructions[j].stage == ins.stage
	]
	count(later) > 0
	last := input.document.instructions[later[count(later) - 1]]
	msg := sprintf("this %s is overridden by the one on line %v and never takes effect; remove it", [upper(ins.cmd), last.line])
}
