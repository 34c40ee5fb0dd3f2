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

shells := {"sh", "bash", "zsh", "dash", "ash", "ksh", "mksh"}

# Interpreters that run a script read from stdin (`| python3 -`, `| php`).
interpreters := {"python", "python2", "python3", "perl", "ruby", "php", "node"}

fetchers := {"curl", "wget"}

# Words that only prefix the real command: `sudo -E bash`, `env X=1 sh`.
wrappers := {"sudo", "env", "exec", "nohup", "time", "command"}

# Options of those wrappers that take an argument (`sudo -u app bash`).
option_args := {"-u", "-g", "-C", "-h", "-p", "-U", "-D", "-S"}

base(w) := parts[count(parts) - 1] if parts := split(w, "/")

# Index of the word naming the command, past wrappers, their options and
# VAR=value assignments.
name_index(ws) := ks[0] if {
	ks := [k |
		some k, w in ws
		not startswith(w, "-")
		not contains(w, "=")
		not wrappers[base(w)]
		not option_arg(ws, k)
	]
	count(ks) > 0
}

option_arg(ws, k) if {
	k > 0
	option_args[ws[k - 1]]
}

command_name(ws) := base(ws[name_index(ws)])

runs_stdin(ws) if shells[command_name(ws)]

# An interpreter runs stdin unless it is given a script or code to run
# (`| python3 -c 'import json…'` only parses the download).
runs_stdin(ws) if {
	interpreters[command_name(ws)]
	args := array.slice(ws, name_index(ws) + 1, count(ws))
	stdin_args(args)
}

stdin_args(args) if count(args) == 0

stdin_args(args) if args[0] in {"-", "--"}

# `curl url | sudo -E bash -s`: a fetcher's output feeds a shell.
piped(ins) if {
	some [a, b] in ins.pipes
	fetchers[command_name(ins.commands[a])]
	runs_stdin(ins.commands[b])
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

substitutes_fetch(script) if contains(script, "( wget")

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some i, ins in input.document.instructions
	ins.cmd == "run"
	piped(ins)
	msg := "a downloaded script is piped straight into a shell or interpreter; download it to a file, verify its checksum, then run it"
}
