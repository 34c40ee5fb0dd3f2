package rules.wget_and_curl

import data.lib
import rego.v1

metadata := {
	"id": "CP724",
	"name": "wget-and-curl",
	"title": "Both wget and curl used in the image",
	"severity": "info",
	"tags": ["image-size", "hygiene"],
	"kinds": ["dockerfile"],
	"why": "wget and curl do the same job; an image that runs both usually installs both, with their libraries and their vulnerabilities. Only the stages the shipped image is made of are judged: builder stages are thrown away.",
	"fix": "Pick one of them for every download of the image (`curl -fsSL -o file URL` or `wget -q -O file URL`), and install only that one.",
	"examples": [{"kind": "dockerfile", "bad": "FROM debian:12-slim\nRUN wget -q -O /tmp/a.tgz https://example.com/a.tgz\nRUN curl -fsSL -o /tmp/b.tgz https://example.com/b.tgz", "good": "FROM debian:12-slim\nRUN curl -fsSL -o /tmp/a.tgz https://example.com/a.tgz\nRUN curl -fsSL -o /tmp/b.tgz https://example.com/b.tgz"}],
}

# RUN indexes of the shipped stages that run `tool`.
runs_of(tool) := sort([i |
	some [i, ins] in lib.final_runs
	lib.run_mentions(ins, tool)
	some cmd in ins.commands
	lib.word_in(cmd, tool)
	lib.program(cmd) == tool
])

# Reported once, at the first RUN of the tool that came second.
deny contains {"msg": msg, "at": ["instructions", at]} if {
	input.kind == "dockerfile"
	wget := runs_of("wget")
	curl := runs_of("curl")
	count(wget) > 0
	count(curl) > 0
	at := max({wget[0], curl[0]})
	msg := message(wget[0], curl[0])
}

message(w, c) := "this RUN uses both wget and curl; use one download tool throughout" if w == c

message(w, c) := sprintf("this RUN uses wget, but the image already uses curl (line %d); use one download tool throughout", [input.document.instructions[c].line]) if w > c

message(w, c) := sprintf("this RUN uses curl, but the image already uses wget (line %d); use one download tool throughout", [input.document.instructions[w].line]) if c > w
