package rules.internal_port_published

import rego.v1

# A compose input with one service publishing `ports` (written as given);
# the model's ports carry the container port and the path of each entry.
compose_input(image, repository, ports, container_ports) := {
	"kind": "compose",
	"document": {"services": {"db": {"image": image, "ports": ports}}},
	"workloads": [{"kind": "service", "resource": "service db", "host_network": null, "containers": [{
		"resource": "service db",
		"image": {"ref": image, "repository": repository},
		"ports": [{"container_port": cp, "host_port": null, "protocol": null, "at": ["services", "db", "ports", i]} | some i, cp in container_ports],
	}]}],
}

test_postgres_on_all_interfaces_denied if {
	inp := compose_input("postgres:16", "library/postgres", ["5432:5432", "0.0.0.0:15432:5432", "5432:5432/tcp"], ["5432", "5432", "5432"])
	count(deny) == 3 with input as inp
	some f in deny with input as inp
	f.at == ["services", "db", "ports", 0]
	contains(f.msg, "PostgreSQL port 5432")
}

test_loopback_and_variable_addresses_allowed if {
	ports := ["127.0.0.1:5432:5432", "[::1]:5432:5432", "${BIND_IP:-0.0.0.0}:5432:5432", {"target": 5432, "host_ip": "127.0.0.1"}]
	count(deny) == 0 with input as compose_input("postgres:16", "library/postgres", ports, ["5432", "5432", "5432", "5432"])
}

test_long_syntax_without_host_ip_denied if {
	inp := compose_input("redis:7", "library/redis", [{"target": 6379, "published": "6379"}], ["6379"])
	some f in deny with input as inp
	contains(f.msg, "`host_ip: 127.0.0.1`")
}

test_variable_host_port_still_on_all_interfaces if {
	count(deny) == 1 with input as compose_input("mysql:8", "library/mysql", ["${DB_PORT:-3306}:3306"], ["3306"])
}

test_management_ui_of_a_queue_allowed if {
	count(deny) == 0 with input as compose_input("rabbitmq:3-management", "library/rabbitmq", ["15672:15672"], ["15672"])
	count(deny) == 1 with input as compose_input("rabbitmq:3-management", "library/rabbitmq", ["5672:5672"], ["5672"])
}

test_ambiguous_port_needs_the_image if {
	count(deny) == 0 with input as compose_input("registry.example.com/search:1.0", "search", ["9200:9200"], ["9200"])
	count(deny) == 1 with input as compose_input("docker.elastic.co/elasticsearch/elasticsearch:8.15.0", "elasticsearch/elasticsearch", ["9200:9200"], ["9200"])
}

test_distinctive_port_alone_denied if {
	count(deny) == 1 with input as compose_input("registry.example.com/shop/db:1.0", "shop/db", ["6379:6379"], ["6379"])
}

test_two_component_image_names if {
	image_names({"image": {"repository": "mssql/server"}}) == {"server", "mssql/server"}
	image_names({"image": {"repository": "redis"}}) == {"redis"}
}

test_host_ip if {
	host_ip("5432") == ""
	host_ip("5432:5432/tcp") == ""
	host_ip("10.0.0.5:5432:5432") == "10.0.0.5"
	host_ip("[::]:5432:5432") == "::"
	host_ip("${IP}:5432:5432") == "V"
}

test_ephemeral_host_port_allowed if {
	count(deny) == 0 with input as compose_input("redis:7", "library/redis", ["6379", "6379/tcp", 6379, {"target": 6379}], ["6379", "6379", "6379", "6379"])
}
