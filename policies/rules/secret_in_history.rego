package rules.secret_in_history

import rego.v1

metadata := {
	"id": "CP505",
	"name": "secret-in-image-history",
	"title": "Secret in the image history",
	"severity": "error",
	"profile": "minimal",
	"tags": ["secrets"],
	"kinds": ["image"],
	"why": "Every build step is recorded in the image's history (`docker history --no-trunc`) with the build arguments it ran with: `ARG`/`--build-arg` values, `ENV` values that a later step overwrote, and secrets written on a `RUN` command line stay readable by anyone who can pull the image, even when no layer and no `Env` entry holds them. This is the classic `docker history | grep -iE 'password|secret|key'` leak.",
	"fix": "Rotate the secret, then rebuild without it: pass build-time secrets with `RUN --mount=type=secret,id=...` (BuildKit) instead of `ARG`, `--build-arg` or `ENV`, and runtime secrets when the container starts.",
	"examples": [{
		"kind": "dockerfile",
		"bad": "ARG NPM_TOKEN=npm_live_value\nRUN NPM_TOKEN=$NPM_TOKEN npm ci",
		"good": "RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci",
	}],
}

# Known token formats are CP502's, and values the config's Env still holds
# are CP501's: each leak is reported once.
deny contains {"msg": msg, "at": h.at} if {
	some h in input.image.history
	some s in h.secrets
	not s.token
	not s.in_env
	msg := sprintf("build step %d sets %s to a literal secret (%s), which the image history keeps for anyone who can pull the image; rotate it and pass it with `RUN --mount=type=secret` instead", [h.index, s.name, s.redacted])
}
