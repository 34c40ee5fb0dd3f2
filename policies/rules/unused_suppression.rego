package rules.unused_suppression

import rego.v1

# Reported by policy itself when it applies suppressions (src/suppress.rs);
# this file holds the rule's metadata and documentation.
metadata := {
	"id": "CP001",
	"name": "unused-suppression",
	"title": "Suppression matches no finding",
	"severity": "warning",
	"tags": ["suppression"],
	"kinds": ["dockerfile", "compose", "kubernetes"],
	"engine": true,
	"why": "A `# policy:ignore` comment, `# policy:ignore-file` comment or `policy.container/ignore` annotation that suppresses nothing is stale: the problem was fixed or the comment moved away from its node. Left in place, it will silently hide the next real finding of that rule at that spot.",
	"fix": "Delete the suppression, or move it to the line of (or the line before) the instruction or YAML node the finding points at. Only rules that ran are judged: a suppression of a disabled rule is left alone.",
	"examples": [
		{
			"kind": "dockerfile",
			"bad": "# policy:ignore CP101 -- legacy base image\nFROM alpine:3.20\nUSER 10001",
			"good": "FROM alpine:3.20\nUSER 10001",
		},
		{
			"kind": "kubernetes",
			"bad": "securityContext: # policy:ignore CP104\n  readOnlyRootFilesystem: true",
			"good": "securityContext:\n  readOnlyRootFilesystem: true",
		},
	],
}
