package rules.privileged_port

import data.lib
import rego.v1

metadata := {
	"id": "CP121",
	"name": "privileged-port",
	"title": "Container listens on a port below 1024",
	"severity": "info",
	"tags": ["network", "non-root"],
	"kinds": ["kubernetes"],
	"why": "Binding a port below 1024 needs root or `NET_BIND_SERVICE`, which a hardened container (non-root, all capabilities dropped) does not have; the Service can map port 80 to an unprivileged container port instead.",
	"fix": "Make the process listen on a port of 1024 or more (e.g. 8080) and map it in the Service: `port: 80`, `targetPort: 8080`.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      ports:\n        - containerPort: 80", "good": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginxinc/nginx-unprivileged:1.27\n      ports:\n        - containerPort: 8080"}],
}

deny contains lib.finding_at(array.concat(p.at, ["containerPort"]), c.resource, msg) if {
	input.kind == "kubernetes"
	some c in lib.containers
	some p in c.ports
	is_string(p.container_port)
	# Digits only (a named or templated port is not a number).
	p.container_port != ""
	trim(p.container_port, "0123456789") == ""
	n := to_number(p.container_port)
	n > 0
	n < 1024
	msg := sprintf("%s listens on port %s, below 1024, which needs root or NET_BIND_SERVICE; listen on 1024 or above and map the port in the Service", [c.resource, p.container_port])
}
