package rules.pip_no_cache_dir

import data.lib
import rego.v1

metadata := {
	"id": "CP706",
	"name": "pip-cache-not-disabled",
	"title": "pip install keeps its cache in the image",
	"severity": "info",
	"tags": ["hygiene", "image-size"],
	"kinds": ["dockerfile"],
	"why": "pip keeps downloaded wheels in ~/.cache/pip; in an image that cache is dead weight, often as large as the installed packages.",
	"fix": "`pip install --no-cache-dir ...`, or `ENV PIP_NO_CACHE_DIR=1`, or a cache mount `RUN --mount=type=cache,target=/root/.cache/pip pip install ...`.",
	"examples": [{"kind": "dockerfile", "bad": "FROM python:3.12-slim\nRUN pip install -r requirements.txt", "good": "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt"}],
}

pip_commands := {"pip", "pip3"}

is_pip(word) if pip_commands[word]

is_pip(word) if startswith(word, "pip3.")

is_pip(word) if {
	contains(word, "/")
	parts := split(word, "/")
	pip_commands[parts[count(parts) - 1]]
}

# `pip install`, `pip3.12 install`, `python -m pip install`; not
# `uv pip install`, which has its own cache and flags.
pip_install(cmd) if {
	some i, w in cmd
	is_pip(w)
	not uv(cmd, i)
	"install" in array.slice(cmd, i + 1, count(cmd))
}

uv(cmd, i) if {
	i > 0
	cmd[i - 1] == "uv"
}

# The cache is off for this command: `--no-cache-dir`, or
# `PIP_NO_CACHE_DIR=1 pip install …`.
no_cache(cmd) if {
	some w in cmd
	startswith(w, "--no-cache-dir")
}

no_cache(cmd) if {
	some w in cmd
	startswith(w, "PIP_NO_CACHE_DIR=")
}

# `ENV PIP_NO_CACHE_DIR=…` (pip treats any value as "off") or a stage ARG of
# that name with a value, earlier in the stages the image is built on.
disabled_before(i) if {
	some j, ins in input.document.instructions
	j < i
	ins.cmd in {"env", "arg"}
	ins.stage in lib.final_stages
	some pair in ins.pairs
	pair.key == "PIP_NO_CACHE_DIR"
	is_string(pair.value)
}

# A cache mount on pip's cache directory or on the whole ~/.cache.
cache_mounted(ins) if lib.has_cache_mount(ins, "/.cache/pip")

cache_mounted(ins) if {
	some f in ins.flags
	f.name == "mount"
	contains(f.value, "type=cache")
	some opt in split(f.value, ",")
	kv := split(opt, "=")
	kv[0] in {"target", "dst", "destination"}
	endswith(trim_right(kv[1], "/"), "/.cache")
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some [i, ins] in lib.final_runs
	lib.run_mentions(ins, "pip")
	some cmd in lib.run_commands(ins)
	pip_install(cmd)
	not no_cache(cmd)
	not disabled_before(i)
	not cache_mounted(ins)
	msg := "`pip install` keeps its download cache in the layer; add `--no-cache-dir` (or set `ENV PIP_NO_CACHE_DIR=1`)"
}
