"""``report.html`` in headless Chromium: it renders, logs no errors, filters, and looks right.

Two ways in, both with only the standard library:

* the command line (``--dump-dom``, ``--screenshot``), as a person would check a page;
* the Chrome DevTools Protocol over ``--remote-debugging-pipe`` (JSON messages ended by NUL on
  file descriptors 3 and 4), to collect console messages and exceptions, query the DOM and
  drive the search box and filters.

Skipped when no ``chromium`` is on PATH (Debian: ``apt-get install chromium``). Set
``BIO2_CHROMIUM_DEBUG=1`` to see Chromium's own log on stderr.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import struct
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from bio2_aspects.evidence.html_report import render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium on PATH: install it (Debian: apt-get install chromium) to test the HTML report",
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
]
TIMEOUT = 60.0


def _write_report(tmp_path: Path, manifest: dict[str, Any], lang: str = "en") -> Path:
    path = tmp_path / f"report-{lang}.html"
    path.write_text(render_html(manifest, lang), encoding="utf-8")
    return path


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# ---------------------------------------------------------------------- command line


def test_dump_dom_has_charts_and_measure_rows(tmp_path: Path, manifest: dict[str, Any]) -> None:
    report = _write_report(tmp_path, manifest)
    proc = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", report.as_uri()],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    dom = proc.stdout
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert 'data-rendered="true"' in dom
    for chart in ("chart-themes-svg", "chart-kinds-svg", "chart-status-svg"):
        assert f'id="{chart}"' in dom, chart
    assert dom.count('class="seg st-') >= 4  # stacked bar segments
    assert dom.count('class="measure-row"') == 117
    assert dom.count("<tr") >= 117 + 93
    # The hostile text from the fixture is shown as text, never run or parsed as markup.
    assert "<script>window.__bio2_xss" not in dom
    assert "&lt;/script&gt;&lt;script&gt;window.__bio2_xss" in dom


def test_screenshot(tmp_path: Path, manifest_nl: dict[str, Any]) -> None:
    report = _write_report(tmp_path, manifest_nl, "nl")
    png = tmp_path / "report.png"
    proc = subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={png}",
            "--window-size=1400,2000",
            "--hide-scrollbars",
            report.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = png.read_bytes()
    assert _png_size(data) == (1400, 2000)
    assert len(data) > 50_000, "the screenshot is suspiciously small (blank page?)"


# ---------------------------------------------------------------------- DevTools protocol


class DevTools:
    """A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe``."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire_fds() -> None:
            # In the child: Chromium reads fd 3 and writes fd 4. Move both ends above 10 first:
            # the pipes may themselves be fds 3 or 4, and dup2(fd, fd) would keep close-on-exec.
            high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL if not os.environ.get("BIO2_CHROMIUM_DEBUG") else None,
            preexec_fn=wire_fds,
            close_fds=False,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no answer from Chromium")
            ready, _, _ = select.select([self._from_child], [], [], remaining)
            if ready:
                chunk = os.read(self._from_child, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, session: bool = True
    ) -> dict[str, Any]:
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str) -> dict[str, Any]:
        for i, event in enumerate(self.events):
            if event["method"] == method:
                return self.events.pop(i)
        deadline = time.monotonic() + TIMEOUT
        while True:
            event = self._read_message(deadline)
            if event.get("method") == method:
                return event
            if "method" in event:
                self.events.append(event)

    def open(self, url: str, width: int = 1400, height: int = 2000) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send(
            "Target.attachToTarget", {"targetId": target, "flatten": True}, session=False
        )["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions and error log entries so far."""
        self.send("Runtime.evaluate", {"expression": "0"})  # flush pending events
        out = []
        for e in self.events:
            p = e.get("params", {})
            if e["method"] == "Runtime.exceptionThrown":
                out.append(
                    f"exception: {p['exceptionDetails'].get('text')} {p['exceptionDetails'].get('exception')}"
                )
            elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") in (
                "error",
                "warning",
                "assert",
            ):
                out.append(f"console.{p['type']}: {[a.get('value') for a in p.get('args', [])]}")
            elif e["method"] == "Log.entryAdded" and p["entry"].get("level") in ("error", "warning"):
                out.append(f"log {p['entry'].get('source')}: {p['entry'].get('text')}")
        return out

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", session=False)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)
        for fd in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                os.close(fd)


@pytest.fixture
def devtools(tmp_path: Path) -> Any:
    assert CHROMIUM is not None
    client = DevTools(CHROMIUM, tmp_path / "profile")
    try:
        yield client
    finally:
        client.close()


