"""Generate ``_map_tag_types.py`` from cfn-lint's bundled CloudFormation schemas.

Run as ``python -m landing_zone.classification.gen_tag_formats`` (``--check`` only compares).

Most resource types keep their tags as a list of ``{"Key": .., "Value": ..}`` entries; some keep
them as a map (``AWS::Backup::BackupVault`` ``BackupVaultTags``, ``AWS::SSM::Parameter`` ``Tags``).
CDK's tag manager knows the format of every L1 class, but a plain ``CfnResource`` (as CDK's own
custom resource providers create for their Lambda function and role) has no tag manager: the
classification aspect then writes the tag property itself and needs to know the format. The
module lists the taggable types whose tag property is a map; every other taggable type uses a
list. It is Python, not JSON, so that it ships with the package without package-data settings.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from bio2_aspects.rules.tagging import TAG_PROPERTIES, TAGGABLE_TYPES

DATA_FILE = Path(__file__).resolve().parent / "_map_tag_types.py"


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema.get("definitions", {}).get(node["$ref"].rsplit("/", 1)[-1], {})
    return node


def collect() -> list[str]:
    """Taggable types whose tag property is an object (map) in any region's schema."""
    schemas = resources.files("cfnlint.data.schemas")
    digests: dict[str, set[str]] = {}
    for entry in sorted((schemas / "providers").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            for cfn_type, digest in json.loads(entry.read_text(encoding="utf-8")).items():
                digests.setdefault(cfn_type, set()).add(digest)
    found: set[str] = set()
    for cfn_type in sorted(TAGGABLE_TYPES | set(TAG_PROPERTIES)):
        prop = TAG_PROPERTIES.get(cfn_type, "Tags")
        for digest in sorted(digests.get(cfn_type, ())):
            schema = json.loads((schemas / "resources" / f"{digest}.json").read_text(encoding="utf-8"))
            node = _resolve(schema, schema.get("properties", {}).get(prop, {}))
            kind = node.get("type")
            kinds = kind if isinstance(kind, list) else [kind]
            if "object" in kinds:
                found.add(cfn_type)
    return sorted(found)


def render() -> str:
    lines = [
        '"""Taggable CloudFormation types whose tag property is a map (generated: do not edit).',
        "",
        "Regenerate with ``python -m landing_zone.classification.gen_tag_formats``.",
        '"""',
        "",
        "MAP_TAG_TYPES: frozenset[str] = frozenset(",
        "    {",
        *(f'        "{cfn_type}",' for cfn_type in collect()),
        "    }",
        ")",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, exit 1 when out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = DATA_FILE.read_text(encoding="utf-8") if DATA_FILE.exists() else ""
        if current != text:
            print(f"{DATA_FILE} is out of date; run python -m {__spec__.name}", file=sys.stderr)
            return 1
        return 0
    DATA_FILE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
