package rules.multiple_healthcheck

import rego.v1

metadata := {
	"id": "CP723",
	"name": "multiple-healthchecks",
	"title": "Several HEALTHCHECKs in one stage",
	"severity": "warning",
	"tags": ["correctness", "health"],
	"kinds": ["dockerfile"],
	"why": "Only the last `HEALTHCHECK` of a stage takes effect: an earlier one is silently replaced, so the check a reader sees first is not the one that runs.",
	"fix": "Keep one `HEALTHCHECK` per stage, the one you mean.",
	"examples": [{"kind": "dockerfile", "bad": "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/\nHEALTHCHECK CMD curl -f http://localhost/healthz", "good": "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/healthz"}],
}

# Every HEALTHCHECK but the last of its stage is replaced by a later one.
deny contains {"msg": msg, "at": ["instructions", i]} if {
	some i, ins in input.document.instructions
	ins.cmd == "healthcheck"
	later := [j |
		some j, other in input.document.instructions
		j > i
		other.cmd == "healthcheck"
		other.stage == ins.stage
	]
	count(later) > 0
	msg := sprintf("this HEALTHCHECK is replaced by the one on line %d of the same stage, so it never runs; keep one", [input.document.instructions[later[count(later) - 1]].line])
}
