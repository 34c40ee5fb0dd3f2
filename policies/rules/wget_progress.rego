package rules.wget_progress

import data.lib
import rego.v1

metadata := {
	"id": "CP725",
	"name": "wget-without-progress",
	"title": "wget without --progress or -q",
	"severity": "info",
	"tags": ["hygiene"],
	"kinds": ["dockerfile"],
	"why": "Without a terminal wget prints a progress line every few kilobytes: a large download fills the build log with thousands of lines, hiding the output that matters.",
	"fix": "`wget --progress=dot:giga …`, or `wget -q`/`-nv` when the progress is not wanted.",
	"examples": [{"kind": "dockerfile", "bad": "FROM debian:12-slim\nRUN wget -O /tmp/a.tgz https://example.com/a.tgz", "good": "FROM debian:12-slim\nRUN wget --progress=dot:giga -O /tmp/a.tgz https://example.com/a.tgz"}],
}

# Options that quiet the progress output or send it elsewhere.
quiet(args) if {
	some w in args
	w in {"-q", "--quiet", "-nv", "--no-verbose", "-o", "-a", "--show-progress"}
}

quiet(args) if {
	some w in args
	some prefix in ["--progress", "--output-file", "--append-output", "--quiet"]
	startswith(w, prefix)
}

# Combined short options: `-qO-`, `-qO`.
quiet(args) if {
	some w in args
	lib.short_flags_with(trim_suffix(w, "-"), "q")
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some [i, _, _, cmd] in lib.program_runs("wget")
	args := lib.program_args(cmd)
	count(args) > 0
	not quiet(args)
	msg := "`wget` without `--progress` or `-q` fills the build log with progress lines; add `--progress=dot:giga` (or `-q`)"
}
