package rules.ingress_without_tls

import data.lib
import rego.v1

mock_ingress(spec) := {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web"}, "spec": spec}

test_no_tls_denied_at_the_spec if {
	some f in deny with input as lib.mock_object_input(mock_ingress({"rules": [{"host": "a.example.com"}]}))
	f.at == ["spec"]
}

test_empty_tls_denied if {
	count(deny) == 1 with input as lib.mock_object_input(mock_ingress({"tls": []}))
}

test_tls_allowed if {
	count(deny) == 0 with input as lib.mock_object_input(mock_ingress({"tls": [{"secretName": "web-tls"}]}))
}

test_malformed_tls_counts_as_none if {
	count(deny) == 1 with input as lib.mock_object_input(mock_ingress({"tls": true}))
}

test_certificate_annotations_and_http_off_allowed if {
	managed := object.union(mock_ingress({}), {"metadata": {"name": "web", "annotations": {"networking.gke.io/managed-certificates": "web-cert"}}})
	count(deny) == 0 with input as lib.mock_object_input(managed)
	http_off := object.union(mock_ingress({}), {"metadata": {"name": "web", "annotations": {"kubernetes.io/ingress.allow-http": "false"}}})
	count(deny) == 0 with input as lib.mock_object_input(http_off)
}
