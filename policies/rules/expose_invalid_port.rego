package rules.expose_invalid_port

import rego.v1

metadata := {
	"id": "CP721",
	"name": "expose-invalid-port",
	"title": "EXPOSE of a port outside 1-65535",
	"severity": "error",
	"profile": "minimal",
	"tags": ["correctness"],
	"kinds": ["dockerfile"],
	"why": "A TCP or UDP port is a number from 1 to 65535: `EXPOSE 70000`, `EXPOSE 0` or `EXPOSE http` fails the build or publishes nothing. Ports held by a variable (`EXPOSE ${PORT}`) are not judged.",
	"fix": "`EXPOSE <port>[/tcp|/udp]` with a port from 1 to 65535, or a range `8000-8010`.",
	"examples": [{"kind": "dockerfile", "bad": "FROM nginx:1.27\nEXPOSE 80800", "good": "FROM nginx:1.27\nEXPOSE 8080"}],
}

# The port part of `80/tcp`, split into the ends of a range `8000-8010`.
ends(port) := split(split(port, "/")[0], "-")

invalid(port) if {
	some e in ends(port)
	not regex.match(`^[0-9]+$`, e)
}

invalid(port) if {
	some e in ends(port)
	regex.match(`^[0-9]+$`, e)
	n := to_number(e)
	not n >= 1
}

invalid(port) if {
	some e in ends(port)
	regex.match(`^[0-9]+$`, e)
	to_number(e) > 65535
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some i, ins in input.document.instructions
	ins.cmd == "expose"
	some port in ins.ports
	is_string(port)
	not contains(port, "$")
	invalid(port)
	msg := sprintf("`EXPOSE %s` is not a port: use a number from 1 to 65535 (optionally `/tcp` or `/udp`)", [port])
}
