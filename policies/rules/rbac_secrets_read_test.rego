package rules.rbac_secrets_read

import data.lib
import rego.v1

mock_role(rule) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "r"}, "rules": [rule]}

test_list_secrets_denied if {
	some f in deny with input as lib.mock_object_input(mock_role({"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"]}))
	f.at == ["rules", 0, "resources"]
}

test_wildcard_verb_denied if {
	count(deny) == 1 with input as lib.mock_object_input(mock_role({"apiGroups": ["*"], "resources": ["secrets"], "verbs": ["*"]}))
}

test_named_secrets_writes_and_other_groups_allowed if {
	count(deny) == 0 with input as lib.mock_object_input(mock_role({"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["tls"], "verbs": ["get"]}))
	count(deny) == 0 with input as lib.mock_object_input(mock_role({"apiGroups": [""], "resources": ["secrets"], "verbs": ["create"]}))
	count(deny) == 0 with input as lib.mock_object_input(mock_role({"apiGroups": ["example.com"], "resources": ["secrets"], "verbs": ["get"]}))
}
