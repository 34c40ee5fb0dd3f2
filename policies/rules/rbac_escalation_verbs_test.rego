package rules.rbac_escalation_verbs

import data.lib
import rego.v1

mock_role(verbs) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "r"}, "rules": [{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles"], "verbs": verbs}]}

test_each_escalation_verb_denied_at_the_verb if {
	inp := lib.mock_object_input(mock_role(["get", "bind", "escalate", "impersonate"]))
	count(deny) == 3 with input as inp
	some f in deny with input as inp
	f.at == ["rules", 0, "verbs", 1]
}

test_read_verbs_allowed if {
	count(deny) == 0 with input as lib.mock_object_input(mock_role(["get", "list"]))
}

test_malformed_verbs_ignored if {
	count(deny) == 0 with input as lib.mock_object_input(mock_role("bind"))
	count(deny) == 0 with input as lib.mock_object_input(mock_role(null))
}
