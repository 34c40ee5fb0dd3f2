package rules.image_size_budget

import rego.v1

mock_image(size) := {
	"kind": "image",
	"images": [{"ref": "registry.example.com/team/backend:1.0", "registry": "registry.example.com", "repository": "team/backend"}],
	"workloads": [{"resource": "image registry.example.com/team/backend:1.0"}],
	"image": {"format": "oci-layout", "size": size},
}

test_over_global_budget_denied if {
	some f in deny with input as mock_image({"compressed": 90000000, "uncompressed": 250000000})
		with data.parameters.image_size_budget as 200000000
	f.at == ["rootfs"]
	contains(f.msg, "is 250 MB unpacked (90 MB compressed), over its size budget of 200 MB")
}

test_under_budget_allowed if {
	count(deny) == 0 with input as mock_image({"compressed": 90000000, "uncompressed": 150000000})
		with data.parameters.image_size_budget as 200000000
}

test_budget_by_image_name if {
	count(deny) == 1 with input as mock_image({"compressed": null, "uncompressed": 150000000})
		with data.parameters.image_size_budget as {"backend": 100000000, "*": 500000000}
}

test_fallback_budget if {
	count(deny) == 0 with input as mock_image({"compressed": null, "uncompressed": 150000000})
		with data.parameters.image_size_budget as {"frontend": 100000000, "*": 500000000}
}

test_no_budget_no_finding if {
	count(deny) == 0 with input as mock_image({"compressed": 1, "uncompressed": 999999999999})
}
