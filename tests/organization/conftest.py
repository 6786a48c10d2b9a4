"""Fixtures of the organization tests."""

from __future__ import annotations

import pytest

from landing_zone.config import load_config
from tests.organization.org_testkit import planned_policies


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.fixture(scope="module")
def policies(config):
    return planned_policies(config)
