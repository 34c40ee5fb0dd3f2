package rules.secret_file_copied

import rego.v1

mock_copy(sources, dest) := {"cmd": "copy", "stage": 1, "line": 8, "flags": [], "sources": sources, "dest": dest}

mock_dockerfile_input(ins) := {"kind": "dockerfile", "document": {"instructions": [{"cmd": "from", "stage": 1, "image": "debian:12"}, ins]}}

test_ssh_key_copied_denied if {
	some f in deny with input as mock_dockerfile_input(mock_copy(["deploy/id_ed25519"], "/root/.ssh/"))
	f.at == ["instructions", 1, "sources", 0]
	f.resource == "stage 1"
	contains(f.msg, "ssh-private-key")
}

test_dotenv_added_denied if {
	ins := object.union(mock_copy([".env"], "/app/"), {"cmd": "add"})
	some f in deny with input as mock_dockerfile_input(ins)
	startswith(f.msg, "ADD copies \".env\"")
}

test_secret_destination_denied if {
	some f in deny with input as mock_dockerfile_input(mock_copy(["deploy/key"], "/root/.ssh/id_rsa"))
	f.at == ["instructions", 1, "dest"]
}

test_template_source_to_secret_destination_allowed if {
	count(deny) == 0 with input as mock_dockerfile_input(mock_copy(["config/npmrc.template"], "/root/.npmrc"))
}

test_ordinary_files_allowed if {
	count(deny) == 0 with input as mock_dockerfile_input(mock_copy(["requirements.txt", "src/"], "/app/"))
}

test_public_key_allowed if {
	count(deny) == 0 with input as mock_dockerfile_input(mock_copy(["id_rsa.pub"], "/root/.ssh/authorized_keys"))
}
