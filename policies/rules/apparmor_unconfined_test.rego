package rules.apparmor_unconfined

import data.lib
import rego.v1

test_annotation_unconfined_denied if {
	inp := lib.mock_pod_input({"name": "web", "annotations": {"container.apparmor.security.beta.kubernetes.io/web": "unconfined"}}, {"containers": [{"name": "web", "image": "nginx:1.27"}]})
	some f in deny with input as inp
	f.at == ["metadata", "annotations", "container.apparmor.security.beta.kubernetes.io/web"]
}

test_pod_profile_unconfined_denied if {
	inp := lib.mock_pod_input({"name": "web"}, {"securityContext": {"appArmorProfile": {"type": "Unconfined"}}, "containers": [{"name": "web", "image": "nginx:1.27"}]})
	some f in deny with input as inp
	f.at == ["spec", "securityContext", "appArmorProfile", "type"]
}

test_container_profile_overrides_pod if {
	inp := lib.mock_pod_input({"name": "web"}, {
		"securityContext": {"appArmorProfile": {"type": "Unconfined"}},
		"containers": [{"name": "web", "image": "nginx:1.27", "securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}}],
	})
	count(deny) == 0 with input as inp
}

test_annotation_of_another_container_ignored if {
	inp := lib.mock_pod_input({"name": "web", "annotations": {"container.apparmor.security.beta.kubernetes.io/other": "unconfined"}}, {"containers": [{"name": "web", "image": "nginx:1.27"}]})
	count(deny) == 0 with input as inp
}

compose_input(security_opt) := {"kind": "compose", "document": {"services": {"app": {"image": "app:1.0", "security_opt": security_opt}}}, "workloads": []}

test_compose_apparmor_unconfined_denied_at_the_entry if {
	some f in deny with input as compose_input(["seccomp:unconfined", " AppArmor = unconfined"])
	f.at == ["services", "app", "security_opt", 1]
	f.resource == "service app"
}

test_compose_apparmor_profile_allowed if {
	count(deny) == 0 with input as compose_input(["apparmor:docker-default", "label:disable"])
}
