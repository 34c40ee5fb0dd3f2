package rules.run_cd

import data.lib
import rego.v1

metadata := {
	"id": "CP713",
	"name": "run-cd-instead-of-workdir",
	"title": "RUN ends with cd",
	"severity": "warning",
	"tags": ["hygiene", "correctness"],
	"kinds": ["dockerfile"],
	"why": "Each RUN starts a new shell in the WORKDIR: a `cd` that is the last command of a RUN (or all of it) changes the directory of nothing, and the next instruction still runs where it did before; what was meant is `WORKDIR`. A `cd dir && make` inside one RUN does what it says and is not reported (hadolint DL3003 reports it too), nor is a trailing `cd ..`, `cd -`, `cd ~` or `cd /` that returns from where the script went.",
	"fix": "Replace the trailing `cd <dir>` with `WORKDIR <dir>` (an absolute path) after the RUN.",
	"examples": [{"kind": "dockerfile", "bad": "FROM node:20-slim\nRUN mkdir -p /app && cd /app\nRUN npm ci", "good": "FROM node:20-slim\nWORKDIR /app\nRUN npm ci"}],
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some i, ins in input.document.instructions
	ins.cmd == "run"
	not ins.json
	lib.run_mentions(ins, "cd")
	last := ins.commands[count(ins.commands) - 1]
	lib.program(last) == "cd"
	dir := first_or(lib.program_args(last), "~")
	not going_back(dir)
	msg := sprintf("`cd %s` is the last command of this RUN and changes the directory of nothing that follows; use `WORKDIR %s` instead", [dir, dir])
}

# `cd ..`, `cd -`, `cd ~`, `cd /` at the end of a script return from where
# it went: tidy, not a WORKDIR mistaken for a cd.
going_back(dir) if dir in {"-", "~", "/", "$HOME", "${HOME}", "$OLDPWD", "${OLDPWD}"}

going_back(dir) if regex.match(`^\.\.(/\.\.)*/?$`, dir)

first_or(words, fallback) := words[0] if count(words) > 0

first_or(words, fallback) := fallback if count(words) == 0
