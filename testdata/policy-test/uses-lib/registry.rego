# A user rule built on the built-in helpers: images must come from the
# company registry.
package rules.company_registry

import data.lib
import rego.v1

metadata := {
	"id": "ACME001", "name": "company-registry", "title": "Image not from the company registry",
	"severity": "error", "tags": ["supply-chain"], "kinds": ["compose", "kubernetes"],
	"why": "Only images mirrored and scanned by the company registry may run.",
	"fix": "Pull the image through registry.example.com.",
}

deny contains lib.finding_at(img.at, img.resource, msg) if {
	some img in input.images
	img.registry != "registry.example.com"
	msg := sprintf("image %q is not from registry.example.com", [img.ref])
}
