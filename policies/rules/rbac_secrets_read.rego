package rules.rbac_secrets_read

import data.lib
import rego.v1

metadata := {
	"id": "CP141",
	"name": "rbac-secrets-read",
	"title": "RBAC rule can read Secrets",
	"severity": "warning",
	"tags": ["rbac", "secrets"],
	"kinds": ["kubernetes"],
	"why": "`get`, `list` or `watch` on `secrets` reads every Secret in scope (the whole cluster for a ClusterRole): passwords, TLS keys and service account tokens, which then give further access. `list` and `watch` return the values too, not only names.",
	"fix": "Mount the Secrets the workload needs instead of reading them through the API; if it must, restrict the rule with `resourceNames` to the named Secrets and use a namespaced Role.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\nrules:\n  - apiGroups: [\"\"]\n    resources: [secrets]\n    verbs: [get, list]", "good": "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\nrules:\n  - apiGroups: [\"\"]\n    resources: [configmaps]\n    verbs: [get, list]"}],
}

deny contains lib.finding_at(array.concat(at, ["rules", i, "resources"]), lib.object_resource(role), msg) if {
	some [role, at, i, rule] in lib.rbac_rules
	lib.rbac_grants(rule, {"get", "list", "watch", "*"}, "secrets")
	# Named Secrets only: the narrow grant this rule recommends.
	count(lib.rbac_list(rule, "resourceNames")) == 0
	msg := sprintf("%s can read every Secret in its scope (rule %d); mount the Secrets instead or restrict it with `resourceNames`", [lib.object_resource(role), i + 1])
}
