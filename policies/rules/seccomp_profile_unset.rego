package rules.seccomp_profile_unset

import data.lib
import rego.v1

metadata := {
	"id": "CP112",
	"name": "seccomp-profile-unset",
	"title": "No seccomp profile is set",
	"severity": "info",
	"tags": ["privilege", "seccomp"],
	"kinds": ["kubernetes"],
	"why": "Without a seccomp profile, Kubernetes runs containers `Unconfined` unless the kubelet's `--seccomp-default` is on: every system call is allowed. `RuntimeDefault` blocks the rarely needed, often exploited ones (keyctl, bpf, unshare...) and is required by the `restricted` Pod Security Standard. Severity info: on the corpus 95% of the 3,441 pod templates set no profile (4,652 findings, one per container), so as a warning it drowned the rarer, graver findings; it stays on by default, as in Trivy and Checkov.",
	"fix": "Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (it applies to every container) or on each container; `Localhost` with a profile file also counts. The deprecated `seccomp.security.alpha.kubernetes.io` annotations count only when `parameters.kubernetes_version` is before 1.27, which removed them (default 1.32).",
	"examples": [{"kind": "kubernetes", "bad": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27", "good": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n    - name: web\n      image: nginx:1.27"}],
}

deny contains lib.finding_first(c, ["security_context"], msg) if {
	some [w, c, node] in lib.pod_containers
	not lib.windows_pod(w)
	not lib.seccomp_profile(w, c, node)
	msg := sprintf("%s sets no seccomp profile%s, so it may run unconfined; set `securityContext.seccompProfile.type: RuntimeDefault` on the pod or the container", [c.resource, ignored_annotations])
}

# The deprecated annotations are there but the target cluster ignores them.
ignored_annotations := " (the `seccomp.security.alpha.kubernetes.io` annotations are ignored since Kubernetes 1.27)" if {
	lib.seccomp_annotated
	not lib.seccomp_annotations_read
} else := ""
