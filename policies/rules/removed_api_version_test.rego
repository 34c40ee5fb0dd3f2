package rules.removed_api_version

import data.lib
import rego.v1

mock_obj(api, kind) := {"apiVersion": api, "kind": kind, "metadata": {"name": "x"}}

test_removed_version_denied_with_replacement if {
	some f in deny with input as lib.mock_object_input(mock_obj("batch/v1beta1", "CronJob"))
	f.at == ["apiVersion"]
	contains(f.msg, "removed in Kubernetes 1.25")
	contains(f.msg, "use batch/v1")
}

test_whole_group_versions_denied if {
	count(deny) == 1 with input as lib.mock_object_input(mock_obj("networking.k8s.io/v1beta1", "IngressClass"))
}

test_target_version_parameter if {
	count(deny) == 0 with input as lib.mock_object_input(mock_obj("batch/v1beta1", "CronJob"))
		with data.parameters.kubernetes_version as "1.24"
	count(deny) == 1 with input as lib.mock_object_input(mock_obj("batch/v1beta1", "CronJob"))
		with data.parameters.kubernetes_version as "v1.25"
	count(deny) == 1 with input as lib.mock_object_input(mock_obj("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"))
}

test_current_versions_allowed if {
	count(deny) == 0 with input as lib.mock_object_input(mock_obj("batch/v1", "CronJob"))
	count(deny) == 0 with input as lib.mock_object_input(mock_obj("extensions/v1beta1", "Widget"))
}

test_minor if {
	minor("1.30") == 30
	minor("v1.9") == 9
	not minor("2.0")
}
