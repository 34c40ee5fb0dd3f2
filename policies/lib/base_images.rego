# Known base images: images whose default user is not root, and images for
# which a HEALTHCHECK makes no sense. CP101 (runs as root) and CP601 (no
# healthcheck) read these tables; their `why` lists the built-in entries (a
# test keeps it in step).
#
# Each entry is a glob over the image reference, lower-cased and without its
# digest, as written (`gcr.io/distroless/static:nonroot`) or with its registry
# (`docker.io/library/nginx:1.27`); `*` matches any text, `/` included. An
# entry starting with `!` takes images back out (the last entry that matches
# decides). Users add entries with the parameters `nonroot-base-images` and
# `healthcheck-exempt-base-images` in `.policy.yaml`; theirs come after these.
package lib

import rego.v1

# Default user not root. Only images whose maintainers document it; Bitnami
# is left out because not all of its images are non-root.
builtin_nonroot_base_images := [
	{"image": "*nonroot*", "why": "distroless `:nonroot`/`:debug-nonroot` and other `-nonroot` tags run as UID 65532"},
	{"image": "*:*rootless*", "why": "`-rootless` tags such as `docker:dind-rootless` run as an unprivileged user"},
	{"image": "mcr.microsoft.com/dotnet/*:*-chiseled*", "why": ".NET chiseled images run as `app`, UID 1654"},
	{"image": "cgr.dev/chainguard/*", "why": "Chainguard images run as `nonroot`, UID 65532"},
	{"image": "!cgr.dev/chainguard/*-dev", "why": "except their `-dev` variants, which run as root"},
	{"image": "!cgr.dev/chainguard/wolfi-base*", "why": "except `wolfi-base`, which runs as root"},
	{"image": "*nginxinc/nginx-unprivileged*", "why": "`nginx-unprivileged` runs as UID 101"},
	{"image": "*nanoserver*", "why": "Windows Nano Server runs as `ContainerUser`"},
]

# No HEALTHCHECK expected: no shell or tools to run one, or not a service.
builtin_healthcheck_exempt_base_images := [
	{"image": "scratch", "why": "`scratch` has no shell or tools to run a check with"},
	{"image": "gcr.io/distroless/*", "why": "distroless images have no shell or tools to run a check with"},
	{"image": "cgr.dev/chainguard/static*", "why": "Chainguard `static` has no shell or tools to run a check with"},
	{"image": "ghcr.io/actions/*", "why": "GitHub Actions images run a job and exit; they are not services"},
]

# The tables with the user's entries (parameters) after the built-in ones.
nonroot_base_images := array.concat(builtin_nonroot_base_images, user_entries("nonroot_base_images"))

healthcheck_exempt_base_images := array.concat(builtin_healthcheck_exempt_base_images, user_entries("healthcheck_exempt_base_images"))

user_entries(parameter) := [{"image": lower(p), "why": "listed in the `.policy.yaml` parameters"} |
	some p in object.get(data.parameters, parameter, [])
	is_string(p)
]

# The forms of a reference a glob is matched against.
image_forms(ref) := {written, qualified} if {
	written := lower(split(ref, "@")[0])
	qualified := image_qualified(written)
}

# `nginx:1` -> `docker.io/library/nginx:1`; `org/app` -> `docker.io/org/app`.
image_qualified(ref) := ref if {
	first := split(ref, "/")[0]
	some c in [".", ":"]
	contains(first, c)
	count(split(ref, "/")) > 1
} else := concat("/", ["docker.io/library", ref]) if {
	count(split(ref, "/")) == 1
} else := concat("/", ["docker.io", ref])

# The last entry of `table` matching `ref`, if any.
base_image_entry(table, ref) := entries[count(entries) - 1] if {
	forms := image_forms(ref)
	entries := [e |
		some e in table
		some form in forms
		glob.match(trim_prefix(e.image, "!"), null, form)
	]
	count(entries) > 0
}

# The reason `ref` is known to run as non-root, if it is.
nonroot_base(ref) := e.why if {
	is_string(ref)
	e := base_image_entry(nonroot_base_images, ref)
	not startswith(e.image, "!")
}

# The reason `ref` needs no HEALTHCHECK, if it needs none.
healthcheck_exempt_base(ref) := e.why if {
	is_string(ref)
	e := base_image_entry(healthcheck_exempt_base_images, ref)
	not startswith(e.image, "!")
}

# The tables as Markdown list items, for rule documentation.
base_image_list(table) := concat("; ", [sprintf("`%s`: %s", [e.image, e.why]) | some e in table])
