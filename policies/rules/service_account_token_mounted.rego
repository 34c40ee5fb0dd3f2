package rules.service_account_token_mounted

import data.lib
import rego.v1

metadata := {
	"id": "CP114",
	"name": "service-account-token-mounted",
	"title": "Service account token is mounted",
	"severity": "info",
	"tags": ["privilege", "rbac"],
	"kinds": ["kubernetes"],
	"why": "Unless told otherwise, Kubernetes mounts a token of the pod's service account into every container; anyone who gets code execution in the pod can use it to call the API server with that account's permissions. Most applications never talk to the API server.",
	"fix": "Set `automountServiceAccountToken: false` in the pod spec (or on its ServiceAccount), and mount a projected token only into the pods that call the API.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27", "good": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  automountServiceAccountToken: false\n  containers:\n    - name: web\n      image: nginx:1.27"}],
}

deny contains lib.finding_at(array.concat(spec_at, ["automountServiceAccountToken"]), w.resource, msg) if {
	some [w, spec, spec_at] in lib.pod_specs
	spec.automountServiceAccountToken == true
	msg := sprintf("%s mounts its service account token (automountServiceAccountToken is true); turn it off unless the pod calls the Kubernetes API", [w.resource])
}

deny contains lib.finding_at(spec_at, w.resource, msg) if {
	some [w, spec, spec_at] in lib.pod_specs
	not has_key(spec, "automountServiceAccountToken")
	count(w.containers) > 0
	msg := sprintf("%s mounts its service account token by default; turn off automountServiceAccountToken unless the pod calls the Kubernetes API", [w.resource])
}

has_key(obj, key) if obj[key] != null
