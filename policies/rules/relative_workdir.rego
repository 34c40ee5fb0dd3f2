package rules.relative_workdir

import rego.v1

metadata := {
	"id": "CP705",
	"name": "relative-workdir",
	"title": "WORKDIR is a relative path",
	"severity": "warning",
	"tags": ["hygiene"],
	"kinds": ["dockerfile"],
	"why": "A relative WORKDIR is resolved against the previous one, which may come from the base image and change with it; the resulting directory is hard to predict when reading the file.",
	"fix": "Use an absolute path: `WORKDIR /app`.",
	"examples": [{"kind": "dockerfile", "bad": "WORKDIR app", "good": "WORKDIR /app"}],
}

absolute(path) if startswith(path, "/")

# Variables may expand to an absolute path; Windows paths are absolute too.
absolute(path) if startswith(path, "$")

absolute(path) if {
	count(path) > 2
	substring(path, 1, 1) == ":"
	substring(path, 2, 1) in {"\\", "/"}
}

deny contains {"msg": msg, "at": ["instructions", i, "path"]} if {
	some i, ins in input.document.instructions
	ins.cmd == "workdir"
	path := trim(ins.path, "\"'")
	not absolute(path)
	msg := sprintf("WORKDIR %q is relative to whatever the previous WORKDIR was; %s", [path, advice(path)])
}

advice(path) := "write the absolute path it should resolve to" if startswith(path, ".")

else := sprintf("use an absolute path such as /%s", [path])

