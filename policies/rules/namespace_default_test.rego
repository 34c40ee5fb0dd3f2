package rules.namespace_default

import data.lib
import rego.v1

config_map(metadata) := lib.mock_object_input({"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata})

test_default_namespace_denied_at_the_field if {
	some f in deny with input as config_map({"name": "settings", "namespace": "default"})
	f.at == ["metadata", "namespace"]
	f.resource == "ConfigMap/settings"
}

test_missing_namespace_denied_at_metadata if {
	some f in deny with input as config_map({"name": "settings"})
	f.at == ["metadata"]
	contains(f.msg, "sets no `metadata.namespace`")
}

test_own_namespace_allowed if {
	count(deny) == 0 with input as config_map({"name": "settings", "namespace": "shop"})
}

test_cluster_wide_and_unknown_kinds_not_judged if {
	count(deny) == 0 with input as lib.mock_object_input({"kind": "ClusterRole", "metadata": {"name": "reader"}})
	count(deny) == 0 with input as lib.mock_object_input({"kind": "Namespace", "metadata": {"name": "default"}})
	count(deny) == 0 with input as lib.mock_object_input({"kind": "Certificate", "metadata": {"name": "tls"}})
}

test_custom_workload_with_pod_template_judged if {
	doc := {"kind": "Workflow", "metadata": {"name": "w"}, "spec": {"template": {"spec": {"containers": []}}}}
	count(deny) == 1 with input as lib.mock_object_input(doc)
}

test_list_items_judged if {
	doc := {"kind": "List", "items": [{"kind": "Service", "metadata": {"name": "web", "namespace": "default"}}, {"kind": "Service", "metadata": {"name": "api", "namespace": "shop"}}]}
	some f in deny with input as lib.mock_object_input(doc)
	f.at == ["items", 0, "metadata", "namespace"]
}

test_no_metadata_does_not_fail if {
	some f in deny with input as lib.mock_object_input({"kind": "Secret", "metadata": null})
	f.at == []
	f.resource == "Secret/<unnamed>"
}
