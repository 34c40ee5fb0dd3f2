package rules.privileged_container

import data.lib
import rego.v1

metadata := {
	"id": "CP102",
	"name": "privileged-container",
	"title": "Container runs privileged",
	"severity": "error",
	"profile": "minimal",
	"tags": ["privilege"],
	"kinds": ["compose", "kubernetes", "container"],
	"why": "A privileged container has every capability and access to all host devices; escaping it to the host is trivial.",
	"fix": "Remove `privileged: true`. Grant only the specific capabilities the process needs with `cap_add` / `capabilities.add`, or a device mapping.",
	"examples": [{"kind": "compose", "bad": "services:\n  app:\n    image: app:1.0\n    privileged: true", "good": "services:\n  app:\n    image: app:1.0\n    cap_add: [NET_BIND_SERVICE]"}],
}

deny contains lib.finding(c, "privileged", msg) if {
	some c in lib.containers
	c.privileged == true
	msg := sprintf("%s runs privileged, with all capabilities and host devices; %s", [c.resource, remedy])
}

remedy := "run it without `--privileged` and add only the capabilities it needs with `--cap-add`" if {
	input.kind == "container"
} else := "remove `privileged: true` and add only the capabilities it needs"

