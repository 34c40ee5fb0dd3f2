package rules.unknown_suppression_rule

import rego.v1

# Reported by policy itself when it reads suppressions (src/suppress.rs);
# this file holds the rule's metadata and documentation.
metadata := {
	"id": "CP002",
	"name": "unknown-suppression-rule",
	"title": "Suppression names an unknown rule",
	"severity": "warning",
	"tags": ["suppression"],
	"kinds": ["dockerfile", "compose", "kubernetes"],
	"engine": true,
	"why": "A suppression names rules by id (`CP101`) or name (`run-as-root`). A typo, or a reason written without the ` -- ` separator, names no rule: the finding it meant to suppress is still reported, and the comment misleads readers.",
	"fix": "Use an id or name from `policy rules` (conftest rules by their rule name, e.g. `deny_root` or `main.deny_root`), and put the reason after ` -- `: `# policy:ignore CP101,CP104 -- vendor image, tracked in OPS-12`.",
	"examples": [
		{
			"kind": "dockerfile",
			"bad": "# policy:ignore CP10l vendor image\nFROM vendor/app:1.2",
			"good": "# policy:ignore CP101 -- vendor image\nFROM vendor/app:1.2",
		},
	],
}
