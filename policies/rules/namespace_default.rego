package rules.namespace_default

import data.lib
import rego.v1

metadata := {
	"id": "CP160",
	"name": "namespace-default",
	"title": "Object in the default namespace",
	"severity": "warning",
	"tags": ["isolation", "namespace"],
	"kinds": ["kubernetes"],
	"default_enabled": false,
	"why": "Namespaces are what RBAC roles, network policies, quotas and Pod Security admission are scoped by; objects left in `default` share it with everything else deployed carelessly, so one role or policy meant for them covers the others too. An object without `metadata.namespace` goes to whichever namespace the applying context uses, usually `default`. Opt-in: manifests are often applied with `kubectl apply -n`, by Helm or by a kustomization's `namespace:` (which this tool applies), so a missing namespace is common and often intended. Only kinds known to be namespaced are judged (workloads, Services, ConfigMaps, Secrets, RBAC Roles and RoleBindings, Ingresses, NetworkPolicies, claims, autoscalers, budgets...); cluster-wide kinds and unknown custom resources are not.",
	"fix": "Set `metadata.namespace` to the application's own namespace (create it with a `Namespace` object), or set `namespace:` in the kustomization that deploys the manifests.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: prod", "good": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  mode: prod"}],
}

namespaced_kinds := {
	"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob",
	"DeploymentConfig", "Rollout", "LeaderWorkerSet",
	"Service", "Endpoints", "EndpointSlice", "Ingress", "NetworkPolicy",
	"ConfigMap", "Secret", "ServiceAccount", "Role", "RoleBinding",
	"PersistentVolumeClaim", "HorizontalPodAutoscaler", "PodDisruptionBudget", "LimitRange", "ResourceQuota",
}

# A known namespaced kind, or any object with a pod template (a workload).
namespaced(obj) if obj.kind in namespaced_kinds

namespaced(obj) if is_array(obj.spec.template.spec.containers)

deny contains lib.finding_at(array.concat(at, ["metadata", "namespace"]), lib.object_resource(obj), msg) if {
	some [obj, at] in lib.all_objects
	is_object(obj)
	namespaced(obj)
	obj.metadata.namespace == "default"
	msg := sprintf("%s is in the `default` namespace; give the application a namespace of its own", [lib.object_resource(obj)])
}

deny contains lib.finding_at(object_at(obj, at), lib.object_resource(obj), msg) if {
	some [obj, at] in lib.all_objects
	is_object(obj)
	namespaced(obj)
	not is_string(object.get(obj, ["metadata", "namespace"], null))
	msg := sprintf("%s sets no `metadata.namespace`, so it lands in whatever namespace it is applied to, usually `default`; set the application's namespace", [lib.object_resource(obj)])
}

# `metadata` when it is written, else the object.
object_at(obj, at) := array.concat(at, ["metadata"]) if is_object(obj.metadata)

else := at
