package rules.privilege_escalation

import data.lib
import rego.v1

metadata := {
	"id": "CP103",
	"name": "privilege-escalation-allowed",
	"title": "Privilege escalation is not disabled",
	"severity": "warning",
	"tags": ["privilege"],
	"kinds": ["compose", "kubernetes", "container"],
	"why": "Unless `no_new_privs` is set, a process can gain privileges through setuid binaries or file capabilities (e.g. `sudo`, `su`, a setuid shell left in the image).",
	"fix": "Kubernetes: `securityContext.allowPrivilegeEscalation: false`. Compose: `security_opt: [\"no-new-privileges:true\"]`.",
	"examples": [{"kind": "kubernetes", "bad": "securityContext:\n  runAsNonRoot: true", "good": "securityContext:\n  runAsNonRoot: true\n  allowPrivilegeEscalation: false"}],
}

deny contains lib.finding_first(c, ["allow_privilege_escalation", "security_context"], msg) if {
	input.kind == "kubernetes"
	some c in lib.containers
	c.allow_privilege_escalation != false
	msg := sprintf("%s allows privilege escalation; set `securityContext.allowPrivilegeEscalation: false`", [c.resource])
}

deny contains lib.finding_first(c, ["allow_privilege_escalation", "security_opt"], msg) if {
	input.kind == "compose"
	some c in lib.containers
	c.allow_privilege_escalation != false
	not lib.inherits(c, "allow_privilege_escalation")
	msg := sprintf("%s allows privilege escalation; add `security_opt: [\"no-new-privileges:true\"]`", [c.resource])
}

deny contains lib.finding_first(c, ["allow_privilege_escalation", "security_opt"], msg) if {
	input.kind == "container"
	some c in lib.containers
	c.allow_privilege_escalation != false
	msg := sprintf("%s allows privilege escalation; run it with `--security-opt no-new-privileges`", [c.resource])
}
