package rules.runtime_drift

import data.lib
import rego.v1

metadata := {
	"id": "CP910",
	"name": "runtime-drift",
	"title": "Running container contradicts its declaration",
	"severity": "error",
	"profile": "minimal",
	"tags": ["drift", "runtime", "cross-document"],
	"kinds": ["combined"],
	"why": "The checked compose file or manifest is what reviewers approved; a container started by hand, by an old deployment or with overrides can run as root, writable or without limits while the files say otherwise. Every other finding is then about something that does not run.",
	"fix": "Recreate the container from its declaration (`docker compose up -d --force-recreate SERVICE`, `kubectl rollout restart`), or change the declaration to what must run and review that change.",
	"examples": [{
		"kind": "compose",
		"bad": "# compose.yaml says read_only: true and user: \"1001\"; the running\n# container (label com.docker.compose.service=web) was started with\n# docker run --user 0 shop-web:1.4",
		"good": "# the running container was created by `docker compose up` from the\n# same file: its User is 1001 and ReadonlyRootfs is true",
	}],
}

# What runs: containers (saved `docker inspect` output or live ones) and
# Pods read back with their status (`kubectl get pods -o json`).
live := array.concat(
	[w | some d in input.documents; d.kind == "container"; some w in d.workloads],
	[w | some d in input.documents; d.kind == "kubernetes"; some w in d.workloads; observed(w)],
)

# Declarations: compose services and Kubernetes workloads (not Pods read
# back with their status, which are observations themselves).
declarations := [[d, w] |
	some d in input.documents
	d.kind in {"compose", "kubernetes"}
	some w in d.workloads
	not observed(w)
]

observed(w) if {
	some c in w.containers
	c.state != null
}

# [declaring document, declared workload, declared container, live workload,
# live container]: compose labels name the service (and project); a Pod
# carries its workload's pod template labels, in its namespace, and its
# containers have the declared names (so do a Kubernetes node's Docker
# containers, labelled `io.kubernetes.*`); any other container matches a
# declaration that runs its exact image.
pairs := [[d, dw, dc, lw, lc] |
	some lw in live
	some [d, dw] in declarations
	some dc in dw.containers
	matches(d, dw, dc, lw)
	some lc in lw.containers
	same_container(dc, lc, lw)
]

matches(d, dw, _, lw) if {
	d.kind == "compose"
	lw.kind == "container"
	lw.labels["com.docker.compose.service"] == dw.name
	project_matches(d, lw)
}

matches(d, dw, _, lw) if {
	d.kind == "kubernetes"
	lw.kind == "Pod"
	dw.kind != "Pod"
	lib.workload_namespace(dw) == lib.workload_namespace(lw)
	count(dw.pod_labels) > 0
	every k, v in dw.pod_labels {
		lw.pod_labels[k] == v
	}
}

matches(d, dw, _, lw) if {
	d.kind == "kubernetes"
	lw.kind == "container"
	object.get(lw.labels, "io.kubernetes.pod.namespace", "default") == lib.workload_namespace(dw)
	startswith(lw.labels["io.kubernetes.pod.name"], concat("", [dw.name, "-"]))
}

matches(_, _, dc, lw) if {
	lw.kind == "container"
	not lw.labels["com.docker.compose.service"]
	not lw.labels["io.kubernetes.pod.name"]
	some lc in lw.containers
	is_string(dc.image.ref)
	dc.image.ref == lc.image.ref
}

same_container(dc, lc, lw) if {
	lw.kind == "Pod"
	dc.name == lc.name
	dc.init == lc.init
}

same_container(dc, _, lw) if {
	lw.kind == "container"
	lw.labels["io.kubernetes.container.name"] == dc.name
}

same_container(_, _, lw) if {
	lw.kind == "container"
	not lw.labels["io.kubernetes.container.name"]
}

# The compose project: the file's `name:`, else its directory's name
# (lowercased, as compose derives it). A file named without a directory
# matches any project.
project_matches(d, lw) if not compose_project(d)

project_matches(d, lw) if lw.labels["com.docker.compose.project"] == compose_project(d)

compose_project(d) := d.document.name if is_string(d.document.name)

else := project if {
	parts := split(d.path, "/")
	count(parts) > 1
	dir := parts[count(parts) - 2]
	not dir in {".", ".."}
	project := regex.replace(lower(dir), `[^a-z0-9_-]`, "")
}

finding(d, dc, at, msg) := {"msg": msg, "path": d.path, "document_index": d.document_index, "at": at, "resource": dc.resource}

declared_non_root(dc) := sprintf("user %q", [dc.user]) if {
	is_number(dc.uid)
	dc.uid != 0
} else := "`runAsNonRoot: true`" if {
	dc.run_as_non_root == true
}

