# Dockerfile rules, written the way conftest's documentation shows them:
# Rego v0 (`deny[msg] { ... }`) over conftest's Dockerfile input, an array of
# {Cmd, SubCmd, JSON, Flags, Value, Stage} commands.
package main

# Images must name a version: no `latest`, no missing tag.
deny[msg] {
	input[i].Cmd == "from"
	image := input[i].Value[0]
	latest(image)
	msg := sprintf("%s: use a pinned version instead of latest", [image])
}

latest(image) {
	endswith(image, ":latest")
}

latest(image) {
	not contains(image, ":")
	not contains(image, "$")
}

deny_run_as_root[msg] {
	input[i].Cmd == "user"
	user := input[i].Value[0]
	root_user(user)
	msg := sprintf("USER %s: the image must not run as root", [user])
}

root_user(user) {
	user == "root"
}

root_user(user) {
	user == "0"
}

# `_loc` names the command (its index in `input`), as the message does not.
warn_copy_all[{"msg": msg, "_loc": i}] {
	input[i].Cmd == "copy"
	input[i].Value[0] == "."
	msg := "the whole build context is copied; copy only what the build needs"
}

warn_no_healthcheck[msg] {
	is_dockerfile
	not has_healthcheck
	msg := "no HEALTHCHECK: the orchestrator cannot tell a hung container from a working one"
}

is_dockerfile {
	input[_].Cmd == "from"
}

has_healthcheck {
	input[_].Cmd == "healthcheck"
}
