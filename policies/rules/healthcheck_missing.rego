package rules.healthcheck_missing

import data.lib
import rego.v1

metadata := {
	"id": "CP601",
	"name": "healthcheck-missing",
	"title": "No healthcheck",
	"severity": "warning",
	"tags": ["health"],
	"kinds": ["dockerfile", "compose", "image", "container"],
	"why": concat("", [
		"Without a healthcheck Docker only knows whether the process exists, not whether it works: a hung server stays \"running\", `depends_on: condition: service_healthy` cannot wait for it, and restarts never happen. ",
		"A Dockerfile is not reported when it is a GitHub Docker action (an `action.yml` with `runs.using: docker` beside it) or its final stage is built on an image that needs none: ",
		# The built-in entries of lib.builtin_healthcheck_exempt_base_images (a test checks).
		"`scratch`: `scratch` has no shell or tools to run a check with; ",
		"`gcr.io/distroless/*`: distroless images have no shell or tools to run a check with; ",
		"`cgr.dev/chainguard/static*`: Chainguard `static` has no shell or tools to run a check with; ",
		"`ghcr.io/actions/*`: GitHub Actions images run a job and exit; they are not services",
		". Add your own (globs; `!` takes one back out) with the `healthcheck-exempt-base-images` parameter in `.policy.yaml`.",
	]),
	"fix": "Dockerfile: `HEALTHCHECK --interval=30s --timeout=3s CMD wget -qO- http://127.0.0.1:8080/health || exit 1`. Compose: a `healthcheck:` with `test`, `interval`, `timeout` and `retries`.",
	"examples": [{"kind": "dockerfile", "bad": "FROM nginx:1.27\nUSER nginx", "good": "FROM nginx:1.27\nUSER nginx\nHEALTHCHECK CMD curl -fsS http://127.0.0.1/ || exit 1"}],
}

deny contains lib.finding(c, "healthcheck", msg) if {
	input.kind == "dockerfile"
	some c in lib.containers
	c.health.healthcheck == null
	not lib.healthcheck_exempt_base(c.image.ref)
	not is_string(input.context.github_action)
	msg := "the final stage has no HEALTHCHECK; add one that probes the service (e.g. `HEALTHCHECK CMD wget -qO- http://127.0.0.1:8080/health || exit 1`)"
}

deny contains lib.finding(c, "healthcheck", msg) if {
	input.kind == "compose"
	some c in lib.containers
	c.health.healthcheck == null
	not lib.inherits(c, "healthcheck")
	not lib.built_healthcheck(c)
	msg := sprintf("%s has no `healthcheck:` (unless its image defines one); add one with `test`, `interval`, `timeout` and `retries`", [c.resource])
}

deny contains lib.finding(c, "healthcheck", msg) if {
	input.kind == "image"
	some c in lib.containers
	c.health.healthcheck == null
	msg := sprintf("%s has no healthcheck (`config.Healthcheck`); rebuild it with a HEALTHCHECK that probes the service", [c.resource])
}

# A container's config merges its image's: no healthcheck there is none at all.
deny contains lib.finding(c, "healthcheck", msg) if {
	input.kind == "container"
	some c in lib.containers
	c.health.healthcheck == null
	msg := sprintf("%s has no healthcheck (neither its image nor `docker run` defines one); run it with `--health-cmd` or add a HEALTHCHECK to the image", [c.resource])
}

# In compose a healthcheck switched off is none (`disable: true`, `test:
# ["NONE"]`); a Dockerfile's `HEALTHCHECK NONE` stays a decision, as for
# hadolint and Checkov.
deny contains lib.finding(c, "healthcheck", msg) if {
	input.kind == "compose"
	some c in lib.containers
	c.health.healthcheck == false
	msg := sprintf("%s switches its healthcheck off (`disable: true` or `test: [\"NONE\"]`); give it a `test` that probes the service, or suppress this with the reason (a one-shot task)", [c.resource])
}
