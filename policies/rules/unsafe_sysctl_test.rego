package rules.unsafe_sysctl

import data.lib
import rego.v1

mock_pod(names) := lib.mock_pod_input({"name": "web"}, {
	"securityContext": {"sysctls": [{"name": n, "value": "1"} | some n in names]},
	"containers": [{"name": "web", "image": "nginx:1.27"}],
})

test_unsafe_sysctls_denied if {
	count(deny) == 2 with input as mock_pod(["net.ipv4.tcp_syncookies", "kernel.msgmax", "net/core/somaxconn"])
	some f in deny with input as mock_pod(["kernel.msgmax"])
	f.at == ["spec", "securityContext", "sysctls", 0, "name"]
}

test_safe_set_allowed_with_either_separator if {
	count(deny) == 0 with input as mock_pod(["net.ipv4.ip_local_port_range", "net/ipv4/tcp_keepalive_time", "kernel.shm_rmid_forced"])
}
