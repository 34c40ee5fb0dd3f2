package rules.envleak
import rego.v1
metadata := {"id": "ENV001", "name": "envleak", "title": "t", "severity": "error", "tags": ["x"], "kinds": ["dockerfile"], "why": "w", "fix": "f"}
deny contains sprintf("%v", [opa.runtime().env]) if { true }
