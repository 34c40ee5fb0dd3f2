#!/usr/bin/env bash
# Prints the wall time and peak memory of one unsharded `policy check` over
# ../shared/corpus and of each of N shards (run one after another, as N
# runners would run them side by side), the merge's, and whether the merged
# JSON and SARIF reports are byte-identical to the single run's. CPU time
# (user + system) is the figure to compare on a loaded machine.
# Usage: bench/shard.sh [N] [CORPUS_DIR] [BINARY]   (default: 5, the corpus, a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-5}
corpus=${2:-../shared/corpus}
bin=${3:-}
[ -f "$corpus/INDEX.tsv" ] || { echo "no corpus at $corpus" >&2; exit 2; }
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin=target/release/policy
fi
bin=$(realpath "$bin")
export RUST_BACKTRACE=0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

measure() { # label command...
  local label=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$out/time" "$@" >/dev/null 2>&1 || true
  read -r wall user sys rss < <(tail -n 1 "$out/time")
  awk -v l="$label" -v w="$wall" -v c="$(echo "$user + $sys" | bc)" -v r="$rss" \
    'BEGIN { printf "%-28s %8.2f s wall  %8.2f s CPU  peak %7.1f MB\n", l, w, c, r / 1024 }'
}

cd "$corpus"
echo "machine: $(nproc) cores; corpus: $(tail -n +2 INDEX.tsv | wc -l) files; $count shards"
measure "single run" "$bin" check . --format "json=$out/single.json" --format "sarif=$out/single.sarif"
for i in $(seq 1 "$count"); do
  measure "shard $i/$count" "$bin" check . --shard "$i/$count" --format "json=$out/shard-$i.json"
done
measure "merge (json)" "$bin" merge "$out"/shard-*.json -o "$out/merged.json"
"$bin" merge "$out"/shard-*.json --format sarif -o "$out/merged.sarif" || true
cmp -s "$out/single.json" "$out/merged.json" && echo "JSON: byte-identical" || echo "JSON: DIFFERS"
cmp -s "$out/single.sarif" "$out/merged.sarif" && echo "SARIF: byte-identical" || echo "SARIF: DIFFERS"
