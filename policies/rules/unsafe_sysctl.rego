package rules.unsafe_sysctl

import data.lib
import rego.v1

metadata := {
	"id": "CP118",
	"name": "unsafe-sysctl",
	"title": "Pod sets an unsafe sysctl",
	"severity": "error",
	"profile": "minimal",
	"tags": ["privilege", "sysctl"],
	"kinds": ["kubernetes"],
	"why": "Kubernetes namespaces only a small set of sysctls per pod (the safe set); any other one changes a kernel setting of the whole node, affecting every pod on it, and is refused unless the kubelet allows it with `--allowed-unsafe-sysctls`.",
	"fix": "Remove the sysctl from `securityContext.sysctls`, or tune it on the nodes themselves. Safe sysctls: kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    sysctls:\n      - name: kernel.msgmax\n        value: \"65536\"\n  containers:\n    - name: web\n      image: nginx:1.27", "good": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    sysctls:\n      - name: net.ipv4.tcp_syncookies\n        value: \"1\"\n  containers:\n    - name: web\n      image: nginx:1.27"}],
}

# Kubernetes' safe set (pod security standard `baseline`).
safe_sysctls := {
	"kernel.shm_rmid_forced",
	"net.ipv4.ip_local_port_range",
	"net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.tcp_syncookies",
	"net.ipv4.ping_group_range",
	"net.ipv4.ip_local_reserved_ports",
	"net.ipv4.tcp_keepalive_time",
	"net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
}

# Sysctls may be written with `/` as the separator (`net/ipv4/tcp_syncookies`).
canonical(name) := replace(name, "/", ".")

deny contains lib.finding_at(array.concat(spec_at, ["securityContext", "sysctls", i, "name"]), w.resource, msg) if {
	some [w, spec, spec_at] in lib.pod_specs
	some i, s in lib.array_of(spec.securityContext.sysctls)
	is_string(s.name)
	not canonical(s.name) in safe_sysctls
	msg := sprintf("%s sets the unsafe sysctl %s, which is not namespaced per pod; remove it or tune it on the nodes", [w.resource, s.name])
}
