#!/usr/bin/env bash
# Builds a ~1 GB OCI image layout with many files (bench/make_image.py:
# 4 gzip layers of 25,000 small files and one 200 MiB random file each) and
# prints the wall time and peak memory of `policy check` on it, and on the
# same image saved as a docker-archive-style tar (the layout in a tar).
# Usage: bench/image.sh [WORK_DIR]   (LAYERS, FILES, BIG_MB override the shape)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
cargo build --release --locked --quiet
bin=$PWD/target/release/policy
export RUST_BACKTRACE=0
if [ ! -f "$work/image/index.json" ]; then
  python3 bench/make_image.py "$work/image" "${LAYERS:-4}" "${FILES:-25000}" "${BIG_MB:-200}"
fi
[ -f "$work/image.tar" ] || tar -C "$work/image" -cf "$work/image.tar" .
echo "image: $(du -sm "$work/image" | cut -f1) MB on disk (compressed layers), $(( ${LAYERS:-4} * (${FILES:-25000} + 1) )) files"
for target in "$work/image" "$work/image.tar"; do
  log=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$log" "$bin" check --no-config --format json -o /dev/null "$target" || true
  read -r wall rss < <(tail -n 1 "$log")
  awk -v t="$(basename "$target")" -v w="$wall" -v r="$rss" 'BEGIN { printf "policy check %-10s %7.2f s  peak %6.1f MB\n", t, w, r / 1024 }'
  rm -f "$log"
done
