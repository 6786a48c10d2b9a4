"""Shared test set-up: offline, deterministic, no AWS."""

from __future__ import annotations

import os

os.environ.setdefault("CDK_DISABLE_CLI_TELEMETRY", "true")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")
for var in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
    os.environ.pop(var, None)


# --------------------------------------------------------------------------- synth helpers

import pytest  # noqa: E402

from tests.synthkit import MINIMAL_YAML, Synth, synth_landing_zone  # noqa: E402

__all__ = ["Synth", "synth_landing_zone"]


@pytest.fixture(scope="session")
def default_synth(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    """The embedded default landing zone, synthesized once per test session."""
    return synth_landing_zone(tmp_path_factory.mktemp("default-lz"))


@pytest.fixture
def minimal_yaml() -> str:
    """The smallest valid landing-zone.yaml: the four required accounts, everything else default."""
    return MINIMAL_YAML
