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
	"examples": [{"kind": "dockerfile", "bad": "RUN pip install -r requirements.txt", "good": "RUN pip install --no-cache-dir -r requirements.txt"}],
}

pip_commands := {"pip", "pip3"}

is_pip(word) if pip_commands[word]

is_pip(word) if startswith(word, "pip3.")

is_pip(word) if {
	contains(word, "/")
	parts := split(word, "/")
	pip_commands[parts[count(parts) - 1]]
}

# `pip install`, `pip3.12 install`, `python -m pip install`
pip_install(cmd) if {
	some i, w in cmd
	is_pip(w)
	"install" in array.slice(cmd, i + 1, count(cmd))
}

pip_install(cmd) if {
	some i, w in cmd
	w == "-m"
	cmd[i + 1] == "pip"
	cmd[i + 2] == "install"
}

disabled_globally if {
	some ins in input.document.instructions
	ins.cmd == "env"
	some pair in ins.pairs
	pair.key == "PIP_NO_CACHE_DIR"
}

deny contains {"msg": msg, "at": ["instructions", i]} if {
	some [i, ins] in lib.final_runs
	lib.run_mentions(ins, "pip")
	some cmd in lib.run_commands(ins)
	pip_install(cmd)
	not "--no-cache-dir" in cmd
	not disabled_globally
	not lib.has_cache_mount(ins, "/.cache/pip")
	msg := "`pip install` keeps its download cache in the layer; add `--no-cache-dir`"
}
