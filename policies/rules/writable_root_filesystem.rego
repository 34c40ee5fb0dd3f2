package rules.writable_root_filesystem

import data.lib
import rego.v1

metadata := {
	"id": "CP401",
	"name": "root-filesystem-writable",
	"title": "Root filesystem is writable",
	"severity": "warning",
	"tags": ["read-only-rootfs"],
	"kinds": ["compose", "kubernetes", "container"],
	"why": "A writable root filesystem lets an attacker who gets code execution drop tools, rewrite binaries and persist; a read-only one confines writes to the volumes you chose.",
	"fix": "Kubernetes: `securityContext.readOnlyRootFilesystem: true`, with an `emptyDir` for paths that must be written (/tmp). Compose: `read_only: true` with `tmpfs: [/tmp]`.",
	"examples": [{"kind": "compose", "bad": "services:\n  app:\n    image: app:1.0", "good": "services:\n  app:\n    image: app:1.0\n    read_only: true\n    tmpfs: [/tmp]"}],
}

deny contains lib.finding_first(c, ["read_only_root_filesystem", "security_context"], msg) if {
	input.kind == "kubernetes"
	some c in lib.containers
	c.read_only_root_filesystem != true
	msg := sprintf("%s has a writable root filesystem; set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir where it must write", [c.resource])
}

deny contains lib.finding(c, "read_only_root_filesystem", msg) if {
	input.kind == "compose"
	some c in lib.containers
	c.read_only_root_filesystem != true
	not lib.inherits(c, "read_only_root_filesystem")
	msg := sprintf("%s has a writable root filesystem; set `read_only: true` and add `tmpfs` mounts where it must write", [c.resource])
}

deny contains lib.finding(c, "read_only_root_filesystem", msg) if {
	input.kind == "container"
	some c in lib.containers
	c.read_only_root_filesystem != true
	msg := sprintf("%s has a writable root filesystem; run it with `--read-only` and `--tmpfs` where it must write", [c.resource])
}
