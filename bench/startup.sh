#!/usr/bin/env bash
# Start-up cost, as a pre-commit hook pays it: `policy --version`, one small
# Dockerfile, and a 20-file batch of mixed kinds from the corpus (every 400th
# file of INDEX.tsv), each as a whole process. Prints hyperfine's median wall
# time (many runs; shared machines are noisy, so read the median) and the
# instructions callgrind counts (load-independent) side by side.
# Usage: bench/startup.sh [POLICY_BIN] [CORPUS_DIR] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${1:-$here/target/release/policy}")
corpus=$(realpath "${2:-$here/../shared/corpus}")
runs=${3:-200}
[ -x "$bin" ] || { echo "no binary at $bin (nice cargo build --release --locked)" >&2; exit 2; }
[ -f "$corpus/INDEX.tsv" ] || { echo "no corpus at $corpus" >&2; exit 2; }
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
command -v valgrind >/dev/null || apt-get install -y -qq valgrind >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

small="$here/testdata/examples/api/Dockerfile"
mapfile -t batch < <(tail -n +2 "$corpus/INDEX.tsv" | awk -F'\t' 'NR % 400 == 0 { print $2 }' | head -n 20)
kinds=$(tail -n +2 "$corpus/INDEX.tsv" | awk -F'\t' 'NR % 400 == 0' | head -n 20 | cut -f1 | sort | uniq -c | awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')

# label, then the arguments of `policy`
cases=(
  "--version|--version"
  "one small Dockerfile|check $small"
  "20-file batch ($kinds)|check ${batch[*]}"
)

printf '%s\n' "binary: $bin" "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-55s %12s %12s %16s\n' "case" "median" "mean ± sd" "instructions"
for case in "${cases[@]}"; do
  label=${case%%|*} args=${case#*|}
  # Findings exit 1: not a failure here.
  (cd "$corpus" && hyperfine -N -i --warmup 10 --runs "$runs" --export-json "$tmp/h.json" \
    "$bin $args" >/dev/null 2>&1)
  read -r median mean sd < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(r["median"] * 1e3, r["mean"] * 1e3, r["stddev"] * 1e3)' "$tmp/h.json")
  # shellcheck disable=SC2086 # args are words on purpose
  (cd "$corpus" && valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
    "$bin" $args >/dev/null 2>"$tmp/cg.err" || true)
  instructions=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/cg.err")
  printf '%-55s %9.2f ms %6.2f ± %4.2f %16s\n' "$label" "$median" "$mean" "$sd" \
    "$(printf "%'d" "$instructions")"
done
echo "after: load average $(cut -d' ' -f1-3 /proc/loadavg)"
