#!/usr/bin/env python3
"""Renders Helm charts with Helm itself (v4, through helm-python-sdk), as
`helm template` with release name `release-name` in namespace `default`
would: the oracle of tests/helm_parity.rs and bench/helm.sh.

Usage: helm_render.py [--values FILE] CHART_DIR...  (prints JSON:
{dir: {"ok": true, "manifests": {template: text}, "seconds": s} or
{"ok": false, "error": message}}; NOTES.txt is left out, as helm template
prints it nowhere)."""

import json
import sys
import time

import helm_python as h


def main(argv):
    out = {}
    started = time.monotonic()
    for chart_dir in argv:
        t0 = time.monotonic()
        try:
            rendered = h.Chart.load(chart_dir).render(
                name="release-name", namespace="default"
            )
            manifests = {
                k: v for k, v in rendered.items() if not k.endswith("/NOTES.txt")
            }
            out[chart_dir] = {"ok": True, "manifests": manifests}
        except Exception as e:  # the error is the result
            out[chart_dir] = {"ok": False, "error": str(e)}
        out[chart_dir]["seconds"] = time.monotonic() - t0
    json.dump({"charts": out, "seconds": time.monotonic() - started}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
