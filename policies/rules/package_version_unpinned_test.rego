package rules.package_version_unpinned

import rego.v1

mock_run(commands) := {"cmd": "run", "stage": 0, "json": false, "command": concat(" && ", [concat(" ", c) | some c in commands]), "commands": commands, "pipes": [], "heredocs": [], "flags": []}

mock_dockerfile(run) := {"kind": "dockerfile", "document": {
	"instructions": [{"cmd": "from", "stage": 0, "image": "debian:12", "name": null}, run],
	"stages": [{"index": 0, "name": null, "base": "debian:12"}],
}}

test_each_manager_denied if {
	every cmd in [
		["apt-get", "install", "-y", "--no-install-recommends", "curl"],
		["apk", "add", "--no-cache", "--virtual", ".build", "gcc"],
		["pip", "install", "--no-cache-dir", "flask"],
		["python3", "-m", "pip", "install", "flask"],
		["npm", "install", "-g", "pnpm"],
		["gem", "install", "bundler"],
		["npm", "i", "-g", "@angular/cli"],
		["npm", "install", "-g", "npm@latest"],
		["go", "install", "golang.org/x/tools/gopls@latest"],
	] {
		count(deny) == 1 with input as mock_dockerfile(mock_run([cmd]))
	}
}

test_message_lists_packages if {
	some f in deny with input as mock_dockerfile(mock_run([["apt-get", "install", "-y", "curl", "git=1:2.39.5-0+deb12u1"], ["pip", "install", "flask", "six==1.16"]]))
	f.at == ["instructions", 1]
	contains(f.msg, "apt: curl; pip: flask")
}

test_pinned_allowed if {
	every cmd in [
		["apt-get", "install", "-y", "curl=7.88.1-10+deb12u8"],
		["apk", "add", "--virtual", ".build", "gcc=13.2.1-r0"],
		["pip", "install", "flask==3.0.3", "django>=5,<6"],
		["pip", "install", "-r", "requirements.txt"],
		["pip", "install", "-U", "pip", "setuptools"],
		["pip", "install", "."],
		["npm", "install"],
		["npm", "install", "-g", "@angular/cli@18.0.1", "pnpm@9.1.0"],
		["gem", "install", "bundler:2.5.11"],
		["gem", "install", "bundler", "-v", "2.5.11"],
		["go", "install", "./cmd/..."],
		["go", "install", "golang.org/x/tools/gopls@v0.16.1"],
		["apt-get", "install", "-y", "./local.deb"],
		["apt-get", "install", "-s", "libfoo"],
		["echo", "pip", "install", "flask"],
	] {
		count(deny) == 0 with input as mock_dockerfile(mock_run([cmd]))
	}
}

test_parameter_turns_manager_off if {
	run := mock_run([["apt-get", "install", "-y", "curl"], ["pip", "install", "flask"]])
	some f in deny with input as mock_dockerfile(run) with data.parameters.unpinned_package_managers as ["apt"]
	not contains(f.msg, "curl")
	contains(f.msg, "pip: flask")
}

test_rpm_and_zypper_installs_without_version_denied if {
	every cmd in [
		["dnf", "install", "-y", "python3-devel"],
		["microdnf", "install", "shadow-utils"],
		["yum", "-y", "install", "--enablerepo", "epel", "jq"],
		["zypper", "-n", "in", "curl"],
	] {
		count(deny) == 1 with input as mock_dockerfile(mock_run([cmd]))
	}
}

test_rpm_and_zypper_versions_allowed if {
	every cmd in [
		["dnf", "install", "-y", "tomcat-9.0.1", "nodejs:20", "@core", "x.rpm"],
		["yum", "install", "-y", "java-17-openjdk-17.0.9.0.9"],
		["zypper", "install", "-y", "curl=8.6.0", "git>=2.43"],
		["dnf", "update", "-y"],
	] {
		count(deny) == 0 with input as mock_dockerfile(mock_run([cmd]))
	}
}

test_parameter_turns_rpm_managers_off if {
	run := mock_run([["microdnf", "install", "jq"], ["zypper", "in", "curl"]])
	some f in deny with input as mock_dockerfile(run) with data.parameters.unpinned_package_managers as ["dnf"]
	not contains(f.msg, "jq")
	contains(f.msg, "zypper: curl")
}