deny contains finding(d, dc, lib.at_first(dc, ["user", "run_as_non_root"]), msg) if {
	some [d, _, dc, _, lc] in pairs
	declared := declared_non_root(dc)
	lc.uid == 0
	msg := sprintf("%s runs as root, but %s declares %s", [lc.resource, dc.resource, declared])
}

deny contains finding(d, dc, lib.at(dc, "user"), msg) if {
	some [d, _, dc, _, lc] in pairs
	is_number(dc.uid)
	is_number(lc.uid)
	dc.uid != 0
	lc.uid != 0
	dc.uid != lc.uid
	msg := sprintf("%s runs as user %q, but %s declares user %q", [lc.resource, lc.user, dc.resource, dc.user])
}

deny contains finding(d, dc, lib.at(dc, "read_only_root_filesystem"), msg) if {
	some [d, _, dc, _, lc] in pairs
	dc.read_only_root_filesystem == true
	lc.read_only_root_filesystem != true
	msg := sprintf("%s has a writable root filesystem, but %s declares it read-only", [lc.resource, dc.resource])
}

deny contains finding(d, dc, lib.at(dc, "privileged"), msg) if {
	some [d, _, dc, _, lc] in pairs
	dc.privileged != true
	lc.privileged == true
	msg := sprintf("%s runs privileged, but %s does not declare it", [lc.resource, dc.resource])
}

deny contains finding(d, dc, lib.at_first(dc, ["allow_privilege_escalation", "security_opt", "security_context"]), msg) if {
	some [d, _, dc, _, lc] in pairs
	dc.allow_privilege_escalation == false
	lc.allow_privilege_escalation != false
	msg := sprintf("%s allows privilege escalation, but %s disables it", [lc.resource, dc.resource])
}

drops_all(c) if {
	some cap in c.capabilities.drop
	upper(cap) == "ALL"
}

deny contains finding(d, dc, lib.at_first(dc, ["capabilities_drop", "capabilities", "security_context"]), msg) if {
	some [d, _, dc, _, lc] in pairs
	drops_all(dc)
	not drops_all(lc)
	msg := sprintf("%s keeps the default capabilities, but %s drops ALL", [lc.resource, dc.resource])
}

cap_name(cap) := trim_prefix(upper(trim_space(cap)), "CAP_")

deny contains finding(d, dc, lib.at_first(dc, ["capabilities_add", "capabilities", "security_context"]), msg) if {
	some [d, _, dc, _, lc] in pairs
	some cap in lc.capabilities.add
	not cap_name(cap) in {cap_name(x) | some x in dc.capabilities.add}
	msg := sprintf("%s adds capability %s, which %s does not declare", [lc.resource, cap_name(cap), dc.resource])
}

deny contains finding(d, dc, lib.at_first(dc, ["limits_memory", "limits", "resources"]), msg) if {
	some [d, _, dc, _, lc] in pairs
	dc.resources.limits.memory != null
	lc.resources.limits.memory == null
	msg := sprintf("%s has no memory limit, but %s declares %v", [lc.resource, dc.resource, dc.resources.limits.memory])
}

deny contains finding(d, dc, lib.at_first(dc, ["limits_cpu", "limits", "resources"]), msg) if {
	some [d, _, dc, _, lc] in pairs
	dc.resources.limits.cpu != null
	lc.resources.limits.cpu == null
	msg := sprintf("%s has no CPU limit, but %s declares %v", [lc.resource, dc.resource, dc.resources.limits.cpu])
}

deny contains finding(d, dc, lib.at(dc, "image"), msg) if {
	some [d, _, dc, _, lc] in pairs
	is_string(dc.image.ref)
	not lib.variable_image_name(dc.image.ref)
	is_string(lc.image.ref)
	dc.image.ref != lc.image.ref
	msg := sprintf("%s runs image %q, but %s declares %q", [lc.resource, lc.image.ref, dc.resource, dc.image.ref])
}

deny contains finding(d, dc, lib.at(dc, "healthcheck"), msg) if {
	some [d, _, dc, _, lc] in pairs
	dc.health.healthcheck == true
	lc.health.healthcheck != true
	msg := sprintf("%s has no healthcheck, but %s declares one", [lc.resource, dc.resource])
}

deny contains finding(d, dc, lib.at(dw, "host_network"), msg) if {
	some [d, dw, dc, lw, lc] in pairs
	dw.host_network != true
	lw.host_network == true
	msg := sprintf("%s shares the host's network namespace, but %s does not declare it", [lc.resource, dc.resource])
}
