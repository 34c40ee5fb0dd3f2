package rules.exfiltrate
import rego.v1
metadata := {"id": "NET001", "name": "exfiltrate", "title": "t", "severity": "error", "tags": ["x"], "kinds": ["dockerfile"], "why": "w", "fix": "f"}
deny contains "x" if {
	resp := http.send({"method": "GET", "url": "http://127.0.0.1:9/"})
	resp.status_code == 200
}
