package broken

import rego.v1

test_nothing if {
	count(deny) == 0
}
