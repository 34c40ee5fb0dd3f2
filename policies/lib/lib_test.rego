# Unit tests of the helpers in lib.rego. Run with `policy test`.
package lib

import rego.v1

# A compose service `web` with one container, as the normalizer builds it.
mock_compose := {
	"kind": "compose",
	"document": {"services": {"web": {"image": "nginx:1.27", "user": "101"}}},
	"workloads": [{
		"kind": "service", "name": "web", "resource": "service web",
		"at": {"self": ["services", "web"]},
		"containers": [{
			"name": "web", "resource": "service web", "user": "101", "uid": 101,
			"at": {"self": ["services", "web"], "user": ["services", "web", "user"]},
		}],
	}],
}

# A Dockerfile with a builder stage, a base stage and a final stage on `base`.
mock_dockerfile := {
	"kind": "dockerfile",
	"document": {
		"stages": [
			{"index": 0, "name": "build", "base": "golang:1.22"},
			{"index": 1, "name": "base", "base": "debian:12"},
			{"index": 2, "name": null, "base": "base"},
		],
		"instructions": [
			{"cmd": "from", "stage": 0, "image": "golang:1.22"},
			{"cmd": "run", "stage": 0, "command": "go build ./...", "heredocs": [], "flags": [], "commands": [["go", "build", "./..."]]},
			{"cmd": "from", "stage": 1, "image": "debian:12"},
			{
				"cmd": "run", "stage": 1, "command": "apt-get update && apt-get install -y ca-certificates",
				"heredocs": [], "flags": [{"name": "mount", "value": "type=cache,target=/var/lib/apt"}],
				"commands": [["apt-get", "update"], ["apt-get", "install", "-y", "ca-certificates"]],
			},
			{"cmd": "from", "stage": 2, "image": "base"},
			{
				"cmd": "run", "stage": 2, "command": "", "flags": [],
				"heredocs": [{"body": "set -e\nuseradd app\n"}],
				"commands": [["set", "-e"], ["useradd", "app"]],
			},
		],
	},
}

test_containers_lists_every_container if {
	cs := containers with input as mock_compose
	count(cs) == 1
	some c in cs
	c.resource == "service web"
}

test_containers_empty_without_workloads if {
	count(containers) == 0 with input as {"kind": "kubernetes", "workloads": []}
}

test_workload_containers_pairs if {
	pairs := workload_containers with input as mock_compose
	some [w, c] in pairs
	w.name == "web"
	c.name == "web"
}

test_at_written_field if {
	c := mock_compose.workloads[0].containers[0]
	at(c, "user") == ["services", "web", "user"]
}

test_at_missing_field_points_at_object if {
	c := mock_compose.workloads[0].containers[0]
	at(c, "healthcheck") == ["services", "web"]
}

test_finding if {
	c := mock_compose.workloads[0].containers[0]
	finding(c, "user", "m") == {"msg": "m", "at": ["services", "web", "user"], "resource": "service web"}
}

test_at_first_takes_first_written if {
	c := {"at": {"self": ["spec"], "security_context": ["spec", "securityContext"]}}
	at_first(c, ["allow_privilege_escalation", "security_context"]) == ["spec", "securityContext"]
}

test_at_first_falls_back_to_self if {
	at_first({"at": {"self": ["spec"]}}, ["limits", "resources"]) == ["spec"]
}

test_finding_first if {
	c := {"resource": "Pod/p container c", "at": {"self": ["spec"], "resources": ["spec", "resources"]}}
	f := finding_first(c, ["limits", "resources"], "m")
	f == {"msg": "m", "at": ["spec", "resources"], "resource": "Pod/p container c"}
}

test_finding_at if {
	finding_at(["instructions", 3], "stage 0", "m") == {"msg": "m", "at": ["instructions", 3], "resource": "stage 0"}
}

test_variable_image_name if {
	variable_image_name("${IMAGE}")
	variable_image_name("org/app:${TAG}")
	variable_image_name("${IMAGE:-org/app}")
	not variable_image_name("${REGISTRY}/app")
	not variable_image_name("nginx:1.27")
}

test_not_pulled_compose_image_with_build if {
	doc := {"services": {"api": {"build": ".", "image": "registry.example.com/api"}}}
	not_pulled({"ref": "registry.example.com/api", "at": ["services", "api", "image"]}) with input as {"kind": "compose", "document": doc}
}

test_not_pulled_istio_auto if {
	not_pulled({"ref": "auto", "at": ["spec", "containers", 0, "image"]}) with input as {"kind": "kubernetes"}
}

test_pulled_compose_image_without_build if {
	doc := {"services": {"api": {"image": "registry.example.com/api"}}}
	not not_pulled({"ref": "registry.example.com/api", "at": ["services", "api", "image"]}) with input as {"kind": "compose", "document": doc}
}

