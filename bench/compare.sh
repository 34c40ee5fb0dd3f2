#!/usr/bin/env bash
# Two builds of `policy` on the same corpus in one run, alternating, so that
# the machine's load falls on both alike: wall time, CPU time and peak memory of
# `check` over the whole corpus (all cores, then -j 1), median of N rounds,
# and whether the two JSON reports are byte-identical.
# Usage: bench/compare.sh BEFORE_BIN AFTER_BIN [CORPUS_DIR] [ROUNDS]
set -euo pipefail
before=$(realpath "$1") after=$(realpath "$2")
corpus=$(realpath "${3:-$(dirname "$0")/../../shared/corpus}")
rounds=${4:-3}
[ -f "$corpus/INDEX.tsv" ] || { echo "no corpus at $corpus" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
files=$(tail -n +2 "$corpus/INDEX.tsv" | wc -l)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$corpus"   # paths in the reports are relative, as users see them

one() { # label bin jobs-args... → appends "wall rss cpu" to $tmp/label
  local label=$1 bin=$2; shift 2
  /usr/bin/time -f '%e %M %U %S' -o "$tmp/t" "$bin" check . --format json -o "$tmp/$label.json" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$tmp/t" | awk '{ print $1, $2, $3 + $4 }' >> "$tmp/$label"
}
for _ in $(seq "$rounds"); do
  one before-all "$before"; one after-all "$after"
  one before-j1 "$before" -j 1; one after-j1 "$after" -j 1
done
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "machine: $(nproc) cores; corpus: $files files; median of $rounds rounds"
for mode in all j1; do
  for side in before after; do
    wall=$(cut -d' ' -f1 < "$tmp/$side-$mode" | median)
    rss=$(cut -d' ' -f2 < "$tmp/$side-$mode" | median)
    cpu=$(cut -d' ' -f3 < "$tmp/$side-$mode" | median)
    awk -v l="$side ($mode)" -v f="$files" -v w="$wall" -v r="$rss" -v c="$cpu" \
      'BEGIN { printf "%-14s %7.2f s  %7.0f files/s  CPU %7.2f s  peak %6.1f MB\n", l, w, f / (w > 0 ? w : 0.001), c, r / 1024 }'
  done
done
if cmp -s "$tmp/before-all.json" "$tmp/after-all.json"; then
  echo "reports: byte-identical"
else
  echo "reports: DIFFERENT"
fi
