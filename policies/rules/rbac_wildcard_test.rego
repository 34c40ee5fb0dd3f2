package rules.rbac_wildcard

import data.lib
import rego.v1

mock_role(rules) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "r"}, "rules": rules}

test_each_wildcard_field_denied if {
	inp := lib.mock_object_input(mock_role([{"apiGroups": ["*"], "resources": ["pods"], "verbs": ["*"]}]))
	count(deny) == 2 with input as inp
	some f in deny with input as inp
	f.at == ["rules", 0, "verbs"]
}

test_explicit_lists_allowed if {
	count(deny) == 0 with input as lib.mock_object_input(mock_role([{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]))
}