test_compose_partial_override_fragment if {
	doc := {"services": {"web": {"environment": ["DEBUG=1"]}}}
	compose_partial({"name": "web"}) with input as {"kind": "compose", "document": doc}
}

test_compose_partial_extends if {
	doc := {"services": {"web": {"image": "nginx:1.27", "extends": {"service": "base"}}}}
	compose_partial({"name": "web"}) with input as {"kind": "compose", "document": doc}
}

test_compose_complete_service_is_not_partial if {
	not compose_partial({"name": "web"}) with input as mock_compose
}

test_inherits_unwritten_field_of_partial_service if {
	doc := {"services": {"web": {"environment": ["DEBUG=1"]}}}
	obj := {"name": "web", "at": {"self": ["services", "web"]}}
	inherits(obj, "user") with input as {"kind": "compose", "document": doc}
}

test_inherits_not_when_written if {
	doc := {"services": {"web": {"user": "0"}}}
	obj := {"name": "web", "at": {"self": ["services", "web"], "user": ["services", "web", "user"]}}
	not inherits(obj, "user") with input as {"kind": "compose", "document": doc}
}

test_instructions_indexed if {
	ins := instructions with input as mock_dockerfile
	count(ins) == 6
	[4, {"cmd": "from", "stage": 2, "image": "base"}] in ins
}

test_instructions_only_for_dockerfiles if {
	count(instructions) == 0 with input as mock_compose
}

test_final_stage if {
	final_stage == 2 with input as mock_dockerfile
}

test_is_secret_name if {
	is_secret_name("DB_PASSWORD")
	is_secret_name("clientSecret")
	not is_secret_name("PASSWORD_FILE")
	not is_secret_name("LOG_LEVEL")
}

test_is_placeholder if {
	is_placeholder("")
	is_placeholder("${DB_PASSWORD}")
	is_placeholder("<password>")
	not is_placeholder("hunter2-prod")
}

test_secret_file_kind if {
	secret_file_kind("deploy/id_rsa") == "ssh-private-key"
	secret_file_kind(".env") == "dotenv-file"
	secret_file_kind("id_rsa.pub") == null
	secret_file_kind("src/main.go") == null
}

test_literal_secret if {
	literal_secret("API_TOKEN", "s3cr3t-v4lu3")
	not literal_secret("API_TOKEN", "${API_TOKEN}")
	not literal_secret("LOG_LEVEL", "debug")
	not literal_secret("API_TOKEN", 42)
}

test_run_scripts_command_and_heredocs if {
	ins := {"command": "echo a", "heredocs": [{"body": "echo b\n"}]}
	run_scripts(ins) == ["echo a", "echo b\n"]
}

test_commands_splits_on_operators if {
	commands("apt-get update && apt-get install -y curl; echo done || true") == [
		["apt-get", "update"],
		["apt-get", "install", "-y", "curl"],
		["echo", "done"],
		["true"],
	]
}

test_words_drops_empty if {
	words("pip\tinstall   flask") == ["pip", "install", "flask"]
}

test_run_commands if {
	run_commands({"commands": [["make"], ["make", "install"]]}) == [["make"], ["make", "install"]]
}

test_stage_parent if {
	stage_parent(2) == 1 with input as mock_dockerfile
	not stage_parent(1) with input as mock_dockerfile
}

test_stage_parent_of_a_from_without_image if {
	doc := {"document": {"stages": [{"name": "a", "base": "alpine"}, {"name": null, "base": null}]}}
	not stage_parent(1) with input as doc
	final_stages == {1} with input as doc
}

test_final_stages_follow_from_base if {
	final_stages == {1, 2} with input as mock_dockerfile
}

test_final_runs_skip_builder_stages if {
	runs := final_runs with input as mock_dockerfile
	{i | some [i, _] in runs} == {3, 5}
}

test_has_cache_mount if {
	ins := mock_dockerfile.document.instructions[3]
	has_cache_mount(ins, "/var/lib/apt")
	not has_cache_mount(ins, "/root/.cache/pip")
}

test_run_mentions if {
	ins := mock_dockerfile.document.instructions[5]
	run_mentions(ins, "useradd")
	not run_mentions(ins, "curl")
}

# Cross-document helpers.

mock_documents := {"documents": [
	{
		"path": "k8s/web.yaml", "document_index": 0, "kind": "kubernetes",
		"document": {"kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"}},
		"workloads": [{"kind": "Deployment", "name": "web", "namespace": "shop"}],
	},
	{
		"path": "k8s/web.yaml", "document_index": 1, "kind": "kubernetes",
		"document": {"kind": "Service", "metadata": {"name": "web"}},
		"workloads": [],
	},
	{"path": "compose.yaml", "document_index": 0, "kind": "compose", "document": {"services": {}}, "workloads": []},
]}

test_document_finding if {
	d := mock_documents.documents[1]
	document_finding(d, ["spec"], "m") == {"msg": "m", "path": "k8s/web.yaml", "document_index": 1, "at": ["spec"]}
}

