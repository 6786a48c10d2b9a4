"""Classification tagging rule.

Measures: 5.12.01 (information is classified with an explicit risk assessment),
5.09.01 (the asset inventory holds the properties needed for management).

Every resource whose type supports tags must carry the three BIV classification tags
(confidentiality, integrity, availability), each with one of the levels in
``CLASSIFICATION_LEVELS``. "Supports tags" comes
from cfn-lint's bundled CloudFormation schemas (see :mod:`.gen_taggable_types`); types
without tag support are NOT_APPLICABLE. Tags whose key starts with ``bio2:measures`` are
written by the engine itself and are ignored here and by every other rule.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from bio2_aspects.messages import msg

from ._helpers import Unverifiable, is_intrinsic, is_no_value, synth_time, to_str
from .base import Outcome, Resource, Result, rule

CONFIDENTIALITY_TAG = "bio2:confidentiality"
INTEGRITY_TAG = "bio2:integrity"
AVAILABILITY_TAG = "bio2:availability"
CLASSIFICATION_TAGS: tuple[str, ...] = (CONFIDENTIALITY_TAG, INTEGRITY_TAG, AVAILABILITY_TAG)
#: The values a classification tag may take (exact case): the BIV levels. A landing zone's tag policy
#: must accept exactly these; a tag with any other value classifies nothing.
CLASSIFICATION_LEVELS: tuple[str, ...] = ("low", "medium", "high")

#: Tag that declares a resource's purpose; ``bio2:purpose=logs`` marks a log bucket.
PURPOSE_TAG = "bio2:purpose"
LOG_PURPOSE = "logs"

#: Prefix of the engine's own evidence tags; never an input to any rule.
MEASURES_TAG_PREFIX = "bio2:measures"


def _load(name: str) -> Any:
    return json.loads(resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8"))


#: Resource types whose CloudFormation schema has a top-level ``Tags`` property.
TAGGABLE_TYPES: frozenset[str] = frozenset(_load("taggable_types.json"))
#: Types that hold their tags in another property (``AWS::Backup::BackupVault`` -> ``BackupVaultTags``).
TAG_PROPERTIES: Mapping[str, str] = dict(_load("tag_properties.json"))


def tag_property(cfn_type: str) -> str:
    """The property that holds a type's tags: ``Tags``, or e.g. ``BackupVaultTags``."""
    return TAG_PROPERTIES.get(cfn_type, "Tags")


def supports_tags(cfn_type: str) -> bool:
    return cfn_type in TAGGABLE_TYPES or cfn_type in TAG_PROPERTIES


def resource_tags(resource: Resource) -> dict[str, Any]:
    """The resource's tags as a dict, without ``bio2:measures*`` keys.

    Reads the type's tag property (``Tags`` or e.g. ``BackupVaultTags``), as a list of
    ``Key``/``Value`` pairs or as a map. Raises :class:`Unverifiable` when the tag
    property, or an entry of it, is a conditional intrinsic.
    """
    prop = tag_property(resource.type)
    raw = resource.properties.get(prop)
    if raw is None or is_no_value(raw):
        return {}
    if is_intrinsic(raw):
        raise Unverifiable(prop, raw)
    out: dict[str, Any] = {}
    if isinstance(raw, list):
        for i, entry in enumerate(raw):
            if is_no_value(entry):
                continue
            if not isinstance(entry, Mapping) or is_intrinsic(entry):
                raise Unverifiable(f"{prop}[{i}]", entry)
            key = entry.get("Key")
            if isinstance(key, str):
                out[key] = entry.get("Value")
    elif isinstance(raw, Mapping):
        out = {k: v for k, v in raw.items() if isinstance(k, str)}
    return {k: v for k, v in out.items() if not k.startswith(MEASURES_TAG_PREFIX)}


@rule(
    "BIO2-Tagging-Classification",
    types=sorted(TAGGABLE_TYPES | set(TAG_PROPERTIES)),
    finding="Resource lacks a BIV classification tag "
    "(bio2:confidentiality, bio2:integrity, bio2:availability) with a level low, medium or high",
    fix="Tag the resource (or its stack: Tags.of(scope).add(...)) with all three bio2:* classification tags, "
    "each low, medium or high",
)
@synth_time
def classification_tags(res: Resource) -> Outcome:
    """The three BIV classification tags are present, each with a classification level."""
    if not supports_tags(res.type):
        return Result.NOT_APPLICABLE, f"{res.type} does not support tags"
    tags = resource_tags(res)
    missing, wrong = [], []
    for key in CLASSIFICATION_TAGS:
        value = to_str(tags.get(key), f"tag {key}")
        if value is None or not value.strip():
            missing.append(key)
        elif value not in CLASSIFICATION_LEVELS:
            wrong.append(f"{key}={value!r}")
    problems = []
    if missing:
        problems.append(msg("rule.tagging.missing", tags=list(missing)))
    if wrong:
        problems.append(msg("rule.tagging.not_level", levels=list(CLASSIFICATION_LEVELS), wrong=list(wrong)))
    if problems:
        return Result.NON_COMPLIANT, msg("rule.findings", findings_list=problems)
    return Result.COMPLIANT
