package rules.proc_mount_unmasked

import data.lib
import rego.v1

mock_pod(proc_mount) := lib.mock_pod_input({"name": "web"}, {"containers": [{"name": "web", "image": "nginx:1.27", "securityContext": {"procMount": proc_mount}}]})

test_unmasked_denied if {
	some f in deny with input as mock_pod("Unmasked")
	f.at == ["spec", "containers", 0, "securityContext", "procMount"]
}

test_default_allowed if {
	count(deny) == 0 with input as mock_pod("Default")
}

test_non_string_value_ignored if {
	count(deny) == 0 with input as mock_pod(5)
}
