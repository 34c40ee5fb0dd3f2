package rules.user_not_numeric

import data.lib
import rego.v1

metadata := {
	"id": "CP726",
	"name": "user-not-numeric",
	"title": "Final USER is a name, not a numeric UID",
	"severity": "info",
	"tags": ["privilege", "non-root"],
	"kinds": ["dockerfile"],
	"why": "Kubernetes' `runAsNonRoot: true` checks the image's user without reading its /etc/passwd: a name such as `USER app` cannot be verified, and the pod is refused (\"image has non-numeric user, cannot verify user is non-root\") unless `runAsUser` is set. A numeric UID works everywhere. `root` is CP101's, Windows users (`ContainerUser`) and users held by a variable are not judged.",
	"fix": "Create the user with a fixed UID and name it by number: `RUN useradd -u 10001 app` then `USER 10001` (or `USER 10001:10001`).",
	"examples": [{"kind": "dockerfile", "bad": "FROM debian:12-slim\nRUN useradd -u 10001 app\nUSER app", "good": "FROM debian:12-slim\nRUN useradd -u 10001 app\nUSER 10001"}],
}

windows_users := {"containeruser", "containeradministrator"}

deny contains lib.finding(c, "user", msg) if {
	input.kind == "dockerfile"
	some c in lib.containers
	is_string(c.user)
	name := split(c.user, ":")[0]
	not regex.match(`^[0-9]+$`, name)
	not contains(name, "$")
	not lower(name) in {"root", ""}
	not windows_users[lower(name)]
	msg := sprintf("the image runs as user `%s`, a name Kubernetes' `runAsNonRoot` cannot verify; use its numeric UID (`USER 10001`)", [name])
}
