"""The generated documents in docs/ match the models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from landing_zone.config import docs
from landing_zone.config.validate import CHECKS


@pytest.mark.parametrize("name", [docs.SCHEMA_FILE, docs.REFERENCE_FILE])
def test_generated_document_is_up_to_date(name: str) -> None:
    path = docs.DOCS_DIR / name
    assert path.is_file(), f"{path} is missing; run: {docs.REGENERATE}"
    assert path.read_text(encoding="utf-8") == docs.outputs()[name], (
        f"{path} is out of date with the models in landing_zone/config/; run: {docs.REGENERATE}"
    )


def test_schema_text_is_deterministic_and_sorted() -> None:
    text = docs.schema_text()
    assert text == docs.schema_text()
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    schema = json.loads(text)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"version", "organization"}


def test_reference_covers_every_section_and_check() -> None:
    text = docs.reference_text()
    for section, _, _ in CHECKS:
        assert f"## `{section}`" in text
    assert "### `organization.accounts[]`" in text
    assert "| `retention_days` | integer | `1095` |" in text
    assert "8.15.04" in text
    assert "No two VPCs overlap" in text
    assert "| `eu-west-2` | London | no |" in text


def test_write_and_stale(tmp_path: Path) -> None:
    assert {path.name for path in docs.stale(tmp_path)} == {docs.SCHEMA_FILE, docs.REFERENCE_FILE}
    docs.write(tmp_path)
    assert docs.stale(tmp_path) == []
