package rules.required_labels

import data.lib
import rego.v1

metadata := {
	"id": "CP709",
	"name": "required-label-missing",
	"title": "A required label is missing",
	"severity": "warning",
	"tags": ["hygiene"],
	"kinds": ["dockerfile", "compose", "kubernetes", "image"],
	"why": "Labels are how people and tools find what a workload is, who owns it and what it costs: alert routing, cost reports, image provenance. Every key of `parameters.required_labels` must be present, whatever its value: on Kubernetes workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob…) in the object's own `metadata.labels`, not the pod template's, which selectors own; on compose services in `labels:` (map or `KEY=VALUE` list; override fragments and `extends` are skipped); on Dockerfiles in `LABEL` instructions of the final stage and the stages it builds on (a base image's labels are not visible). Enabled by default, the rule checks nothing until the parameter is set: setting it turns the rule on.",
	"fix": "Add the label: Kubernetes `metadata: {labels: {team: payments}}`, compose `labels: {team: payments}`, Dockerfile `LABEL team=payments` in the final stage. The required keys are `parameters.required_labels` in `.policy.yaml` (or a `--data` file), e.g. `[team, app.kubernetes.io/name]`.",
	"examples": [
		{
			"kind": "kubernetes",
			"bad": "# parameters: {required_labels: [team]}\nkind: Deployment\nmetadata:\n  name: api\n  labels: {app: api}",
			"good": "# parameters: {required_labels: [team]}\nkind: Deployment\nmetadata:\n  name: api\n  labels: {app: api, team: payments}",
		},
		{
			"kind": "dockerfile",
			"bad": "# parameters: {required_labels: [org.opencontainers.image.source]}\nFROM alpine:3.20",
			"good": "# parameters: {required_labels: [org.opencontainers.image.source]}\nFROM alpine:3.20\nLABEL org.opencontainers.image.source=https://github.com/example/app",
		},
	],
}

# The required label keys; empty when the parameter is absent: the rule then
# reports nothing.
required := [l | some l in data.parameters.required_labels; is_string(l); l != ""]

# Kubernetes workloads and compose services: one finding per missing key, at
# the labels node, or the nearest node written that should hold it
# (`metadata`, the object, the service).
deny contains {"msg": msg, "at": labels_at(w), "resource": w.resource} if {
	count(required) > 0
	some w in input.workloads
	not lib.compose_partial(w)
	keys := label_keys(object.get(input.document, labels_at(w), null))
	some label in required
	not label in keys
	msg := sprintf("%s has no label %q (required by `parameters.required_labels`); add it to %s", [w.resource, label, where[input.kind]])
}

labels_at(w) := array.concat(w.at.self, ["metadata", "labels"]) if input.kind == "kubernetes"

labels_at(w) := array.concat(w.at.self, ["labels"]) if input.kind == "compose"

# A built image: its config's `Labels` (`config.Labels`, inspect's `Config.Labels`).
labels_at(w) := array.concat(w.containers[0].at.self, ["Labels"]) if input.kind == "image"

where := {"kubernetes": "`metadata.labels`", "compose": "its `labels:`", "image": "its Dockerfile (`LABEL`) and rebuild it"}

# Keys of a labels node: a map, or compose's `KEY=VALUE` list.
label_keys(labels) := object.keys(labels) if is_object(labels)

label_keys(labels) := {trim_space(split(l, "=")[0]) | some l in labels; is_string(l)} if is_array(labels)

label_keys(labels) := set() if {
	not is_object(labels)
	not is_array(labels)
}

# Dockerfile: the image carries the labels of the final stage and of the
# stages it builds on (`FROM base`). The finding points at the final FROM.
deny contains {"msg": msg, "at": w.at.self, "resource": w.resource} if {
	count(required) > 0
	input.kind == "dockerfile"
	some w in input.workloads
	keys := {p.key |
		some ins in input.document.instructions
		ins.cmd == "label"
		ins.stage in lib.final_stages
		some p in ins.pairs
	}
	some label in required
	not label in keys
	msg := sprintf("the image has no label %q (required by `parameters.required_labels`); add `LABEL %s=<value>` to the final stage", [label, label])
}
