package rules.log_rotation_missing

import data.lib
import rego.v1

metadata := {
	"id": "CP802",
	"name": "log-rotation-missing",
	"title": "Compose service logs are not rotated",
	"severity": "info",
	"tags": ["logging", "hygiene"],
	"kinds": ["compose", "container"],
	"why": "The default `json-file` log driver keeps every line forever: a chatty service fills the host's disk and takes every other container down with it.",
	"fix": "`logging: {driver: json-file, options: {max-size: \"10m\", max-file: \"3\"}}`, or the `local` driver, or a daemon-wide default in daemon.json.",
	"examples": [{"kind": "compose", "bad": "services:\n  web:\n    image: web:1.0", "good": "services:\n  web:\n    image: web:1.0\n    logging:\n      driver: json-file\n      options: {max-size: \"10m\", max-file: \"3\"}"}],
}

unrotated(w) if w.logging == null

unrotated(w) if {
	w.logging.driver in {null, "json-file"}
	not w.logging.options["max-size"]
}

deny contains lib.finding(w, "logging", msg) if {
	some w in input.workloads
	unrotated(w)
	not lib.inherits(w, "logging")
	msg := sprintf("%s keeps its logs forever with the default json-file driver; %s", [w.resource, remedy])
}

remedy := "run it with `--log-opt max-size=10m --log-opt max-file=3` (or set them in daemon.json)" if {
	input.kind == "container"
} else := "set `logging.options.max-size` (e.g. \"10m\") and `max-file`"

