"""Fixtures for the rule-library tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from rules_testkit import resource_from

from bio2_aspects.rules import Resource


@pytest.fixture
def make_resource() -> Callable[..., Resource]:
    """``make_resource({"Resources": {...}}, "LogicalId")`` -> Resource wired to its StackView."""

    def build(template: Mapping[str, Any], logical_id: str = "R") -> Resource:
        return resource_from(template, logical_id)

    return build
