package rules.image_dockerfile_drift

import rego.v1

metadata := {
	"id": "CP711",
	"name": "image-dockerfile-drift",
	"title": "Image differs from its Dockerfile",
	"severity": "warning",
	"tags": ["hygiene"],
	"kinds": ["image"],
	"why": "When an image is checked with `--dockerfile PATH`, it is compared with what that Dockerfile says: a different final USER, a healthcheck only one of them has, or different exposed ports mean the image was not built from this Dockerfile (a stale tag, a manual `docker commit`, a CI build from another branch) or inherits settings from its base image that the Dockerfile does not show. Reviews of the Dockerfile then miss what really runs.",
	"fix": "Rebuild the image from the Dockerfile, or write the inherited settings in the Dockerfile explicitly (`USER`, `HEALTHCHECK`, `EXPOSE`) so that it says what the image does.",
	"examples": [{
		"kind": "dockerfile",
		"bad": "# the image runs as root: built before USER was added\nFROM alpine:3.20\nUSER 10001",
		"good": "# rebuilt: the image's config.User is 10001\nFROM alpine:3.20\nUSER 10001",
	}],
}

image := input.workloads[0].containers[0]

dockerfile := input.dockerfile.workloads[0].containers[0]

deny contains {"msg": msg, "at": image.at.user} if {
	user(image) != user(dockerfile)
	msg := sprintf("the image runs as %s but the final stage of %s has %s", [shown(user(image)), input.dockerfile.path, shown_in_dockerfile(user(dockerfile))])
}

deny contains {"msg": msg, "at": image.at.healthcheck} if {
	image.health.healthcheck != null
	dockerfile.health.healthcheck == null
	msg := sprintf("the image has a healthcheck that %s does not declare (inherited from the base image?); write it in the Dockerfile", [input.dockerfile.path])
}

deny contains {"msg": msg, "at": image.at.healthcheck} if {
	image.health.healthcheck == null
	dockerfile.health.healthcheck != null
	msg := sprintf("%s declares a HEALTHCHECK the image does not have: was it built from this Dockerfile?", [input.dockerfile.path])
}

deny contains {"msg": msg, "at": ["config", "ExposedPorts"]} if {
	ports(image) != ports(dockerfile)
	msg := sprintf("the image exposes %v but %s exposes %v", [sort(ports(image)), input.dockerfile.path, sort(ports(dockerfile))])
}

user(c) := "" if c.user == null

else := trim_space(c.user)

shown(u) := "root (no user set)" if u == ""

else := sprintf("user %q", [u])

shown_in_dockerfile(u) := "no USER" if u == ""

else := sprintf("`USER %s`", [u])

ports(c) := {sprintf("%s/%s", [p.container_port, protocol(p)]) | some p in c.ports}

protocol(p) := lower(p.protocol) if is_string(p.protocol)

else := "tcp"
