package rules.shellcheck

import rego.v1

sc_comment(code) := {"code": code, "level": "info", "message": "Double quote to prevent globbing and word splitting.", "instruction": 1}

test_each_comment_is_a_finding_at_its_node if {
	findings := deny with input as {"kind": "dockerfile", "document": {"shellcheck": [sc_comment("SC2086"), sc_comment("SC2164")]}}
	count(findings) == 2
	some f in findings
	f.at == ["shellcheck", 1]
	contains(f.msg, "SC2164")
	contains(f.msg, "shellcheck.net/wiki/SC2164")
}

test_no_comments_no_finding if {
	count(deny) == 0 with input as {"kind": "dockerfile", "document": {"instructions": []}}
}
