package rules.restart_policy_missing

import rego.v1

mock_compose_input(service, restart) := {
	"kind": "compose",
	"document": {"services": {"web": service}},
	"workloads": [{
		"kind": "service", "name": "web", "resource": "service web", "restart": restart, "containers": [],
		"at": {"self": ["services", "web"]},
	}],
}

test_no_restart_denied if {
	some f in deny with input as mock_compose_input({"image": "nginx:1.27"}, null)
	f.at == ["services", "web"]
	contains(f.msg, "restart: unless-stopped")
}

test_restart_set_allowed if {
	count(deny) == 0 with input as mock_compose_input({"image": "nginx:1.27", "restart": "unless-stopped"}, "unless-stopped")
}

test_override_fragment_allowed if {
	count(deny) == 0 with input as mock_compose_input({"environment": ["DEBUG=1"]}, null)
}
