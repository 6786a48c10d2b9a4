"""The short summary ``make synth`` ends with: measures by status, open violations, the report.

python -m landing_zone.summary [OUTDIR]   # default cdk.out; reads OUTDIR/bio2/manifest.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path


def summary(outdir: Path) -> str:
    """A short summary of a synthesized landing zone's BIO2 evidence (from ``OUTDIR/bio2/manifest.json``)."""
    manifest_file = outdir / "bio2" / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    totals = manifest.get("totals", {})
    by_status = totals.get("measures_by_status", {})
    statuses = ", ".join(
        f"{count} {status.replace('_', ' ')}" for status, count in by_status.items() if count
    )
    violations = manifest.get("violations", [])
    open_errors = sum(1 for v in violations if v.get("level") == "error" and not v.get("acknowledged"))
    open_warnings = sum(1 for v in violations if v.get("level") != "error" and not v.get("acknowledged"))
    report = outdir / "bio2" / "report.html"
    templates = manifest.get("templates", [])
    # the stacks are in the LandingZone Stage's assembly (the member baseline in a nested one)
    where = sorted({str((outdir / t["file"]).parent) for t in templates if "file" in t}) or [str(outdir)]
    lines = [
        f"BIO2 summary for {manifest.get('organisation', '?')}: {totals.get('measures', '?')} measures",
        f"  by status: {statuses or 'none'}",
        f"  open violations: {open_errors} errors, {open_warnings} warnings",
        f"  templates: {len(templates)} stacks in {', '.join(where)}",
        f"  report: {report}" + ("" if report.is_file() else " (not written)"),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m landing_zone.summary",
        description="Measures by status, open violations and the report path of a synthesized landing zone.",
    )
    parser.add_argument(
        "outdir", nargs="?", default="cdk.out", type=Path, help="the cloud assembly directory"
    )
    args = parser.parse_args(argv)
    try:
        print(summary(args.outdir))
    except (OSError, ValueError) as error:
        print(f"no BIO2 manifest under {args.outdir}: {error}; run make synth first", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
