"""Validation in two passes: the models (structure, types, formats), then the semantic checks.

Both passes collect problems instead of stopping at the first. A section's ``check`` runs
when that section and every section it reads (:data:`CHECKS`) passed the first pass, so one
typo does not hide the problems of unrelated sections.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from landing_zone.config import checks
from landing_zone.config.errors import ConfigError, Problem
from landing_zone.config.model import LandingZoneConfig
from landing_zone.config.sections import (
    backup,
    bio2,
    classification,
    decisions,
    deployment,
    identity,
    logging,
    network,
    organization,
    regions,
    security,
)
from landing_zone.config.sections.regions import KNOWN_REGIONS, RegionsSection
from landing_zone.config.translate import problems_from

Check = Callable[[LandingZoneConfig], list[Problem]]

CHECKS: tuple[tuple[str, Check, tuple[str, ...]], ...] = (
    ("organization", organization.check, ()),
    ("regions", regions.check, ()),
    ("identity", identity.check, ("organization",)),
    ("logging", logging.check, ()),
    ("security", security.check, ("organization", "logging")),
    ("network", network.check, ("organization", "regions")),
    ("backup", backup.check, ("regions",)),
    ("classification", classification.check, ("organization",)),
    ("bio2", bio2.check, ()),
    ("scope_decisions", decisions.check, ()),
    ("deployment", deployment.check, ("organization", "logging")),
)
"""``(section, check, other sections the check reads)``, in report order. The whole-model checks
(:mod:`landing_zone.config.checks`) run after them, leaving out each check that reads a section or
path that already has a problem: a mistake is reported once, without knock-on problems.
When a check starts to read another section, add that section here."""


def run_checks(cfg: LandingZoneConfig, skip: Collection[str] = ()) -> list[Problem]:
    """The semantic problems of ``cfg``, leaving out checks that read a section in ``skip``."""
    problems: list[Problem] = []
    for section, check, requires in CHECKS:
        if section not in skip and not set(requires) & set(skip):
            problems += check(cfg)
    problems += checks.check(cfg, blocked=[*skip, *(problem.path for problem in problems)])
    return problems


def validate(data: Any, source: str = "<string>", problems: Sequence[Problem] = ()) -> LandingZoneConfig:
    """Validate parsed YAML; raise :class:`ConfigError` with ``problems`` and every new one."""
    found = list(problems)
    try:
        cfg = LandingZoneConfig.model_validate(data)
    except ValidationError as error:
        details = error.errors()
        found += problems_from(error, LandingZoneConfig)
        failed = {str(detail["loc"][0]) for detail in details if detail["loc"]}
        if isinstance(data, dict) and all(detail["loc"] for detail in details):
            partial, degraded = _valid_sections(data, failed)
            later = run_checks(partial, skip=failed - degraded)
            if degraded:  # a region typo: the regions it names are reported once, not at every use
                later = [
                    p
                    for p in later
                    if "regions." not in p.message + p.fix and not p.path.startswith("regions")
                ]
            found += _without_knock_on(later)
        raise ConfigError(name_items(found, data), source) from None
    found += _without_knock_on(run_checks(cfg))
    if found:
        raise ConfigError(name_items(found, data), source)
    return cfg


def _without_knock_on(problems: list[Problem]) -> list[Problem]:
    """Leave out the consequences of a home region missing from regions.allowed (reported once)."""
    home = next((p for p in problems if p.path == "regions.home"), None)
    if home is None:
        return problems
    region = home.message.split(" ", 1)[0]
    return [
        p for p in problems if p is home or not p.message.startswith(f"{region} is not in regions.allowed")
    ]


#: Lists whose items have a ``name``: problems name their items by it (``network.vpcs[name=hub]``).
NAMED_LISTS: tuple[tuple[str, ...], ...] = (
    ("organization", "accounts"),
    ("network", "vpcs"),
    ("network", "vpn"),
    ("identity", "groups"),
    ("identity", "permission_sets"),
    ("identity", "saml_federation", "roles"),
    ("scope_decisions",),
)

_ITEM = re.compile(r"(?<![\w.])((?:[a-z_]+\.)*[a-z_]+)\[(\d+)\]")


def name_items(problems: Sequence[Problem], data: Any) -> list[Problem]:
    """``network.vpcs[17]`` -> ``network.vpcs[name=app-prod]`` in paths, messages and fixes, where the
    item has a unique name (indexes stay where it has none)."""
    names: dict[str, list[Any]] = {}
    for keys in NAMED_LISTS:
        value: Any = data
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, list):
            found = [item.get("name") if isinstance(item, dict) else None for item in value]
            names[".".join(keys)] = found

    def rename(match: re.Match[str]) -> str:
        listed = names.get(match.group(1))
        index = int(match.group(2))
        if listed is None or index >= len(listed):
            return match.group(0)
        name = listed[index]
        if not isinstance(name, str) or not name or listed.count(name) > 1 or not _SAFE_NAME.match(name):
            return match.group(0)
        return f"{match.group(1)}[name={name}]"

    return [
        Problem(_ITEM.sub(rename, p.path), _ITEM.sub(rename, p.message), _ITEM.sub(rename, p.fix))
        for p in problems
    ]


_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _valid_sections(data: dict[str, Any], failed: Collection[str]) -> tuple[LandingZoneConfig, set[str]]:
    """A config of the sections that passed validation; failed sections are left unset (checks skip them).

    A ``regions`` section with a mistyped region is kept with its valid regions (returned in the
    second value), so that the checks of the other sections still run.
    """
    sections: dict[str, Any] = {}
    degraded: set[str] = set()
    for name, info in LandingZoneConfig.model_fields.items():
        model = info.annotation
        if name not in failed and isinstance(model, type) and issubclass(model, BaseModel):
            sections[name] = model.model_validate(data[name]) if name in data else info.default
    if "regions" in failed and (salvaged := _salvage_regions(data.get("regions"))) is not None:
        sections["regions"] = salvaged
        degraded.add("regions")
    return LandingZoneConfig.model_construct(**sections), degraded


def _salvage_regions(raw: Any) -> RegionsSection | None:
    """The regions section without its unknown regions, or None when too little is left."""
    if not isinstance(raw, dict):
        return None
    known = (
        [r for r in raw.get("allowed", []) if isinstance(r, str) and r in KNOWN_REGIONS]
        if isinstance(raw.get("allowed", []), list)
        else []
    )
    home = raw.get("home", RegionsSection().home)
    if not isinstance(home, str) or home not in KNOWN_REGIONS:
        home = known[0] if known else RegionsSection().home
    attempt = {**raw, "home": home}
    if "allowed" in raw:
        attempt["allowed"] = known or [home]
    try:
        return RegionsSection.model_validate(attempt)
    except ValidationError:
        return None
