package rules.rbac_pod_exec

import data.lib
import rego.v1

metadata := {
	"id": "CP142",
	"name": "rbac-pod-exec",
	"title": "RBAC rule allows exec or attach into pods",
	"severity": "warning",
	"tags": ["rbac", "privilege"],
	"kinds": ["kubernetes"],
	"why": "`create` on `pods/exec` or `pods/attach` runs commands inside any pod in scope, with that pod's service account, secrets and network access: a path to every privilege the pods have.",
	"fix": "Remove `pods/exec` and `pods/attach` from the role; grant them to people through a separate, audited role when debugging is needed.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: debug\nrules:\n  - apiGroups: [\"\"]\n    resources: [pods/exec]\n    verbs: [create]", "good": "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: debug\nrules:\n  - apiGroups: [\"\"]\n    resources: [pods/log]\n    verbs: [get]"}],
}

deny contains lib.finding_at(array.concat(at, ["rules", i, "resources"]), lib.object_resource(role), msg) if {
	some [role, at, i, rule] in lib.rbac_rules
	some resource in ["pods/exec", "pods/attach"]
	lib.rbac_grants(rule, {"create", "*"}, resource)
	msg := sprintf("%s allows `create` on %s (rule %d), so its subjects can run commands in pods; remove it", [lib.object_resource(role), resource, i + 1])
}
