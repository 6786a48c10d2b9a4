"""Generate the tagging rule's data files from cfn-lint's bundled CloudFormation schemas.

Run as ``python -m bio2_aspects.rules.gen_taggable_types`` (``--check`` only compares).

cfn-lint ships one provider map per region (``cfnlint/data/schemas/providers/<region>.json``,
resource type -> schema hash) and the registry schemas themselves
(``cfnlint/data/schemas/resources/<hash>.json``). We take the union over all regions, so
a type counts as taggable when any region's schema declares it so. Two files are written:

* ``data/taggable_types.json``: sorted list of resource types whose schema has a
  top-level ``Tags`` property.
* ``data/tag_properties.json``: types that keep their tags in another top-level property
  (schema ``tagging.tagProperty``, e.g. ``AWS::Backup::BackupVault`` ->
  ``BackupVaultTags``), so the classification rule can check those too.
* ``data/tag_shapes.json``: types whose tag property is not a list of ``Key``/``Value`` pairs:
  ``map`` (an object of key to value) or ``asg`` (list entries also need ``PropagateAtLaunch``),
  so that the engine can write its measure tags into a template in the type's own shape
  (:mod:`bio2_aspects.synthesizer`). ``unknown`` marks a schema that names no shape.

The output is deterministic (sorted, fixed formatting) so a test can compare it.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
TAGGABLE_FILE = "taggable_types.json"
TAG_PROPERTIES_FILE = "tag_properties.json"
TAG_SHAPES_FILE = "tag_shapes.json"


def _resolve(schema: dict, node: dict) -> dict:
    """Follow local ``$ref`` pointers (``#/definitions/Tag``) to the node they name."""
    for _ in range(5):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            break
        target: dict = schema
        for part in ref[2:].split("/"):
            target = target.get(part, {})
        node = target
    return node


def _shape(schema: dict, prop: dict) -> str:
    node = _resolve(schema, prop)
    kind = node.get("type")
    if kind == "array":
        item = _resolve(schema, node.get("items", {}))
        return "asg" if "PropagateAtLaunch" in item.get("required", []) else "list"
    if kind == "object" or (isinstance(kind, list) and "object" in kind):
        return "map"
    return "unknown"


def collect() -> tuple[list[str], dict[str, str], dict[str, str]]:
    """Read cfn-lint's schemas: (types with a ``Tags`` property, type -> other tag property,
    type -> tag shape where it is not a list)."""
    schemas = resources.files("cfnlint.data.schemas")
    providers = schemas / "providers"
    type_hashes: dict[str, set[str]] = {}
    for entry in sorted(providers.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        mapping = json.loads(entry.read_text(encoding="utf-8"))
        for cfn_type, digest in mapping.items():
            type_hashes.setdefault(cfn_type, set()).add(digest)

    with_tags: set[str] = set()
    other: dict[str, str] = {}
    shapes: dict[str, str] = {}
    for cfn_type, digests in type_hashes.items():
        for digest in sorted(digests):
            schema = json.loads((schemas / "resources" / f"{digest}.json").read_text(encoding="utf-8"))
            props = schema.get("properties", {})
            if "Tags" in props:
                with_tags.add(cfn_type)
            tag_property = (schema.get("tagging") or {}).get("tagProperty") or ""
            name = tag_property.removeprefix("/properties/")
            if (
                tag_property.startswith("/properties/")
                and "/" not in name
                and name != "Tags"
                and name in props
            ):
                other[cfn_type] = name
            tag_name = other.get(cfn_type, "Tags")
            if tag_name in props:
                shape = _shape(schema, props[tag_name])
                if shape != "list":
                    shapes[cfn_type] = shape
    for cfn_type in with_tags:
        other.pop(cfn_type, None)
    return sorted(with_tags), dict(sorted(other.items())), dict(sorted(shapes.items()))


def render() -> dict[str, str]:
    """File name -> exact file content."""
    taggable, other, shapes = collect()
    return {
        TAGGABLE_FILE: json.dumps(taggable, indent=1) + "\n",
        TAG_PROPERTIES_FILE: json.dumps(other, indent=1, sort_keys=True) + "\n",
        TAG_SHAPES_FILE: json.dumps(shapes, indent=1, sort_keys=True) + "\n",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the files are out of date")
    args = parser.parse_args(argv)
    stale = []
    for name, content in render().items():
        path = DATA_DIR / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == content:
            continue
        stale.append(name)
        if not args.check:
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    if args.check and stale:
        print(f"out of date: {', '.join(stale)} (run python -m bio2_aspects.rules.gen_taggable_types)")
        return 1
    for name in stale:
        print(f"wrote {DATA_DIR / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
