package rules.duplicate_key

import rego.v1

# Reported by policy itself while it reads YAML (src/parse/yaml.rs finds the
# keys, src/check.rs reports them); this file holds the rule's metadata and
# documentation.
metadata := {
	"id": "CP003",
	"name": "duplicate-key",
	"title": "Mapping key written twice",
	"severity": "error",
	"profile": "minimal",
	"tags": ["syntax"],
	"kinds": ["compose", "kubernetes"],
	"engine": true,
	"why": "When a YAML mapping holds the same key twice, the last one silently replaces the first: a reviewer who reads `securityContext: {privileged: true}` does not see that a second `securityContext:` further down is the one that applies (or the reverse). `kubectl` rejects such manifests (strict field validation) and `docker compose` rejects such files, so the file does not deploy as written either. Rules see only the last value, as YAML loaders do.",
	"fix": "Remove one of the two keys, or merge their contents into one. The finding is at the second key and names the line of the first.",
	"examples": [
		{
			"kind": "kubernetes",
			"bad": "containers:\n  - name: app\n    image: registry.example.com/app:1.4\n    securityContext:\n      privileged: true\n    securityContext:\n      runAsNonRoot: true",
			"good": "containers:\n  - name: app\n    image: registry.example.com/app:1.4\n    securityContext:\n      runAsNonRoot: true",
		},
		{
			"kind": "compose",
			"bad": "services:\n  web:\n    image: nginx:1.27\n    user: \"0\"\n    user: \"10001\"",
			"good": "services:\n  web:\n    image: nginx:1.27\n    user: \"10001\"",
		},
	],
}
