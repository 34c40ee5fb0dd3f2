package rules.log_rotation_missing

import rego.v1

mock_compose_input(service, logging) := {
	"kind": "compose",
	"document": {"services": {"web": service}},
	"workloads": [{
		"kind": "service", "name": "web", "resource": "service web", "logging": logging, "containers": [],
		"at": {"self": ["services", "web"]},
	}],
}

test_no_logging_denied if {
	some f in deny with input as mock_compose_input({"image": "nginx:1.27"}, null)
	f.at == ["services", "web"]
	contains(f.msg, "max-size")
}

test_json_file_without_max_size_denied if {
	count(deny) == 1 with input as mock_compose_input({"image": "nginx:1.27"}, {"driver": "json-file", "options": {"max-file": "3"}})
}

test_max_size_allowed if {
	count(deny) == 0 with input as mock_compose_input({"image": "nginx:1.27"}, {"driver": "json-file", "options": {"max-size": "10m", "max-file": "3"}})
}

test_other_driver_allowed if {
	count(deny) == 0 with input as mock_compose_input({"image": "nginx:1.27"}, {"driver": "journald", "options": {}})
}

test_override_fragment_allowed if {
	count(deny) == 0 with input as mock_compose_input({"environment": ["DEBUG=1"]}, null)
}
