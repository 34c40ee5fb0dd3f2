package rules.service_account_token_mounted

import data.lib
import rego.v1

test_default_automount_denied_at_the_spec if {
	inp := lib.mock_pod_input({"name": "web"}, {"containers": [{"name": "web", "image": "nginx:1.27"}]})
	some f in deny with input as inp
	f.at == ["spec"]
}

test_explicit_true_denied_at_the_field if {
	inp := lib.mock_pod_input({"name": "web"}, {"automountServiceAccountToken": true, "containers": [{"name": "web", "image": "nginx:1.27"}]})
	some f in deny with input as inp
	f.at == ["spec", "automountServiceAccountToken"]
}

test_false_allowed if {
	inp := lib.mock_pod_input({"name": "web"}, {"automountServiceAccountToken": false, "containers": [{"name": "web", "image": "nginx:1.27"}]})
	count(deny) == 0 with input as inp
}
