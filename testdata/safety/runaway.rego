package rules.runaway
import rego.v1
metadata := {"id": "RUN001", "name": "runaway", "title": "t", "severity": "error", "tags": ["x"], "kinds": ["dockerfile"], "why": "w", "fix": "f"}
deny contains x if {
	some i in numbers.range(1, 20000)
	some j in numbers.range(1, 20000)
	x := i * j
	x < 0
}
