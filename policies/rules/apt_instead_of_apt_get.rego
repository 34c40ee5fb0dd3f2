package rules.apt_instead_of_apt_get

import data.lib
import rego.v1

metadata := {
	"id": "CP715",
	"name": "apt-instead-of-apt-get",
	"title": "apt used in RUN instead of apt-get",
	"severity": "info",
	"tags": ["hygiene"],
	"kinds": ["dockerfile"],
	"why": "`apt` is the interactive front end: its command-line interface is not stable for scripts (it warns so on stderr), and its progress output and prompts are made for a terminal. `apt-get` and `apt-cache` are the script interface with the same packages.",
	"fix": "Use `apt-get` (`apt-get update`, `apt-get install -y …`), or `apt-cache` for searches.",
	"examples": [{"kind": "dockerfile", "bad": "FROM debian:12-slim\nRUN apt update && apt install -y curl", "good": "FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl"}],
}

# Subcommands that change the system; `apt list`/`apt show` in a debugging
# step are left alone.
changing := {"install", "update", "upgrade", "full-upgrade", "dist-upgrade", "remove", "purge", "autoremove", "reinstall"}

apt_subcommands(ins) := [sub |
	some cmd in ins.commands
	lib.program(cmd) == "apt"
	some sub in lib.program_args(cmd)
	changing[sub]
]

# One finding per RUN, naming its apt subcommands.
deny contains {"msg": msg, "at": ["instructions", i]} if {
	some [i, ins, _, _] in lib.program_runs("apt")
	subs := sort({s | some s in apt_subcommands(ins)})
	count(subs) > 0
	msg := sprintf("`apt %s` uses apt's interactive front end, whose interface is not stable for scripts; use `apt-get` instead", [concat("`, `apt ", subs)])
}
