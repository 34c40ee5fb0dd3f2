# Kubernetes rules: `violation` rules return objects (`msg` plus details), and
# an `exception` exempts deployments labelled as allowed to run as root.
package main

import rego.v1

violation_run_as_root contains {
	"msg": msg,
	"details": {"container": c.name},
	"_loc": ["spec", "template", "spec", "containers", i],
} if {
	input.kind == "Deployment"
	some i, c in input.spec.template.spec.containers
	not c.securityContext.runAsNonRoot
	msg := sprintf("%s: container %s must set securityContext.runAsNonRoot", [data.conftest.file.name, c.name])
}

violation_resources contains {"msg": msg, "details": {"container": c.name, "missing": "resources.limits"}} if {
	input.kind == "Deployment"
	some c in input.spec.template.spec.containers
	not c.resources.limits
	msg := sprintf("container %s has no resources.limits (image %s)", [c.name, c.image])
}

exception contains rules if {
	input.metadata.labels["policy.example.com/allow-root"] == "true"
	rules := ["run_as_root"]
}
