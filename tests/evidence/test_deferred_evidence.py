"""The synth's own manifest validates each measure's evidence items when a report first reads
them (``as_manifest(..., defer_evidence=True)``, used by ``writer.write_evidence``): the same
model, the same data and the same bytes of every output as the manifest validated whole."""

from __future__ import annotations

import copy
from typing import Any

import pydantic
import pytest

from bio2_aspects.evidence import models
from bio2_aspects.evidence.exporters import ALL_FORMATS, render_files


def test_deferred_model_equals_the_whole_one(manifest: dict[str, Any]) -> None:
    whole = models.as_manifest(manifest)
    deferred = models.as_manifest(manifest, defer_evidence=True)
    with_items = [m for m in deferred.measures if len(m.evidence)]
    assert with_items, "the fixture has evidence"
    assert isinstance(with_items[0].evidence, models.DeferredEvidence)
    assert deferred == whole
    assert models.manifest_data(deferred) == models.manifest_data(whole) == manifest
    first = with_items[0].evidence[0]
    assert isinstance(first, models.EvidenceItem)
    assert list(with_items[0].evidence) == list(
        whole.measures[deferred.measures.index(with_items[0])].evidence
    )


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_output_is_the_same(manifest: dict[str, Any], lang: str) -> None:
    whole = render_files(models.as_manifest(manifest), ALL_FORMATS, lang, digest="0" * 64)
    deferred = render_files(
        models.as_manifest(manifest, defer_evidence=True), ALL_FORMATS, lang, digest="0" * 64
    )
    assert deferred == whole


def test_a_bad_item_is_reported_when_read(manifest: dict[str, Any]) -> None:
    broken = copy.deepcopy(manifest)
    measure = next(m for m in broken["measures"] if m["evidence"])
    measure["evidence"][0]["kind"] = "rumour"
    with pytest.raises(pydantic.ValidationError):
        models.as_manifest(broken)  # data from elsewhere: every problem at once
    deferred = models.as_manifest(broken, defer_evidence=True)
    index = broken["measures"].index(measure)
    with pytest.raises(pydantic.ValidationError, match="kind"):
        list(deferred.measures[index].evidence)


def test_the_rules_of_the_evidence_are_read_without_validating_it(manifest: dict[str, Any]) -> None:
    from bio2_aspects.evidence.common import rule_measures

    whole = models.as_manifest(manifest)
    deferred = models.as_manifest(manifest, defer_evidence=True)
    assert rule_measures(deferred) == rule_measures(whole)
    lists = [m.evidence for m in deferred.measures if len(m.evidence)]
    assert all(isinstance(e, models.DeferredEvidence) and e._items is None for e in lists)  # still raw
    for evidence, measure in zip(lists, [m for m in whole.measures if len(m.evidence)], strict=True):
        expected = [item.rule for item in measure.evidence if item.rule]
        assert models.evidence_rule_ids(evidence) == expected
        list(evidence)  # validated now: the same answer from the models
        assert models.evidence_rule_ids(evidence) == expected


def test_sarif_reads_no_evidence_item(manifest: dict[str, Any]) -> None:
    deferred = models.as_manifest(manifest, defer_evidence=True)
    render_files(deferred, ("sarif", "md"), "en", digest="0" * 64)
    assert all(m.evidence._items is None for m in deferred.measures if len(m.evidence))


def test_the_resource_register_is_validated_when_read(manifest: dict[str, Any]) -> None:
    whole = models.as_manifest(manifest)
    deferred = models.as_manifest(manifest, defer_evidence=True)
    assert isinstance(deferred.resources, models.DeferredResources)
    assert len(deferred.resources) == len(manifest["resources"]) > 0
    assert deferred.resources._items is None  # len() reads the raw list
    render_files(deferred, ("sarif", "md"), "en", digest="0" * 64)
    assert deferred.resources._items is None, "the default reports never read the register"
    assert list(deferred.resources) == list(whole.resources)
    assert all(isinstance(r, models.Resource) for r in deferred.resources)
    assert models.manifest_data(deferred) == manifest


def test_a_bad_resource_is_reported_when_read(manifest: dict[str, Any]) -> None:
    broken = copy.deepcopy(manifest)
    broken["resources"][0]["type"] = 7
    with pytest.raises(pydantic.ValidationError):
        models.as_manifest(broken)
    deferred = models.as_manifest(broken, defer_evidence=True)
    with pytest.raises(pydantic.ValidationError, match="type"):
        list(deferred.resources)


def test_threads_that_read_a_fresh_deferred_list_at_once_all_get_its_items(manifest: dict[str, Any]) -> None:
    """The first read validates the list; a second thread reading it meanwhile gets the items too
    (perhaps validated a second time), never an error about data already dropped."""
    import threading

    expected = list(models.as_manifest(manifest).resources)
    errors: list[BaseException] = []
    for _ in range(60):
        resources = models.as_manifest(manifest, defer_evidence=True).resources
        start = threading.Barrier(4)

        def read(items: Any = resources, barrier: threading.Barrier = start) -> None:
            barrier.wait()
            try:
                assert len(items) == len(expected)
                assert list(items) == expected
            except BaseException as exc:  # reported below, from the test's own thread
                errors.append(exc)

        threads = [threading.Thread(target=read) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
