package rules.identical_probes

import data.lib
import rego.v1

mock_probe := {"httpGet": {"path": "/ready", "port": 8080}}

mock_pod(liveness, readiness) := lib.mock_pod_input({"name": "web"}, {"containers": [{"name": "web", "image": "nginx:1.27", "livenessProbe": liveness, "readinessProbe": readiness}]})

test_identical_probes_denied_at_liveness if {
	some f in deny with input as mock_pod(mock_probe, mock_probe)
	f.at == ["spec", "containers", 0, "livenessProbe"]
}

test_different_probes_allowed if {
	count(deny) == 0 with input as mock_pod(object.union(mock_probe, {"failureThreshold": 6}), mock_probe)
}
