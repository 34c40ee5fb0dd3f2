package rules.seccomp_profile_unset

import data.lib
import rego.v1

test_unset_denied_per_container if {
	inp := lib.mock_pod_input({"name": "web"}, {"containers": [
		{"name": "web", "image": "nginx:1.27"},
		{"name": "proxy", "image": "envoy:1.31", "securityContext": {"runAsNonRoot": true}},
	]})
	count(deny) == 2 with input as inp
	some f in deny with input as inp
	f.at == ["spec", "containers", 1, "securityContext"]
}

test_pod_level_profile_allowed if {
	inp := lib.mock_pod_input({"name": "web"}, {"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}, "containers": [{"name": "web", "image": "nginx:1.27"}]})
	count(deny) == 0 with input as inp
}

test_localhost_and_annotation_allowed if {
	inp := lib.mock_pod_input({"name": "web", "annotations": {"container.seccomp.security.alpha.kubernetes.io/proxy": "runtime/default"}}, {"containers": [
		{"name": "web", "image": "nginx:1.27", "securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "p.json"}}},
		{"name": "proxy", "image": "envoy:1.31"},
	]})
	count(deny) == 0 with input as inp with data.parameters.kubernetes_version as "1.26"
}

test_annotation_ignored_from_1_27 if {
	inp := lib.mock_pod_input({"name": "web", "annotations": {"seccomp.security.alpha.kubernetes.io/pod": "runtime/default"}}, {"containers": [{"name": "web", "image": "nginx:1.27"}]})
	some f in deny with input as inp
	contains(f.msg, "annotations are ignored since Kubernetes 1.27")
	count(deny) == 1 with input as inp with data.parameters.kubernetes_version as "1.27"
	count(deny) == 0 with input as inp with data.parameters.kubernetes_version as "v1.24"
}

test_windows_pod_skipped if {
	inp := lib.mock_pod_input({"name": "iis"}, {"os": {"name": "windows"}, "containers": [{"name": "iis", "image": "mcr.microsoft.com/windows/servercore/iis:ltsc2022"}]})
	count(deny) == 0 with input as inp
}
