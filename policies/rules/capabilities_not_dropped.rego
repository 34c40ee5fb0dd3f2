package rules.capabilities_not_dropped

import data.lib
import rego.v1

metadata := {
	"id": "CP104",
	"name": "capabilities-not-dropped",
	"title": "Default capabilities are not dropped",
	"severity": "warning",
	"tags": ["privilege"],
	"kinds": ["compose", "kubernetes", "container"],
	"why": "Containers start with a default set of Linux capabilities (NET_RAW, CHOWN, SETUID, ...) that most applications never use and attackers do. Dropping them all and adding back what is needed is the least-privilege baseline.",
	"fix": "Kubernetes: `securityContext.capabilities.drop: [\"ALL\"]`. Compose: `cap_drop: [ALL]`. Add back single capabilities with `add` / `cap_add` if the process needs them.",
	"examples": [{"kind": "kubernetes", "bad": "securityContext:\n  runAsNonRoot: true", "good": "securityContext:\n  runAsNonRoot: true\n  capabilities:\n    drop: [\"ALL\"]"}],
}

drops_all(c) if {
	some cap in c.capabilities.drop
	upper(cap) == "ALL"
}

deny contains lib.finding_first(c, ["capabilities_drop", "capabilities", "security_context"], msg) if {
	input.kind == "kubernetes"
	some c in lib.containers
	not drops_all(c)
	msg := sprintf("%s keeps the default capabilities; set `securityContext.capabilities.drop: [\"ALL\"]` and add back only what it needs", [c.resource])
}

deny contains lib.finding(c, "capabilities_drop", msg) if {
	input.kind == "compose"
	some c in lib.containers
	not drops_all(c)
	not lib.inherits(c, "capabilities_drop")
	msg := sprintf("%s keeps the default capabilities; add `cap_drop: [ALL]` and add back only what it needs with `cap_add`", [c.resource])
}

deny contains lib.finding(c, "capabilities_drop", msg) if {
	input.kind == "container"
	some c in lib.containers
	not drops_all(c)
	msg := sprintf("%s keeps the default capabilities; run it with `--cap-drop ALL` and add back only what it needs with `--cap-add`", [c.resource])
}
