package rules.shellcheck

import rego.v1

metadata := {
	"id": "CP728",
	"name": "shellcheck",
	"title": "ShellCheck finds a problem in a RUN script",
	"severity": "warning",
	"tags": ["hygiene", "shell"],
	"kinds": ["dockerfile"],
	"default_enabled": false,
	"why": "A RUN script is a shell script: unquoted expansions split and glob, `cd` without a check continues in the wrong directory, a misspelled variable expands to nothing. ShellCheck, which hadolint also runs, finds these. Opt-in: enable this rule (`--enable CP728` or `enable: [shellcheck]` in `.policy.yaml`) and `policy` runs the installed `shellcheck` on each shell-form RUN script and heredoc script with the stage's `SHELL` (`sh` by default; PowerShell and cmd stages are not checked), and reports each comment at the Dockerfile line and column it is about. Not checked: SC1090/SC1091 (sourced files are in the image) and SC2154 (variables set by ENV, ARG or the base image). Without ShellCheck installed the rule reports nothing and says so once on stderr.",
	"fix": "Fix what ShellCheck's message (and its wiki page, https://www.shellcheck.net/wiki/SCxxxx) says, usually quoting an expansion (`\"$VAR\"`) or adding `|| exit`. Suppress a single code on an instruction with `# policy:ignore CP728 -- reason` above it.",
	"examples": [{"kind": "dockerfile", "bad": "FROM alpine:3.20\nRUN cd /src; make $TARGETS", "good": "FROM alpine:3.20\nWORKDIR /src\nRUN make \"$TARGETS\""}],
}

deny contains {"msg": msg, "at": ["shellcheck", i]} if {
	some i, note in input.document.shellcheck
	msg := sprintf("%s (%s): %s (https://www.shellcheck.net/wiki/%s)", [note.code, note.level, note.message, note.code])
}
