package rules.setuid_file

import rego.v1

mock_image(file) := {"kind": "image", "image": {"files": [object.union(
	{"path": "bin/su", "mode": 2541, "setuid": true, "setgid": false, "deleted_in": null, "replaced_in": null, "secret_kind": null},
	file,
)]}}

test_setuid_reported if {
	some f in deny with input as mock_image({})
	f.at == ["files", 0]
	contains(f.msg, "/bin/su is setuid (mode 4755)")
}

test_setgid_reported if {
	some f in deny with input as mock_image({"path": "usr/bin/wall", "mode": 1517, "setuid": false, "setgid": true})
	contains(f.msg, "setgid")
}

test_deleted_file_allowed if {
	count(deny) == 0 with input as mock_image({"deleted_in": 3})
}

test_plain_file_allowed if {
	count(deny) == 0 with input as mock_image({"setuid": false, "mode": 493})
}
