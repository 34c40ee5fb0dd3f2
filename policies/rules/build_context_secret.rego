package rules.build_context_secret

import rego.v1

metadata := {
	"id": "CP507",
	"name": "build-context-ships-secret",
	"title": "COPY of the build context ships a secret file",
	"severity": "error",
	"profile": "minimal",
	"tags": ["secrets", "supply-chain"],
	"kinds": ["dockerfile"],
	"why": "`COPY . .` copies the whole build context: whatever `.dockerignore` does not exclude. A `.env`, a private key, a registry token or `.git/` lying in the directory ends up in a layer of the image, where anyone who can pull it can read it, even if a later step deletes it.",
	"fix": "List the file in `.dockerignore` (create one: `.env`, `*.pem`, `id_*`, `.git`), or copy only what the build needs (`COPY src/ ./src/`). Pass build-time secrets with `RUN --mount=type=secret`.",
	"examples": [{"kind": "dockerfile", "bad": "# context holds .env, no .dockerignore\nFROM node:20\nCOPY . /app", "good": "# .dockerignore lists .env\nFROM node:20\nCOPY . /app"}],
}

# What a COPY source sends of the context: `.`, `./`, `*` send everything;
# a directory sends what is under it.
sends(src, path) if src in {".", "./", "*", "/", "./*"}

sends(src, path) if {
	dir := trim_suffix(trim_prefix(src, "./"), "/")
	not contains(dir, "*")
	dir != ""
	startswith(path, concat("", [dir, "/"]))
}

local(ins) if {
	not from_flag(ins)
}

from_flag(ins) if {
	some f in ins.flags
	f.name == "from"
}

deny contains {"msg": msg, "at": ["instructions", i, "sources", j], "resource": sprintf("stage %v", [ins.stage])} if {
	some i, ins in input.document.instructions
	ins.cmd in {"copy", "add"}
	local(ins)
	some j, src in ins.sources
	files := [f | some f in input.context.shipped; sends(src, f.path)]
	count(files) > 0
	names := [sprintf("%s (%s)", [f.path, f.what]) | some f in files]
	msg := sprintf("%s %s ships %s from the build context into the image; add %s to .dockerignore, or copy only what the build needs", [upper(ins.cmd), src, concat(", ", names), plural(files)])
}

plural(files) := "it" if count(files) == 1

plural(files) := "them" if count(files) > 1
