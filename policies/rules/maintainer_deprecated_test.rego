package rules.maintainer_deprecated

import rego.v1

mock_dockerfile(instructions) := {"kind": "dockerfile", "document": {
	"instructions": array.concat([{"cmd": "from", "stage": 0, "image": "debian:12", "name": null}], instructions),
	"stages": [{"index": 0, "name": null, "base": "debian:12"}],
}}

test_maintainer_denied if {
	some f in deny with input as mock_dockerfile([{"cmd": "maintainer", "stage": 0, "args": ["jane@example.com"]}])
	f.at == ["instructions", 1]
	contains(f.msg, "org.opencontainers.image.authors")
}

test_label_allowed if {
	count(deny) == 0 with input as mock_dockerfile([{"cmd": "label", "stage": 0, "pairs": [{"key": "org.opencontainers.image.authors", "value": "jane@example.com"}]}])
}
