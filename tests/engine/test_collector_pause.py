"""Python's cyclic collector is paused for the whole of ``app.synth()`` of Bio2's app, and for the
engine's own work in any other synth, and only for that.

What must hold: the collector is off while the engine tags a template, evaluates the templates
after synthesis and writes the evidence (in the worker too), and throughout ``app.synth()`` of
Bio2's app (the app's own hooks included); in any other synth the app's code runs with the
collector as the app left it; it is back in the state the app left
it in when ``app.synth()`` returns, also when the synth or the worker fails and when no worker
runs (``Template.from_stack``); an app that had it disabled keeps it disabled; and the engine
leaves no reference cycles behind for the collector to find (its views are released), so the
pause costs no memory.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii
import pytest
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Template
from constructs import IValidation

from bio2_aspects import Bio2, pack
from bio2_aspects.assembly import read_assembly
from bio2_aspects.collector import CollectorPause, collector_paused
from bio2_aspects.engine import RuleSet, build_view, evaluate_stack, evaluate_templates
from bio2_aspects.evidence import writer
from bio2_aspects.rules import Resource, Result, StackView
from bio2_aspects.rules.base import Rule
from bio2_aspects.synthesizer import Bio2StackSynthesizer

ENV = cdk.Environment(account="123456789012", region="eu-central-1")


@pytest.fixture(autouse=True)
def _collector_enabled() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def _app(outdir: Path, *, synthesizer: bool = True) -> tuple[cdk.App, cdk.Stack]:
    kwargs: dict[str, Any] = {"default_stack_synthesizer": Bio2StackSynthesizer()} if synthesizer else {}
    app = cdk.App(outdir=str(outdir), **kwargs)
    stack = cdk.Stack(app, "Orders", env=ENV)
    s3.Bucket(stack, "Uploads")
    sqs.Queue(stack, "Jobs")
    return app, stack


def _recording_rule(seen: list[bool]) -> Rule:
    def check(res: Resource) -> Result:
        seen.append(gc.isenabled())
        return Result.COMPLIANT

    return Rule(
        id="BIO2-Test-CollectorProbe",
        resource_types=("AWS::SQS::Queue",),
        measures=("8.15.01",),
        finding="probe",
        fix="none",
        check=check,
    )


def _record_worker(monkeypatch: Any) -> list[bool]:
    seen: list[bool] = []
    real = writer.evidence_steps

    def recording(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(writer, "evidence_steps", recording)
    return seen


# ------------------------------------------------------------------ the helper


def test_collector_paused_restores_the_previous_state() -> None:
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner block does not turn it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()

    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # disabled before, disabled after


def test_collector_paused_restores_on_error() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_pause_resumes_once_and_only_what_it_paused() -> None:
    pause = CollectorPause()
    pause.pause()
    pause.pause()  # reentrant
    assert pause.active and not gc.isenabled()
    pause.resume()
    assert not pause.active and gc.isenabled()
    pause.resume()  # nothing left to resume
    assert gc.isenabled()

    gc.disable()
    other = CollectorPause()
    other.pause()
    assert not other.active  # it disabled nothing...
    other.resume()
    assert not gc.isenabled()  # ...so it enables nothing


# ------------------------------------------------------------------ a synth


def test_the_engine_runs_paused_and_the_synth_returns_with_the_collector_on(
    tmp_path: Path, monkeypatch: Any
) -> None:
    in_rules: list[bool] = []
    in_worker = _record_worker(monkeypatch)
    app, _ = _app(tmp_path)
    Bio2(app, report_only=True, rules=[_recording_rule(in_rules)])
    assert gc.isenabled()
    app.synth()
    # once while the synthesizer tags the template, once after synthesis: both paused
    assert in_rules == [False, False]
    assert in_worker == [False]
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled(tmp_path: Path) -> None:
    app, _ = _app(tmp_path)
    Bio2(app, report_only=True)
    gc.disable()
    app.synth()
    assert not gc.isenabled()


def _raising(error: Exception) -> Any:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise error

    return broken


@pytest.mark.parametrize(
    ("where", "report_only", "raised", "error"),
    [
        (None, False, Exception, r"Validation failed|ValidationFailed"),  # the bucket and queue fail it
        ((pack, "assess", RuntimeError("assessment failed")), True, Exception, "assessment failed"),
        ((writer, "evidence_steps", OSError("disk full")), True, OSError, "disk full"),  # the worker
    ],
    ids=["failed-synth", "plugin-error", "worker-error"],
)
def test_a_failure_restores_the_collector(
    tmp_path: Path,
    monkeypatch: Any,
    where: tuple[Any, str, Exception] | None,
    report_only: bool,
    raised: type[Exception],
    error: str,
) -> None:
    if where is not None:
        owner, name, exc = where
        monkeypatch.setattr(owner, name, _raising(exc))
    app, _ = _app(tmp_path)
    Bio2(app, report_only=report_only)
    with pytest.raises(raised, match=error):
        app.synth()
    assert gc.isenabled()


def test_without_worker_the_plugin_resumes_before_it_returns(tmp_path: Path, monkeypatch: Any) -> None:
    in_worker = _record_worker(monkeypatch)
    app, stack = _app(tmp_path, synthesizer=False)
    Bio2(app, report_only=True)
    Template.from_stack(stack)
    assert in_worker == [False]  # written in the plugin's turn, paused
    assert gc.isenabled()


# ------------------------------------------------------------------ no cycles left behind


def _live(*types: type) -> int:
    return sum(1 for obj in gc.get_objects() if isinstance(obj, types))


def test_evaluation_leaves_no_views_for_the_collector(tmp_path: Path) -> None:
    _, stack = _app(tmp_path, synthesizer=False)
    Template.from_stack(stack)  # writes the template
    stacks = read_assembly(sorted(tmp_path.glob("*.template.json")), tmp_path)
    gc.collect()
    gc.disable()
    before = _live(StackView, Resource)
    evaluations = evaluate_templates(stacks, RuleSet())
    assert evaluations and evaluations[0].results
    assert _live(StackView, Resource) == before  # freed by reference counting, not left in cycles


def test_released_views_are_freed_by_reference_counting() -> None:
    template = json.loads(
        json.dumps(
            {
                "Q": {"Type": "AWS::SQS::Queue", "Properties": {}},
                "D": {"Type": "AWS::SQS::Queue", "Condition": "Maybe", "Properties": {}},
            }
        )
    )
    gc.collect()
    gc.disable()
    before = _live(StackView, Resource)
    view = build_view("T", template, conditions={"Maybe": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}})
    assert evaluate_stack(view, RuleSet())  # evaluates on two sub-views (the Condition is unknown)
    assert view.derived("probe", lambda v: len(v.resources)) == 2
    view.release()
    assert view.resources == {} and view.derived("probe", lambda v: len(v.resources)) == 0
    del view
    assert _live(StackView, Resource) == before


@jsii.implements(IValidation)
class _Probe:
    """An app's own validation hook: records the collector's state when CDK runs it."""

    def __init__(self, seen: list[bool]) -> None:
        self.seen = seen

    def validate(self) -> list[str]:
        self.seen.append(gc.isenabled())
        return []


def test_bio2s_synth_runs_paused_throughout_and_other_synths_leave_the_app_alone(tmp_path: Path) -> None:
    """In ``app.synth()`` of Bio2's app, the app's hooks run paused too (the engine's steps are
    spread over the whole synth); in a synth started another way they run as the app left it."""
    seen: list[bool] = []
    app, stack = _app(tmp_path / "bio2")
    stack.node.add_validation(_Probe(seen))
    Bio2(app, report_only=True)
    app.synth()
    assert seen == [False] and gc.isenabled()
    seen.clear()
    other, other_stack = _app(tmp_path / "other")
    other_stack.node.add_validation(_Probe(seen))
    Bio2(other, report_only=True)
    Template.from_stack(other_stack)
    assert seen == [True] and gc.isenabled()
