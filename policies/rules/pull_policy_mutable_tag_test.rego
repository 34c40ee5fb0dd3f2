package rules.pull_policy_mutable_tag

import data.lib
import rego.v1

mock_pod(container) := lib.mock_pod_input({"name": "web"}, {"containers": [object.union({"name": "web"}, container)]})

test_latest_if_not_present_denied if {
	some f in deny with input as mock_pod({"image": "app:latest", "imagePullPolicy": "IfNotPresent"})
	f.at == ["spec", "containers", 0, "imagePullPolicy"]
}

test_branch_tag_without_policy_denied_at_the_image if {
	some f in deny with input as mock_pod({"image": "app:main"})
	f.at == ["spec", "containers", 0, "image"]
}

test_latest_without_policy_defaults_to_always if {
	count(deny) == 0 with input as mock_pod({"image": "app:latest"})
	count(deny) == 0 with input as mock_pod({"image": "app"})
}

test_version_tag_and_always_allowed if {
	count(deny) == 0 with input as mock_pod({"image": "app:1.2.3", "imagePullPolicy": "IfNotPresent"})
	count(deny) == 0 with input as mock_pod({"image": "app:main", "imagePullPolicy": "Always"})
}
