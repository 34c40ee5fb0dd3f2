package rules.compose_undefined_dependency

import rego.v1

# The input of one compose document; the rule reads only `document`.
mock_input(services) := {"kind": "compose", "path": "compose.yaml", "document_index": 0, "document": {"services": services}}

# (Bound in a function: regorus leaves rules used in a `with` value undefined
# for the rest of a `some ... in ... with` body.)
mock_findings(inp) := fs if {
	fs := deny with input as inp
}

# Where each finding points.
mock_at(services) := {f.at | some f in mock_findings(mock_input(services))}

mock_db := {"image": "postgres:16"}

mock_cache := {"image": "redis:7"}

test_list_form_undefined_denied if {
	services := {"web": {"image": "web:1.0", "depends_on": ["database"]}, "db": mock_db}
	fs := mock_findings(mock_input(services))
	count(fs) == 1
	some f in fs
	f.at == ["services", "web", "depends_on", 0]
	f.resource == "service web"
	contains(f.msg, `service web depends on "database", which is not defined`)
}

test_list_form_points_at_the_entry if {
	services := {"web": {"image": "web:1.0", "depends_on": ["cache", "database", "db", "queue"]}, "db": mock_db, "cache": mock_cache}
	mock_at(services) == {["services", "web", "depends_on", 1], ["services", "web", "depends_on", 3]}
}

test_list_form_defined_allowed if {
	count(mock_findings(mock_input({"web": {"image": "web:1.0", "depends_on": ["db", "cache"]}, "db": mock_db, "cache": mock_cache}))) == 0
}

test_map_form_undefined_denied if {
	services := {"worker": {"image": "worker:1.0", "depends_on": {"queue": {"condition": "service_healthy"}}}, "db": mock_db}
	fs := mock_findings(mock_input(services))
	count(fs) == 1
	some f in fs
	f.at == ["services", "worker", "depends_on", "queue"]
	f.resource == "service worker"
	contains(f.msg, `service worker depends on "queue"`)
}

test_map_form_defined_allowed if {
	services := {
		"worker": {"image": "worker:1.0", "depends_on": {
			"db": {"condition": "service_healthy"},
			"cache": {"condition": "service_started", "restart": true},
		}},
		"db": mock_db, "cache": mock_cache,
	}
	count(mock_findings(mock_input(services))) == 0
}

test_map_form_points_at_each_undefined_key if {
	services := {"worker": {"image": "worker:1.0", "depends_on": {"db": {}, "queue": {}, "search": {"condition": "service_healthy"}}}, "db": mock_db}
	mock_at(services) == {["services", "worker", "depends_on", "queue"], ["services", "worker", "depends_on", "search"]}
}

test_every_service_checked if {
	services := {
		"web": {"image": "web:1.0", "depends_on": ["database"]},
		"worker": {"image": "worker:1.0", "depends_on": {"queue": {"condition": "service_started"}}},
		"api": {"image": "api:1.0", "depends_on": ["db"]},
		"db": mock_db,
	}
	fs := mock_findings(mock_input(services))
	{f.resource | some f in fs} == {"service web", "service worker"}
	mock_at(services) == {["services", "web", "depends_on", 0], ["services", "worker", "depends_on", "queue"]}
}

test_no_dependencies_allowed if {
	count(mock_findings(mock_input({"web": {"image": "web:1.0"}, "db": mock_db}))) == 0
	count(mock_findings(mock_input({"web": {"image": "web:1.0", "depends_on": []}}))) == 0
	count(mock_findings(mock_input({"web": {"image": "web:1.0", "depends_on": {}}}))) == 0
	count(mock_findings(mock_input({}))) == 0
}

test_document_without_services_allowed if {
	count(mock_findings({"kind": "compose", "path": "compose.yaml", "document_index": 0, "document": {"volumes": {"data": {}}}})) == 0
	count(mock_findings({"kind": "compose", "path": "compose.yaml", "document_index": 0, "document": {}})) == 0
}

test_service_without_body_is_defined if {
	# `cache: {}` or a bare `cache:` (completed by an override file) is still a service.
	count(mock_findings(mock_input({"web": {"image": "web:1.0", "depends_on": ["cache"]}, "cache": {}}))) == 0
	count(mock_findings(mock_input({"web": {"image": "web:1.0", "depends_on": {"cache": {}}}, "cache": null}))) == 0
}

test_self_dependency_is_defined if {
	# A cycle is compose's to report, not an undefined service.
	count(mock_findings(mock_input({"web": {"image": "web:1.0", "depends_on": ["web"]}}))) == 0
}

test_names_are_case_sensitive if {
	mock_at({"web": {"image": "web:1.0", "depends_on": ["DB"]}, "db": mock_db}) == {["services", "web", "depends_on", 0]}
}

test_non_string_entries_ignored if {
	# Not a service name: left to the compose schema.
	count(mock_findings(mock_input({"web": {"image": "web:1.0", "depends_on": [{"db": {}}, 3, null]}, "db": mock_db}))) == 0
}

test_depends_on_of_other_types_ignored if {
	count(mock_findings(mock_input({"web": {"image": "web:1.0", "depends_on": "database"}}))) == 0
}

test_files_merged_with_others_are_not_judged if {
	web := {"image": "web:1.0", "depends_on": ["db"]}
	# An override file: db lives in compose.yaml.
	override := object.union(mock_input({"web": web}), {"path": "deploy/compose.override.yaml"})
	count(mock_findings(override)) == 0
	# `include` brings services from other files.
	included := {"kind": "compose", "path": "compose.yaml", "document_index": 0, "document": {"include": ["db.compose.yaml"], "services": {"web": web}}}
	count(mock_findings(included)) == 0
	# A fragment: a service with neither image nor build.
	count(mock_findings(mock_input({"web": {"depends_on": ["db"]}}))) == 0
	# The same service in a complete file is judged.
	count(mock_findings(mock_input({"web": web}))) == 1
}

test_fragment_merged_over_its_base_not_judged if {
	services := {"web": {"image": "web:1.0", "depends_on": ["opamp"]}, "db": mock_db}
	inp := object.union(mock_input(services), {"path": "compose.agent.yaml", "context": {"compose": {"fragment_of": "compose.yaml"}}})
	count(mock_findings(inp)) == 0
}
