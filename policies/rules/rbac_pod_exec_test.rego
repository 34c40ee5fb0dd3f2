package rules.rbac_pod_exec

import data.lib
import rego.v1

mock_role(rule) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "r"}, "rules": [rule]}

test_exec_create_denied if {
	some f in deny with input as lib.mock_object_input(mock_role({"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create"]}))
	f.at == ["rules", 0, "resources"]
	contains(f.msg, "pods/exec")
}

test_attach_wildcard_denied if {
	count(deny) == 1 with input as lib.mock_object_input(mock_role({"apiGroups": [""], "resources": ["pods/attach"], "verbs": ["*"]}))
}

test_exec_get_allowed if {
	count(deny) == 0 with input as lib.mock_object_input(mock_role({"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["get"]}))
}
