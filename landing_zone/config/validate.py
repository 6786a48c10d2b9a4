"""Validation in two passes: the models (structure, types, formats), then the semantic checks.

Both passes collect problems instead of stopping at the first. A section's ``check`` runs
when that section and every section it reads (:data:`CHECKS`) passed the first pass, so one
typo does not hide the problems of unrelated sections.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from landing_zone.config.errors import ConfigError, Problem
from landing_zone.config.model import LandingZoneConfig
from landing_zone.config.sections import (
    backup,
    bio2,
    classification,
    deployment,
    identity,
    logging,
    network,
    organization,
    regions,
    security,
)
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
    ("deployment", deployment.check, ("organization", "logging")),
)
"""``(section, check, other sections the check reads)``, in report order.
When a check starts to read another section, add that section here."""


def run_checks(cfg: LandingZoneConfig, skip: Collection[str] = ()) -> list[Problem]:
    """The semantic problems of ``cfg``, leaving out checks that read a section in ``skip``."""
    problems: list[Problem] = []
    for section, check, requires in CHECKS:
        if section not in skip and not set(requires) & set(skip):
            problems += check(cfg)
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
            found += run_checks(_valid_sections(data, failed), skip=failed)
        raise ConfigError(found, source) from None
    found += run_checks(cfg)
    if found:
        raise ConfigError(found, source)
    return cfg


def _valid_sections(data: dict[str, Any], failed: Collection[str]) -> LandingZoneConfig:
    """A config of the sections that passed validation; failed sections are left unset (checks skip them)."""
    sections: dict[str, Any] = {}
    for name, info in LandingZoneConfig.model_fields.items():
        model = info.annotation
        if name not in failed and isinstance(model, type) and issubclass(model, BaseModel):
            sections[name] = model.model_validate(data[name]) if name in data else info.default
    return LandingZoneConfig.model_construct(**sections)
