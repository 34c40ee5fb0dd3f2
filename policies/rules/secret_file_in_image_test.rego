package rules.secret_file_in_image

import rego.v1

mock_file(fields) := object.union(
	{"path": "root/.ssh/id_rsa", "secret_kind": "ssh-private-key", "layer_index": 0, "deleted_in": null, "replaced_in": null, "setuid": false, "setgid": false},
	fields,
)

mock_image(files) := {"kind": "image", "image": {"files": files}}

test_private_key_denied if {
	some f in deny with input as mock_image([mock_file({})])
	f.at == ["files", 0]
	contains(f.msg, "root/.ssh/id_rsa")
	contains(f.msg, "layer 0")
}

test_deleted_key_still_denied if {
	some f in deny with input as mock_image([mock_file({"deleted_in": 2})])
	contains(f.msg, "deleted by layer 2 but still shipped")
}

test_git_directory_denied if {
	some f in deny with input as mock_image([mock_file({"path": "app/.git/", "secret_kind": "git-directory"})])
	contains(f.msg, "git directory, /app/.git/")
}

test_setuid_only_file_allowed if {
	count(deny) == 0 with input as mock_image([mock_file({"path": "bin/su", "secret_kind": null, "setuid": true})])
}
