package rules.add_instead_of_copy

import rego.v1

metadata := {
	"id": "CP703",
	"name": "add-instead-of-copy",
	"title": "ADD used where COPY fits",
	"severity": "warning",
	"tags": ["hygiene", "supply-chain"],
	"kinds": ["dockerfile"],
	"why": "ADD also downloads URLs and unpacks archives, implicitly. For plain local files COPY says what happens and nothing more; ADD makes readers (and reviewers) wonder.",
	"fix": "Use `COPY` for local files and directories. Keep ADD only to unpack a local tar archive or fetch a URL with `--checksum`.",
	"examples": [{"kind": "dockerfile", "bad": "ADD app.py /app/", "good": "COPY app.py /app/"}],
}

remote(src) if regex.match(`^(https?|git|ssh)://|^git@`, src)

archive(src) if regex.match(`\.(tar|tgz|tbz2?|txz|tar\.(gz|bz2|xz|zst|lz4))$`, lower(src))

# Heredoc sources and variables are not local files we can judge.
unknown(src) if startswith(src, "<<")

unknown(src) if contains(src, "$")

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some i, ins in input.document.instructions
	ins.cmd == "add"
	count(ins.sources) > 0
	every src in ins.sources {
		not remote(src)
		not archive(src)
		not unknown(src)
	}
	msg := "ADD of local files: use COPY, which does only that (ADD also fetches URLs and unpacks archives)"
}
