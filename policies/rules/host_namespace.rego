package rules.host_namespace

import data.lib
import rego.v1

metadata := {
	"id": "CP106",
	"name": "host-namespace-shared",
	"title": "Host namespace is shared (network, PID, IPC, user or cgroup)",
	"severity": "error",
	"profile": "minimal",
	"tags": ["privilege"],
	"kinds": ["compose", "kubernetes", "container"],
	"why": "Sharing the host's network namespace exposes every host port and lets the container bind anywhere; the PID namespace lets it see and signal host processes; the IPC namespace lets it read shared memory of host processes. In compose, `userns_mode: host` opts out of the daemon's user-namespace remapping, so root in the container is root on the host, and `cgroup: host` shows the container the host's whole cgroup tree.",
	"fix": "Remove `hostNetwork`/`hostPID`/`hostIPC` (Kubernetes) or `network_mode: host`, `pid: host`, `ipc: host`, `userns_mode: host`, `cgroup: host` (compose); publish ports instead of sharing the host network.",
	"examples": [{"kind": "kubernetes", "bad": "spec:\n  hostNetwork: true", "good": "spec:\n  hostNetwork: false"}],
}

# Each namespace with what to do instead of sharing it.
namespaces := {
	"host_network": ["network", "remove it and publish the ports the service needs"],
	"host_pid": ["PID", "remove it; to see another container's processes, share that container's instead (`pid: service:NAME` in compose, `shareProcessNamespace` in a pod)"],
	"host_ipc": ["IPC", "remove it; to share memory between containers, mount a shared volume instead"],
}

deny contains lib.finding(w, field, msg) if {
	some w in input.workloads
	some field, about in namespaces
	w[field] == true
	msg := sprintf("%s shares the host's %s namespace; %s", [w.resource, about[0], about[1]])
}

# Compose namespaces the workload model does not carry.
compose_namespaces := {"userns_mode": "user", "cgroup": "cgroup"}

deny contains lib.finding_at(array.concat(at, [field]), sprintf("service %s", [name]), msg) if {
	some [name, svc, at] in lib.compose_services
	some field, ns in compose_namespaces
	is_string(svc[field])
	lower(trim_space(svc[field])) == "host"
	msg := sprintf("service %s shares the host's %s namespace (`%s: host`); remove it", [name, ns, field])
}
