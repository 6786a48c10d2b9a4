"""The evidence of a ``Bio2`` synth is written by a worker thread while CDK finishes the synth.

What must hold: when ``app.synth()`` returns, every evidence file is on disk and identical to the
files written without the worker; an error of the worker is raised by ``app.synth()``; the worker
never runs outside ``app.synth()`` of the app given to ``Bio2`` (``Template.from_stack``, a
synth started from elsewhere), nor with exporters of the caller's; no thread outlives the synth.
The worker runs at a lower scheduling priority (Linux), and once the synth waits for the files,
the waiting thread does the steps the worker has not begun.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Template

from bio2_aspects import Bio2, pack
from bio2_aspects.evidence import writer
from bio2_aspects.pack import Bio2Plugin

ENV = cdk.Environment(account="123456789012", region="eu-central-1")


def _app(outdir: Path) -> tuple[cdk.App, cdk.Stack]:
    app = cdk.App(outdir=str(outdir))
    stack = cdk.Stack(app, "Orders", env=ENV)
    s3.Bucket(stack, "Uploads")
    sqs.Queue(stack, "Jobs")
    return app, stack


def _files(outdir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((outdir / "bio2").iterdir())}


def _evidence_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "bio2-evidence"]


def _record(monkeypatch: Any, owner: Any, name: str, what: Callable[[], Any]) -> list[Any]:
    """``owner.name`` wrapped: each call first appends ``what()`` (read in the calling thread) to
    the list returned."""
    seen: list[Any] = []
    real = getattr(owner, name)

    def recording(*args: Any, **kwargs: Any) -> Any:
        seen.append(what())
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, recording)
    return seen


def _thread_name() -> str:
    return threading.current_thread().name


def _let_the_worker_begin(monkeypatch: Any) -> None:
    """Make each synth wait for its evidence only once the worker has begun its first step.

    On a small app CDK's own validation may end before the worker thread has begun, and the
    thread that waits then does the first step too, as it should. Tests about what the worker
    does make that order certain. Patched in this order, the mark is set inside the step (the
    manifest), under the step lock, so the waiting thread cannot take the step over after it."""
    begun = threading.Event()
    real_write = pack._EvidenceWrites.write
    real_wait = pack._EvidenceWrites.wait

    def write(self: Any, *args: Any, **kwargs: Any) -> None:
        begun.clear()
        real_write(self, *args, **kwargs)

    def wait(self: Any) -> None:
        if self._thread is not None:
            assert begun.wait(60), "the worker never began its first step"
        real_wait(self)

    _record(monkeypatch, pack, "build_manifest", begun.set)
    monkeypatch.setattr(pack._EvidenceWrites, "write", write)
    monkeypatch.setattr(pack._EvidenceWrites, "wait", wait)


def _record_threads(monkeypatch: Any) -> list[str]:
    """The thread that begins the evidence (builds the manifest, the first step) of each synth."""
    _let_the_worker_begin(monkeypatch)
    return _record(monkeypatch, pack, "build_manifest", _thread_name)


def test_files_are_complete_when_synth_returns_and_equal_the_files_written_without_worker(
    tmp_path: Path, monkeypatch: Any
) -> None:
    seen = _record_threads(monkeypatch)
    app, _ = _app(tmp_path / "worker")
    bio2 = Bio2(app, report_only=True, reports="all")
    app.synth()
    assert seen == ["bio2-evidence"]  # written by the worker
    assert not _evidence_threads()  # and the worker has finished
    with_worker = _files(tmp_path / "worker")
    assert set(with_worker) >= {"manifest.json", "summary.md", "bio2.sarif", "report.html"}
    assert bio2.manifest is not None and bio2.manifest["totals"]["measures"] == 117

    app, _ = _app(tmp_path / "direct")
    Bio2(app, report_only=True, reports="all")
    type(app).synth(app)  # the class's synth, not the wrapped one: the plugin writes before it returns
    assert seen == ["bio2-evidence", "MainThread"]
    assert _files(tmp_path / "direct") == with_worker


def test_a_worker_error_is_raised_by_synth(tmp_path: Path, monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(writer, "evidence_steps", broken)
    app, _ = _app(tmp_path)
    Bio2(app, report_only=True)
    with pytest.raises(OSError, match="disk full"):
        app.synth()
    assert not _evidence_threads()


def test_a_failed_synth_still_writes_its_evidence(tmp_path: Path, monkeypatch: Any) -> None:
    seen = _record_threads(monkeypatch)
    app, _ = _app(tmp_path)
    Bio2(app)  # not report-only: the unencrypted bucket and queue are errors
    with pytest.raises(Exception, match=r"Validation failed|ValidationFailed"):
        app.synth()
    assert seen == ["bio2-evidence"]
    assert not _evidence_threads()
    files = _files(tmp_path)
    assert {"manifest.json", "summary.md", "bio2.sarif"} <= set(files)
    assert b"BIO2-S3-KmsEncryption" in files["manifest.json"] or b"BIO2-SQS" in files["manifest.json"]


def test_template_from_stack_writes_without_worker(tmp_path: Path, monkeypatch: Any) -> None:
    seen = _record_threads(monkeypatch)
    app, stack = _app(tmp_path)
    Bio2(app, report_only=True)
    Template.from_stack(stack)
    assert seen == ["MainThread"]
    assert (tmp_path / "bio2" / "manifest.json").is_file()


def test_the_waiting_thread_does_the_steps_the_worker_has_not_begun(tmp_path: Path, monkeypatch: Any) -> None:
    """The worker is held in its first step until the synth waits for the files: the thread that
    waits then writes every file itself (the worker begins no further step), and the files are
    those written without the worker."""
    app, _ = _app(tmp_path / "direct")
    Bio2(app, report_only=True)
    type(app).synth(app)
    expected = _files(tmp_path / "direct")

    writes: list[Any] = []
    real_build = pack.build_manifest

    def held(*args: Any, **kwargs: Any) -> Any:
        manifest = real_build(*args, **kwargs)
        assert threading.current_thread().name == "bio2-evidence"
        deadline = time.monotonic() + 60
        while not writes[0]._taken_over:  # until ``wait`` takes the steps over
            assert time.monotonic() < deadline, "the synth never waited for the evidence"
            time.sleep(0.01)
        return manifest

    monkeypatch.setattr(pack, "build_manifest", held)
    _let_the_worker_begin(monkeypatch)
    files_by = _record(monkeypatch, writer, "evidence_steps", _thread_name)
    app, _ = _app(tmp_path / "worker")
    bio2 = Bio2(app, report_only=True)
    writes.append(bio2.pack._writes)
    app.synth()
    assert files_by == ["MainThread"]
    assert not _evidence_threads()
    assert _files(tmp_path / "worker") == expected


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own nice value is Linux's")
@pytest.mark.parametrize("elsewhere", [0, 64], ids=["quiet-machine", "busy-machine"])
def test_the_worker_runs_at_a_lower_priority_only_on_a_quiet_machine(
    tmp_path: Path, monkeypatch: Any, elsewhere: int
) -> None:
    """On a machine where other work keeps the cores busy, a low-priority worker would starve
    (and the step under way when the synth waits is not taken over): it keeps its priority."""

    def nice() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = nice()
    _let_the_worker_begin(monkeypatch)
    in_worker = _record(monkeypatch, pack, "build_manifest", nice)
    monkeypatch.setattr(pack, "_runnable_elsewhere", lambda: elsewhere)
    app, _ = _app(tmp_path)
    Bio2(app, report_only=True)
    app.synth()
    lowered = min(19, before + pack.WORKER_NICE_INCREMENT)
    assert in_worker == [lowered if elsewhere == 0 else before]
    assert nice() == before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")
def test_runnable_counts_tell_this_process_s_own_work_from_other_work() -> None:
    """Busy child processes are this process's own work; busy processes that are not its
    descendants (here: orphaned by a shell that exits) are other work."""
    import signal
    import subprocess

    loop = [sys.executable, "-c", "while True: pass"]

    def most(read: Any) -> int:  # the largest of the readings over a short while
        best, deadline = 0, time.monotonic() + 3
        while time.monotonic() < deadline:
            best = max(best, read())
            time.sleep(0.02)
        return best

    children = [subprocess.Popen(loop) for _ in range(2)]
    try:
        assert most(lambda: pack._runnable_counts()[1]) >= 2
    finally:
        for child in children:
            child.kill()
            child.wait()

    # the loops' output goes elsewhere, or the shell's pipe stays open while they run
    script = f"for i in 1 2; do {sys.executable} -c 'while True: pass' >/dev/null 2>&1 & echo $!; done"
    shell = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=30)
    pids = [int(p) for p in shell.stdout.split()]
    try:
        assert most(pack._runnable_elsewhere) >= 2
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGKILL)


def test_two_threads_may_wait_for_the_same_synth(tmp_path: Path, monkeypatch: Any) -> None:
    """``manifest`` read from another thread while the synth's thread waits for the files: both
    return, neither raises, and the collector is resumed once."""
    writes: list[Any] = []
    real_build = pack.build_manifest
    results: list[Any] = []

    def held(*args: Any, **kwargs: Any) -> Any:
        manifest = real_build(*args, **kwargs)
        reader = threading.Thread(target=lambda: results.append(writes[0].manifest()), name="reader")
        reader.start()
        time.sleep(0.2)  # the reader waits behind this step
        results.append(reader)
        return manifest

    monkeypatch.setattr(pack, "build_manifest", held)
    app, _ = _app(tmp_path)
    bio2 = Bio2(app, report_only=True)
    writes.append(bio2.pack._writes)
    app.synth()
    reader = next(r for r in results if isinstance(r, threading.Thread))
    reader.join(60)
    manifests = [r for r in results if isinstance(r, dict)]
    assert manifests and manifests[0]["totals"]["measures"] == 117
    assert bio2.manifest == manifests[0]
    assert not bio2.pack._writes.collector.active
    assert not _evidence_threads()


def test_a_second_write_finishes_the_first(tmp_path: Path) -> None:
    """Outside ``Bio2``'s own order (the plugin's turn waits first), a write started while another
    is under way finishes that one first: neither is lost, and no thread outlives them."""
    writes = pack._EvidenceWrites()
    writes.deferring = True

    def slow(name: str) -> Any:
        def make() -> dict[str, Any]:
            time.sleep(0.1)
            return {"name": name}

        return make

    writes.write(slow("first"), tmp_path / "a", [], None, background=True)
    writes.write(slow("second"), tmp_path / "b", [], None, background=True)
    writes.wait()
    assert json.loads((tmp_path / "a" / "manifest.json").read_text()) == {"name": "first"}
    assert json.loads((tmp_path / "b" / "manifest.json").read_text()) == {"name": "second"}
    assert writes.manifest() == {"name": "second"}
    assert not _evidence_threads()


def test_exporters_of_the_caller_run_in_the_main_thread(tmp_path: Path) -> None:
    where: list[str] = []

    def export(manifest: Any, outdir: Path) -> None:
        where.append(threading.current_thread().name)

    app, _ = _app(tmp_path)
    plugin = Bio2Plugin(app, report_only=True, exporters=[export])
    cdk.Validations.of(app).add_plugins(plugin)
    with plugin.write_during_synth():
        app.synth()
    assert where == ["MainThread"]
    assert plugin.last_manifest is not None


def test_the_manifest_is_kept_as_written_and_read_when_asked_for(tmp_path: Path) -> None:
    app, _ = _app(tmp_path)
    bio2 = Bio2(app, report_only=True)
    app.synth()
    writes = bio2.pack._writes
    assert writes._manifest is None  # no data held after the synth (nor freed at exit)
    path = tmp_path / "bio2" / "manifest.json"
    assert writes._manifest_json == path.read_bytes()  # the bytes written, not read back
    path.unlink()  # the evidence directory of a test's temporary directory, say, is gone
    manifest = bio2.manifest
    assert manifest is not None and manifest["totals"]["measures"] == 117
    assert bio2.manifest is manifest  # parsed once


def test_a_callers_exporter_may_rewrite_the_manifest(tmp_path: Path) -> None:
    """The manifest of a synth with exporters of the caller's is the file after the last of them
    (one that signs ``manifest.json``, say); they get the model validated whole, plain lists."""
    seen: list[Any] = []

    def sign(manifest: Any, outdir: Path) -> None:
        seen.append((type(manifest.resources), type(manifest.measures[0].evidence)))
        data = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
        data["signed_by"] = "ci"
        (outdir / "manifest.json").write_text(json.dumps(data), encoding="utf-8")

    app, _ = _app(tmp_path)
    plugin = Bio2Plugin(app, report_only=True, exporters=[sign])
    cdk.Validations.of(app).add_plugins(plugin)
    app.synth()
    assert seen == [(list, list)]
    assert plugin.last_manifest is not None and plugin.last_manifest["signed_by"] == "ci"


def test_bio2_leaves_the_report_models_to_the_worker(tmp_path: Path) -> None:
    """``Bio2(app)`` imports no pydantic model: ``app.synth()`` does, in a thread of its own while
    node renders the templates (about 0.15 s of imports off the synth's critical path)."""
    import subprocess
    import sys

    code = (
        "import sys, aws_cdk as cdk\n"
        "from bio2_aspects import Bio2\n"
        f"app = cdk.App(outdir={str(tmp_path)!r})\n"
        "cdk.Stack(app, 'S')\n"
        "Bio2(app, report_only=True)\n"
        "assert 'bio2_aspects.evidence.models' not in sys.modules, 'models imported by Bio2()'\n"
        "app.synth()\n"
        "assert 'bio2_aspects.evidence.models' in sys.modules, 'the worker made the reports'\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_renderer_modules_are_those_the_exporters_import() -> None:
    """``formats.RENDERER_MODULES`` (what the synth imports ahead of the worker) names, per format,
    every module its renderers import."""
    import inspect
    import re

    from bio2_aspects.evidence.exporters import FORMATS
    from bio2_aspects.evidence.formats import ALL_FORMATS, RENDERER_MODULES

    assert tuple(RENDERER_MODULES) == ALL_FORMATS
    for fmt, files in FORMATS.items():
        imported = {
            m
            for f in files
            for m in re.findall(r"from (bio2_aspects[\w.]+) import", inspect.getsource(f.render))
        }
        assert imported and imported <= set(RENDERER_MODULES[fmt]), fmt


def test_the_synth_does_ahead_what_owes_nothing_to_it(tmp_path: Path, monkeypatch: Any) -> None:
    """From the start of ``app.synth()`` a thread imports the modules of the plugin's turn and of
    the worker and reads the working tree's state; the manifest records the state read there."""
    from bio2_aspects import pack
    from bio2_aspects.evidence.formats import evidence_modules

    runs: list[tuple[str, tuple[str, ...]]] = []
    real_run = pack._Ahead._run

    def recording(self: Any) -> None:
        runs.append((threading.current_thread().name, self._modules))
        real_run(self)

    state = {"commit": "0123456789abcdef0123456789abcdef01234567", "commit_time": 1700000000, "dirty": False}
    catalog_readers: list[str] = []
    real_catalog = pack.load_catalog

    def reading_catalog() -> Any:
        catalog_readers.append(threading.current_thread().name)
        return real_catalog()

    monkeypatch.setattr(pack._Ahead, "_run", recording)
    monkeypatch.setattr(pack, "look_up_ahead", lambda cwd: dict(state))
    monkeypatch.setattr(pack, "load_catalog", reading_catalog)
    app, stack = _app(tmp_path)
    bio2 = Bio2(app, report_only=True)
    app.synth()
    assert runs == [("bio2-evidence-ahead", ("bio2_aspects.claims", *evidence_modules(("md", "sarif"))))]
    assert "bio2-evidence-ahead" in catalog_readers  # read ahead (cached for the plugin's turn)
    assert bio2.manifest is not None
    assert bio2.manifest["audit"]["git"] == {"commit": state["commit"], "dirty": False}
    assert bio2.pack._writes.ahead is None  # only for the synth that started it
    runs.clear()
    Template.from_stack(stack)  # not a synth of Bio2's: nothing is done ahead
    assert runs == []


def test_what_is_done_ahead_is_done_again_where_it_failed_or_went_stale(monkeypatch: Any) -> None:
    from bio2_aspects import pack

    def broken(cwd: str) -> dict[str, Any]:
        raise OSError("no git")

    def no_catalog() -> Any:
        raise RuntimeError("broken catalog")

    monkeypatch.setattr(pack, "look_up_ahead", broken)
    monkeypatch.setattr(pack, "load_catalog", no_catalog)  # read again (and reported) by the plugin
    failed = pack._Ahead(("bio2_aspects.evidence.no_such_module", "json"))  # never raises
    assert failed.git_state() is None  # the manifest reads it itself
    monkeypatch.setattr(
        pack, "look_up_ahead", lambda cwd: {"commit": None, "commit_time": None, "dirty": None}
    )
    moved = pack._Ahead(())
    monkeypatch.setattr(pack.os, "getcwd", lambda: "/elsewhere")
    assert moved.git_state() is None  # the working directory changed: read anew
