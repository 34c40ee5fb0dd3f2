package rules.host_port

import data.lib
import rego.v1

metadata := {
	"id": "CP117",
	"name": "host-port",
	"title": "Container port is bound on the node (hostPort)",
	"severity": "warning",
	"tags": ["network", "privilege"],
	"kinds": ["kubernetes"],
	"why": "A `hostPort` opens the port on the node's own address, bypassing Services and most NetworkPolicy implementations; it also limits scheduling to one such pod per node and per port.",
	"fix": "Remove `hostPort` and expose the pod through a Service (ClusterIP, or LoadBalancer/Ingress for outside traffic).",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      ports:\n        - containerPort: 80\n          hostPort: 8080", "good": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      ports:\n        - containerPort: 80"}],
}

deny contains lib.finding_at(array.concat(p.at, ["hostPort"]), c.resource, msg) if {
	input.kind == "kubernetes"
	some c in lib.containers
	some p in c.ports
	p.host_port != null
	p.host_port != "0"
	msg := sprintf("%s binds port %s on the node (`hostPort`); remove it and expose the pod through a Service", [c.resource, p.host_port])
}
