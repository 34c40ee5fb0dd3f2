# Helpers for built-in and user rules. Import with `import data.lib`.
#
# Input shape (schemas/input.schema.json):
#   input.kind       "dockerfile" | "compose" | "kubernetes"
#   input.path       the file as given
#   input.document   the parsed document (Dockerfile: see the schema; YAML: as written)
#   input.workloads  the normalized workload model
#   input.images     every image reference, with its location
#   input.secrets    known token formats found in any string (already redacted)
package lib

import rego.v1

# Every container of every workload.
containers contains c if {
	some w in input.workloads
	some c in w.containers
}

# Pairs [workload, container], for rules that need both.
workload_containers contains [w, c] if {
	some w in input.workloads
	some c in w.containers
}

# The path of a model field, or of the object that should have held it.
at(obj, field) := object.get(obj.at, field, obj.at.self)

# A finding pointing at `field` of a model object (a container or a workload).
finding(obj, field, msg) := {"msg": msg, "at": at(obj, field), "resource": obj.resource}

# The path of the first of `fields` that was written, else the object itself:
# for a missing field, the nearest written node that should hold it
# (e.g. ["allow_privilege_escalation", "security_context"]).
at_first(obj, fields) := paths[0] if {
	paths := [obj.at[f] | some f in fields; obj.at[f]]
	count(paths) > 0
} else := obj.at.self

# A finding at the first written of `fields` of a model object (see at_first).
finding_first(obj, fields, msg) := {"msg": msg, "at": at_first(obj, fields), "resource": obj.resource}

# A finding at an explicit path into the document.
finding_at(path, resource, msg) := {"msg": msg, "at": path, "resource": resource}

# True when the last path component of an image reference holds a variable
# (`${IMAGE}`, `app:${TAG}`, `${IMAGE:-org/app}`), which may carry its tag or
# digest; a variable only in the registry or path (`${REGISTRY}/app`) does not.
variable_image_name(ref) if {
	parts := split(ref, "/")
	some c in ["$", "}"]
	contains(parts[count(parts) - 1], c)
}

# An image reference that is not pulled as written, so pinning rules skip it:
# a compose `image:` beside a `build:` names the image the build produces
# (and may push) ...
not_pulled(img) if {
	input.kind == "compose"
	["services", name, "image"] = img.at
	input.document.services[name].build
}

# ... and Istio's `image: auto` is replaced by the sidecar injector.
not_pulled(img) if {
	input.kind == "kubernetes"
	img.ref == "auto"
}

# A compose service completed elsewhere: an override fragment with neither
# `image` nor `build` (merged over another file, e.g. compose.override.yaml),
# or a service that `extends` another one.
compose_partial(obj) if {
	input.kind == "compose"
	service := input.document.services[obj.name]
	not service.image
	not service.build
}

compose_partial(obj) if {
	input.kind == "compose"
	input.document.services[obj.name].extends
}

# True when `field` of a compose service (or its container) is not written
# and the service is partial, so the value may be inherited: rules about a
# missing setting skip it.
inherits(obj, field) if {
	compose_partial(obj)
	not obj.at[field]
}

# Dockerfile instructions with their index (the path is ["instructions", i]).
instructions contains [i, ins] if {
	input.kind == "dockerfile"
	some i, ins in input.document.instructions
}

# Instructions of the final stage: what the built image is made of.
final_stage := count(input.document.stages) - 1

# True when a name says it holds a secret (PASSWORD, API_TOKEN, ...).
# Implemented in Rust for speed: see src/secrets.rs for the exact rules.
is_secret_name(name) := policy.is_secret_name(name)

# True when a value is not a literal secret: empty, `${VAR}`, a placeholder, a path...
is_placeholder(value) := policy.is_placeholder(value)

# The kind of secret file a path names (`ssh-private-key`, `dotenv`, ...), or null.
secret_file_kind(path) := policy.secret_file_kind(path)

# A literal, non-placeholder value held by a secret-looking name.
literal_secret(name, value) if {
	is_string(value)
	is_secret_name(name)
	not is_placeholder(value)
}

