package rules.uid_not_allowed

import rego.v1

mock_params := {"allowed_uid_ranges": [{"min": 10000, "max": 19999}, {"min": 65532, "max": 65534}]}

mock_user_at := ["spec", "template", "spec", "containers", 0, "securityContext", "runAsUser"]

# A container as the normalizers produce it (src/model/mod.rs: `uid_of`).
mock_container(user, uid) := {
	"name": "api", "resource": "Deployment/api container api", "user": user, "uid": uid,
	"at": {"self": ["spec", "template", "spec", "containers", 0], "user": mock_user_at},
}

mock_input(c) := {"kind": "kubernetes", "workloads": [{"resource": "Deployment/api", "containers": [c]}]}

# The findings for one container. (Bound in a function: regorus leaves rules
# used in a `with` value undefined for the rest of a `some ... in ... with` body.)
mock_findings(c, params) := fs if {
	fs := deny with input as mock_input(c) with data.parameters as params
}

mock_denied(user, uid, params) if count(mock_findings(mock_container(user, uid), params)) == 1

mock_allowed(user, uid, params) if count(mock_findings(mock_container(user, uid), params)) == 0

test_uid_outside_ranges_denied if {
	some f in mock_findings(mock_container("1000", 1000), mock_params)
	f.at == mock_user_at
	f.resource == "Deployment/api container api"
	contains(f.msg, "UID 1000")
	contains(f.msg, "10000-19999, 65532-65534")
}

test_uid_inside_a_range_allowed if {
	mock_allowed("10001", 10001, mock_params)
	mock_allowed("65532", 65532, mock_params)
}

test_bounds_are_inclusive if {
	mock_allowed("10000", 10000, mock_params)
	mock_allowed("19999", 19999, mock_params)
	mock_denied("20000", 20000, mock_params)
	mock_denied("9999", 9999, mock_params)
}

test_uid_with_group_judged_by_uid if {
	mock_denied("1000:10001", 1000, mock_params)
	mock_allowed("10001:1000", 10001, mock_params)
}

test_uid_zero_denied if {
	mock_denied("0", 0, mock_params)
}

test_names_not_judged if {
	mock_allowed("app", null, mock_params)
	mock_allowed("root", 0, mock_params)
	mock_allowed("${UID}:${GID}", null, mock_params)
}

test_missing_user_not_judged if {
	mock_allowed(null, null, mock_params)
}

test_open_ranges if {
	params := {"allowed_uid_ranges": [{"min": 10000}]}
	mock_allowed("4000000000", 4000000000, params)
	some f in mock_findings(mock_container("1000", 1000), params)
	contains(f.msg, "10000 and above")
	mock_allowed("100", 100, {"allowed_uid_ranges": [{"max": 999}]})
	mock_denied("1000", 1000, {"allowed_uid_ranges": [{"max": 999}]})
}

test_without_parameter_nothing if {
	count(deny) == 0 with input as mock_input(mock_container("1000", 1000))
	mock_allowed("1000", 1000, {})
	mock_allowed("1000", 1000, {"allowed_registries": ["docker.io"]})
}

test_empty_list_is_unset if {
	mock_allowed("1000", 1000, {"allowed_uid_ranges": []})
}

test_dockerfile_user_denied if {
	c := {"name": "image", "resource": "stage 1", "user": "1000:1000", "uid": 1000, "at": {"self": ["instructions", 3], "user": ["instructions", 7]}}
	inp := {"kind": "dockerfile", "workloads": [{"resource": "stage 1", "containers": [c]}]}
	some f in deny with input as inp with data.parameters as mock_params
	f.at == ["instructions", 7]
}

test_compose_user_denied if {
	c := {"name": "web", "resource": "service web", "user": "1000", "uid": 1000, "at": {"self": ["services", "web"], "user": ["services", "web", "user"]}}
	inp := {"kind": "compose", "workloads": [{"resource": "service web", "containers": [c]}]}
	some f in deny with input as inp with data.parameters as mock_params
	f.at == ["services", "web", "user"]
}
