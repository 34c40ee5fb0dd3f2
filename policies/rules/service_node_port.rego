package rules.service_node_port

import data.lib
import rego.v1

metadata := {
	"id": "CP130",
	"name": "service-node-port",
	"title": "Service is exposed on every node (NodePort)",
	"severity": "warning",
	"tags": ["network"],
	"kinds": ["kubernetes"],
	"why": "A `NodePort` Service opens its port on every node's address, outside Ingress, TLS termination and most firewalls; node addresses are rarely meant to be an entry point.",
	"fix": "Use `type: ClusterIP` behind an Ingress or Gateway, or `LoadBalancer` for direct outside traffic.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  ports:\n    - port: 80", "good": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: ClusterIP\n  ports:\n    - port: 80"}],
}

deny contains lib.finding_at(array.concat(at, ["spec", "type"]), lib.object_resource(svc), msg) if {
	some [svc, at] in lib.objects("Service")
	svc.spec.type == "NodePort"
	msg := sprintf("%s is a NodePort, open on every node's address; use ClusterIP behind an Ingress, or a LoadBalancer", [lib.object_resource(svc)])
}
