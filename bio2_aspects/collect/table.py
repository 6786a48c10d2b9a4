"""The run-time mapping table: Config rules, Security Hub controls and finding sources -> measures.

Same row format as ``bio2_aspects/mappings/data/rules.json`` (measure, strength, facet, rationale
in English and Dutch). The organization conformance pack deploys exactly the rules of
``config_rules`` (a test keeps the two in step) and the collector maps what they report with the
same rows.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from bio2_aspects.mappings import MeasureMapping, parse_mappings

#: Monitor IDs in the manifest: ``<prefix><key>``.
CONFIG_PREFIX = "config:"
SECURITYHUB_PREFIX = "securityhub:"
FINDINGS_PREFIX = "finding:"
PROWLER_PREFIX = "prowler:"

# Names AWS gives a rule deployed by an organization conformance pack or as organization rule.
_PACK_SUFFIX = re.compile(r"-conformance-pack-[a-z0-9]+$")
_ORG_RULE = re.compile(r"^OrgConfigRule-(.+)-[a-z0-9]+$")


@cache
def raw_table() -> dict[str, Any]:
    path = resources.files("bio2_aspects.mappings").joinpath("data", "runtime.json")
    return json.loads(path.read_text(encoding="utf-8"))


def config_rule_names() -> tuple[str, ...]:
    return tuple(sorted(raw_table()["config_rules"]))


def config_rule_identifier(name: str) -> str:
    return str(raw_table()["config_rules"][name]["identifier"])


def prowler_checks() -> tuple[str, ...]:
    return tuple(sorted(raw_table().get("prowler_checks", {})))


def securityhub_controls() -> tuple[str, ...]:
    return tuple(sorted(raw_table()["securityhub_controls"]))


@cache
def mappings_of(monitor: str) -> tuple[MeasureMapping, ...]:
    """The rows of a monitor ID (``config:required-tags``, ``securityhub:S3.1``,
    ``finding:backup-job``); empty for a monitor the table does not know."""
    table = raw_table()
    for prefix, section in (
        (CONFIG_PREFIX, "config_rules"),
        (SECURITYHUB_PREFIX, "securityhub_controls"),
        (FINDINGS_PREFIX, "findings"),
        (PROWLER_PREFIX, "prowler_checks"),
    ):
        if monitor.startswith(prefix):
            entry = table[section].get(monitor[len(prefix) :])
            return () if entry is None else parse_mappings(monitor, entry["mappings"])
    return ()


def measures_of(monitor: str) -> tuple[str, ...]:
    return tuple(sorted({m.measure for m in mappings_of(monitor)}))


def pack_rule_name(deployed_name: str) -> str | None:
    """The table's rule name for a rule name as AWS Config reports it, or None when the rule is
    not ours: ``s3-bucket-versioning-enabled-conformance-pack-ab12cd34`` ->
    ``s3-bucket-versioning-enabled``."""
    names = raw_table()["config_rules"]
    for candidate in (deployed_name, _PACK_SUFFIX.sub("", deployed_name)):
        if candidate in names:
            return candidate
    match = _ORG_RULE.match(deployed_name)
    if match and match.group(1) in names:
        return match.group(1)
    return None
