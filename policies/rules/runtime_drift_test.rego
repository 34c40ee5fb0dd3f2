package rules.runtime_drift

import rego.v1

declared := {
	"name": "web", "resource": "service web", "user": "10001", "uid": 10001, "read_only_root_filesystem": true,
	"image": {"ref": "web:1.4"}, "capabilities": {"add": [], "drop": ["ALL"]},
	"resources": {"limits": {"memory": "256m", "cpu": null}}, "health": {"healthcheck": true},
	"at": {"self": ["services", "web"], "user": ["services", "web", "user"], "read_only_root_filesystem": ["services", "web", "read_only"]},
}

running(fields, labels) := {"kind": "container", "path": "docker://web", "document_index": 0, "workloads": [{
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
