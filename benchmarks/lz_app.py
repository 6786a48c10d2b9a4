"""``python -m benchmarks.lz_app default|province``: one ``app.py`` synth of the landing zone.

``default`` is the embedded example; ``province`` a 40-account, 3-region configuration built from
it (workload accounts over the workload OUs, a third allowed region). The output directory is a
temporary one; the BIO2 gate runs in report-only mode so the figures do not depend on findings.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def province_config() -> str:
    import yaml

    from benchmarks.org_scale import config_text

    data = yaml.safe_load(config_text(40))
    regions = data.setdefault("regions", {})
    allowed = list(regions.get("allowed") or [])
    for extra in ("eu-west-3", "eu-north-1"):
        if len(allowed) >= 3:
            break
        if extra not in allowed:
            allowed.append(extra)
    regions["allowed"] = allowed
    return yaml.safe_dump(data, sort_keys=False)


def main(which: str) -> int:
    env = dict(os.environ, BIO2_REPORT_ONLY="1")
    with tempfile.TemporaryDirectory(prefix="bench-lz-") as tmp:
        env["CDK_OUTDIR"] = str(Path(tmp) / "cdk.out")
        if which == "province":
            path = Path(tmp) / "province.yaml"
            path.write_text(province_config(), encoding="utf-8")
            env["LZ_CONFIG"] = str(path)
        elif which != "default":
            raise SystemExit("usage: python -m benchmarks.lz_app default|province")
        app = [sys.executable, str(ROOT / "app.py")]
        return subprocess.run(app, env=env, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "default"))
