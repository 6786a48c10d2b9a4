"""The BIO2 rule library: every rule, indexed by ID and by CloudFormation resource type.

Each rule module groups the rules of one service or domain; a rule is data (ID, resource
types, BIO2 measures, level, finding, fix) plus a pure check over one resource of a
synthesized template (see :mod:`.base`).

``ALL_RULES`` is sorted by rule ID; ``rules_for_type`` is a precomputed dict lookup.

A rule's measures come from the mapping table (:mod:`bio2_aspects.mappings`). A rule that the
table maps to no BIO2 measure, only to an ISO/IEC 27002 control without measures (for example
Multi-AZ, redundancy 8.14), is kept in ``CONTROL_ONLY_RULES``, not in ``ALL_RULES`` (which lists
the rules per BIO2 measure, for ``bio2 explain`` and the catalog). The engine runs both
(``RULES_IN_FORCE``, :func:`rules_in_force_for_type`): a control-only rule's results are evidence
for its ISO control in the Statement of Applicability, never for a BIO2 measure, and its failures
are findings at the rule's level that an app team acknowledges like any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from types import ModuleType

from .base import Level, Resource, Result, Rule, StackView

__all__ = [
    "ALL_RULES",
    "CONTROL_ONLY_RULES",
    "RULES_IN_FORCE",
    "RULE_MODULES",
    "DuplicateRuleError",
    "Level",
    "Resource",
    "Result",
    "Rule",
    "StackView",
    "get_rule",
    "index_rules",
    "rules_for_type",
    "rules_in_force_for_type",
]

#: The rule modules, one per service or domain (a new module is added here).
_MODULE_NAMES = (
    "backup",
    "cloudtrail",
    "config_service",
    "database",
    "dlq",
    "ec2",
    "ecs",
    "edge",
    "elbv2",
    "iam",
    "iam_grants",
    "kms",
    "lambda_",
    "logs",
    "messaging",
    "network",
    "rds_monitoring",
    "retention",
    "s3",
    "secrets",
    "tagging",
    "waf",
)
RULE_MODULES: tuple[ModuleType, ...] = tuple(import_module(f"{__name__}.{name}") for name in _MODULE_NAMES)


class DuplicateRuleError(ValueError):
    """Two rules share one ID."""


def _module_rules(modules: Iterable[ModuleType]) -> list[tuple[Rule, str]]:
    """Every :class:`Rule` defined at module level, with the module that holds it."""
    found: list[tuple[Rule, str]] = []
    seen: set[int] = set()
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, Rule) and id(value) not in seen:
                seen.add(id(value))
                found.append((value, module.__name__))
    return found


def index_rules(
    rules: Iterable[Rule] | Iterable[tuple[Rule, str]],
) -> tuple[tuple[Rule, ...], dict[str, Rule], dict[str, tuple[Rule, ...]]]:
    """Sort rules by ID, reject duplicate IDs, and index them by ID and by resource type."""
    by_id: dict[str, Rule] = {}
    origin: dict[str, str] = {}
    for item in rules:
        rule_, where = item if isinstance(item, tuple) else (item, "?")
        if rule_.id in by_id:
            raise DuplicateRuleError(
                f"duplicate rule id {rule_.id!r}: defined in {origin[rule_.id]} and in {where}"
            )
        by_id[rule_.id] = rule_
        origin[rule_.id] = where
    ordered = tuple(by_id[k] for k in sorted(by_id))
    by_type: dict[str, list[Rule]] = {}
    for rule_ in ordered:
        for cfn_type in rule_.resource_types:
            by_type.setdefault(cfn_type, []).append(rule_)
    return ordered, by_id, {t: tuple(rs) for t, rs in by_type.items()}


_FOUND = _module_rules(RULE_MODULES)
ALL_RULES: tuple[Rule, ...]
ALL_RULES, _BY_ID, _BY_TYPE = index_rules([(r, where) for r, where in _FOUND if r.measures])
#: Rules with no BIO2 measure, only ISO-control-level mappings (``rule.controls``); sorted by ID.
CONTROL_ONLY_RULES: tuple[Rule, ...] = tuple(
    sorted((r for r, _ in _FOUND if not r.measures), key=lambda r: r.id)
)


#: Every rule the engine runs by default: ``ALL_RULES`` and ``CONTROL_ONLY_RULES``, sorted by ID.
RULES_IN_FORCE: tuple[Rule, ...] = tuple(sorted((*ALL_RULES, *CONTROL_ONLY_RULES), key=lambda r: r.id))
_IN_FORCE_BY_TYPE: dict[str, tuple[Rule, ...]] = index_rules(RULES_IN_FORCE)[2]


def rules_in_force_for_type(cfn_type: str) -> tuple[Rule, ...]:
    """The rules the engine runs on a resource type (control-only rules included), sorted by ID."""
    return _IN_FORCE_BY_TYPE.get(cfn_type, ())


def rules_for_type(cfn_type: str) -> tuple[Rule, ...]:
    """The rules that apply to a CloudFormation resource type (empty tuple if none)."""
    return _BY_TYPE.get(cfn_type, ())


def get_rule(rule_id: str) -> Rule:
    """The rule with this ID (also a control-only rule); raises ``KeyError`` for an unknown ID."""
    try:
        return _BY_ID[rule_id]
    except KeyError:
        for rule_ in CONTROL_ONLY_RULES:
            if rule_.id == rule_id:
                return rule_
        raise KeyError(f"unknown rule id {rule_id!r}") from None
