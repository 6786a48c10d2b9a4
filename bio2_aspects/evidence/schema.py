"""The manifest's JSON Schema, generated from the pydantic models (``evidence/models.py``) and
copied to ``docs/``.

``python -m bio2_aspects.evidence.schema`` rewrites ``docs/manifest.schema.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bio2_aspects.evidence.models import Manifest


def manifest_schema() -> dict[str, Any]:
    """The JSON Schema of ``manifest.json``, generated from the pydantic models."""
    generated = Manifest.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://bio2-landing-zone.example/schemas/manifest.schema.json",
        **generated,
        "title": "BIO2 evidence manifest",
        "description": "BIO2 measures, status and evidence; Statement of Applicability; resources; rules.",
    }


def schema_text() -> str:
    return json.dumps(manifest_schema(), indent=2, sort_keys=True) + "\n"


DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "manifest.schema.json"


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m bio2_aspects.evidence.schema",
        description=f"Regenerate {DOCS_PATH.name}, the JSON schema of the BIO2 manifest.",
    )
    parser.parse_args(argv)
    DOCS_PATH.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {DOCS_PATH}")


if __name__ == "__main__":
    main()
