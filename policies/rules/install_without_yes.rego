package rules.install_without_yes

import data.lib
import rego.v1

metadata := {
	"id": "CP714",
	"name": "install-without-yes",
	"title": "Package install without -y",
	"severity": "warning",
	"tags": ["hygiene", "correctness"],
	"kinds": ["dockerfile"],
	"why": "A build has no terminal to answer \"Is this ok [y/N]\": without `-y` an `apt-get`, `yum` or `dnf` install aborts as soon as it needs more than the packages named (apt-get), or at once (yum, dnf), and `zypper install` without `-n` waits for an answer. The build then depends on what the base image happens to contain.",
	"fix": "`apt-get install -y` (or `--yes`, `--assume-yes`, `-qq`), `yum install -y`, `dnf install -y`, `zypper --non-interactive install` (or `zypper install -y`).",
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
	lib.short_flags_with(w, "y")
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

# yum, dnf and zypper: `-y`/`--assumeyes` (zypper: global `-n` /
# `--non-interactive`, or `-y`/`--no-confirm` after the subcommand).
rpm_assumes_yes(args) if {
	some w in args
	w in {"-y", "--assumeyes", "-n", "--non-interactive", "--no-confirm"}
}

rpm_assumes_yes(args) if {
	some w in args
	lib.short_flags_with(w, "y")
}

rpm_assumes_yes(args) if {
	some w in args
	contains(w, "assumeyes")
}

rpm_installs := {
	"yum": {"install", "groupinstall", "localinstall", "update", "upgrade", "remove", "erase"},
	"dnf": {"install", "groupinstall", "localinstall", "update", "upgrade", "remove", "erase"},
	"zypper": {"install", "in", "update", "up", "dist-upgrade", "dup", "remove", "rm"},
}

# `apt-get install -s` only simulates: nothing to confirm.
simulates(args) if {
	some w in args
	w in {"-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act", "--print-uris"}
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some [i, ins, k, cmd] in lib.program_runs("apt-get")
	args := lib.program_args(cmd)
	"install" in args
	not assumes_yes(args)
	not simulates(args)
	not fed_by_yes(ins, k)
	not configured_before(i)
	msg := "`apt-get install` without `-y` aborts at apt's confirmation prompt, which a build cannot answer; add `-y`"
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some name, subs in rpm_installs
	some [i, ins, k, cmd] in lib.program_runs(name)
	args := lib.program_args(cmd)
	operands := [w | some w in args; not startswith(w, "-")]
	count(operands) > 0
	sub := operands[0]
	subs[sub]
	not rpm_assumes_yes(args)
	not fed_by_yes(ins, k)
	msg := sprintf("`%s %s` without `-y` stops at its confirmation prompt, which a build cannot answer; add `%s`", [name, sub, yes_flag(name)])
}

yes_flag(name) := "-n` (`zypper -n install …`" if name == "zypper"

yes_flag(name) := "-y" if name != "zypper"
