package rules.rbac_cluster_admin_binding

import data.lib
import rego.v1

metadata := {
	"id": "CP144",
	"name": "rbac-cluster-admin-binding",
	"title": "Binding grants cluster-admin",
	"severity": "error",
	"profile": "minimal",
	"tags": ["rbac", "privilege"],
	"kinds": ["kubernetes"],
	"why": "`cluster-admin` can do anything to any object in the cluster. A service account bound to it turns any compromise of its pods into a compromise of the cluster.",
	"fix": "Bind a role with the permissions the subject needs; write one if no built-in role (`view`, `edit`, `admin`) fits.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: app\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: ServiceAccount\n    name: app\n    namespace: default", "good": "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: app\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n  - kind: ServiceAccount\n    name: app\n    namespace: default"}],
}

deny contains lib.finding_at(array.concat(at, ["roleRef", "name"]), lib.object_resource(binding), msg) if {
	some kind in ["RoleBinding", "ClusterRoleBinding"]
	some [binding, at] in lib.objects(kind)
	is_object(binding.roleRef)
	binding.roleRef.name == "cluster-admin"
	object.get(binding.roleRef, "kind", "ClusterRole") == "ClusterRole"
	msg := sprintf("%s grants cluster-admin, full control of the cluster; bind a role with only the permissions needed", [lib.object_resource(binding)])
}
