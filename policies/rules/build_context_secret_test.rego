package rules.build_context_secret

import rego.v1

mock_copy(sources, flags) := {"cmd": "copy", "stage": 0, "flags": flags, "sources": sources, "dest": "/app"}

mock_input(ins, shipped) := {
	"kind": "dockerfile",
	"document": {"instructions": [{"cmd": "from", "stage": 0, "image": "node:20", "flags": []}, ins]},
	"context": {"dockerignore": null, "shipped": shipped},
}

dotenv := {"path": ".env", "what": "dotenv"}

key := {"path": "deploy/id_rsa", "what": "ssh-private-key"}

test_copy_all_ships_dotenv if {
	some f in deny with input as mock_input(mock_copy(["."], []), [dotenv])
	f.at == ["instructions", 1, "sources", 0]
	contains(f.msg, ".env (dotenv)")
}

test_copy_of_the_directory_holding_it if {
	some f in deny with input as mock_input(mock_copy(["./deploy/"], []), [dotenv, key])
	contains(f.msg, "deploy/id_rsa")
	not contains(f.msg, ".env")
}

test_copy_of_another_directory_allowed if {
	count(deny) == 0 with input as mock_input(mock_copy(["src/"], []), [dotenv, key])
}

test_copy_from_a_stage_allowed if {
	count(deny) == 0 with input as mock_input(mock_copy(["."], [{"name": "from", "value": "build"}]), [dotenv])
}

test_nothing_shipped_allowed if {
	count(deny) == 0 with input as mock_input(mock_copy(["."], []), [])
}

test_no_context_allowed if {
	count(deny) == 0 with input as {"kind": "dockerfile", "document": {"instructions": [mock_copy(["."], [])]}}
}
