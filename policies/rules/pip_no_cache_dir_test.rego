package rules.pip_no_cache_dir

import rego.v1

mock_from(stage, image, name) := {"cmd": "from", "stage": stage, "image": image, "name": name, "flags": []}

mock_run(stage, command, commands, flags) := {"cmd": "run", "stage": stage, "command": command, "commands": commands, "pipes": [], "heredocs": [], "flags": flags}

mock_dockerfile(instructions) := {"kind": "dockerfile", "document": {
	"instructions": instructions,
	"stages": [{"index": ins.stage, "name": ins.name, "base": ins.image} | some ins in instructions; ins.cmd == "from"],
}}

mock_pip_install(stage, flags) := mock_run(stage, "pip install -r requirements.txt", [["pip", "install", "-r", "requirements.txt"]], flags)

test_pip_install_denied if {
	some f in deny with input as mock_dockerfile([mock_from(0, "python:3.12-slim", null), mock_pip_install(0, [])])
	f.at == ["instructions", 1]
	contains(f.msg, "--no-cache-dir")
}

test_python_m_pip_denied if {
	run := mock_run(0, "python3 -m pip install flask", [["python3", "-m", "pip", "install", "flask"]], [])
	count(deny) == 1 with input as mock_dockerfile([mock_from(0, "python:3.12-slim", null), run])
}

test_no_cache_dir_allowed if {
	run := mock_run(0, "pip install --no-cache-dir flask", [["pip", "install", "--no-cache-dir", "flask"]], [])
	count(deny) == 0 with input as mock_dockerfile([mock_from(0, "python:3.12-slim", null), run])
}

test_env_before_allowed if {
	env := {"cmd": "env", "stage": 0, "pairs": [{"key": "PIP_NO_CACHE_DIR", "value": "1"}]}
	count(deny) == 0 with input as mock_dockerfile([mock_from(0, "python:3.12-slim", null), env, mock_pip_install(0, [])])
}

test_cache_mount_allowed if {
	flags := [{"name": "mount", "value": "type=cache,target=/root/.cache"}]
	count(deny) == 0 with input as mock_dockerfile([mock_from(0, "python:3.12-slim", null), mock_pip_install(0, flags)])
}

test_uv_pip_allowed if {
	run := mock_run(0, "uv pip install --system flask", [["uv", "pip", "install", "--system", "flask"]], [])
	count(deny) == 0 with input as mock_dockerfile([mock_from(0, "python:3.12-slim", null), run])
}

test_builder_stage_allowed if {
	instructions := [
		mock_from(0, "python:3.12", "build"),
		mock_pip_install(0, []),
		mock_from(1, "python:3.12-slim", null),
	]
	count(deny) == 0 with input as mock_dockerfile(instructions)
}
