package rules.expose_invalid_port

import rego.v1

mock_dockerfile(ports) := {"kind": "dockerfile", "document": {
	"instructions": [{"cmd": "from", "stage": 0, "image": "nginx:1.27", "name": null}, {"cmd": "expose", "stage": 0, "ports": ports}],
	"stages": [{"index": 0, "name": null, "base": "nginx:1.27"}],
}}

test_out_of_range_denied if {
	every port in ["70000", "0", "80800/tcp", "http", "8000-70000"] {
		some f in deny with input as mock_dockerfile([port])
		f.at == ["instructions", 1]
		contains(f.msg, port)
	}
}

test_valid_allowed if {
	count(deny) == 0 with input as mock_dockerfile(["80", "443/tcp", "53/udp", "8000-8010", "${PORT}", "$PORT/udp", "65535"])
}
