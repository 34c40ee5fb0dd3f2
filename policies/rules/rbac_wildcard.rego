package rules.rbac_wildcard

import data.lib
import rego.v1

metadata := {
	"id": "CP140",
	"name": "rbac-wildcard",
	"title": "RBAC rule grants a wildcard",
	"severity": "warning",
	"tags": ["rbac"],
	"kinds": ["kubernetes"],
	"why": "`*` in `verbs`, `resources` or `apiGroups` grants everything that exists and everything added later (new resources, CRDs, subresources such as `pods/exec`): the role's reach cannot be reviewed.",
	"fix": "List the verbs, resources and API groups the subject needs explicitly.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: app\nrules:\n  - apiGroups: [\"\"]\n    resources: [configmaps]\n    verbs: [\"*\"]", "good": "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: app\nrules:\n  - apiGroups: [\"\"]\n    resources: [configmaps]\n    verbs: [get, list, watch]"}],
}

deny contains lib.finding_at(array.concat(at, ["rules", i, field]), lib.object_resource(role), msg) if {
	some [role, at, i, rule] in lib.rbac_rules
	some field in ["verbs", "resources", "apiGroups"]
	"*" in lib.rbac_list(rule, field)
	msg := sprintf("%s grants `*` in %s of rule %d; list what is needed explicitly", [lib.object_resource(role), field, i + 1])
}
