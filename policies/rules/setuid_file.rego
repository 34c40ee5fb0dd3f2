package rules.setuid_file

import rego.v1

metadata := {
	"id": "CP109",
	"name": "setuid-file-in-image",
	"title": "setuid or setgid file in the image",
	"severity": "info",
	"tags": ["privilege"],
	"kinds": ["image"],
	"why": "A setuid or setgid executable runs with its owner's or group's privileges whoever starts it: in a container that runs as an unprivileged user, each one (`su`, `passwd`, `mount`…) is a way back to root if it has a bug or is misused. Most services need none.",
	"fix": "Remove the setuid/setgid bits in the final stage (`RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`), start from a minimal base (distroless, scratch), and run the container with `allowPrivilegeEscalation: false` / `no-new-privileges`.",
	"examples": [{
		"kind": "dockerfile",
		"bad": "FROM debian:12-slim\nUSER 10001",
		"good": "FROM debian:12-slim\nRUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +\nUSER 10001",
	}],
}

# Files still in the final file system: a deleted one cannot be run.
deny contains {"msg": msg, "at": ["files", i]} if {
	some i, f in input.image.files
	bits := [b | some b in ["setuid", "setgid"]; f[b]]
	count(bits) > 0
	f.deleted_in == null
	f.replaced_in == null
	msg := sprintf("/%s is %s (mode %s); remove the bit unless the service needs it", [f.path, concat(" and ", bits), mode(f.mode)])
}

mode(m) := format_int(m, 8)
