package rules.apt_install_no_yes

import data.lib
import rego.v1

metadata := {
	"id": "CP714",
	"name": "apt-install-without-yes",
	"title": "apt-get install without -y",
	"severity": "warning",
	"tags": ["hygiene", "correctness"],
	"kinds": ["dockerfile"],
	"why": "A build has no terminal to answer apt's \"Do you want to continue?\": without `-y` the install aborts as soon as it needs more than the packages named, so the build depends on what the base image happens to contain.",
	"fix": "`apt-get install -y <packages>` (or `--yes`, `--assume-yes`, `-qq`).",
	"examples": [{"kind": "dockerfile", "bad": "FROM debian:12-slim\nRUN apt-get update && apt-get install --no-install-recommends curl", "good": "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl"}],
}

# `-y`, `--yes`, `--assume-yes`, `-qq` (implies -y), combined short options
# such as `-qy`, and `-o APT::Get::Assume-Yes=true`.
assumes_yes(args) if {
	some w in args
	w in {"--yes", "--assume-yes", "-qq", "-q=2", "--quiet=2", "--force-yes"}
}

assumes_yes(args) if {
	some w in args
	regex.match(`^-[a-zA-Z]*y[a-zA-Z]*$`, w)
}

assumes_yes(args) if {
	some w in args
	contains(w, "Assume-Yes")
}

# `yes | apt-get install …` answers the question itself.
fed_by_yes(ins, k) if {
	some pipe in ins.pipes
	pipe[1] == k
	a := pipe[0]
	lib.program(ins.commands[a]) == "yes"
}

# An earlier RUN wrote `APT::Get::Assume-Yes "true";` into apt's configuration.
configured_before(i) if {
	some j, ins in input.document.instructions
	j < i
	ins.cmd == "run"
	lib.run_mentions(ins, "Assume-Yes")
}

configured_before(i) if {
	some j, ins in input.document.instructions
	j < i
	ins.cmd in {"env", "arg"}
	some pair in ins.pairs
	pair.key == "APT_CONFIG"
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some [i, ins, k, cmd] in lib.program_runs("apt-get")
	args := lib.program_args(cmd)
	"install" in args
	not assumes_yes(args)
	not fed_by_yes(ins, k)
	not configured_before(i)
	msg := "`apt-get install` without `-y` aborts at apt's confirmation prompt, which a build cannot answer; add `-y`"
}
