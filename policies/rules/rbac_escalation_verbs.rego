package rules.rbac_escalation_verbs

import data.lib
import rego.v1

metadata := {
	"id": "CP143",
	"name": "rbac-escalation-verbs",
	"title": "RBAC rule grants escalate, bind or impersonate",
	"severity": "error",
	"profile": "minimal",
	"tags": ["rbac", "privilege"],
	"kinds": ["kubernetes"],
	"why": "`escalate` lets a subject give roles more permissions than it has, `bind` lets it bind any role (cluster-admin included) to itself, and `impersonate` lets it act as another user, group or service account: each is a way to any permission in scope.",
	"fix": "Remove the verb. Controllers that manage RBAC should be limited with `resourceNames` to the roles they manage.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: manager\nrules:\n  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [clusterroles]\n    verbs: [bind, escalate]", "good": "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: manager\nrules:\n  - apiGroups: [rbac.authorization.k8s.io]\n    resources: [clusterroles]\n    verbs: [get, list]"}],
}

escalation_verbs := {"escalate", "bind", "impersonate"}

deny contains lib.finding_at(array.concat(at, ["rules", i, "verbs", j]), lib.object_resource(role), msg) if {
	some [role, at, i, rule] in lib.rbac_rules
	some j, verb in lib.array_of(rule.verbs)
	verb in escalation_verbs
	msg := sprintf("%s grants `%s` (rule %d), a way to permissions beyond its own; remove it", [lib.object_resource(role), verb, i + 1])
}
