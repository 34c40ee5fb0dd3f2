package rules.pipe_without_pipefail

import data.lib
import rego.v1

metadata := {
	"id": "CP712",
	"name": "pipe-without-pipefail",
	"title": "RUN pipes without pipefail",
	"severity": "warning",
	"tags": ["hygiene", "correctness"],
	"kinds": ["dockerfile"],
	"why": "A pipeline's status is its last command's: in `RUN curl -fsSL $URL | tar -xz` a failed download still builds, into a broken image. `pipefail` makes the step fail with the first failing command. Only sh-like shells are judged (not a PowerShell or cmd `SHELL`), and a pipe fed by `echo`, `printf`, `cat`, `yes` or `true`, which cannot fail usefully, is not reported.",
	"fix": "Put `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN, or start the script with `set -o pipefail &&` (bash, or a busybox/dash sh that supports it).",
	"examples": [{"kind": "dockerfile", "bad": "FROM debian:12\nRUN wget -qO- https://example.com/tool.tgz | tar -xz -C /opt", "good": "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -qO- https://example.com/tool.tgz | tar -xz -C /opt"}],
}

# Programs whose failure a pipeline cannot usefully report.
harmless_sources := {"echo", "printf", "cat", "yes", "true"}

# Stages whose SHELL a stage inherits: itself and the stages it is `FROM`
# (computed once per document).
stage_graph := {t: [p | p := lib.stage_parent(t)] | some t, _ in input.document.stages}

ancestors(s) := graph.reachable(stage_graph, {s})

# The SHELL in force at instruction i: the last one before it in its stage
# or the stages it builds on.
shell_before(i, stage) := shells[count(shells) - 1] if {
	shells := [ins.args |
		some j, ins in input.document.instructions
		j < i
		ins.cmd == "shell"
		ins.stage in ancestors(stage)
	]
	count(shells) > 0
}

sh_like := {"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"}

pipefail_shell(args) if "pipefail" in args

pipefail_shell(args) if {
	some a in args
	contains(a, "pipefail")
}

not_sh_like(args) if not sh_like[lib.basename(args[0])]

# A Windows base image runs `cmd /S /C` by default.
windows_stage(stage) if {
	some s in ancestors(stage)
	base := lower(object.get(input.document.stages[s], "base", ""))
	is_string(base)
	some w in ["windows", "nanoserver"]
	contains(base, w)
}

# The script turns pipefail on itself: `set -o pipefail`, `set -eo pipefail`.
sets_pipefail(ins) if {
	some cmd in ins.commands
	"pipefail" in cmd
	lib.program(cmd) == "set"
	"pipefail" in lib.program_args(cmd)
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some i, ins in input.document.instructions
	ins.cmd == "run"
	some [a, b] in ins.pipes
	not harmless_sources[lib.program(ins.commands[a])]
	not sets_pipefail(ins)
	not windows_stage(ins.stage)
	not shell_ok(i, ins.stage)
	msg := sprintf("RUN pipes `%s` into `%s` without pipefail, so a failure of `%s` is ignored; add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before it or start the script with `set -o pipefail &&`", [lib.program(ins.commands[a]), lib.program(ins.commands[b]), lib.program(ins.commands[a])])
}

shell_ok(i, stage) if pipefail_shell(shell_before(i, stage))

shell_ok(i, stage) if not_sh_like(shell_before(i, stage))
