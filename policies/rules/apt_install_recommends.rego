package rules.apt_install_recommends

import data.lib
import rego.v1

metadata := {
	"id": "CP701",
	"name": "apt-install-recommends",
	"title": "apt-get install without --no-install-recommends",
	"severity": "info",
	"tags": ["hygiene", "image-size"],
	"kinds": ["dockerfile"],
	"why": "apt installs \"recommended\" packages by default: often hundreds of megabytes of software the image never uses, each a possible vulnerability.",
	"fix": "`apt-get install -y --no-install-recommends <packages>`.",
	"examples": [{"kind": "dockerfile", "bad": "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl", "good": "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*"}],
}

apt_install(cmd) if {
	cmd[i] in {"apt-get", "apt"}
	lib.runs_at(cmd, i)
	"install" in array.slice(cmd, i + 1, count(cmd))
}

avoids_recommends(cmd) if "--no-install-recommends" in cmd

avoids_recommends(cmd) if {
	some w in cmd
	contains(w, "Install-Recommends=")
}

# An earlier RUN of the shipped stages turned recommends off for every later
# install: `echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/…`.
off_before(i) if {
	some [j, ins] in lib.final_runs
	j < i
	lib.run_mentions(ins, "Install-Recommends")
	lib.run_mentions(ins, "apt.conf")
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some [i, ins] in lib.final_runs
	lib.run_mentions(ins, "apt")
	some cmd in lib.run_commands(ins)
	apt_install(cmd)
	not avoids_recommends(cmd)
	not off_before(i)
	msg := "`apt-get install` without `--no-install-recommends` pulls in packages the image does not need; add the flag"
}
