#!/usr/bin/env bash
# Render + check every chart of ../shared/projects/helm in one `policy`
# process (wall time, peak RSS), beside Helm v4's own render of the same
# charts (helm-python-sdk, one Python process) in the same run: each chart
# with its own values, then with every values file of its ci/ directory.
# Usage: bench/helm.sh [POLICY_BIN] [CHARTS_DIR]  (default: a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
charts=$(realpath "${2:-../shared/projects/helm/prometheus-community}")
if [ -z "$bin" ]; then
  nice cargo build --release --locked --quiet
  bin=target/release/policy
fi
bin=$(realpath "$bin")
python3 -c 'import helm_python' 2>/dev/null || { echo "helm_python missing: pip install helm-python-sdk" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$charts"
dirs=$(for d in */; do [ -f "$d/Chart.yaml" ] && echo "${d%/}"; done)
count=$(echo "$dirs" | wc -l)
ci=$(for d in $dirs; do for f in "$d"/ci/*.y*ml; do [ -f "$f" ] && echo "$d::$f"; done; done)
ci_count=$(echo "$ci" | wc -l)

# Helm: one process renders them all; its own clock excludes Python's start.
/usr/bin/time -f '%e %M' -o "$tmp/helm.t" python3 "$OLDPWD/tests/helm_render.py" $dirs >"$tmp/helm.json"
/usr/bin/time -f '%e %M' -o "$tmp/helm-ci.t" python3 "$OLDPWD/tests/helm_render.py" $ci >"$tmp/helm-ci.json"
helm_ok=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["charts"]; print(sum(v["ok"] for v in d.values()))' "$tmp/helm.json")
helm_ci_ok=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["charts"]; print(sum(v["ok"] for v in d.values()))' "$tmp/helm-ci.json")
helm_render=$(python3 -c 'import json,sys; print("%.2f" % json.load(open(sys.argv[1]))["seconds"])' "$tmp/helm.json")
helm_ci_render=$(python3 -c 'import json,sys; print("%.2f" % json.load(open(sys.argv[1]))["seconds"])' "$tmp/helm-ci.json")

# policy: render and check every chart in one process, all cores.
/usr/bin/time -f '%e %M' -o "$tmp/policy.t" "$bin" check $dirs --format json -o "$tmp/policy.json" >/dev/null 2>&1 || true
read -r p_wall p_rss < <(tail -n 1 "$tmp/policy.t")
summary=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(s["files"], s["documents"], s["findings"], s["errors"])' "$tmp/policy.json")
read -r h_wall h_rss < <(tail -n 1 "$tmp/helm.t")
read -r hc_wall hc_rss < <(tail -n 1 "$tmp/helm-ci.t")
echo "machine: $(nproc) cores; $count charts, $ci_count ci values files"
echo "policy check (render + check, one process): ${p_wall}s wall, $((p_rss / 1024)) MB peak RSS; files documents findings errors: $summary"
echo "helm v4 render only (helm-python-sdk): $helm_ok of $count charts in ${helm_render}s (${h_wall}s with Python's start, $((h_rss / 1024)) MB)"
echo "helm v4 render with ci values: $helm_ci_ok of $ci_count in ${helm_ci_render}s (${hc_wall}s, $((hc_rss / 1024)) MB)"
