package rules.kubernetes_secret_inline

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

deny contains {"msg": msg, "at": [field, key]} if {
	input.document.kind == "Secret"
	some field in ["data", "stringData"]
	some key, value in input.document[field]
	value != ""
	value != null
	msg := sprintf("Secret/%s holds %s.%s in the manifest; create the Secret at deploy time or commit it encrypted (Sealed Secrets, SOPS, ExternalSecret)", [object.get(input.document, ["metadata", "name"], ""), field, key])
}
