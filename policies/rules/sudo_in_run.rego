package rules.sudo_in_run

import data.lib
import rego.v1

metadata := {
	"id": "CP708",
	"name": "sudo-in-run",
	"title": "sudo used in RUN",
	"severity": "warning",
	"tags": ["privilege", "hygiene"],
	"kinds": ["dockerfile"],
	"why": "Build steps already run as the current USER; `sudo` in a Dockerfile means sudo is installed and configured in the image, where it lets the runtime user become root.",
	"fix": "Switch users instead: `USER root` for the steps that need it, then `USER <app user>`; and do not install sudo in the image.",
	"examples": [{"kind": "dockerfile", "bad": "RUN sudo apt-get update", "good": "USER root\nRUN apt-get update\nUSER 10001"}],
}

# Shell keywords that may stand before a command once the script is split
# into simple commands (`if …; then sudo …; fi`).
keywords := {"then", "else", "do", "if", "elif", "while", "until", "time", "exec", "xargs"}

# The command word of a simple command: past VAR=value assignments and keywords.
runs_sudo(cmd) if {
	ks := [k | some k, w in cmd; not contains(w, "="); not keywords[w]]
	count(ks) > 0
	cmd[ks[0]] == "sudo"
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some i, ins in input.document.instructions
	ins.cmd == "run"
	lib.run_mentions(ins, "sudo")
	some cmd in lib.run_commands(ins)
	runs_sudo(cmd)
	msg := "RUN uses sudo; use `USER root` for this step and switch back to an unprivileged USER afterwards"
}
