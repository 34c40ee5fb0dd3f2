package rules.container_unhealthy

import rego.v1

mock_input(state) := {"kind": "container", "workloads": [{"kind": "container", "resource": "container web", "containers": [{
	"name": "web", "resource": "container web", "init": false, "state": state,
	"at": {"self": [0], "state": [0, "State"], "health_state": [0, "State", "Health"]},
}]}]}

running(health, streak, failure) := {"status": "running", "running": true, "health": health, "failing_streak": streak, "last_failure": failure, "restart_count": 0, "reason": null}

test_unhealthy_with_output if {
	some f in deny with input as mock_input(running("unhealthy", 3, {"exit_code": 7, "output": "refused"}))
	f.at == [0, "State", "Health"]
	f.msg == "container web is unhealthy: 3 health checks in a row failed; the last failed with exit code 7: \"refused\""
}

test_unhealthy_without_output if {
	some f in deny with input as mock_input(running("unhealthy", 1, {"exit_code": 1, "output": ""}))
	endswith(f.msg, "the last failed with exit code 1 and no output")
}

test_healthy_but_failing if {
	some f in deny with input as mock_input(running("healthy", 2, {"exit_code": 1, "output": "slow"}))
	contains(f.msg, "is healthy, but its last 2 health checks failed")
}

test_healthy_and_stopped_allowed if {
	count(deny) == 0 with input as mock_input(running("healthy", 0, null))
	count(deny) == 0 with input as mock_input(object.union(running("unhealthy", 3, null), {"running": false, "status": "exited"}))
	count(deny) == 0 with input as mock_input(null)
}

test_pod_not_ready if {
	state := {"status": "waiting", "running": false, "health": "not-ready", "failing_streak": 0, "last_failure": null, "restart_count": 4, "reason": "CrashLoopBackOff"}
	inp := object.union(mock_input(state), {"kind": "kubernetes"})
	some f in deny with input as inp
	f.msg == "container web is not ready (CrashLoopBackOff, 4 restarts)"
}
