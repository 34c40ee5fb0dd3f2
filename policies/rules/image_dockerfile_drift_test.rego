package rules.image_dockerfile_drift

import rego.v1

mock_container(user, health, ports) := {
	"user": user, "health": {"healthcheck": health}, "ports": ports,
	"at": {"self": ["config"], "user": ["config", "User"], "healthcheck": ["config", "Healthcheck"]},
}

mock_input(image, dockerfile) := {
	"kind": "image",
	"workloads": [{"containers": [image]}],
	"dockerfile": {"path": "Dockerfile", "workloads": [{"containers": [dockerfile]}]},
}

test_user_drift_denied if {
	some f in deny with input as mock_input(mock_container(null, true, []), mock_container("10001", true, []))
	f.at == ["config", "User"]
	contains(f.msg, "runs as root (no user set) but the final stage of Dockerfile has `USER 10001`")
}

test_inherited_healthcheck_denied if {
	some f in deny with input as mock_input(mock_container("10001", true, []), mock_container("10001", null, []))
	contains(f.msg, "does not declare")
}

test_port_drift_denied if {
	image := mock_container("1", true, [{"container_port": "8080", "protocol": "tcp"}, {"container_port": "22", "protocol": "tcp"}])
	df := mock_container("1", true, [{"container_port": "8080", "protocol": null}])
	some f in deny with input as mock_input(image, df)
	contains(f.msg, "exposes [\"22/tcp\", \"8080/tcp\"]")
}

test_same_image_allowed if {
	c := mock_container("10001", true, [{"container_port": "8080", "protocol": "tcp"}])
	df := mock_container("10001", true, [{"container_port": "8080", "protocol": null}])
	count(deny) == 0 with input as mock_input(c, df)
}

test_without_dockerfile_nothing if {
	count(deny) == 0 with input as {"kind": "image", "workloads": [{"containers": [mock_container(null, null, [])]}]}
}
