package rules.secret_in_history

import rego.v1

mock_image(secrets) := {"kind": "image", "image": {"history": [
	{"index": 0, "created_by": "COPY app /", "secrets": [], "at": ["history", 0]},
	{"index": 1, "created_by": "RUN |1 DB_PASSWORD=hu************** ./configure", "secrets": secrets, "at": ["history", 1]},
]}}

test_build_arg_secret_denied if {
	some f in deny with input as mock_image([{"name": "DB_PASSWORD", "token": false, "redacted": "hu**************", "in_env": false}])
	f.at == ["history", 1]
	contains(f.msg, "DB_PASSWORD")
	contains(f.msg, "hu**************")
}

test_token_left_to_secret_token_rule if {
	count(deny) == 0 with input as mock_image([{"name": "github-token", "token": true, "redacted": "ghp_************", "in_env": false}])
}

test_value_still_in_env_left_to_secret_in_environment if {
	count(deny) == 0 with input as mock_image([{"name": "API_TOKEN", "token": false, "redacted": "s3cr************", "in_env": true}])
}

test_clean_history_allowed if {
	count(deny) == 0 with input as mock_image([])
}