# Shell commands a RUN instruction executes: its command and heredoc bodies.
run_scripts(ins) := [s | some s in array.concat([ins.command], [h.body | some h in ins.heredocs]); is_string(s)]

# Simple commands of a shell script: split on newlines, `&&`, `||` and `;`,
# each as a list of words.
commands(script) := [words(c) |
	some c in split(replace(replace(replace(script, "&&", "\n"), "||", "\n"), ";", "\n"), "\n")
	count(words(c)) > 0
]

# Words of one command, without empty strings.
words(cmd) := [w | some w in split(replace(cmd, "\t", " "), " "); w != ""]

# Every simple command a RUN executes (shell form, JSON form and heredoc
# bodies), as word lists: split once by the parser, quotes respected.
run_commands(ins) := ins.commands

# The stage an earlier stage is `FROM` (`FROM base`): the last earlier stage
# of that name.
stage_parent(s) := ps[count(ps) - 1] if {
	# A `FROM` without an image (an error of its own) has no parent.
	is_string(input.document.stages[s].base)
	base := lower(input.document.stages[s].base)
	ps := [p | some p, st in input.document.stages; p < s; st.name == base]
	count(ps) > 0
}

# Indexes of the stages the shipped image is made of: the final stage and
# the stages it builds on (`FROM base`), transitively. Builder stages that
# are only copied from are not in it.
final_stages := graph.reachable(
	{s: [p | p := stage_parent(s)] | some s, _ in input.document.stages},
	{final_stage},
)

# RUN instructions of the final stage and the stages it builds on: what the
# shipped image is built by.
final_runs contains [i, ins] if {
	some i, ins in input.document.instructions
	ins.cmd == "run"
	ins.stage in final_stages
}

# A RUN with a cache mount for `target` keeps caches out of the image.
has_cache_mount(ins, target) if {
	some f in ins.flags
	f.name == "mount"
	contains(f.value, "type=cache")
	contains(f.value, target)
}

# A RUN whose script text mentions `word` at all: a cheap guard before
# looking at its commands word by word.
run_mentions(ins, word) if {
	some script in run_scripts(ins)
	contains(script, word)
}

# --- Cross-document (combined) rules: `input.documents` holds every
# Kubernetes and compose document of the run (each with path, kind,
# document_index, document, workloads); `input.namespaces` maps a namespace
# to the indexes of its documents. A finding names its document with `path` and
# `document_index`, and a path into it with `at`.

document_finding(d, at, msg) := {"msg": msg, "path": d.path, "document_index": d.document_index, "at": at}

# Kubernetes documents of the run. (Arrays, not sets: set elements are
# compared with each other, and these hold whole documents.)
k8s_documents := [d | some d in input.documents; d.kind == "kubernetes"]

# The namespace of a Kubernetes object (`default` when unset or null).
namespace_of(obj) := ns if {
	ns := object.get(obj, ["metadata", "namespace"], null)
	is_string(ns)
} else := "default"

# [document, workload, namespace] for every Kubernetes workload of the run.
k8s_workloads := [[d, w, workload_namespace(w)] | some d in k8s_documents; some w in d.workloads]

workload_namespace(w) := w.namespace if w.namespace != null

workload_namespace(w) := "default" if w.namespace == null

# Documents of a namespace (`input.namespaces` indexes them by namespace).
documents_in(ns) := [input.documents[i] | some i in object.get(input.namespaces, ns, [])]

# Objects of a kind, also the items of a `kind: List`:
# [document, object, namespace, path of the object in the document].
k8s_objects(kind) := array.concat(
	[[d, d.document, namespace_of(d.document), []] |
		some d in k8s_documents
		d.document.kind == kind
	],
	[[d, obj, namespace_of(obj), ["items", i]] |
		some d in k8s_documents
		d.document.kind == "List"
		is_array(d.document.items)
		some i, obj in d.document.items
		obj.kind == kind
	],
)

# A Kubernetes label selector (matchLabels + matchExpressions) matches labels.
selector_matches(selector, labels) if {
	every k, v in object.get(selector, "matchLabels", {}) {
		labels[k] == v
	}
	every e in object.get(selector, "matchExpressions", []) {
		expression_matches(e, labels)
	}
}

