package rules.liveness_probe_missing

import rego.v1

mock_container(fields) := object.union(
	{
		"name": "api", "resource": "Deployment/api mock_container api", "init": false,
		"health": {"healthcheck": null, "liveness_probe": false, "readiness_probe": false, "startup_probe": false},
		"at": {"self": ["spec", "template", "spec", "containers", 0]},
	},
	fields,
)

mock_k8s_input(kind, restart, containers) := {"kind": "kubernetes", "workloads": [{
	"kind": kind, "name": "api", "resource": sprintf("%s/api", [kind]), "restart": restart, "containers": containers,
}]}

test_deployment_without_probe_denied if {
	some f in deny with input as mock_k8s_input("Deployment", null, [mock_container({})])
	f.at == ["spec", "template", "spec", "containers", 0]
	f.resource == "Deployment/api mock_container api"
}

test_deployment_with_probe_allowed if {
	c := mock_container({"health": {"healthcheck": null, "liveness_probe": true, "readiness_probe": true, "startup_probe": false}})
	count(deny) == 0 with input as mock_k8s_input("Deployment", null, [c])
}

test_only_the_other_probe_denied if {
	c := mock_container({"health": {"healthcheck": null, "liveness_probe": "liveness" != "liveness", "readiness_probe": "liveness" != "readiness", "startup_probe": true}})
	count(deny) == 1 with input as mock_k8s_input("StatefulSet", null, [c])
}

test_init_container_allowed if {
	count(deny) == 0 with input as mock_k8s_input("Deployment", null, [mock_container({"init": true})])
}

test_job_allowed if {
	count(deny) == 0 with input as mock_k8s_input("Job", "Never", [mock_container({})])
}

test_pod_run_to_completion_allowed if {
	count(deny) == 0 with input as mock_k8s_input("Pod", "Never", [mock_container({})])
}

test_pod_always_restarted_denied if {
	count(deny) == 1 with input as mock_k8s_input("Pod", "Always", [mock_container({})])
}
