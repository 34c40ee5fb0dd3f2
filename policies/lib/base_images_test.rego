package lib

import rego.v1

test_image_forms if {
	image_forms("NGINX:1.27@sha256:abc") == {"nginx:1.27", "docker.io/library/nginx:1.27"}
	image_forms("bitnami/redis:7") == {"bitnami/redis:7", "docker.io/bitnami/redis:7"}
	image_forms("gcr.io/distroless/static") == {"gcr.io/distroless/static"}
	image_forms("localhost:5000/app") == {"localhost:5000/app"}
}

test_nonroot_base_says_why if {
	contains(nonroot_base("gcr.io/distroless/static:nonroot"), "65532")
	not nonroot_base("gcr.io/distroless/static:latest")
	not nonroot_base("python:3.12")
	not nonroot_base(null)
}

test_last_matching_entry_decides if {
	not nonroot_base("cgr.dev/chainguard/node:latest-dev")
	nonroot_base("cgr.dev/chainguard/node:latest")
	nonroot_base("cgr.dev/chainguard/node:latest-dev") with data.parameters.nonroot_base_images as ["cgr.dev/chainguard/node:*"]
}

test_qualified_globs_match_short_references if {
	nonroot_base("python:3.12") with data.parameters.nonroot_base_images as ["docker.io/library/python:*"]
}

test_healthcheck_exempt_bases if {
	healthcheck_exempt_base("scratch")
	healthcheck_exempt_base("gcr.io/distroless/base-debian12:nonroot")
	healthcheck_exempt_base("ghcr.io/actions/actions-runner:2.320.0")
	not healthcheck_exempt_base("scratchpad:1")
	not healthcheck_exempt_base("debian:12")
	healthcheck_exempt_base("registry.example.com/cli/*:1") with data.parameters.healthcheck_exempt_base_images as ["registry.example.com/cli/*"]
}