expression_matches(e, labels) if {
	e.operator == "In"
	labels[e.key] in e.values
}

expression_matches(e, labels) if {
	e.operator == "NotIn"
	not labels[e.key] in e.values
}

expression_matches(e, labels) if {
	e.operator == "Exists"
	labels[e.key]
}

expression_matches(e, labels) if {
	e.operator == "DoesNotExist"
	not labels[e.key]
}

# Long-running workloads: what NetworkPolicies, autoscalers and PDBs are for.
long_running := {"Deployment", "StatefulSet", "DaemonSet"}

# Word `i` of a command is the program it runs (see program_index):
# `echo apt-get install` runs echo, `then sudo -u app apt-get install` apt-get.
runs_at(cmd, i) if program_index(cmd) == i

# Shell keywords that may head a simple command once the splitter has cut
# the script at `;`, `&&`, `|` and newlines (`if x; then apt-get …`).
shell_keywords := {"then", "else", "do", "if", "elif", "while", "until", "!"}

# Programs that run the command after their own options: `sudo -E`,
# `env A=1`, `gosu app`, `su-exec app`, `apt-dpkg-wrap`.
command_wrappers := {"sudo", "env", "nohup", "time", "exec", "gosu", "su-exec", "apt-dpkg-wrap", "chroot"}

# Wrappers whose first operand is a user (or a root directory), not the program.
wrappers_with_operand := {"gosu", "su-exec", "chroot"}

# The last path component of a word: `/usr/bin/apt-get` is `apt-get`.
basename(w) := parts[count(parts) - 1] if parts := split(w, "/")

# Word `j` of a command stands before the program it runs.
before_program(cmd, j) if shell_keywords[cmd[j]]

before_program(cmd, j) if command_wrappers[basename(cmd[j])]

# `VAR=value` assignments, and redirections written before the program
# (`2>/dev/null cmd`, `5<<EOF cat`).
before_program(cmd, j) if prefix_word(cmd[j])

# `NAME=value`. String builtins, not regex.match (~10 µs a call, and this
# runs for the first words of every command of every RUN rule).
prefix_word(w) if {
	eq := indexof(w, "=")
	eq > 0
	name := substring(w, 0, eq)
	trim_left(name, name_chars) == ""
	not contains("0123456789", substring(name, 0, 1))
}

name_chars := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"

prefix_word(w) if redirection(w)

# Options of a wrapper (`sudo -E`, `env -i`), and the value of sudo's `-u`/`-g`.
before_program(cmd, j) if {
	j > 0
	startswith(cmd[j], "-")
	some k in numbers.range(0, j - 1)
	command_wrappers[basename(cmd[k])]
}

before_program(cmd, j) if {
	j > 0
	cmd[j - 1] in {"-u", "-g", "--user", "--group"}
	some k in numbers.range(0, j - 1)
	basename(cmd[k]) == "sudo"
}

before_program(cmd, j) if {
	j > 0
	wrappers_with_operand[basename(cmd[j - 1])]
}

# Index of the program word of a simple command: past shell keywords,
# VAR=value assignments and wrappers with their options.
# Only the first 16 words are looked at: no real prefix is longer, and
# package lists can be hundreds of words long.
# The commands of this Dockerfile's RUNs were looked at once by the parser
# (`programs` beside `commands`, see known_programs); other commands (a
# rule's own, a test's input) are looked at here.
program_index(cmd) := known[0] if {
	known := known_programs[cmd]
	count(known) > 0
} else := parsed_program_index(cmd) if not known_programs[cmd]

parsed_program_index(cmd) := 0 if {
	count(cmd) > 0
	not before_program(cmd, 0)
}

parsed_program_index(cmd) := min(js) if {
	before_program(cmd, 0)
	js := {j | some j in numbers.range(0, min([count(cmd), 16]) - 1); not before_program(cmd, j)}
	count(js) > 0
}

# command → [index of its program word, the program] (`[]` when it runs
# none) for the commands of this Dockerfile's RUNs, built once per document
# from the `programs` the parser found, so that rules do not find each
# command's program again (the same answers as parsed_program_index).
known_programs := {cmd: known_program(cmd, j) |
	input.kind == "dockerfile"
	some ins in input.document.instructions
	some k, j in object.get(ins, "programs", [])
	cmd := ins.commands[k]
}

