package rules.consecutive_run

import rego.v1

metadata := {
	"id": "CP731",
	"name": "consecutive-run",
	"title": "Short RUN instructions in a row",
	"severity": "info",
	"tags": ["hygiene"],
	"kinds": ["dockerfile"],
	"default_enabled": false,
	"why": "hadolint's DL3059: two RUN instructions in a row, with the same flags and at most two commands each, make two layers where one would do. With BuildKit a layer costs little and separate RUNs cache separately, so this is a matter of taste and the rule is opt-in (the `strict` profile). As in hadolint, RUNs with different flags (`--mount`, `--network`) or longer scripts, which were kept apart deliberately, are not reported.",
	"fix": "Join the two RUNs with `&&` (or a heredoc), or leave this rule off if the separate layers are meant.",
	"examples": [{"kind": "dockerfile", "bad": "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl", "good": "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl"}],
}

# At most two commands of its own (those inside `$(…)` do not count).
short(ins) if count(ins.commands) - count([d | some d in object.get(ins, "depths", []); d > 0]) <= 2

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some i, ins in input.document.instructions
	i > 0
	ins.cmd == "run"
	prev := input.document.instructions[i - 1]
	prev.cmd == "run"
	prev.stage == ins.stage
	prev.flags == ins.flags
	short(ins)
	short(prev)
	msg := sprintf("this RUN follows the RUN of line %v with the same flags; one RUN joined with `&&` makes one layer", [prev.line])
}
