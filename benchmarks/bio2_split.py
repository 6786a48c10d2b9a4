"""Where a ``Bio2`` synth spends its time, step by step, in one process.

``python -m benchmarks.bio2_split [--reports default|all] [--resources 2000]``

Synthesizes the app of :mod:`benchmarks.scale_app` with ``Bio2`` (tags by its stack synthesizer)
and prints the wall time of each step: the imports, ``Bio2(app)``, the tagging of each template,
the plugin's turn after synthesis (read the templates, evaluate them, the findings), the evidence
worker (the manifest, its JSON text, the model, each report), the time from the plugin's return
to the end of the synth (CDK's built-in CloudFormation validation and its report, run alongside
the evidence worker), the time Python's cyclic garbage collections took during the synth; CDK's
own timers in the node process (its performance counters: the validation of the templates, and
within it the built-in CloudFormation validation, which the worker slows when it takes a core
node uses); then the CPU time of the Python and the node process. Steps in a worker overlap the
main thread's steps, so the lines do not add up to the whole. The steps are timed by
wrapping the functions (no profiler overhead); a plain run of the same app is timed first for
comparison. A benchmark, not a test: it reports, it never fails.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.proc import scratch_env

TIMES: dict[str, float] = {}


def _wrap(owner: Any, name: str, label: str) -> None:
    fn = getattr(owner, name)

    @functools.wraps(fn)
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMES[label] = TIMES.get(label, 0.0) + time.perf_counter() - start

    setattr(owner, name, timed)


def _wrap_steps(owner: Any, name: str, label: str) -> None:
    """Time a generator of steps (``writer.evidence_steps``): the time spent in its steps."""
    steps = getattr(owner, name)

    @functools.wraps(steps)
    def timed(*args: Any, **kwargs: Any) -> Any:
        it = steps(*args, **kwargs)
        while True:
            start = time.perf_counter()
            try:
                next(it)
            except StopIteration as stop:
                return stop.value  # the bytes of manifest.json, which the plugin keeps
            finally:
                TIMES[label] = TIMES.get(label, 0.0) + time.perf_counter() - start
            yield

    setattr(owner, name, timed)


def _timed_renderer(render: Callable[..., bytes], label: str) -> Callable[..., bytes]:
    def timed(manifest: dict[str, Any], ctx: Any) -> bytes:
        start = time.perf_counter()
        try:
            return render(manifest, ctx)
        finally:
            TIMES[label] = TIMES.get(label, 0.0) + time.perf_counter() - start

    return timed


def _cpu_of_descendants() -> float:
    """User + system CPU seconds of this process's descendants (the jsii node process) so far."""
    me, parent, cpu = os.getpid(), {}, {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path("/proc", entry, "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parent[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    total = 0.0
    for pid in parent:
        up = parent[pid]
        while up not in (me, 0, 1) and up in parent:
            up = parent[up]
        if up == me:
            total += cpu[pid]
    return total


GC_LABEL = "cyclic garbage collections during app.synth()"


def _collection_timer() -> Callable[[str, dict[str, int]], None]:
    """A ``gc.callbacks`` entry that adds the wall time of each cyclic collection (any thread) to
    ``TIMES[GC_LABEL]`` (see ``bio2_aspects.collector``)."""
    started: dict[int, float] = {}

    def callback(phase: str, info: dict[str, int]) -> None:
        key = threading.get_ident()
        if phase == "start":
            started[key] = time.perf_counter()
        elif key in started:
            TIMES[GC_LABEL] = TIMES.get(GC_LABEL, 0.0) + time.perf_counter() - started.pop(key)

    return callback


#: CDK's own timers in the node process (its performance counters, in ms), reported in seconds.
NODE_COUNTERS = {
    "validateTemplates": "node: CDK's validation of the templates, all of it (plugins and report)",
    "CloudFormationValidate.validate": "node: CDK's built-in CloudFormation validation (beside the worker)",
}


def run(mode: str, reports: str, resources: int) -> dict[str, float]:
    # CDK writes its performance counters to this file when a synth is slower per stack than a
    # threshold (set to 0 below); read by node at the end of app.synth()
    counters_file = Path(tempfile.mkdtemp(prefix="bio2-split-perf-")) / "counters.json"
    os.environ["CDK_PERF_COUNTERS_FILE"] = str(counters_file)
    context = {"@aws-cdk/core.slowSynthThreshold": 0}
    start = time.perf_counter()
    import aws_cdk as cdk

    TIMES["import aws_cdk"] = time.perf_counter() - start
    from benchmarks.scale_app import build_app

    if mode == "bio2":
        t = time.perf_counter()
        from bio2_aspects import Bio2, synthesizer
        from bio2_aspects import pack as pack_module
        from bio2_aspects.evidence import exporters, writer

        TIMES["import bio2_aspects (and the report modules timed here)"] = time.perf_counter() - t
        from bio2_aspects import bio2 as bio2_module

        _wrap(
            bio2_module._TagStageBeforeSynthesis,
            "validate",
            "tags: find each Stage's stacks (hook before rendering)",
        )
        _wrap(
            synthesizer.TemplateTagging, "_synthesize_template", "tags: each stack's synthesizer, all of it"
        )
        _wrap(synthesizer, "tag_template", "tags: evaluate + tag each template (JSON)")
        _wrap(pack_module, "read_assembly", "after synth: read the templates")
        _wrap(
            pack_module,
            "evaluate_templates",
            "after synth: evaluate (authoritative; takes what tagging evaluated when the bytes match)",
        )
        _wrap(pack_module, "assess", "after synth: findings (pass or fail, CDK's report)")
        _wrap(pack_module, "build_manifest", "worker: build the manifest")
        _wrap_steps(writer, "evidence_steps", "worker: the evidence files, all of them")
        _wrap(writer, "manifest_bytes", "worker: manifest.json text")
        _wrap(writer, "as_manifest", "worker: the manifest model (validate)")
        _wrap(writer, "render_summary", "worker: summary.md")
        for fmt, files in list(exporters.FORMATS.items()):
            exporters.FORMATS[fmt] = tuple(
                exporters.OutputFile(f.name, _timed_renderer(f.render, f"worker: {f.name}")) for f in files
            )
        validate = pack_module.Bio2Plugin.validate
        marks: dict[str, float] = {}

        def timed_validate(self: Any, context: Any) -> Any:
            t0 = time.perf_counter()
            report = validate(self, context)
            marks["end"] = time.perf_counter()
            TIMES["Bio2Plugin.validate, all of it (the plugin's turn in the synth)"] = marks["end"] - t0
            return report

        pack_module.Bio2Plugin.validate = timed_validate  # type: ignore[method-assign]
    outdir = tempfile.mkdtemp(prefix="bio2-split-")
    t = time.perf_counter()
    if mode == "bio2":
        app = cdk.App(
            outdir=outdir, context=context, default_stack_synthesizer=synthesizer.Bio2StackSynthesizer()
        )
    else:
        app = cdk.App(outdir=outdir, context=context)
    build_app(app, resources)
    TIMES["build the app"] = time.perf_counter() - t
    if mode == "bio2":
        t = time.perf_counter()
        Bio2(app, report_only=True, reports=None if reports == "default" else reports)
        TIMES["Bio2(app)"] = time.perf_counter() - t
    t = time.perf_counter()
    TIMES[GC_LABEL] = 0.0
    timer = _collection_timer()
    gc.callbacks.append(timer)
    try:
        app.synth()
    finally:
        gc.callbacks.remove(timer)
    end = time.perf_counter()
    TIMES["app.synth(), all of it"] = end - t
    if mode == "bio2":
        TIMES["after the plugin: CDK's built-in validation and report, and the worker"] = end - marks["end"]
    TIMES["whole process after start-up"] = end - start
    if counters_file.is_file():
        counters = json.loads(counters_file.read_text(encoding="utf-8")).get("counters", {})
        for key, label in NODE_COUNTERS.items():
            if key in counters:
                TIMES[label] = counters[key] / 1000
    usage = resource.getrusage(resource.RUSAGE_SELF)
    TIMES["CPU: Python process"] = usage.ru_utime + usage.ru_stime
    TIMES["CPU: jsii node process"] = _cpu_of_descendants()
    return TIMES


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reports", default="default", help="default, all, or a comma-separated list")
    p.add_argument("--resources", type=int, default=2000)
    p.add_argument("--mode", choices=("bio2", "plain", "both"), default="both")
    args = p.parse_args()
    if args.mode != "both":
        print(json.dumps(run(args.mode, args.reports, args.resources)))
        return
    results = {}
    for mode in ("plain", "bio2"):
        cmd = [sys.executable, "-m", "benchmarks.bio2_split", "--mode", mode, "--reports", args.reports]
        cmd += ["--resources", str(args.resources)]
        with scratch_env() as env:  # its assembly and CDK's files are removed after the run
            out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout
        results[mode] = json.loads(out.strip().splitlines()[-1])
    print(f"Bio2 step by step ({args.resources} resources, reports={args.reports}); seconds, wall")
    plain, bio2 = results["plain"], results["bio2"]
    for label, value in bio2.items():
        base = plain.get(label)
        print(f"  {label:<52} {value:7.3f}" + (f"   (plain {base:.3f})" if base is not None else ""))


if __name__ == "__main__":
    main()
