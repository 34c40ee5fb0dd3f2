package rules.seccomp_unconfined

import data.lib
import rego.v1

test_pod_unconfined_denied_at_the_field if {
	inp := lib.mock_pod_input({"name": "web"}, {"securityContext": {"seccompProfile": {"type": "Unconfined"}}, "containers": [{"name": "web", "image": "nginx:1.27"}]})
	some f in deny with input as inp
	f.at == ["spec", "securityContext", "seccompProfile", "type"]
	contains(f.msg, "Pod/web container web")
}

test_container_runtime_default_overrides_pod_unconfined if {
	inp := lib.mock_pod_input({"name": "web"}, {
		"securityContext": {"seccompProfile": {"type": "Unconfined"}},
		"containers": [{"name": "web", "image": "nginx:1.27", "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}}],
	})
	count(deny) == 0 with input as inp
}

test_unconfined_annotation_denied_before_1_27 if {
	inp := lib.mock_pod_input({"name": "web", "annotations": {"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}}, {"containers": [{"name": "web", "image": "nginx:1.27"}]})
	fs := deny with input as inp with data.parameters.kubernetes_version as "1.26"
	some f in fs
	f.at == ["metadata", "annotations", "seccomp.security.alpha.kubernetes.io/pod"]

	# From 1.27 the annotation does nothing: the pod sets no profile (CP112).
	count(deny) == 0 with input as inp
}

test_unset_is_not_this_rule if {
	count(deny) == 0 with input as lib.mock_pod_input({"name": "web"}, {"containers": [{"name": "web", "image": "nginx:1.27"}]})
}

compose_input(security_opt) := {"kind": "compose", "document": {"services": {"app": {"image": "app:1.0", "security_opt": security_opt}}}, "workloads": []}

test_compose_seccomp_unconfined_denied_at_the_entry if {
	some f in deny with input as compose_input(["no-new-privileges:true", "seccomp=Unconfined"])
	f.at == ["services", "app", "security_opt", 1]
	f.resource == "service app"
}

test_compose_seccomp_profile_file_allowed if {
	count(deny) == 0 with input as compose_input(["seccomp:./seccomp.json", "apparmor:unconfined"])
}
