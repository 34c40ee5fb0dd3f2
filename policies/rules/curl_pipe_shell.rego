package rules.curl_pipe_shell

import data.lib
import rego.v1

metadata := {
	"id": "CP704",
	"name": "curl-pipe-shell",
	"title": "Remote script piped into a shell",
	"severity": "warning",
	"tags": ["supply-chain", "pinned-image"],
	"kinds": ["dockerfile"],
	"why": "`curl … | sh` runs whatever the server returns at build time, unverified and unpinned: a compromised or changed script changes the image silently, and a truncated download runs half a script.",
	"fix": "Download the script to a file, verify its checksum (`echo \"<sha256>  install.sh\" | sha256sum -c -`), then run it; or install from a package with a pinned version.",
	"examples": [{"kind": "dockerfile", "bad": "RUN curl -fsSL https://example.com/install.sh | sh", "good": "RUN curl -fsSLo install.sh https://example.com/install.sh \\\n && echo \"<sha256>  install.sh\" | sha256sum -c - \\\n && sh install.sh"}],
}

shells := {"sh", "bash", "zsh", "dash", "ash", "ksh", "/bin/sh", "/bin/bash", "/usr/bin/env"}

fetchers := {"curl", "wget"}

first_command(ws) := ws[0] if not ws[0] in {"sudo", "env"}

first_command(ws) := ws[1] if ws[0] in {"sudo", "env"}

# `curl url | sudo bash -s`: a fetcher's output feeds a shell.
piped(ins) if {
	some [a, b] in ins.pipes
	fetchers[first_command(ins.commands[a])]
	shells[first_command(ins.commands[b])]
}

# sh -c "$(curl …)" and bash <(curl …): checked on the raw script, only when
# it mentions a fetcher inside a substitution at all.
piped(ins) if {
	some script in lib.run_scripts(ins)
	substitutes_fetch(script)
	regex.match(`(sh|bash|zsh)\s+(-c\s+)?["']?(\$\(|<\()\s*(curl|wget)\b`, script)
}

substitutes_fetch(script) if contains(script, "(curl")

substitutes_fetch(script) if contains(script, "(wget")

substitutes_fetch(script) if contains(script, "( curl")

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some i, ins in input.document.instructions
	ins.cmd == "run"
	piped(ins)
	msg := "a downloaded script is piped straight into a shell; download it, verify its checksum, then run it"
}
