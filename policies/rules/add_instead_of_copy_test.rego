package rules.add_instead_of_copy

import rego.v1

mock_add(sources) := {"cmd": "add", "stage": 0, "flags": [], "sources": sources, "dest": "/app/"}

mock_dockerfile(ins) := {"kind": "dockerfile", "document": {"instructions": [{"cmd": "from", "stage": 0, "image": "alpine:3.20"}, ins]}}

test_local_files_denied if {
	some f in deny with input as mock_dockerfile(mock_add(["requirements.txt", "src/"]))
	f.at == ["instructions", 1]
	contains(f.msg, "use COPY")
}

test_url_allowed if {
	count(deny) == 0 with input as mock_dockerfile(mock_add(["https://example.com/tool-1.2.3.zip"]))
}

test_git_repository_allowed if {
	count(deny) == 0 with input as mock_dockerfile(mock_add(["git@github.com:moby/buildkit.git"]))
}

test_archive_allowed if {
	count(deny) == 0 with input as mock_dockerfile(mock_add(["rootfs.tar.gz"]))
}

test_variable_source_allowed if {
	count(deny) == 0 with input as mock_dockerfile(mock_add(["${ARTIFACT}"]))
}

test_copy_allowed if {
	ins := object.union(mock_add(["src/"]), {"cmd": "copy"})
	count(deny) == 0 with input as mock_dockerfile(ins)
}
