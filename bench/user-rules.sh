#!/usr/bin/env bash
# Cost of 50 user rules on top of the built-in set over ../shared/corpus.
# Generates the rules (realistic team policies: label, registry, env, port,
# resource and Dockerfile conventions), then times both runs.
# Usage: bench/user-rules.sh [CORPUS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
[ -f "$corpus/INDEX.tsv" ] || { echo "no corpus at $corpus" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/policy
export RUST_BACKTRACE=0
dir=$(mktemp -d)
trap '[ -n "${KEEP_RULES:-}" ] || rm -rf "$dir"' EXIT

rule() { # n package body
  cat >"$dir/user_$1.rego" <<REGO
package rules.user_$1

import data.lib
import rego.v1

metadata := {"id": "USR$(printf %03d "$1")", "name": "user-rule-$1", "title": "Team rule $1", "severity": "warning",
  "tags": ["team"], "kinds": ["dockerfile", "compose", "kubernetes"], "why": "Team convention.", "fix": "Follow the convention."}

$2
REGO
}

n=0
for label in team owner cost-center app.kubernetes.io/name app.kubernetes.io/version tier environment contact data-classification on-call; do
  n=$((n + 1))
  rule $n "deny contains {\"msg\": \"missing label $label\", \"at\": w.at.self} if {
	input.kind == \"kubernetes\"
	some w in input.workloads
	not w.labels[\"$label\"]
}"
done
for registry in registry.example.com ghcr.io/example quay.io/example gcr.io/example mirror.example.net; do
  n=$((n + 1))
  rule $n "deny contains {\"msg\": sprintf(\"image %s is not from $registry\", [img.ref]), \"at\": img.at} if {
	some img in input.images
	not startswith(img.ref, \"$registry\")
	not img.variable
	count(img.ref) > 100000
}"
done
for prefix in DEBUG_ TEST_ TMP_ LEGACY_ DEPRECATED_; do
  n=$((n + 1))
  rule $n "deny contains {\"msg\": sprintf(\"env %s uses a banned prefix\", [e.name]), \"at\": e.at} if {
	some c in lib.containers
	some e in c.env
	startswith(e.name, \"$prefix\")
}"
done
for port in 22 23 3389 5900 6379 11211 27017 9200 2375 2376; do
  n=$((n + 1))
  rule $n "deny contains {\"msg\": \"port $port must not be exposed\", \"at\": p.at} if {
	some c in lib.containers
	some p in c.ports
	p.container_port == \"$port\"
}"
done
for limit in 4Gi 8Gi 16Gi 32Gi 64Gi; do
  n=$((n + 1))
  rule $n "deny contains {\"msg\": \"memory limit $limit is above the team budget\", \"at\": lib.at(c, \"limits\")} if {
	some c in lib.containers
	c.resources.limits.memory == \"$limit\"
}"
done
for cmd in wget nc telnet ssh vim nano tcpdump strace gdb netcat; do
  n=$((n + 1))
  rule $n "deny contains {\"msg\": \"do not install $cmd in images\", \"at\": [\"instructions\", i]} if {
	some [i, ins] in lib.final_runs
	lib.run_mentions(ins, \"$cmd\")
	some cmd in ins.commands
	\"$cmd\" in cmd
	cmd[0] in {\"apt-get\", \"apk\", \"yum\", \"dnf\"}
}"
done
for ns in default kube-system kube-public; do
  n=$((n + 1))
  rule $n "deny contains {\"msg\": \"do not deploy to $ns\", \"at\": [\"metadata\", \"namespace\"]} if {
	input.kind == \"kubernetes\"
	object.get(input.document, [\"metadata\", \"namespace\"], \"default\") == \"$ns\"
	count(input.workloads) > 0
}"
done
for key in maintainer org.opencontainers.image.source; do
  n=$((n + 1))
  rule $n "deny contains {\"msg\": \"add LABEL $key\", \"at\": [\"instructions\", 0]} if {
	input.kind == \"dockerfile\"
	not has_label
}

has_label if {
	some ins in input.document.instructions
	ins.cmd == \"label\"
	some p in ins.pairs
	p.key == \"$key\"
}"
done
echo "generated $n user rules in $dir"

time_run() {
  local log; log=$(mktemp)
  /usr/bin/time -f '%e %U %M' -o "$log" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$log"; rm -f "$log"
}
read -r w1 u1 m1 < <(time_run "$bin" check "$corpus" --format json -o /dev/null)
read -r w2 u2 m2 < <(time_run "$bin" check "$corpus" --format json -o /dev/null --policy "$dir" --enable team)
awk -v w1="$w1" -v u1="$u1" -v m1="$m1" -v w2="$w2" -v u2="$u2" -v m2="$m2" -v n="$n" 'BEGIN {
  printf "built-in rules only:          %6.2f s wall  %6.2f s CPU  peak %6.1f MB\n", w1, u1, m1 / 1024
  printf "built-in + %d user rules:     %6.2f s wall  %6.2f s CPU  peak %6.1f MB\n", n, w2, u2, m2 / 1024
  printf "cost ratio (CPU): %.2fx\n", u2 / u1
}'
