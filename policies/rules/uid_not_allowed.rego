package rules.uid_not_allowed

import data.lib
import rego.v1

metadata := {
	"id": "CP108",
	"name": "uid-not-allowed",
	"title": "Container runs as a UID outside the allowed ranges",
	"severity": "error",
	"profile": "minimal",
	"tags": ["privilege", "non-root"],
	"kinds": ["dockerfile", "compose", "kubernetes", "image", "container"],
	"why": "UIDs are how the kernel tells processes apart across containers and the host: a UID shared with a host account or another tenant owns its files on every shared volume, and platforms such as OpenShift assign each namespace its own range. When the effective user is a numeric UID (Kubernetes `runAsUser`, the container's over the pod's; compose `user:`; the final `USER` of a Dockerfile's final stage), it must be in one of `parameters.allowed_uid_ranges`. User names (`app`, `root`) and variables are not judged (run-as-root covers root), nor is a missing user. Enabled by default, the rule checks nothing until the parameter is set (an empty list counts as unset): setting it turns the rule on.",
	"fix": "Run as a UID inside an allowed range: Dockerfile `USER 10001`, compose `user: \"10001:10001\"`, Kubernetes `securityContext.runAsUser: 10001`. The ranges are `parameters.allowed_uid_ranges` in `.policy.yaml` (or a `--data` file), e.g. `[{min: 10000, max: 65535}]`; both bounds are inclusive, and a range without `min` or `max` is open on that side.",
	"examples": [
		{
			"kind": "kubernetes",
			"bad": "# parameters: {allowed_uid_ranges: [{min: 10000, max: 65535}]}\nsecurityContext:\n  runAsUser: 1000",
			"good": "# parameters: {allowed_uid_ranges: [{min: 10000, max: 65535}]}\nsecurityContext:\n  runAsUser: 10001",
		},
		{
			"kind": "dockerfile",
			"bad": "# parameters: {allowed_uid_ranges: [{min: 10000, max: 65535}]}\nFROM alpine:3.20\nUSER 1000",
			"good": "# parameters: {allowed_uid_ranges: [{min: 10000, max: 65535}]}\nFROM alpine:3.20\nUSER 10001",
		},
	],
}

# The allowed ranges; empty when the parameter is absent: the rule then
# reports nothing.
ranges := [r | some r in data.parameters.allowed_uid_ranges; is_object(r)]

deny contains lib.finding(c, "user", msg) if {
	count(ranges) > 0
	some c in lib.containers
	numeric_user(c.user)
	not allowed(c.uid)
	msg := sprintf(
		"%s runs as UID %d, outside the allowed UID ranges (%s); run as a UID inside one of them",
		[c.resource, c.uid, concat(", ", [range_text(r) | some r in ranges])],
	)
}

# `1000`, `1000:1000`: the user part is a number. Names and variables
# (`app`, `root`, `${UID}`) are not judged.
numeric_user(user) if {
	is_string(user)
	regex.match(`^[0-9]+$`, trim_space(split(user, ":")[0]))
}

allowed(uid) if {
	some r in ranges
	object.get(r, "min", uid) <= uid
	uid <= object.get(r, "max", uid)
}

range_text(r) := sprintf("%d-%d", [r.min, r.max]) if {
	is_number(r.min)
	is_number(r.max)
} else := sprintf("%d and above", [r.min]) if {
	is_number(r.min)
} else := sprintf("up to %d", [r.max]) if {
	is_number(r.max)
} else := "any"
