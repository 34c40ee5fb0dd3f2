package rules.run_as_group_root

import data.lib
import rego.v1

metadata := {
	"id": "CP113",
	"name": "run-as-group-root",
	"title": "Container's group is root or unset",
	"severity": "info",
	"tags": ["privilege", "non-root"],
	"kinds": ["kubernetes"],
	"default_enabled": false,
	"why": "Without `runAsGroup` the process runs with the image's primary group, often root (GID 0); files owned by group root on the host or on shared volumes are then writable by it. A non-root user with group 0 is a common way OpenShift-style images keep write access where they should not. Opt-in (the `strict` profile): no Pod Security Standard asks for it, OpenShift's arbitrary UIDs run with group 0 by design, and on the corpus 94% of the 3,441 pod templates leave it unset, so it fired on nearly every workload (4,703 findings).",
	"fix": "Set `securityContext.runAsGroup` to a non-zero GID (e.g. 10001) on the pod or the container.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsGroup: 0\n  containers:\n    - name: web\n      image: nginx:1.27", "good": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsGroup: 10001\n  containers:\n    - name: web\n      image: nginx:1.27"}],
}

# The container's `runAsGroup`, else the pod's, with its path.
run_as_group(w, c, node) := [g, array.concat(c.at.self, ["securityContext", "runAsGroup"])] if {
	g := node.securityContext.runAsGroup
	g != null
} else := [g, array.concat(w.at.spec, ["securityContext", "runAsGroup"])] if {
	g := lib.pod_spec(w).securityContext.runAsGroup
	g != null
}

deny contains lib.finding_at(at, c.resource, msg) if {
	some [w, c, node] in lib.pod_containers
	not lib.windows_pod(w)
	[g, at] := run_as_group(w, c, node)
	g == 0
	msg := sprintf("%s runs with group root (`runAsGroup: 0`); set a non-zero `runAsGroup`", [c.resource])
}

deny contains lib.finding_first(c, ["security_context"], msg) if {
	some [w, c, node] in lib.pod_containers
	not lib.windows_pod(w)
	not run_as_group(w, c, node)
	msg := sprintf("%s sets no `runAsGroup`, so it runs with the image's group (often root); set a non-zero `runAsGroup` on the pod or the container", [c.resource])
}
