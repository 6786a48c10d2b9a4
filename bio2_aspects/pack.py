"""The BIO2 rules as a CDK policy-validation plugin (:class:`Bio2Plugin`) and as a cdk-nag 3 NagPack
(``Bio2Checks``, in :mod:`bio2_aspects.nagpack`).

Registered with ``Validations.of(app).add_plugins(...)`` (``Bio2(app)`` registers a
:class:`Bio2Plugin`, which does not load cdk-nag: importing cdk-nag's jsii assembly costs about a
second per process), the plugin runs after the templates are written. It evaluates the final
templates in plain Python (one pass per resource, no jsii round trip per rule), writes the evidence
(``cdk.out/bio2/``) and reports every violation to CDK's validation report. As with cdk-nag, an unacknowledged
error-level violation fails ``cdk synth``; ``report_only=True`` (or the context value
``bio2:reportOnly=true``, or ``BIO2_REPORT_ONLY=1``) reports without failing.

Acknowledge a violation on a construct and everything below it with::

    Validations.of(scope).acknowledge(Acknowledgment(id="BIO2::BIO2-S3-AccessLogging", reason="..."))

(or ``bio2_aspects.acknowledge(scope, "BIO2-S3-AccessLogging", "...")``). The violation then becomes
an accepted risk in the manifest, with its reason. ``acknowledge(..., reason_nl="...")`` adds the
reason in Dutch: the Dutch outputs show it; without it they show the reason as written.

For unit tests, ``Bio2Checks(stack).validate_scope(stack)`` runs the same rules the cdk-nag way, on
the construct tree, without writing evidence.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii
from constructs import IConstruct

from bio2_aspects import __version__
from bio2_aspects.assembly import ACKNOWLEDGED_NL, read_assembly
from bio2_aspects.catalog import load_catalog
from bio2_aspects.collector import CollectorPause
from bio2_aspects.engine import RuleSet, TaggingEvaluations, evaluate_templates
from bio2_aspects.evidence.audit import look_up_ahead
from bio2_aspects.evidence.common import load_json_bytes
from bio2_aspects.evidence.formats import evidence_modules
from bio2_aspects.evidence.manifest import Violation, assess, build_manifest
from bio2_aspects.procfs import process_tree_threads, stat_fields
from bio2_aspects.scope import Scope

PLUGIN_NAME = "BIO2"


def acknowledge(scope: IConstruct, rule_id: str, reason: str, *, reason_nl: str | None = None) -> None:
    """Accept a BIO2 violation on ``scope`` (and below) as a risk, with the reason auditors will read.

    ``reason_nl``: the same reason in Dutch (optional). The manifest keeps it next to ``reason``
    and every Dutch output (register, report, SoA, HLD) shows it; without it the Dutch outputs
    show ``reason`` as written. The English outputs always show ``reason``.
    """
    if len(reason.strip()) < 20:
        raise ValueError(
            f"acknowledging {rule_id} on {scope.node.path}: give a specific reason of at least 20 characters"
        )
    if reason_nl is not None and len(reason_nl.strip()) < 20:
        raise ValueError(
            f"acknowledging {rule_id} on {scope.node.path}: give reason_nl, the Dutch reason, with at least "
            "20 characters (or leave it out to show the reason as written)"
        )
    if reason_nl is not None:
        # Kept with the English reason it translates: a later acknowledgement of the same rule on the
        # same construct without reason_nl then shows as written, not with a stale translation.
        scope.node.add_metadata(
            ACKNOWLEDGED_NL, {f"{PLUGIN_NAME}::{rule_id}": {"reason": reason, "reason_nl": reason_nl}}
        )
    # CDK core matches plugin findings as "<plugin>::<rule>"; cdk-nag's validate_scope matches the
    # bare rule ID (stored by CDK as "Annotation::<rule>"). Record both so either path sees it.
    cdk.Validations.of(scope).acknowledge(
        cdk.Acknowledgment(id=f"{PLUGIN_NAME}::{rule_id}", reason=reason),
        cdk.Acknowledgment(id=rule_id, reason=reason),
    )


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


#: Warnings list this many resources each in CDK's validation report (errors list every resource).
DEFAULT_RESOURCES_PER_WARNING = 10


@jsii.implements(cdk.IPolicyValidationPlugin)
class Bio2Plugin:
    """The BIO2 rules as a CDK policy-validation plugin. See the module documentation."""

    def __init__(
        self,
        scope: IConstruct | None = None,
        *,
        rules: RuleSet | None = None,
        bio2_scope: Scope | None = None,
        report_only: bool | None = None,
        evidence_dir: str | os.PathLike[str] | None = None,
        exporters: Sequence[Callable[[dict[str, Any], Path], Any]] | None = None,
        reports: Sequence[str] | None = None,
        resources_per_warning: int | None = DEFAULT_RESOURCES_PER_WARNING,
        offered: TaggingEvaluations | None = None,
    ) -> None:
        self.rules = rules or RuleSet()
        #: the evaluations made by stack synthesizers while tagging (``Bio2`` gives them; see
        #: ``engine.evaluate_templates``), emptied by each check
        self.offered = offered
        self.bio2_scope = bio2_scope or Scope()
        if report_only is None and scope is not None:
            ctx = scope.node.try_get_context("bio2:reportOnly")
            report_only = str(ctx).lower() == "true" if ctx is not None else None
        self.report_only = bool(report_only) or _env_flag("BIO2_REPORT_ONLY")
        self.evidence_dir = Path(evidence_dir) if evidence_dir is not None else None
        self.exporters = list(exporters) if exporters is not None else None
        #: the output formats written besides manifest.json (None: all; see ``Bio2(reports=...)``)
        self.reports = tuple(reports) if reports is not None else None
        if resources_per_warning is not None and resources_per_warning < 1:
            raise ValueError(
                f"resources_per_warning={resources_per_warning!r}: give a positive number of resources, "
                "or None to list every resource in CDK's validation report"
            )
        #: how many resources each warning lists in CDK's report (errors list every resource)
        self.resources_per_warning = resources_per_warning
        self._writes = _EvidenceWrites()

    @property
    def name(self) -> str:
        return PLUGIN_NAME

    @property
    def version(self) -> str:
        return __version__

    @property
    def rule_ids(self) -> list[str]:
        return [r.id for r in self.rules.rules]

    # -------------------------------------------------------------- after synthesis

    def validate(self, context: cdk.IPolicyValidationContext) -> cdk.PolicyValidationPluginReport:
        # One synth at a time: an earlier synth's evidence is finished (or its error raised) first,
        # before this turn pauses the collector (``wait`` resumes the pause of the earlier one).
        self._writes.wait()
        # The engine's work, up to the last evidence file, runs with the cyclic collector paused
        # (see bio2_aspects.collector); the worker resumes it when it is done.
        self._writes.collector.pause()
        try:
            return self._validate(context)
        finally:
            if not self._writes.running:
                self._writes.collector.resume()

    def _validate(self, context: cdk.IPolicyValidationContext) -> cdk.PolicyValidationPluginReport:
        paths = [str(p) for p in context.template_paths]
        root = self.evidence_dir.parent if self.evidence_dir else _assembly_root(paths)
        stacks = read_assembly(paths, root)
        evaluations = evaluate_templates(stacks, self.rules, self.offered)
        if self.offered is not None:
            self.offered.clear()  # the next synth tags (and offers) its templates anew
        catalog = load_catalog()
        ahead = self._writes.ahead
        git = ahead.git_state() if ahead is not None else None
        findings = assess(evaluations, catalog, self.bio2_scope, PLUGIN_NAME, git=git)
        evidence_dir = self.evidence_dir or Path(root) / "bio2"

        def manifest() -> dict[str, Any]:
            return build_manifest(
                evaluations, catalog, self.rules, self.bio2_scope, PLUGIN_NAME, findings=findings
            )

        # Pass or fail and CDK's report need the findings only. The manifest and the default
        # evidence files are pure Python work on them: inside ``Bio2``'s synth they are made while
        # CDK runs its own template validation (see ``write_during_synth``); anywhere else, and
        # with exporters of the caller's, right here.
        self._writes.write(
            manifest, evidence_dir, self.exporters, self.reports, background=self.exporters is None
        )
        violations, failed = cdk_violations(
            findings.violations, root, evidence_dir, self.resources_per_warning, report_only=self.report_only
        )
        return cdk.PolicyValidationPluginReport(
            success=self.report_only or not failed, violations=violations, plugin_version=__version__
        )

    @property
    def last_manifest(self) -> dict[str, Any] | None:
        """The manifest of the last synth, the data of its ``manifest.json`` (None before synthesis)."""
        return self._writes.manifest()

    def write_during_synth(self) -> _Deferred:
        """A context manager for one synth: inside it, the default evidence files are written by a
        worker thread while CDK finishes the synth (its built-in template validation and its
        report, which run after this plugin in the node process); leaving it waits for the files
        and raises the worker's error, if any. ``Bio2`` wraps ``app.synth()`` in it, so when
        ``app.synth()`` returns, every evidence file is on disk, as without the worker."""
        modules = (*_PLUGIN_MODULES, *(evidence_modules(self.reports) if self.exporters is None else ()))
        return _Deferred(self._writes, modules)


def cdk_violations(
    violations: Sequence[Violation],
    root: str | Path,
    evidence_dir: Path,
    resources_per_warning: int | None,
    *,
    report_only: bool = False,
) -> tuple[list[cdk.PolicyViolation], bool]:
    """The violations handed to CDK's validation report, and whether an unacknowledged error fails
    the synth.

    One violation per (rule, level) listing its resources, as cdk-nag does. An error that fails
    the synth lists every unacknowledged resource (each one must be fixed or acknowledged). A
    warning, and in ``report_only`` mode an error too, lists at most ``resources_per_warning``
    unacknowledged resources (None: all) and says how many there are and where all of them are:
    the console of a large app stays readable, and CDK's work per listed resource (construct
    look-up, stack traces, report lines) stays small. Acknowledged resources (of errors too) are
    listed up to that number, so CDK's report shows them as suppressed with their reason. The
    manifest and the reports keep every finding with its level and acknowledgement.

    CDK decides pass or fail from the severities it is given (after removing the acknowledged
    ones), so ``report_only`` hands errors over as warnings; the manifest keeps the real level.
    """
    grouped: dict[tuple[str, str], list[Violation]] = {}
    failed = False
    for v in violations:
        if v.level == "error" and v.acknowledged is None:
            failed = True
        if v.acknowledged is not None and v.acceptance:
            continue  # accepted in the config (bio2.risk_acceptances): CDK knows no construct for it
        grouped.setdefault((v.rule, v.level), []).append(v)
    where = _shown_path(evidence_dir / "manifest.json")
    out = []
    for (rule_id, level), items in sorted(grouped.items()):
        open_items = [v for v in items if v.acknowledged is None]
        acknowledged = [v for v in items if v.acknowledged is not None]
        limit = None if level == "error" and not report_only else resources_per_warning
        listed = open_items[:limit] + acknowledged[:resources_per_warning]
        first = items[0]
        description = first.finding if len(items) > 1 else f"{first.finding} {first.detail}".strip()
        if len(listed) < len(items):
            description += f" ({len(items)} resources, {len(listed)} listed here; all of them in {where})"
        out.append(
            cdk.PolicyViolation(
                rule_name=rule_id,
                description=description,
                fix=first.fix,
                severity="warning" if report_only else level,
                violating_resources=[
                    violating_resource(v.logical_id, str(Path(root) / v.template), v.path or v.logical_id)
                    for v in listed
                ],
            )
        )
    return out, failed


def _shown_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies below it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(os.getcwd()))
    except ValueError:
        return str(absolute)


class _EvidenceWrites:
    """Makes the manifest of a synth and writes its evidence files, now or in one worker thread
    (see ``Bio2Plugin.write_during_synth``).

    The worker only runs inside a ``_Deferred`` block, which always waits for it: no write
    outlives the synth that started it. It runs the default exporters only, which read the
    findings, the manifest and the template files, never the CDK objects (the jsii bridge is not
    used from two threads).

    The work is a series of steps (the manifest, ``manifest.json``, the model, each report; see
    ``writer.evidence_steps``). The worker does them at a lower scheduling priority
    (:func:`_yield_cpu`), so that CDK's validation in the node process, which runs meanwhile, keeps
    the processor it needs; once the synth waits for the files (``wait``), the thread that waits
    does the steps the worker has not begun, at its own priority. At most the one step under way
    is left to the worker then, so a busy machine that starves a low-priority thread cannot hold
    the synth back by more than that step.
    """

    def __init__(self) -> None:
        self.deferring = False
        #: the work of the running synth done ahead (see ``_Ahead``), inside a ``_Deferred`` block
        self.ahead: _Ahead | None = None
        #: the collector's pause of the plugin's turn; ended by ``wait`` when a worker ran
        self.collector = CollectorPause()
        self._thread: threading.Thread | None = None
        #: the steps not yet done, advanced by one thread at a time (under ``_step_lock``)
        self._steps: Iterator[None] | None = None
        self._step_lock = threading.Lock()
        #: set by ``wait``: the worker begins no further step
        self._taken_over = False
        self._error: BaseException | None = None
        self._manifest: dict[str, Any] | None = None
        #: the bytes of the last manifest.json written, parsed into ``_manifest`` when asked for
        self._manifest_json: bytes | None = None

    def write(
        self,
        make_manifest: Callable[[], dict[str, Any]],
        evidence_dir: Path,
        exporters: Sequence[Callable[[Any, Path], Any]] | None,
        formats: Sequence[str] | None,
        *,
        background: bool,
    ) -> None:
        """Make the manifest and write the files, in a worker when ``background`` inside a
        ``_Deferred`` block. An earlier write still under way is finished first (``wait``; the
        plugin's turn waits before it evaluates anything)."""
        self.wait()
        pending = [make_manifest]

        def steps() -> Iterator[None]:
            from bio2_aspects.evidence.writer import evidence_steps

            # taken from the list, the maker (and with it the templates and their evaluation) is
            # freed once the manifest is built, before the files are made
            self._manifest, self._manifest_json = pending.pop()(), None
            yield
            written = yield from evidence_steps(self._manifest, evidence_dir, exporters, formats=formats)
            if exporters is not None:
                # a caller's exporter may rewrite manifest.json (a signature, say): the file as it
                # is after the last of them
                written = (evidence_dir / "manifest.json").read_bytes()
            # Kept as the bytes written, not as the data: hundreds of thousands of objects on a
            # large app, which the process would otherwise free (and the cyclic collector
            # traverse) at exit, for a value most synths never read (see ``manifest``).
            self._manifest_json = written
            self._manifest = None

        if not (background and self.deferring):
            for _ in steps():
                pass
            return

        self._steps, self._taken_over, self._error = steps(), False, None

        def worker() -> None:
            _yield_cpu()
            while self._advance(worker=True):
                pass

        self._thread = threading.Thread(target=worker, name="bio2-evidence", daemon=False)
        self._thread.start()

    def _advance(self, *, worker: bool = False) -> bool:
        """Do the next step; False when none is left, a step failed (the error is kept for
        ``wait``) or, for the worker, the waiting thread has taken the steps over."""
        with self._step_lock:
            steps = self._steps
            if steps is None or (worker and self._taken_over):
                return False
            try:
                next(steps)
                return True
            except StopIteration:
                pass
            except BaseException as exc:  # raised by ``wait`` in the thread that waits
                self._error = exc
            self._steps = None
            return False

    @property
    def running(self) -> bool:
        """True while a worker writes (until ``wait``)."""
        return self._thread is not None

    def wait(self) -> None:
        """Finish the writing (doing the steps the worker has not begun), wait for the worker and
        resume the collector; raise the error of a step (once). Safe to call from two threads at
        once (``manifest`` from another thread during a synth)."""
        thread = self._thread
        if thread is not None:
            self._taken_over = True
            try:
                while self._advance():
                    pass
            finally:
                thread.join()
                with self._step_lock:
                    ended = self._thread is thread
                    if ended:
                        self._thread = None
                        self._steps = None
                if ended:
                    self.collector.resume()
        with self._step_lock:
            error, self._error = self._error, None
        if error is not None:
            raise error

    def manifest(self) -> dict[str, Any] | None:
        """The last manifest, as written to ``manifest.json`` (parsed on first use)."""
        self.wait()
        with self._step_lock:  # one parse, of the bytes of the last synth
            if self._manifest is None and self._manifest_json is not None:
                self._manifest = load_json_bytes(self._manifest_json)
            return self._manifest


#: How far the evidence worker lowers its scheduling priority (a nice increment; Linux only).
WORKER_NICE_INCREMENT = 10


def _yield_cpu() -> bool:
    """Lower the calling thread's scheduling priority by ``WORKER_NICE_INCREMENT`` when no other
    work on the machine competes for its cores (Linux, where a nice value belongs to a thread;
    elsewhere nothing changes). True when it did.

    The evidence worker runs while the node process finishes the synth with CDK's built-in
    template validation, and node uses more than one core there (presumably V8's helper threads,
    which compile the validator's WebAssembly and collect garbage). On the 2,000-resource
    benchmark with two cores, a worker at the same priority made that validation about 0.2 s
    slower, as a busy loop in its place did; at a lower priority the validation took its usual
    time and the worker ran on what node left idle (``docs/performance.md``).

    A nice value raised without privilege cannot be lowered again, and a low-priority thread
    starves while other processes keep every core busy: a step of the worker that needs 0.5 s of
    CPU took 9-14 s beside two to four busy processes on two cores. The synth's thread takes over
    the steps the worker has not begun, but not the one under way. So the priority is lowered only
    when, at the worker's start, fewer tasks outside this process and its children (the node
    process) are runnable than there are cores for this process (:func:`_runnable_elsewhere`);
    load that arrives later is not seen.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
        if _runnable_elsewhere() >= cores:
            return False
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, current + WORKER_NICE_INCREMENT))
    except (OSError, AttributeError, ValueError):  # no /proc, or a sandbox that forbids it
        return False
    return True


def _runnable_elsewhere() -> int:
    """How many tasks are runnable on the machine now outside this process and its descendants."""
    total, ours = _runnable_counts()
    return total - ours


def _runnable_counts() -> tuple[int, int]:
    """The kernel's count of runnable tasks (``/proc/loadavg``), and how many of them are threads
    of this process or of its descendants (the jsii node process and its own children)."""
    with open("/proc/loadavg", "rb") as fh:
        total = int(fh.read().split()[3].split(b"/")[0])
    ours = sum(stat_fields(stat)[0] == b"R" for _, _, stat in process_tree_threads(os.getpid()))
    return total, ours


class _Deferred:
    """One ``app.synth()`` of ``Bio2``'s app: the worker may write the evidence, the work that owes
    nothing to the synth is done ahead (``_Ahead``), and the cyclic collector is paused from the
    start of the synth to the last evidence file (see :mod:`bio2_aspects.collector`)."""

    def __init__(self, writes: _EvidenceWrites, modules: Sequence[str] = ()) -> None:
        self._writes = writes
        self._modules = tuple(modules)
        self._collector = CollectorPause()

    def __enter__(self) -> _Deferred:
        self._collector.pause()
        self._writes.deferring = True
        self._writes.ahead = _Ahead(self._modules)
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            self._finish(exc)
        finally:
            self._collector.resume()

    def _finish(self, exc: Any) -> None:
        self._writes.deferring = False
        self._writes.ahead = None
        if exc is None:
            self._writes.wait()
            return
        try:  # the synth failed (e.g. on an error-level violation): the evidence is still written
            self._writes.wait()
        except Exception as write_error:  # the synth's own error stays the one raised
            print(f"BIO2: the evidence files could not be written: {write_error}", file=sys.stderr)


#: What the plugin's turn imports on first use (besides the evidence modules of the worker).
_PLUGIN_MODULES = ("bio2_aspects.claims",)


class _Ahead:
    """What a synth's check and evidence need that owes nothing to the synth, done in a thread
    from the start of ``app.synth()``: importing the modules of the plugin's turn and of the
    evidence worker (the manifest models, pydantic, the renderers), reading the packaged BIO2
    catalog, and reading the state of the working tree for the manifest's ``audit`` block (three
    ``git`` commands). Node renders the templates meanwhile and the second core is mostly idle;
    done later, this work sat on the plugin's turn, which the synth waits for, or competed with
    CDK's own validation.

    Nothing here touches CDK or jsii. Whatever fails here is done again where it is needed, and
    fails there with its own error.
    """

    def __init__(self, modules: Sequence[str]) -> None:
        self._modules = tuple(modules)
        self._cwd = os.getcwd()
        self._git: dict[str, Any] | None = None
        self._thread = threading.Thread(target=self._run, name="bio2-evidence-ahead", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for name in self._modules:
            try:
                importlib.import_module(name)
            except Exception:  # imported again where it is needed, which reports the error
                continue
        # the packaged catalog, read once per process (cached); should it fail here, the plugin's
        # turn reads it again and reports the error
        with contextlib.suppress(Exception):
            load_catalog()
        try:
            self._git = look_up_ahead(self._cwd)
        except Exception:  # read again by the manifest
            self._git = None

    def git_state(self) -> dict[str, Any] | None:
        """The working tree's state read ahead (waiting for it), or None (read it anew) when it
        could not be read or the working directory has changed since."""
        self._thread.join()
        return self._git if os.getcwd() == self._cwd else None


def _violating_resource_factory() -> Callable[[str, str, str], cdk.PolicyViolatingResource]:
    """A maker of ``PolicyViolatingResource(resource_logical_id=, template_path=, locations=[...])``.

    The generated constructor type-checks every argument (about 0.2 ms per resource, over a second
    for the thousands of violations of a large app); the arguments here are plain strings, so the
    struct is filled the way that constructor fills it. A probe made by the real constructor
    proves the layout first; should a jsii release store structs differently, the real
    constructor is used.
    """
    cls = cdk.PolicyViolatingResource
    probe = cls(resource_logical_id="L", template_path="T", locations=["P"])
    expected = {"locations": ["P"], "resource_logical_id": "L", "template_path": "T"}
    if vars(probe) != {"_values": expected}:
        return lambda lid, template, location: cls(
            resource_logical_id=lid, template_path=template, locations=[location]
        )

    def make(lid: str, template: str, location: str) -> cdk.PolicyViolatingResource:
        obj = cls.__new__(cls)
        obj._values = {"locations": [location], "resource_logical_id": lid, "template_path": template}
        return obj

    return make


def violating_resource(lid: str, template: str, location: str) -> cdk.PolicyViolatingResource:
    """``PolicyViolatingResource`` of one resource (see :func:`_violating_resource_factory`)."""
    global _make_violating_resource
    if _make_violating_resource is None:
        _make_violating_resource = _violating_resource_factory()
    return _make_violating_resource(lid, template, location)


_make_violating_resource: Callable[[str, str, str], cdk.PolicyViolatingResource] | None = None


def _assembly_root(paths: Sequence[str]) -> str:
    """The top assembly directory: the highest directory with a manifest.json above the templates."""
    if not paths:
        return os.getcwd()
    root = Path(os.path.commonpath([os.path.dirname(p) for p in paths]))
    while (root.parent / "manifest.json").is_file() and root.parent != root:
        root = root.parent
    return str(root)


def __getattr__(name: str) -> Any:
    if name == "Bio2Checks":  # the cdk-nag pack loads cdk-nag only when asked for
        from bio2_aspects.nagpack import Bio2Checks

        return Bio2Checks
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
