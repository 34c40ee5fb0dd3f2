package rules.kubernetes_secret_inline

import rego.v1

mock_secret(fields) := object.union({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "type": "Opaque"}, fields)

test_inline_data_denied if {
	doc := mock_secret({"data": {"password": "aHVudGVyMg=="}})
	some f in deny with input as {"kind": "kubernetes", "document": doc}
	f.at == ["data", "password"]
	f.resource == "Secret/db"
	contains(f.msg, "data.password")
}

test_inline_string_data_denied if {
	doc := mock_secret({"stringData": {"DATABASE_URL": "postgres://app:s3cret@db:5432/app"}})
	count(deny) == 1 with input as {"kind": "kubernetes", "document": doc}
}

test_secret_in_list_denied if {
	doc := {"apiVersion": "v1", "kind": "List", "items": [
		{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"LOG_LEVEL": "info"}},
		mock_secret({"data": {"token": "c2VjcmV0"}}),
	]}
	some f in deny with input as {"kind": "kubernetes", "document": doc}
	f.at == ["items", 1, "data", "token"]
}

test_template_placeholders_allowed if {
	doc := mock_secret({"stringData": {"password": "{{ .Values.db.password }}", "user": "${DB_USER}"}})
	count(deny) == 0 with input as {"kind": "kubernetes", "document": doc}
}

test_tls_certificate_allowed if {
	doc := mock_secret({"type": "kubernetes.io/tls", "data": {"tls.crt": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t", "tls.key": ""}})
	count(deny) == 0 with input as {"kind": "kubernetes", "document": doc}
}

test_config_map_allowed if {
	doc := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"password_policy": "strict"}}
	count(deny) == 0 with input as {"kind": "kubernetes", "document": doc}
}