test_k8s_documents if {
	docs := k8s_documents with input as mock_documents
	count(docs) == 2
}

test_namespace_of if {
	namespace_of({"metadata": {"name": "a", "namespace": "shop"}}) == "shop"
	namespace_of({"metadata": {"name": "a"}}) == "default"
}

test_k8s_workloads_with_namespace if {
	ws := k8s_workloads with input as mock_documents
	some [_, w, ns] in ws
	w.name == "web"
	ns == "shop"
}

test_workload_namespace_default if {
	workload_namespace({"namespace": null}) == "default"
	workload_namespace({"namespace": "shop"}) == "shop"
}

test_k8s_objects if {
	services := k8s_objects("Service") with input as mock_documents
	count(services) == 1
	services[0][2] == "default"
	services[0][3] == []
}

test_k8s_objects_in_a_list if {
	list := {"kind": "kubernetes", "path": "all.yaml", "document_index": 0, "document": {"kind": "List", "items": [
		{"kind": "ConfigMap", "metadata": {"name": "c"}},
		{"kind": "Service", "metadata": {"name": "s", "namespace": "shop"}},
	]}}
	found := k8s_objects("Service") with input as {"documents": [list]}
	count(found) == 1
	found[0][1].metadata.name == "s"
	found[0][2] == "shop"
	found[0][3] == ["items", 1]
}

test_namespace_of_null_is_default if {
	namespace_of({"metadata": {"namespace": null}}) == "default"
	namespace_of({"metadata": {}}) == "default"
	namespace_of({"metadata": {"namespace": "shop"}}) == "shop"
}

test_selector_matches if {
	labels := {"app": "web", "tier": "frontend"}
	selector_matches({"matchLabels": {"app": "web"}}, labels)
	selector_matches({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["frontend", "edge"]}]}, labels)
	selector_matches({}, labels)
	not selector_matches({"matchLabels": {"app": "api"}}, labels)
}

test_expression_matches if {
	labels := {"app": "web"}
	expression_matches({"key": "app", "operator": "In", "values": ["web"]}, labels)
	expression_matches({"key": "app", "operator": "NotIn", "values": ["api"]}, labels)
	expression_matches({"key": "app", "operator": "Exists"}, labels)
	expression_matches({"key": "tier", "operator": "DoesNotExist"}, labels)
	not expression_matches({"key": "tier", "operator": "Exists"}, labels)
	not expression_matches({"key": "app", "operator": "NotIn", "values": ["web"]}, labels)
}

test_long_running if {
	"Deployment" in long_running
	not "Job" in long_running
}

test_runtime_sockets if {
	runtime_socket("/var/run/docker.sock")
	runtime_socket("/run/")
	not runtime_socket("/var/log")
}

test_program_past_keywords_assignments_and_wrappers if {
	program(["apt-get", "install", "-y", "curl"]) == "apt-get"
	program(["then", "DEBIAN_FRONTEND=noninteractive", "sudo", "-E", "apt-get", "install"]) == "apt-get"
	program(["sudo", "-u", "app", "/usr/bin/pip", "install", "x"]) == "pip"
	program(["gosu", "app", "apk", "add", "curl"]) == "apk"
	program(["su-exec", "app:app", "env", "A=1", "npm", "install"]) == "npm"
	program(["apt-dpkg-wrap", "apt-get", "install", "-y", "x"]) == "apt-get"
	program_args(["do", "wget", "-q", "x"]) == ["-q", "x"]
	program(["2>/dev/null", "cat", "x"]) == "cat"
	program(["5<<file", "cat", "/proc/self/fd/5"]) == "cat"
}

test_program_of_mentions_is_the_mentioning_command if {
	program(["echo", "apt-get", "install"]) == "echo"
	not program(["sudo", "-E"])
	runs_at(["then", "apt-get", "install"], 1)
	not runs_at(["echo", "apt-get", "install"], 1)
}

# The commands of the document's RUNs are not parsed again: their program is
# the parser's (`programs`), here deliberately not what parsing would find;
# other commands are parsed.
parsed_input := {"kind": "dockerfile", "document": {"instructions": [{
	"cmd": "run",
	"command": "sudo ls; a=1",
	"commands": [["sudo", "ls", "-l"], ["a=1"]],
	"programs": [0, null],
}]}}

test_program_reads_the_parsers_facts if {
	program(["sudo", "ls", "-l"]) == "sudo" with input as parsed_input
	program_args(["sudo", "ls", "-l"]) == ["ls", "-l"] with input as parsed_input
	not program(["a=1"]) with input as parsed_input
	program(["sudo", "cat"]) == "cat" with input as parsed_input
	[[i, k] | some [i, _, k, _] in program_runs("sudo")] == [[0, 0]] with input as parsed_input
}
