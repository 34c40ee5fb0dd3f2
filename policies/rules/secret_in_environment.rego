package rules.secret_in_environment

import data.lib
import rego.v1

metadata := {
	"id": "CP501",
	"name": "secret-in-environment",
	"title": "Hard-coded secret in an environment variable or build argument",
	"severity": "error",
	"profile": "minimal",
	"tags": ["secrets"],
	"kinds": ["dockerfile", "compose", "kubernetes", "image", "container"],
	"why": "A literal password or token in ENV/ARG ends up in the image's config and history for anyone who can pull it (in a built image, `config.Env` shows it); in a compose file or manifest it sits in version control for anyone who can read the repository.",
	"fix": "Dockerfile: pass build secrets with `RUN --mount=type=secret,id=...` and runtime secrets at `docker run` time. Compose: use `secrets:` or `${VAR}` interpolation from an untracked .env. Kubernetes: `valueFrom.secretKeyRef`.",
	"examples": [
		{"kind": "dockerfile", "bad": "ENV DB_PASSWORD=hunter2", "good": "RUN --mount=type=secret,id=db_password ./configure"},
		{"kind": "kubernetes", "bad": "env:\n  - name: DB_PASSWORD\n    value: hunter2", "good": "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: {name: db, key: password}"},
	],
}

# A token format found at or under this path is reported by CP502 instead.
has_token(path) if {
	some t in input.secrets
	array.slice(t.at, 0, count(path)) == path
}

deny contains {"msg": msg, "at": at, "resource": sprintf("stage %v", [ins.stage])} if {
	some i, ins in input.document.instructions
	ins.cmd in {"env", "arg"}
	some j, pair in ins.pairs
	lib.literal_secret(pair.key, pair.value)
	at := ["instructions", i, "pairs", j]
	not has_token(at)
	msg := sprintf("%s %s holds a literal secret, which is stored in the image; pass it with `RUN --mount=type=secret` or at run time instead", [upper(ins.cmd), pair.key])
}

deny contains {"msg": msg, "at": e.at, "resource": c.resource} if {
	input.kind in {"compose", "kubernetes", "image", "container"}
	some c in lib.containers
	some e in c.env
	not e.from_reference
	lib.literal_secret(e.name, e.value)
	not has_token(e.at)
	msg := sprintf("%s: environment variable %s holds a literal secret; %s", [c.resource, e.name, advice[input.kind]])
}

advice := {
	"compose": "use `secrets:` or `${VAR}` interpolation from an untracked .env file",
	"kubernetes": "use `valueFrom.secretKeyRef` to read it from a Secret",
	"image": "anyone who can pull the image can read it (`docker inspect`); rotate it and rebuild without it, passing it at run time instead",
	"container": "anyone who can inspect the container reads it; mount it as a file (Docker secrets, a read-only bind) instead",
}
