package rules.secret_file_copied

import data.lib
import rego.v1

metadata := {
	"id": "CP503",
	"name": "secret-file-copied",
	"title": "Secret file copied into the image",
	"severity": "error",
	"profile": "minimal",
	"tags": ["secrets"],
	"kinds": ["dockerfile"],
	"why": "Private keys, .env files, cloud credentials and package-registry tokens copied into a layer stay in the image forever, even if a later step deletes them.",
	"fix": "Use `RUN --mount=type=secret` (or `--mount=type=ssh` for keys) so the file is only present during that step, and list such files in .dockerignore.",
	"examples": [{"kind": "dockerfile", "bad": "COPY id_rsa /root/.ssh/id_rsa", "good": "RUN --mount=type=ssh git clone git@github.com:org/repo.git"}],
}

deny contains {"msg": msg, "at": ["instructions", i, "sources", j], "resource": sprintf("stage %v", [ins.stage])} if {
	some i, ins in input.document.instructions
	ins.cmd in {"copy", "add"}
	some j, src in ins.sources
	kind := lib.secret_file_kind(src)
	kind != null
	msg := sprintf("%s copies %q (%s) into the image, where it stays in the layer; use `RUN --mount=type=secret` and add it to .dockerignore", [upper(ins.cmd), src, kind])
}

# `COPY deploy/key /root/.ssh/id_ed25519`: the source name says nothing, the
# destination names a secret file. Directories and template sources
# (`COPY .env.example /app/.env`) are left out.
deny contains {"msg": msg, "at": ["instructions", i, "dest"], "resource": sprintf("stage %v", [ins.stage])} if {
	some i, ins in input.document.instructions
	ins.cmd in {"copy", "add"}
	is_string(ins.dest)
	not endswith(ins.dest, "/")
	kind := lib.secret_file_kind(ins.dest)
	dest_kinds[kind]
	count(ins.sources) > 0
	every src in ins.sources {
		lib.secret_file_kind(src) == null
		not template(src)
	}
	msg := sprintf("%s writes %q (%s) into the image, where it stays in the layer; use `RUN --mount=type=secret` instead", [upper(ins.cmd), ins.dest, kind])
}

dest_kinds := {
	"ssh-private-key", "private-key-file", "pkcs12-keystore", "java-keystore", "aws-credentials",
	"gcp-service-account-key", "npmrc", "pypirc", "netrc", "git-credentials", "docker-config", "kubeconfig",
}

template(src) if regex.match(`(?i)(example|sample|template|tpl|dist|default|dummy|fake|test)`, src)

template(src) if startswith(src, "<<")

template(src) if contains(src, "$")
