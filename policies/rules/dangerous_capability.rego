package rules.dangerous_capability

import data.lib
import rego.v1

metadata := {
	"id": "CP105",
	"name": "dangerous-capability-added",
	"title": "A dangerous capability is added",
	"severity": "error",
	"profile": "minimal",
	"tags": ["privilege"],
	"kinds": ["compose", "kubernetes", "container"],
	"why": "Capabilities such as SYS_ADMIN, SYS_PTRACE, SYS_MODULE or NET_ADMIN are close to full root on the host: mounting filesystems, loading kernel modules, reading other processes' memory, rewriting the network.",
	"fix": "Remove the capability. If the workload truly needs it, isolate it (a dedicated node, a sandboxed runtime) and document the exception with a suppression.",
	"examples": [{"kind": "compose", "bad": "cap_add: [SYS_ADMIN]", "good": "cap_add: [NET_BIND_SERVICE]"}],
}

dangerous := {
	"ALL", "SYS_ADMIN", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO", "SYS_BOOT", "SYS_TIME",
	"NET_ADMIN", "DAC_READ_SEARCH", "MAC_ADMIN", "MAC_OVERRIDE", "BPF", "PERFMON",
}

deny contains {"msg": msg, "at": array.concat(c.at.capabilities_add, [i]), "resource": c.resource} if {
	some c in lib.containers
	some i, cap in c.capabilities.add
	name := trim_prefix(upper(trim_space(cap)), "CAP_")
	dangerous[name]
	msg := sprintf("%s adds capability %s, which gives near-root power over the host; remove it", [c.resource, name])
}
