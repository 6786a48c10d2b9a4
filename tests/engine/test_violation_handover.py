"""The violations handed to CDK's report: the fast struct maker gives what the constructor gives."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk

from bio2_aspects import pack


def test_fast_struct_equals_the_constructors() -> None:
    made = pack.violating_resource("Bucket1", "/out/App.template.json", "App/Bucket/Resource")
    real = cdk.PolicyViolatingResource(
        resource_logical_id="Bucket1",
        template_path="/out/App.template.json",
        locations=["App/Bucket/Resource"],
    )
    assert made == real and repr(made) == repr(real)
    assert made.locations == ["App/Bucket/Resource"] and made.construct_path is None
    # what jsii sends to CDK: the same struct data
    from jsii._kernel import _make_reference_for_native

    assert _make_reference_for_native(None, made) == _make_reference_for_native(None, real)


def test_another_struct_layout_falls_back_to_the_constructor(monkeypatch: Any) -> None:
    calls: list[dict[str, Any]] = []

    class Other:  # a struct that stores its fields differently
        def __init__(self, **kwargs: Any) -> None:
            calls.append(kwargs)
            self.fields = kwargs

    monkeypatch.setattr(cdk, "PolicyViolatingResource", Other)
    make = pack._violating_resource_factory()
    obj = make("L", "T", "P")
    assert isinstance(obj, Other) and obj.fields == {
        "resource_logical_id": "L",
        "template_path": "T",
        "locations": ["P"],
    }
    assert len(calls) == 2  # the probe and the real one
