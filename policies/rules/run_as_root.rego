package rules.run_as_root

import data.lib
import rego.v1

metadata := {
	"id": "CP101",
	"name": "run-as-root",
	"title": "Container runs as root",
	"severity": "error",
	"tags": ["privilege", "non-root"],
	"kinds": ["dockerfile", "compose", "kubernetes", "image", "container"],
	"why": concat("", [
		"A process running as root inside a container is root on the host's kernel: any escape (a kernel bug, a mounted socket, a writable host path) gives the attacker full control. Images run as root unless told otherwise, so a missing user is the same as root. ",
		"A Dockerfile without USER, or a compose service without `user:`, is not reported when its image is known to run as non-root: ",
		# The built-in entries of lib.builtin_nonroot_base_images (a test checks).
		"`*nonroot*`: distroless `:nonroot`/`:debug-nonroot` and other `-nonroot` tags run as UID 65532; ",
		"`*:*rootless*`: `-rootless` tags such as `docker:dind-rootless` run as an unprivileged user; ",
		"`mcr.microsoft.com/dotnet/*:*-chiseled*`: .NET chiseled images run as `app`, UID 1654; ",
		"`cgr.dev/chainguard/*`: Chainguard images run as `nonroot`, UID 65532; ",
		"`!cgr.dev/chainguard/*-dev`: except their `-dev` variants, which run as root; ",
		"`!cgr.dev/chainguard/wolfi-base*`: except `wolfi-base`, which runs as root; ",
		"`*nginxinc/nginx-unprivileged*`: `nginx-unprivileged` runs as UID 101; ",
		"`*nanoserver*`: Windows Nano Server runs as `ContainerUser`",
		". Add your own images (globs; `!` takes one back out) with the `nonroot-base-images` parameter in `.policy.yaml`. ",
		"Nor is a GitHub Docker action's Dockerfile (an `action.yml` with `runs.using: docker` beside it): GitHub requires those to run as root, to reach the workspace.",
	]),
	"fix": "Run as an unprivileged user. Dockerfile: create a user and end the final stage with `USER 10001` (a numeric UID lets Kubernetes verify it). Compose: `user: \"10001:10001\"`. Kubernetes: `securityContext: {runAsNonRoot: true, runAsUser: 10001}`. A built image: rebuild it with that `USER` (its `config.User` is the default user of every container started from it).",
	"examples": [
		{
			"kind": "dockerfile",
			"bad": "FROM alpine:3.20\nCMD [\"./app\"]",
			"good": "FROM alpine:3.20\nRUN adduser -D -u 10001 app\nUSER 10001\nCMD [\"./app\"]",
		},
		{
			"kind": "kubernetes",
			"bad": "containers:\n  - name: app\n    image: app:1.0",
			"good": "containers:\n  - name: app\n    image: app:1.0\n    securityContext:\n      runAsNonRoot: true\n      runAsUser: 10001",
		},
	],
}

# Explicitly root: USER root, USER 0, user: "0:0", runAsUser: 0.
deny contains lib.finding(c, "user", msg) if {
	some c in lib.containers
	c.uid == 0
	is_string(c.user)
	msg := sprintf("%s runs as root (user %q); run as an unprivileged user, e.g. UID 10001", [c.resource, c.user])
}

# Dockerfile: no USER in the final stage (or the stages it builds on), on a
# base image not known to set a non-root user itself.
deny contains lib.finding(c, "user", msg) if {
	input.kind == "dockerfile"
	some c in lib.containers
	c.user == null
	ref := image_ref(c)
	not lib.nonroot_base(ref)
	not is_string(input.context.github_action) # GitHub runs Docker actions as root
	msg := missing_user_msg(ref)
}

# Windows: ContainerAdministrator is the administrator account.
deny contains lib.finding(c, "user", msg) if {
	input.kind == "dockerfile"
	some c in lib.containers
	is_string(c.user)
	lower(c.user) == "containeradministrator"
	msg := sprintf("%s runs as ContainerAdministrator, the Windows administrator; end the final stage with `USER ContainerUser`", [c.resource])
}

image_ref(c) := c.image.ref if is_string(c.image.ref)

else := ""

windows_base(ref) if regex.match(`(?i)windows|servercore|ltsc20`, ref)

missing_user_msg(ref) := "the final stage never sets USER, so the image runs as ContainerAdministrator; add `USER ContainerUser`" if {
	windows_base(ref)
} else := "the final stage never sets USER, so the image runs as root; add `USER <uid>` after installing packages"

# Compose: no user: and nothing else says the image is non-root.
deny contains lib.finding(c, "user", msg) if {
	input.kind == "compose"
	some c in lib.containers
	c.user == null
	not lib.inherits(c, "user")
	not lib.nonroot_base(image_ref(c))
	not lib.built_non_root(c)
	msg := sprintf("%s sets no `user:`, so it runs as the image's default user, root unless the image sets one; set `user: \"10001:10001\"`", [c.resource])
}

# A container: an empty `Config.User` (neither the image's USER nor
# `docker run --user` set one) is root.
deny contains lib.finding(c, "user", msg) if {
	input.kind == "container"
	some c in lib.containers
	c.uid == 0
	c.user == null
	msg := sprintf("%s runs as root: neither its image nor `docker run --user` sets a user; run it with `--user 10001` or add `USER 10001` to the image", [c.resource])
}

# Kubernetes: neither runAsNonRoot: true nor a non-zero runAsUser.
deny contains lib.finding_first(c, ["run_as_non_root", "security_context"], msg) if {
	input.kind == "kubernetes"
	some c in lib.containers
	c.run_as_non_root != true
	c.uid == null
	msg := sprintf("%s may run as root: set `securityContext.runAsNonRoot: true` and a non-zero `runAsUser`", [c.resource])
}

# A built image: no default user (`config.User` empty or absent) means root.
deny contains lib.finding(c, "user", msg) if {
	input.kind == "image"
	some c in lib.containers
	c.user == null
	msg := sprintf("%s has no default user (`config.User` is empty), so its containers run as root; rebuild it with `USER <uid>` in the final stage", [c.resource])
}