def test_report_runs_without_errors_and_filters(
    devtools: DevTools, tmp_path: Path, manifest: dict[str, Any]
) -> None:
    report = _write_report(tmp_path, manifest)
    devtools.open(report.as_uri())
    assert devtools.problems() == []
    assert devtools.evaluate("document.body.dataset.rendered") == "true"
    assert devtools.evaluate("document.querySelectorAll('#measure-table tr.measure-row').length") == 117
    assert devtools.evaluate("document.querySelectorAll('#soa-table tbody tr').length") == 93
    assert devtools.evaluate("document.querySelectorAll('#chart-themes-svg rect.seg').length") >= 4
    assert devtools.evaluate("document.querySelectorAll('#chart-kinds-svg rect.bar').length") == 3
    assert devtools.evaluate("document.querySelectorAll('#chart-status-svg circle.arc').length") >= 4
    assert devtools.evaluate("typeof window.__bio2_xss") == "undefined"
    assert "window.__bio2_xss" in devtools.evaluate("document.getElementById('risks-table').textContent")
    assert (
        devtools.evaluate("document.getElementById('measure-count').textContent")
        == "117 of 117 measures shown"
    )

    visible = "Array.from(document.querySelectorAll('#measure-table tbody.measure')).filter(b => !b.hidden)"
    # Status filter
    devtools.evaluate(
        "var s = document.getElementById('f-status'); s.value = 'gap'; s.dispatchEvent(new Event('change'))"
    )
    gaps = manifest["totals"]["measures_by_status"]["gap"]
    assert devtools.evaluate(f"{visible}.length") == gaps
    assert devtools.evaluate(f"{visible}.every(b => b.dataset.status === 'gap')")
    # Reset, then search for a rule ID: only the measures it evidences remain.
    devtools.evaluate("document.getElementById('f-reset').click()")
    assert devtools.evaluate(f"{visible}.length") == 117
    devtools.evaluate(
        "var q = document.getElementById('f-search'); q.value = 'BIO2-CloudTrail-MultiRegion';"
        "q.dispatchEvent(new Event('input'))"
    )
    assert sorted(devtools.evaluate(f"{visible}.map(b => b.dataset.id)")) == ["5.18.01", "8.15.01"]
    # Theme and evidence-kind filters combine.
    devtools.evaluate("document.getElementById('f-reset').click()")
    devtools.evaluate(
        "document.getElementById('f-theme').value = 'technological';"
        "var k = document.getElementById('f-kind'); k.value = 'detective';"
        "k.dispatchEvent(new Event('change'))"
    )
    shown = devtools.evaluate(f"{visible}.map(b => [b.dataset.theme, b.dataset.kinds])")
    assert shown and all(th == "technological" and "detective" in kinds.split() for th, kinds in shown)
    # Expanding a row lists the measure's resources and evidence.
    devtools.evaluate("document.getElementById('f-reset').click()")
    button = "document.querySelector('tbody.measure[data-id=\"8.13.01\"] button.expand')"
    devtools.evaluate(f"{button}.click()")
    detail = devtools.evaluate("document.getElementById('ev-8-13-01').textContent")
    assert "LogArchiveBucketE4F5" in detail and "BackupVaultE3F4" in detail
    assert devtools.evaluate(f"{button}.getAttribute('aria-expanded')") == "true"
    assert devtools.problems() == []

    shot = devtools.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    png = base64.b64decode(shot["data"])
    (tmp_path / "report-cdp.png").write_bytes(png)
    width, height = _png_size(png)
    assert width >= 1300 and height > 2000 and len(png) > 50_000  # the whole page, less a scrollbar


def test_report_is_accessible_basics(devtools: DevTools, tmp_path: Path, manifest_nl: dict[str, Any]) -> None:
    report = _write_report(tmp_path, manifest_nl, "nl")
    devtools.open(report.as_uri())
    assert devtools.problems() == []
    assert devtools.evaluate("document.documentElement.lang") == "nl"
    # Every form control has a label; every data table has a caption and column headers.
    assert devtools.evaluate(
        "Array.from(document.querySelectorAll('input, select')).every(e => e.labels && e.labels.length > 0)"
    )
    assert devtools.evaluate(
        "Array.from(document.querySelectorAll('table.data')).every("
        "t => t.querySelector('caption') && t.querySelectorAll('thead th[scope=col]').length > 0)"
    )
    assert devtools.evaluate(
        "Array.from(document.querySelectorAll('svg.chart')).every(s => s.getAttribute('role') === 'img'"
        " && s.querySelector('title') && s.querySelector('desc'))"
    )
    assert (
        devtools.evaluate("document.getElementById('measure-count').textContent")
        == "117 van 117 maatregelen getoond"
    )
    # Nothing was loaded from anywhere but the file itself.
    urls = devtools.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert urls == []
