package rules.user_not_numeric

import rego.v1

mock_dockerfile(user) := {"kind": "dockerfile", "workloads": [{"containers": [{
	"resource": "image",
	"user": user,
	"at": {"self": ["instructions", 0], "user": ["instructions", 2]},
}]}]}

test_name_denied if {
	some f in deny with input as mock_dockerfile("app")
	f.at == ["instructions", 2]
	contains(f.msg, "`app`")
}

test_name_with_group_denied if {
	count(deny) == 1 with input as mock_dockerfile("node:node")
}

test_numeric_allowed if {
	every user in ["10001", "10001:10001", "root", "0", "${APP_UID}", "ContainerUser"] {
		count(deny) == 0 with input as mock_dockerfile(user)
	}
}

test_no_user_allowed if {
	count(deny) == 0 with input as mock_dockerfile(null)
}
