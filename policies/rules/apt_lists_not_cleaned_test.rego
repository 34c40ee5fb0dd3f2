package rules.apt_lists_not_cleaned

import rego.v1

mock_from(stage, image, name) := {"cmd": "from", "stage": stage, "image": image, "name": name, "flags": []}

mock_run(command, commands, flags) := {"cmd": "run", "stage": 0, "command": command, "commands": commands, "pipes": [], "heredocs": [], "flags": flags}

mock_dockerfile(run) := {"kind": "dockerfile", "document": {
	"instructions": [mock_from(0, "debian:12", null), run],
	"stages": [{"index": 0, "name": null, "base": "debian:12"}],
}}

install := [["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "curl"]]

test_lists_left_denied if {
	run := mock_run("apt-get update && apt-get install -y --no-install-recommends curl", install, [])
	some f in deny with input as mock_dockerfile(run)
	f.at == ["instructions", 1]
	contains(f.msg, "rm -rf /var/lib/apt/lists/*")
}

test_lists_removed_allowed if {
	run := mock_run(
		"apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*",
		array.concat(install, [["rm", "-rf", "/var/lib/apt/lists/*"]]),
		[],
	)
	count(deny) == 0 with input as mock_dockerfile(run)
}

test_dist_clean_allowed if {
	run := mock_run(
		"apt-get update && apt-get install -y --no-install-recommends curl && apt-get dist-clean",
		array.concat(install, [["apt-get", "dist-clean"]]),
		[],
	)
	count(deny) == 0 with input as mock_dockerfile(run)
}

test_cache_mount_allowed if {
	flags := [{"name": "mount", "value": "type=cache,target=/var/lib/apt,sharing=locked"}]
	run := mock_run("apt-get update && apt-get install -y --no-install-recommends curl", install, flags)
	count(deny) == 0 with input as mock_dockerfile(run)
}

test_install_without_update_allowed if {
	run := mock_run("apt-get install -y --no-install-recommends ./pkg.deb", [["apt-get", "install", "-y", "--no-install-recommends", "./pkg.deb"]], [])
	count(deny) == 0 with input as mock_dockerfile(run)
}
