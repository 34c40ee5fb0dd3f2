package rules.host_path_other

import data.lib
import data.rules.host_path_volume
import rego.v1

metadata := {
	"id": "CP116",
	"name": "host-path-volume",
	"title": "Host directory is mounted",
	"severity": "warning",
	"tags": ["privilege", "host-path"],
	"kinds": ["kubernetes"],
	"why": "A `hostPath` volume ties the pod to one node's filesystem and lets it read (or write) whatever is there; it bypasses storage quotas and is a common step in container escapes. Sensitive directories are CP115's, runtime sockets CP107's.",
	"fix": "Use a PersistentVolumeClaim, emptyDir, ConfigMap or Secret. When a node agent needs the host directory, mount it `readOnly: true` and suppress the finding with the reason.",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: registry.example.com/app:1.0\n  volumes:\n    - name: data\n      hostPath:\n        path: /srv/data", "good": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: registry.example.com/app:1.0\n  volumes:\n    - name: data\n      persistentVolumeClaim:\n        claimName: data"}],
}

deny contains lib.finding_at(array.concat(spec_at, ["volumes", i, "hostPath", "path"]), w.resource, msg) if {
	some [w, i, spec_at, path] in host_path_volume.host_paths
	not host_path_volume.normalized(path) in host_path_volume.sensitive_paths
	msg := sprintf("%s mounts the host directory %s (`hostPath`); use a PersistentVolumeClaim or emptyDir, or mount it read-only if a node agent needs it", [w.resource, path])
}
