package rules.privilege_escalation

import rego.v1

mock_k8s_input(escalation) := {"kind": "kubernetes", "workloads": [{"kind": "Deployment", "resource": "Deployment/api", "containers": [{
	"name": "api", "resource": "Deployment/api container api", "allow_privilege_escalation": escalation,
	"at": {
		"self": ["spec", "template", "spec", "containers", 0],
		"security_context": ["spec", "template", "spec", "containers", 0, "securityContext"],
	},
}]}]}

mock_compose_input(service, escalation) := {
	"kind": "compose",
	"document": {"services": {"web": service}},
	"workloads": [{"kind": "service", "name": "web", "resource": "service web", "containers": [{
		"name": "web", "resource": "service web", "allow_privilege_escalation": escalation,
		"at": {"self": ["services", "web"]},
	}]}],
}

test_k8s_unset_denied if {
	some f in deny with input as mock_k8s_input(null)
	f.at == ["spec", "template", "spec", "containers", 0, "securityContext"]
}

test_k8s_true_denied if {
	count(deny) == 1 with input as mock_k8s_input(true)
}

test_k8s_disabled_allowed if {
	count(deny) == 0 with input as mock_k8s_input(false)
}

test_compose_without_no_new_privileges_denied if {
	some f in deny with input as mock_compose_input({"image": "nginx:1.27"}, null)
	contains(f.msg, "no-new-privileges")
}

test_compose_no_new_privileges_allowed if {
	count(deny) == 0 with input as mock_compose_input({"image": "nginx:1.27", "security_opt": ["no-new-privileges:true"]}, false)
}

test_compose_override_fragment_allowed if {
	count(deny) == 0 with input as mock_compose_input({"environment": ["DEBUG=1"]}, null)
}
