package rules.host_path_volume

import data.lib
import rego.v1

mock_pod(paths) := lib.mock_pod_input({"name": "agent"}, {
	"containers": [{"name": "agent", "image": "agent:1.0"}],
	"volumes": [{"name": sprintf("v%d", [i]), "hostPath": {"path": p}} | some i, p in paths],
})

test_sensitive_paths_denied if {
	count(deny) == 4 with input as mock_pod(["/", "/etc/", "//proc", "/var/lib/kubelet"])
	some f in deny with input as mock_pod(["/etc"])
	f.at == ["spec", "volumes", 0, "hostPath", "path"]
}

test_other_paths_and_sockets_are_not_this_rule if {
	count(deny) == 0 with input as mock_pod(["/var/log", "/var/run/docker.sock", "/run", "/etc-data"])
}

test_normalized if {
	normalized("/") == "/"
	normalized("/etc/") == "/etc"
	normalized("//etc/./kubernetes") == "/etc/kubernetes"
}

test_malformed_volumes_ignored if {
	inp := lib.mock_pod_input({"name": "agent"}, {"containers": [], "volumes": null})
	count(deny) == 0 with input as inp
	inp2 := lib.mock_pod_input({"name": "agent"}, {"containers": [], "volumes": ["x", {"hostPath": "/"}, {"hostPath": {"path": 1}}]})
	count(deny) == 0 with input as inp2
}

compose_mount(source) := {"type": "bind", "source": source, "target": "/host", "read_only": true, "at": ["services", "agent", "volumes", 0]}

compose_input(mounts) := {"kind": "compose", "document": {}, "workloads": [{"kind": "service", "resource": "service agent", "containers": [{"resource": "service agent", "mounts": mounts}]}]}

test_compose_sensitive_bind_mount_denied if {
	some f in deny with input as compose_input([compose_mount("/proc/")])
	f.at == ["services", "agent", "volumes", 0]
	f.resource == "service agent"
}

test_compose_project_files_sockets_and_volumes_allowed if {
	mounts := [
		compose_mount("./config"),
		compose_mount("."),
		compose_mount(".."),
		compose_mount("/etc/localtime"),
		compose_mount("/var/run/docker.sock"),
		object.union(compose_mount("etc"), {"type": "volume"}),
	]
	count(deny) == 0 with input as compose_input(mounts)
}
