"""The report's script runs on real data without throwing (a stand-in DOM in Node.js), so a
script error is caught even where no browser is installed (test_report_browser.py then skips)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bio2_aspects.evidence.html_report import render_html

NODE = shutil.which("node") or str(Path(sys.executable).with_name("node"))


@pytest.mark.skipif(not Path(NODE).exists(), reason="no node")
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_script_runs_on_the_fixture(manifest: dict[str, Any], tmp_path: Path, lang: str) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(manifest, lang), encoding="utf-8")
    done = subprocess.run(
        [NODE, str(Path(__file__).with_name("report_smoke.js")), str(page)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok ")
