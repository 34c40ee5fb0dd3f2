package rules.seccomp_unconfined

import data.lib
import rego.v1

metadata := {
	"id": "CP111",
	"name": "seccomp-unconfined",
	"title": "Seccomp profile is Unconfined",
	"severity": "error",
	"profile": "minimal",
	"tags": ["privilege", "seccomp"],
	"kinds": ["compose", "kubernetes"],
	"why": "Seccomp filters the system calls a container may make; `Unconfined` turns the filter off, leaving every kernel interface (keyctl, bpf, unshare, mount...) open to an attacker who gets code execution in the container.",
	"fix": "Kubernetes: set `securityContext.seccompProfile.type: RuntimeDefault` (or `Localhost` with a profile) on the pod or the container, and remove `Unconfined`; a container's setting overrides the pod's. Compose: remove `seccomp:unconfined` from `security_opt` (Docker's default profile then applies), or name a profile file that allows the one extra call needed (`seccomp:./profile.json`).",
	"examples": [
		{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    seccompProfile:\n      type: Unconfined\n  containers:\n    - name: web\n      image: nginx:1.27", "good": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n    - name: web\n      image: nginx:1.27"},
		{"kind": "compose", "bad": "services:\n  app:\n    image: app:1.0\n    security_opt:\n      - seccomp:unconfined", "good": "services:\n  app:\n    image: app:1.0\n    security_opt:\n      - no-new-privileges:true"},
	],
}

deny contains lib.finding_at(at, c.resource, msg) if {
	some [w, c, node] in lib.pod_containers
	not lib.windows_pod(w)
	[profile, at] := lib.seccomp_profile(w, c, node)
	lower(profile) == "unconfined"
	msg := sprintf("%s runs with seccomp `Unconfined`, so every system call is allowed; set `seccompProfile.type: RuntimeDefault`", [c.resource])
}

deny contains lib.finding_at(at, sprintf("service %s", [name]), msg) if {
	some [name, key, value, at] in lib.compose_security_opts
	key == "seccomp"
	value == "unconfined"
	msg := sprintf("service %s runs with `seccomp:unconfined`, so every system call is allowed; remove it to get Docker's default profile", [name])
}
