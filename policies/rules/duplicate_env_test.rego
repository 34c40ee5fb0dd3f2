package rules.duplicate_env

import data.lib
import rego.v1

mock_pod(env) := lib.mock_pod_input({"name": "web"}, {"containers": [{"name": "web", "image": "nginx:1.27", "env": env}]})

test_repeat_denied_at_each_repeat if {
	inp := mock_pod([{"name": "A", "value": "1"}, {"name": "B", "value": "2"}, {"name": "A", "value": "3"}, {"name": "A", "value": "4"}])
	count(deny) == 2 with input as inp
	some f in deny with input as inp
	f.at == ["spec", "containers", 0, "env", 2, "value"]
}

test_distinct_names_allowed if {
	count(deny) == 0 with input as mock_pod([{"name": "A", "value": "1"}, {"name": "a", "value": "2"}])
}
