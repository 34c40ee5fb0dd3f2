package rules.service_node_port

import data.lib
import rego.v1

mock_service(type) := {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"type": type}}

test_node_port_denied if {
	some f in deny with input as lib.mock_object_input(mock_service("NodePort"))
	f.at == ["spec", "type"]
	f.resource == "Service/web"
}

test_node_port_in_list_denied if {
	some f in deny with input as lib.mock_object_input({"kind": "List", "items": [mock_service("ClusterIP"), mock_service("NodePort")]})
	f.at == ["items", 1, "spec", "type"]
}

test_other_types_allowed if {
	count(deny) == 0 with input as lib.mock_object_input(mock_service("LoadBalancer"))
	count(deny) == 0 with input as lib.mock_object_input(mock_service("ClusterIP"))
}
