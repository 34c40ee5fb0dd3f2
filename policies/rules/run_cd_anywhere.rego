package rules.run_cd_anywhere

import data.lib
import rego.v1

metadata := {
	"id": "CP730",
	"name": "run-cd-anywhere",
	"title": "RUN changes directory with cd",
	"severity": "info",
	"tags": ["hygiene"],
	"kinds": ["dockerfile"],
	"default_enabled": false,
	"why": "hadolint's DL3003 asks for WORKDIR wherever a RUN script uses `cd`: a script that moves around is harder to read than a Dockerfile that says where each step runs. It is a matter of taste: building from source (`cd /usr/src/app && ./configure && make`) is what `cd` is for, and the corpus' official images do it everywhere, so this rule is opt-in (the `strict` profile). A `cd` that ends a RUN, which changes nothing, is CP713, on by default.",
	"fix": "Set `WORKDIR <dir>` before the RUN instead of `cd <dir>` inside it, or keep the `cd` and leave this rule off.",
	"examples": [{"kind": "dockerfile", "bad": "FROM debian:12\nRUN cd /usr/src/app && make", "good": "FROM debian:12\nWORKDIR /usr/src/app\nRUN make"}],
}

# The `cd` commands of a RUN, as written; not one inside `$(…)`, a subshell
# whose directory the script does not keep (`$(cd "$dir" && pwd)`).
cds(ins) := [concat(" ", cmd) |
	some k, cmd in ins.commands
	object.get(ins, ["depths", k], 0) == 0
	lib.program(cmd) == "cd"
]

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some i, ins in input.document.instructions
	ins.cmd == "run"
	lib.run_mentions(ins, "cd")
	found := cds(ins)
	count(found) > 0
	msg := sprintf("`%s` inside RUN: set WORKDIR instead, so the Dockerfile says where each step runs", [concat("`, `", found)])
}
