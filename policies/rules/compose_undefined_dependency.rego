package rules.compose_undefined_dependency

import rego.v1

metadata := {
	"id": "CP906",
	"name": "compose-undefined-dependency",
	"title": "Compose service depends on an undefined service",
	"severity": "error",
	"profile": "minimal",
	"tags": ["correctness", "cross-document"],
	"kinds": ["compose"],
	"why": "`depends_on` naming a service that is not defined makes `docker compose up` fail, usually after a service was renamed. Files meant to be merged with others are not judged, since the service may be defined elsewhere: override files (`compose.override.yaml`, any name with `override`), files with a top-level `include`, fragments whose services lack both `image` and `build`, and fragments such as `docker-compose.prod.yml` (judged merged over their base file, though they may be meant to go over other files too).",
	"fix": "Rename the dependency to an existing service, or define the missing service.",
	"examples": [{"kind": "compose", "bad": "services:\n  web:\n    image: web:1.0\n    depends_on: [database]\n  db:\n    image: postgres:16", "good": "services:\n  web:\n    image: web:1.0\n    depends_on: [db]\n  db:\n    image: postgres:16"}],
}

services := object.get(input.document, "services", {})

# depends_on as a list, or as a map of service -> condition.
dependencies contains [name, dep, ["services", name, "depends_on", i]] if {
	some name, svc in services
	is_array(svc.depends_on)
	some i, dep in svc.depends_on
}

dependencies contains [name, dep, ["services", name, "depends_on", dep]] if {
	some name, svc in services
	is_object(svc.depends_on)
	some dep, _ in svc.depends_on
}

# Merged with other files by `docker compose` (-f, override, include): the
# dependency may be defined there.
partial if input.document.include

partial if regex.match(`(^|/)[^/]*override[^/]*$`, input.path)

# A fragment (`docker-compose.prod.yml`) merged over its base file only.
partial if input.context.compose.fragment_of

partial if {
	some svc in services
	is_object(svc)
	not svc.image
	not svc.build
	not svc.extends
}

deny contains {"msg": msg, "at": at, "resource": sprintf("service %s", [name])} if {
	not partial
	some [name, dep, at] in dependencies
	is_string(dep)
	not services[dep]
	msg := sprintf("service %s depends on %q, which is not defined in this file; rename it to an existing service or define it", [name, dep])
}
