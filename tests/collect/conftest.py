"""Fixtures of the collector tests: a design-time manifest on disk (the evidence fixture)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.evidence.conftest import build_fixture_manifest


@pytest.fixture(scope="session")
def design_manifest() -> dict[str, Any]:
    return build_fixture_manifest()


@pytest.fixture
def design_path(tmp_path: Path, design_manifest: dict[str, Any]) -> Path:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(design_manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
