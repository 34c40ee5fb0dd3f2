package rules.apparmor_unconfined

import data.lib
import rego.v1

metadata := {
	"id": "CP120",
	"name": "apparmor-unconfined",
	"title": "AppArmor profile is unconfined",
	"severity": "error",
	"profile": "minimal",
	"tags": ["privilege", "apparmor"],
	"kinds": ["compose", "kubernetes"],
	"why": "On nodes with AppArmor the runtime confines containers with its default profile, which denies writes to /proc and /sys and mounts; `unconfined` removes that layer of defence.",
	"fix": "Kubernetes: remove `appArmorProfile.type: Unconfined` and the `container.apparmor.security.beta.kubernetes.io/<container>: unconfined` annotation, or use `RuntimeDefault` / a `Localhost` profile. Compose: remove `apparmor:unconfined` from `security_opt` (Docker's `docker-default` profile then applies), or name a profile loaded on the host (`apparmor:my-profile`).",
	"examples": [
		{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/web: unconfined\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27", "good": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/web: runtime/default\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27"},
		{"kind": "compose", "bad": "services:\n  app:\n    image: app:1.0\n    security_opt:\n      - apparmor:unconfined", "good": "services:\n  app:\n    image: app:1.0\n    security_opt:\n      - apparmor:docker-default"},
	],
}

annotation_prefix := "container.apparmor.security.beta.kubernetes.io/"

# The container's profile, else the annotation for it, else the pod's profile.
profile(w, c, node) := [type, array.concat(c.at.self, ["securityContext", "appArmorProfile", "type"])] if {
	type := node.securityContext.appArmorProfile.type
	is_string(type)
} else := [type, array.concat(lib.pod_annotations_at(w), [key])] if {
	key := concat("", [annotation_prefix, c.name])
	type := lib.pod_annotations(w)[key]
	is_string(type)
} else := [type, array.concat(w.at.spec, ["securityContext", "appArmorProfile", "type"])] if {
	type := lib.pod_spec(w).securityContext.appArmorProfile.type
	is_string(type)
}

deny contains lib.finding_at(at, c.resource, msg) if {
	some [w, c, node] in lib.pod_containers
	not lib.windows_pod(w)
	[type, at] := profile(w, c, node)
	lower(type) == "unconfined"
	msg := sprintf("%s runs without AppArmor confinement (`unconfined`); use `RuntimeDefault` or a `Localhost` profile", [c.resource])
}

deny contains lib.finding_at(at, sprintf("service %s", [name]), msg) if {
	some [name, key, value, at] in lib.compose_security_opts
	key == "apparmor"
	value == "unconfined"
	msg := sprintf("service %s runs without AppArmor confinement (`apparmor:unconfined`); remove it to get Docker's default profile", [name])
}
