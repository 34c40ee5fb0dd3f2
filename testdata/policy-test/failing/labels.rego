# A tiny user policy whose tests include one that fails on purpose
# (tests/policy_test.rs checks the FAIL line and the exit code).
package k8s.labels

import rego.v1

deny contains msg if {
	input.kind == "Deployment"
	not input.metadata.labels.team
	msg := sprintf("Deployment/%s has no `team` label", [input.metadata.name])
}
