package rules.runtime_drift

import rego.v1

declared := {
	"name": "web", "resource": "service web", "user": "10001", "uid": 10001, "read_only_root_filesystem": true,
	"image": {"ref": "web:1.4"}, "capabilities": {"add": [], "drop": ["ALL"]},
	"resources": {"limits": {"memory": "256m", "cpu": null}}, "health": {"healthcheck": true},
	"at": {"self": ["services", "web"], "user": ["services", "web", "user"], "read_only_root_filesystem": ["services", "web", "read_only"]},
}

running(fields, labels) := {"kind": "container", "path": "docker://web", "document_index": 0, "workloads": [{
	"kind": "container",
	"name": "shop-web-1", "resource": "container shop-web-1", "labels": labels, "host_network": false,
	"containers": [object.union({
		"name": "shop-web-1", "resource": "container shop-web-1", "user": "10001", "uid": 10001,
		"read_only_root_filesystem": true, "image": {"ref": "web:1.4"}, "capabilities": {"add": [], "drop": ["ALL"]},
		"resources": {"limits": {"memory": "268435456", "cpu": null}}, "health": {"healthcheck": true}, "state": {"status": "running"},
	}, fields)],
}]}

compose_doc := {"kind": "compose", "path": "shop/compose.yaml", "document_index": 0, "document": {"services": {"web": {}}}, "workloads": [{
	"name": "web", "resource": "service web", "labels": {}, "host_network": null, "at": {"self": ["services", "web"]}, "containers": [declared],
}]}

labels(project) := {"com.docker.compose.project": project, "com.docker.compose.service": "web"}

test_matching_container_passes if {
	count(deny) == 0 with input as {"documents": [compose_doc, running({}, labels("shop"))]}
}

test_root_and_writable_reported_at_the_declaration if {
	found := deny with input as {"documents": [compose_doc, running({"user": null, "uid": 0, "read_only_root_filesystem": false}, labels("shop"))]}
	{f.at | some f in found} == {["services", "web", "user"], ["services", "web", "read_only"]}
	every f in found {
		f.path == "shop/compose.yaml"
		startswith(f.msg, "container shop-web-1 ")
	}
}

test_other_project_not_matched if {
	count(deny) == 0 with input as {"documents": [compose_doc, running({"uid": 0}, labels("staging"))]}
}

test_matched_by_image_without_labels if {
	some f in deny with input as {"documents": [compose_doc, running({"uid": 0, "user": null}, {})]}
	contains(f.msg, "runs as root, but service web declares user \"10001\"")
}

deployment_doc := {"kind": "kubernetes", "path": "k8s/api.yaml", "document_index": 0, "document": {}, "workloads": [{
	"kind": "Deployment", "name": "api", "namespace": "shop", "resource": "Deployment/api", "pod_labels": {"app": "api"}, "labels": {},
	"host_network": null, "at": {"self": []},
	"containers": [{"name": "api", "init": false, "resource": "Deployment/api container api", "uid": null, "run_as_non_root": true,
		"image": {"ref": "api:2"}, "capabilities": {"add": [], "drop": []}, "resources": {"limits": {"memory": null, "cpu": null}},
		"health": {"healthcheck": null}, "state": null,
		"at": {"self": ["spec", "template", "spec", "containers", 0], "run_as_non_root": ["spec", "template", "spec", "containers", 0, "securityContext", "runAsNonRoot"]}}],
}]}

pods_doc(namespace, uid) := {"kind": "kubernetes", "path": "pods.json", "document_index": 0, "document": {}, "workloads": [{
	"kind": "Pod", "name": "api-5c4b3a2d1-abcde", "namespace": namespace, "resource": "Pod/api-5c4b3a2d1-abcde",
	"pod_labels": {"app": "api", "pod-template-hash": "5c4b3a2d1"}, "labels": {}, "host_network": null,
	"containers": [{"name": "api", "init": false, "resource": "Pod/api-5c4b3a2d1-abcde container api", "uid": uid, "user": "0",
		"image": {"ref": "api:2"}, "capabilities": {"add": [], "drop": []}, "resources": {"limits": {"memory": null, "cpu": null}},
		"health": {"healthcheck": null}, "state": {"status": "running"}}],
}]}

test_pod_matched_to_its_deployment_by_labels if {
	found := deny with input as {"documents": [deployment_doc, pods_doc("shop", 0)]}
	count(found) == 1
	some f in found
	f.at == ["spec", "template", "spec", "containers", 0, "securityContext", "runAsNonRoot"]
	f.msg == "Pod/api-5c4b3a2d1-abcde container api runs as root, but Deployment/api container api declares `runAsNonRoot: true`"
}

test_pod_of_another_namespace_not_matched if {
	count(deny) == 0 with input as {"documents": [deployment_doc, pods_doc("staging", 0)]}
}
