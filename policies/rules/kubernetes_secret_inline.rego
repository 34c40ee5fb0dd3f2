package rules.kubernetes_secret_inline

import data.lib
import rego.v1

metadata := {
	"id": "CP504",
	"name": "kubernetes-secret-inline-data",
	"title": "Kubernetes Secret with inline data",
	"severity": "warning",
	"tags": ["secrets"],
	"kinds": ["kubernetes"],
	"why": "`data` is only base64, not encryption: a Secret manifest with values in it puts the credentials in version control.",
	"fix": "Keep the values out of the repository: create the Secret at deploy time, or commit it encrypted (Sealed Secrets, SOPS) or as an ExternalSecret.",
	"examples": [{"kind": "kubernetes", "bad": "kind: Secret\ndata:\n  password: aHVudGVyMg==", "good": "kind: ExternalSecret\nspec:\n  secretStoreRef: {name: vault}"}],
}

# The Secret objects of the document with their path: the document itself, or
# the items of a `List`.
secrets contains [[], input.document] if input.document.kind == "Secret"

secrets contains [["items", i], item] if {
	endswith(input.document.kind, "List")
	is_array(input.document.items)
	some i, item in input.document.items
	item.kind == "Secret"
}

# A value written in the manifest: not empty, not a template placeholder
# filled at deploy time (`{{ .Values.password }}`, `${DB_PASSWORD}`).
inline(value) if {
	is_string(value)
	value != ""
	not contains(value, "{{")
	not lib.is_placeholder(value)
}

inline(value) if {
	not is_string(value)
	value != null
}

# Certificates are public: a TLS Secret is reported for its key, not its chain.
public := {"tls.crt", "ca.crt"}

deny contains {"msg": msg, "at": array.concat(path, [field, key]), "resource": resource} if {
	some [path, secret] in secrets
	some field in ["data", "stringData"]
	is_object(secret[field])
	some key, value in secret[field]
	not public[key]
	inline(value)
	name := object.get(secret, ["metadata", "name"], "")
	resource := sprintf("Secret/%s", [name])
	msg := sprintf("%s holds %s.%s in the manifest; create the Secret at deploy time or commit it encrypted (Sealed Secrets, SOPS, ExternalSecret)", [resource, field, key])
}
