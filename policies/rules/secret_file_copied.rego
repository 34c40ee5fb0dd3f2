package rules.secret_file_copied

import data.lib
import rego.v1

metadata := {
	"id": "CP503",
	"name": "secret-file-copied",
	"title": "Secret file copied into the image",
	"severity": "error",
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
