package rules.docker_socket

import rego.v1

mock_input_with(mounts) := {"kind": "compose", "workloads": [{"kind": "service", "resource": "service ci", "containers": [{
	"name": "ci", "resource": "service ci", "mounts": mounts,
	"at": {"self": ["services", "ci"]},
}]}]}

mock_mount(type, source, i) := {"type": type, "source": source, "target": "/var/run/docker.sock", "read_only": false, "at": ["services", "ci", "volumes", i]}

test_docker_socket_bind_denied if {
	some f in deny with input as mock_input_with([mock_mount("bind", "/var/run/docker.sock", 0)])
	f.at == ["services", "ci", "volumes", 0]
	f.resource == "service ci"
}

test_containerd_socket_host_path_denied if {
	count(deny) == 1 with input as mock_input_with([mock_mount("hostPath", "/run/containerd/containerd.sock", 0)])
}

test_var_run_directory_denied if {
	count(deny) == 1 with input as mock_input_with([mock_mount("bind", "/var/run/", 0)])
}

test_variable_socket_path_denied if {
	count(deny) == 1 with input as mock_input_with([mock_mount("bind", "${DOCKER_SOCK:-/var/run/docker.sock}", 0)])
}

test_other_bind_allowed if {
	count(deny) == 0 with input as mock_input_with([mock_mount("bind", "./data", 0)])
}

test_named_volume_allowed if {
	count(deny) == 0 with input as mock_input_with([mock_mount("volume", "docker.sock", 0)])
}
