# compose rules in Rego v1, in the same `main` package as the Dockerfile rules
# (conftest merges `deny` across files of a package).
package main

import rego.v1

deny contains msg if {
	some name, service in input.services
	service.privileged == true
	msg := sprintf("service %s runs privileged", [name])
}

warn_latest contains msg if {
	some name, service in input.services
	endswith(service.image, ":latest")
	msg := sprintf("service %s uses %s; pin a version", [name, service.image])
}
