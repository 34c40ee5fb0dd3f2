package rules.ingress_without_tls

import data.lib
import rego.v1

metadata := {
	"id": "CP131",
	"name": "ingress-without-tls",
	"title": "Ingress serves plain HTTP (no tls)",
	"severity": "warning",
	"tags": ["network", "tls"],
	"kinds": ["kubernetes"],
	"why": "An Ingress without a `tls` section serves its hosts over plain HTTP: credentials and session cookies cross the network in clear text.",
	"fix": "Add `spec.tls` with the hosts and a certificate Secret (cert-manager can issue it). An Ingress whose load balancer terminates TLS with an annotated certificate (`networking.gke.io/managed-certificates`, `ingress.gcp.kubernetes.io/pre-shared-cert`, `alb.ingress.kubernetes.io/certificate-arn`) or that turns HTTP off (`kubernetes.io/ingress.allow-http: \"false\"`) is not reported; for other setups that terminate TLS in front of the controller, suppress the finding with the reason.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n    - host: web.example.com", "good": "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  tls:\n    - hosts: [web.example.com]\n      secretName: web-tls\n  rules:\n    - host: web.example.com"}],
}

deny contains lib.finding_at(array.concat(at, where), lib.object_resource(ing), msg) if {
	some [ing, at] in lib.objects("Ingress")
	not has_tls(ing)
	not tls_elsewhere(ing)
	where := spec_or_self(ing)
	msg := sprintf("%s has no `tls` section, so it serves plain HTTP; add `spec.tls` with a certificate Secret", [lib.object_resource(ing)])
}

has_tls(ing) if {
	is_array(ing.spec.tls)
	count(ing.spec.tls) > 0
}

# Load balancers that terminate TLS with a certificate named in an annotation
# (GKE managed or pre-shared certificates, AWS ACM), or GKE's switch that
# turns plain HTTP off.
certificate_annotations := {
	"networking.gke.io/managed-certificates",
	"ingress.gcp.kubernetes.io/pre-shared-cert",
	"alb.ingress.kubernetes.io/certificate-arn",
}

tls_elsewhere(ing) if {
	some key in certificate_annotations
	is_string(ing.metadata.annotations[key])
}

tls_elsewhere(ing) if ing.metadata.annotations["kubernetes.io/ingress.allow-http"] == "false"

spec_or_self(ing) := ["spec"] if is_object(ing.spec)

else := []
