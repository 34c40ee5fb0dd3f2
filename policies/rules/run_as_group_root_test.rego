package rules.run_as_group_root

import data.lib
import rego.v1

test_group_zero_denied_at_the_field if {
	inp := lib.mock_pod_input({"name": "web"}, {"securityContext": {"runAsGroup": 0}, "containers": [{"name": "web", "image": "nginx:1.27"}]})
	some f in deny with input as inp
	f.at == ["spec", "securityContext", "runAsGroup"]
	contains(f.msg, "runAsGroup: 0")
}

test_unset_denied_at_the_container if {
	inp := lib.mock_pod_input({"name": "web"}, {"containers": [{"name": "web", "image": "nginx:1.27"}]})
	some f in deny with input as inp
	f.at == ["spec", "containers", 0]
}

test_container_group_overrides_pod if {
	inp := lib.mock_pod_input({"name": "web"}, {"securityContext": {"runAsGroup": 0}, "containers": [{"name": "web", "image": "nginx:1.27", "securityContext": {"runAsGroup": 10001}}]})
	count(deny) == 0 with input as inp
}

test_non_numeric_group_is_not_root if {
	inp := lib.mock_pod_input({"name": "web"}, {"securityContext": {"runAsGroup": "abc"}, "containers": [{"name": "web", "image": "nginx:1.27"}]})
	count(deny) == 0 with input as inp
}
