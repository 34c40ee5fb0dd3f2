# A second namespace, selected with `--namespace 'kubernetes.*'` or
# `--all-namespaces`; the default namespace `main` does not include it.
package kubernetes.security

import rego.v1

deny_privileged contains {"msg": msg, "_loc": sprintf("spec.template.spec.containers[%d].securityContext.privileged", [i])} if {
	some i, c in input.spec.template.spec.containers
	c.securityContext.privileged == true
	msg := sprintf("container %s is privileged", [c.name])
}

warn_host_network contains msg if {
	input.spec.template.spec.hostNetwork == true
	msg := "hostNetwork: true shares the node's network namespace"
}