# basename() inlined: one call fewer per command of the Dockerfile.
known_program(cmd, j) := [j, parts[count(parts) - 1]] if {
	is_number(j)
	parts := split(cmd[j], "/")
}

else := []

# The program a simple command runs (its basename), and the words after it.
program(cmd) := known[1] if {
	known := known_programs[cmd]
	count(known) > 0
} else := basename(cmd[parsed_program_index(cmd)]) if not known_programs[cmd]

program_args(cmd) := array.slice(cmd, program_index(cmd) + 1, count(cmd))

# [RUN index, RUN, command index, command] for every simple command run by
# `name` in any stage; commands the script only mentions (`echo apk add`) are not.
program_runs(name) := [[i, ins, k, cmd] |
	some i, ins in input.document.instructions
	ins.cmd == "run"
	run_mentions(ins, name)
	some k, cmd in ins.commands
	program(cmd) == name
]

# A cheap guard before program(): `name` is one of the words, maybe with a path.
word_in(cmd, name) if name in cmd

word_in(cmd, name) if {
	not name in cmd
	some w in cmd
	endswith(w, concat("", ["/", name]))
}

# A redirection word with its target: `2>/dev/null`, `5<<EOF`.
redirection(w) if {
	rest := trim_left(w, "0123456789")
	some c in ["<", ">", "&"]
	startswith(rest, c)
	trim_left(rest, "<>&") != ""
}

# A path to a runtime socket (Docker, containerd, CRI-O, Podman), also as
# `${DOCKER_SOCK:-/var/run/docker.sock}` or `${XDG_RUNTIME_DIR}/docker.sock`,
# or a directory that holds one: what CP107 reports (and CP115/CP116 leave to it).
runtime_sockets := {"docker.sock", "containerd.sock", "crio.sock", "podman.sock", "cri-dockerd.sock"}

runtime_socket(path) if {
	some s in runtime_sockets
	endswith(trim_right(path, "}"), s)
}

runtime_socket(path) if trim_right(trim_right(path, "}"), "/") in {"/var/run", "/run", "/var/run/docker", "/run/containerd"}

# `w` is a run of one-letter options (`-qy`, `-y`) holding `flag`.
short_flags_with(w, flag) if {
	startswith(w, "-")
	body := substring(w, 1, -1)
	contains(body, flag)
	trim_left(body, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") == ""
}

# --- Compose services as written (after merging, `extends` and `include`).

# [name, service, path of the service] for every compose service.
compose_services contains [name, svc, ["services", name]] if {
	input.kind == "compose"
	some name, svc in input.document.services
	is_object(svc)
}

# `security_opt` entries of compose services, lower-cased and split at the
# first `:` or `=` (`seccomp:unconfined`, `apparmor=unconfined`):
# [service name, key, value, path of the entry].
compose_security_opts contains [name, key, value, array.concat(svc_at, ["security_opt", i])] if {
	some [name, svc, svc_at] in compose_services
	is_array(svc.security_opt)
	some i, opt in svc.security_opt
	is_string(opt)
	[key, value] := option_pair(lower(trim_space(opt)))
}

# `key:value` or `key=value`, split at whichever separator comes first.
option_pair(opt) := [trim_space(substring(opt, 0, k)), trim_space(substring(opt, k + 1, -1))] if {
	k := min([i | some sep in [":", "="]; i := indexof(opt, sep); i >= 0])
}

# What the image a compose service builds sets: the final stage of the
# Dockerfile its `build:` names (input.context.compose.built).
built_image(c) := input.context.compose.built[c.name]

# The service's built image runs as a non-root user.
built_non_root(c) if {
	uid := built_image(c).uid
	is_number(uid)
	uid != 0
}

built_non_root(c) if {
	image := built_image(c)
	not is_number(image.uid)
	is_string(image.user)
	not lower(image.user) in {"", "root", "0", "0:0"}
}

# The service's built image defines a HEALTHCHECK.
built_healthcheck(c) if built_image(c).healthcheck == true
