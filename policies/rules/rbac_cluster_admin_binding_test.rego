package rules.rbac_cluster_admin_binding

import data.lib
import rego.v1

mock_binding(kind, role_kind, name) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": {"name": "b"}, "roleRef": {"kind": role_kind, "name": name}}

test_cluster_admin_denied if {
	some f in deny with input as lib.mock_object_input(mock_binding("ClusterRoleBinding", "ClusterRole", "cluster-admin"))
	f.at == ["roleRef", "name"]
	count(deny) == 1 with input as lib.mock_object_input(mock_binding("RoleBinding", "ClusterRole", "cluster-admin"))
}

test_other_roles_allowed if {
	count(deny) == 0 with input as lib.mock_object_input(mock_binding("ClusterRoleBinding", "ClusterRole", "view"))
	count(deny) == 0 with input as lib.mock_object_input(mock_binding("RoleBinding", "Role", "cluster-admin"))
}

test_malformed_role_ref_ignored if {
	count(deny) == 0 with input as lib.mock_object_input({"kind": "ClusterRoleBinding", "metadata": {"name": "b"}, "roleRef": "cluster-admin"})
}
