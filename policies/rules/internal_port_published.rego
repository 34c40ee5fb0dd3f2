package rules.internal_port_published

import data.lib
import rego.v1

metadata := {
	"id": "CP132",
	"name": "internal-port-published",
	"title": "Database, cache or queue port published on all interfaces",
	"severity": "warning",
	"tags": ["network"],
	"kinds": ["compose"],
	"why": "A published port without a host address (`\"5432:5432\"`) listens on every interface of the host, and Docker's own firewall rules open it even where ufw or firewalld would block it. Databases, caches and queues are meant for the other services of the project, and often run with default or no credentials: exposed Redis, MongoDB and Elasticsearch instances are a classic source of breaches. Only services that are recognisably internal are reported: by their image (PostgreSQL, MySQL/MariaDB, Redis/Valkey, MongoDB, Memcached, Elasticsearch/OpenSearch, RabbitMQ, Kafka, ZooKeeper, Cassandra, etcd, SQL Server, CouchDB, InfluxDB, Neo4j, ClickHouse, NATS) publishing that service's port, or by a port no other common service uses (5432, 3306, 6379, 27017, 11211, 1433).",
	"fix": "Reach the service from the other services over the compose network (by its service name) and drop the `ports:` entry; if the host needs it (a local tool, a development database), bind it to loopback: `\"127.0.0.1:5432:5432\"`.",
	"examples": [{"kind": "compose", "bad": "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"5432:5432\"", "good": "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"127.0.0.1:5432:5432\""}],
}

# Internal services: the last components of their images' repositories, the
# ports they serve, and whether the port alone identifies them.
internal_services := [
	{"name": "PostgreSQL", "images": {"postgres", "postgresql", "postgis", "timescaledb", "timescaledb-ha", "pgvector"}, "ports": {"5432"}, "port_alone": true},
	{"name": "MySQL", "images": {"mysql", "mysql-server", "mariadb", "percona", "percona-server"}, "ports": {"3306"}, "port_alone": true},
	{"name": "Redis", "images": {"redis", "redis-stack", "redis-stack-server", "valkey", "keydb", "dragonfly"}, "ports": {"6379"}, "port_alone": true},
	{"name": "MongoDB", "images": {"mongo", "mongodb", "mongodb-community-server"}, "ports": {"27017"}, "port_alone": true},
	{"name": "Memcached", "images": {"memcached"}, "ports": {"11211"}, "port_alone": true},
	{"name": "SQL Server", "images": {"mssql/server", "azure-sql-edge"}, "ports": {"1433"}, "port_alone": true},
	{"name": "Elasticsearch", "images": {"elasticsearch", "opensearch"}, "ports": {"9200", "9300"}, "port_alone": false},
	{"name": "RabbitMQ", "images": {"rabbitmq"}, "ports": {"5672"}, "port_alone": false},
	{"name": "Kafka", "images": {"kafka", "cp-kafka", "cp-server"}, "ports": {"9092"}, "port_alone": false},
	{"name": "ZooKeeper", "images": {"zookeeper", "cp-zookeeper"}, "ports": {"2181"}, "port_alone": false},
	{"name": "Cassandra", "images": {"cassandra", "scylla"}, "ports": {"9042"}, "port_alone": false},
	{"name": "etcd", "images": {"etcd"}, "ports": {"2379"}, "port_alone": false},
	{"name": "CouchDB", "images": {"couchdb"}, "ports": {"5984"}, "port_alone": false},
	{"name": "InfluxDB", "images": {"influxdb"}, "ports": {"8086"}, "port_alone": false},
	{"name": "Neo4j", "images": {"neo4j"}, "ports": {"7687"}, "port_alone": false},
	{"name": "ClickHouse", "images": {"clickhouse-server"}, "ports": {"8123", "9000"}, "port_alone": false},
	{"name": "NATS", "images": {"nats"}, "ports": {"4222"}, "port_alone": false},
]

# `org/postgres` names `postgres`; `mcr.microsoft.com/mssql/server` names
# `mssql/server` (two components, for names as generic as `server`).
image_names(c) := {parts[n - 1], concat("/", array.slice(parts, n - 2, n))} if {
	parts := split(lower(c.image.repository), "/")
	n := count(parts)
	n >= 2
} else := {lower(c.image.repository)} if is_string(c.image.repository)

else := set()

# The internal service a published container port belongs to.
service_of(c, port) := s.name if {
	some s in internal_services
	port in s.ports
	count(image_names(c) & s.images) > 0
} else := s.name if {
	some s in internal_services
	s.port_alone
	port in s.ports
}

# Variables (`${BIND_IP:-127.0.0.1}`, `$PORT`) stand as `V`: their value is
# not known, so a variable host address is not reported.
without_variables(text) := regex.replace(regex.replace(text, `\$\{[^}]*\}`, "V"), `\$[A-Za-z_][A-Za-z0-9_]*`, "V")

# The host address of a short-syntax port (`[IP:][HOST:]CONTAINER[/PROTO]`),
# "" when none is written.
host_ip(text) := ip if {
	spec := split(without_variables(text), "/")[0]
	startswith(spec, "[")
	ip := substring(spec, 1, indexof(spec, "]") - 1)
} else := ip if {
	spec := split(without_variables(text), "/")[0]
	parts := split(spec, ":")
	count(parts) == 3
	ip := parts[0]
} else := ""

# A fixed host port is written: `HOST:CONTAINER` or long syntax's
# `published`. A bare container port gets an ephemeral host port, which
# test setups use to avoid clashes: not reported.
fixed_host_port(item) if {
	is_string(item)
	spec := split(without_variables(item), "/")[0]
	count(split(spec, ":")) >= 2
}

fixed_host_port(item) if {
	is_object(item)
	item.published != null
	item.published != ""
}

# Long syntax: `host_ip`, absent means every interface.
host_ip_of(item) := object.get(item, "host_ip", "") if is_object(item)

else := host_ip(item) if is_string(item)

else := "" # a bare number: no address

all_interfaces := {"", "0.0.0.0", "::"}

tcp(p) if not is_string(p.protocol)

tcp(p) if {
	is_string(p.protocol)
	lower(p.protocol) == "tcp"
}

deny contains {"msg": msg, "at": p.at, "resource": c.resource} if {
	input.kind == "compose"
	some w in input.workloads
	w.host_network != true # `network_mode: host` ignores ports (CP106)
	some c in w.containers
	some p in c.ports
	tcp(p)
	is_string(p.container_port)
	name := service_of(c, p.container_port)
	item := object.get(input.document, p.at, null)
	fixed_host_port(item)
	host_ip_of(item) in all_interfaces
	msg := sprintf("%s publishes %s port %s on every interface of the host; drop the `ports:` entry and reach it over the compose network, or bind it to loopback (%s)", [c.resource, name, p.container_port, loopback(item)])
}

loopback(item) := "`host_ip: 127.0.0.1`" if is_object(item)

else := "prefix it with `127.0.0.1:`"
