#!/usr/bin/env python3
"""Renders Helm charts with Helm itself (v4, through helm-python-sdk), as
`helm template` with release name `release-name` in namespace `default`
would: the oracle of tests/helm_parity.rs and bench/helm.sh.

Usage: helm_render.py CHART_DIR[::VALUES_FILE]...  (prints JSON:
{arg: {"ok": true, "manifests": {template: text}, "seconds": s} or
{"ok": false, "error": message}}; NOTES.txt is left out, as helm template
prints it nowhere). A values file is given as `helm template -f` gives it."""

import json
import sys
import time

import helm_python as h
import yaml


def main(argv):
    out = {}
    started = time.monotonic()
    for arg in argv:
        chart_dir, _, values_file = arg.partition("::")
        t0 = time.monotonic()
        try:
            values = None
            if values_file:
                with open(values_file) as f:
                    values = yaml.safe_load(f) or {}
            rendered = h.Chart.load(chart_dir).render(
                values, name="release-name", namespace="default"
            )
            manifests = {
                k: v for k, v in rendered.items() if not k.endswith("/NOTES.txt")
            }
            out[arg] = {"ok": True, "manifests": manifests}
        except Exception as e:  # the error is the result
            out[arg] = {"ok": False, "error": str(e)}
        out[arg]["seconds"] = time.monotonic() - t0
    json.dump({"charts": out, "seconds": time.monotonic() - started}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
