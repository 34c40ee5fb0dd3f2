package rules.secret_token

import rego.v1

test_token_denied if {
	token := {"kind": "github-token", "redacted": "ghp_****************", "at": ["services", "ci", "environment", "GH_TOKEN"], "span": [120, 160]}
	some f in deny with input as {"kind": "compose", "secrets": [token]}
	f.at == ["services", "ci", "environment", "GH_TOKEN"]
	f.span == [120, 160]
	contains(f.msg, "github-token")
}

test_token_without_span if {
	token := {"kind": "private-key-base64", "redacted": "LS0t****", "at": ["data", "key.pem"]}
	some f in deny with input as {"kind": "kubernetes", "secrets": [token]}
	f.span == null
}

test_no_token_allowed if {
	count(deny) == 0 with input as {"kind": "dockerfile", "secrets": []}
}
