package rules.secret_in_environment

import rego.v1

mock_env_instruction(pairs) := {"cmd": "env", "stage": 0, "line": 3, "pairs": pairs}

mock_dockerfile_input(pairs, secrets) := {
	"kind": "dockerfile",
	"document": {"instructions": [{"cmd": "from", "stage": 0, "image": "python:3.12-slim"}, mock_env_instruction(pairs)]},
	"workloads": [],
	"secrets": secrets,
}

mock_container_input(kind, env) := {
	"kind": kind,
	"document": {},
	"secrets": [],
	"workloads": [{"kind": "Deployment", "resource": "Deployment/api", "containers": [{
		"name": "api", "resource": "Deployment/api container api", "env": env,
		"at": {"self": ["spec", "template", "spec", "containers", 0]},
	}]}],
}

mock_env_var(name, value, from_reference) := {
	"name": name, "value": value, "from_reference": from_reference, "source": "env",
	"at": ["spec", "template", "spec", "containers", 0, "env", 0],
}

test_dockerfile_env_literal_secret_denied if {
	some f in deny with input as mock_dockerfile_input([{"key": "DB_PASSWORD", "value": "hunter2-prod"}], [])
	f.at == ["instructions", 1, "pairs", 0]
	f.resource == "stage 0"
	contains(f.msg, "ENV DB_PASSWORD")
}

test_dockerfile_env_placeholder_allowed if {
	count(deny) == 0 with input as mock_dockerfile_input([{"key": "DB_PASSWORD", "value": "${DB_PASSWORD}"}], [])
}

test_dockerfile_env_not_a_secret_allowed if {
	count(deny) == 0 with input as mock_dockerfile_input([{"key": "LOG_LEVEL", "value": "debug"}], [])
}

test_dockerfile_known_token_left_to_cp502 if {
	token := {"kind": "github-token", "redacted": "ghp_****", "at": ["instructions", 1, "pairs", 0, "value"]}
	count(deny) == 0 with input as mock_dockerfile_input([{"key": "GITHUB_TOKEN", "value": "ghp_0123456789abcdefghijklmnopqrstuvwxyz"}], [token])
}

test_k8s_env_literal_secret_denied if {
	some f in deny with input as mock_container_input("kubernetes", [mock_env_var("API_KEY", "sk-live-abcdef123456", false)])
	f.at == ["spec", "template", "spec", "containers", 0, "env", 0]
	contains(f.msg, "secretKeyRef")
}

test_k8s_env_from_secret_allowed if {
	count(deny) == 0 with input as mock_container_input("kubernetes", [mock_env_var("API_KEY", null, true)])
}

test_compose_env_literal_secret_denied if {
	some f in deny with input as mock_container_input("compose", [mock_env_var("POSTGRES_PASSWORD", "postgres123", false)])
	contains(f.msg, "secrets:")
}
