# Echoes what a conftest policy sees, for the tests: the input as JSON, and
# data.conftest.file.
package dump

import rego.v1

warn_input contains json.marshal(input)

warn_file contains sprintf("file %s in %s", [data.conftest.file.name, data.conftest.file.dir])
