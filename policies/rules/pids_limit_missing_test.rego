package rules.pids_limit_missing

import rego.v1

compose_input(services) := {"kind": "compose", "document": {"services": services}, "workloads": []}

test_missing_and_unlimited_denied if {
	inp := compose_input({
		"app": {"image": "app:1.0"},
		"worker": {"image": "worker:1.0", "pids_limit": -1},
		"batch": {"image": "batch:1.0", "deploy": {"resources": {"limits": {"pids": 0}}}},
	})
	count(deny) == 3 with input as inp
	some f in deny with input as inp
	f.at == ["services", "app"]
	f.resource == "service app"
}

test_limits_allowed if {
	count(deny) == 0 with input as compose_input({
		"app": {"image": "app:1.0", "pids_limit": 200},
		"worker": {"image": "worker:1.0", "pids_limit": "100"},
		"batch": {"image": "batch:1.0", "deploy": {"resources": {"limits": {"pids": 50}}}},
	})
}

test_partial_services_skipped if {
	count(deny) == 0 with input as compose_input({"app": {"environment": {"A": "1"}}, "web": {"extends": {"service": "base"}}})
}

test_odd_values_do_not_fail_evaluation if {
	count(deny) == 2 with input as compose_input({"app": {"image": "a", "pids_limit": "lots"}, "web": {"image": "b", "pids_limit": null}})
}
