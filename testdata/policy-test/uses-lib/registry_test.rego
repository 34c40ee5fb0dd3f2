package rules.company_registry

import rego.v1

mock_image(registry, ref) := {"ref": ref, "registry": registry, "resource": "service web", "at": ["services", "web", "image"]}

test_docker_hub_image_denied if {
	some f in deny with input as {"kind": "compose", "images": [mock_image("docker.io", "nginx:1.27")]}
	f == {"msg": "image \"nginx:1.27\" is not from registry.example.com", "at": ["services", "web", "image"], "resource": "service web"}
}

test_company_image_allowed if {
	count(deny) == 0 with input as {"kind": "compose", "images": [mock_image("registry.example.com", "registry.example.com/web:1.4")]}
}
