package rules.duplicate_env

import data.lib
import rego.v1

metadata := {
	"id": "CP123",
	"name": "duplicate-env-name",
	"title": "Environment variable is set twice",
	"severity": "warning",
	"tags": ["hygiene"],
	"kinds": ["kubernetes"],
	"why": "When a container's `env` names a variable twice, the last entry silently wins: the first value is dead configuration that misleads readers and reviews, and `kubectl apply` merges such lists unpredictably.",
	"fix": "Keep one entry per variable name.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      env:\n        - name: MODE\n          value: a\n        - name: MODE\n          value: b", "good": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      env:\n        - name: MODE\n          value: b"}],
}

deny contains lib.finding_at(e.at, c.resource, msg) if {
	input.kind == "kubernetes"
	some c in lib.containers
	# Most containers have no repeat: skip the pairwise search for them.
	count({e.name | some e in c.env}) < count(c.env)
	some i, e in c.env
	some j, earlier in c.env
	j < i
	earlier.name == e.name
	not earlier_duplicate(c, j, e.name)
	msg := sprintf("%s sets %s again (an earlier entry is overridden); keep one entry", [c.resource, e.name])
}

# Report each repeat once, against the first occurrence.
earlier_duplicate(c, j, name) if {
	some k, other in c.env
	k < j
	other.name == name
}
