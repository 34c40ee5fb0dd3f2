package rules.proc_mount_unmasked

import data.lib
import rego.v1

metadata := {
	"id": "CP119",
	"name": "proc-mount-unmasked",
	"title": "Container's /proc is unmasked",
	"severity": "error",
	"profile": "minimal",
	"tags": ["privilege"],
	"kinds": ["kubernetes"],
	"why": "The runtime masks parts of `/proc` (kcore, keys, sysrq-trigger...) and makes others read-only; `procMount: Unmasked` removes that protection, exposing kernel memory and host-wide controls to the container.",
	"fix": "Remove `procMount: Unmasked` (the default is `Default`).",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext:\n        procMount: Unmasked", "good": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      securityContext:\n        procMount: Default"}],
}

deny contains lib.finding_at(array.concat(c.at.self, ["securityContext", "procMount"]), c.resource, msg) if {
	some [_, c, node] in lib.pod_containers
	proc_mount := node.securityContext.procMount
	is_string(proc_mount)
	lower(proc_mount) == "unmasked"
	msg := sprintf("%s unmasks /proc (`procMount: Unmasked`); remove it", [c.resource])
}
