"""Helpers of the logging tests: variant configurations, the logging resources of a synth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from landing_zone.config import LandingZoneConfig, load_config
from landing_zone.config.sections.logging import LoggingSection
from landing_zone.config.validate import run_checks
from landing_zone.stacks import stack_name
from tests.synthkit import synth_landing_zone

LOGGING_PATHS = ("/LogArchive/", "/OrganizationTrail/", "/SiemExport/")


def logging_config(**logging: Any) -> LandingZoneConfig:
    """The embedded default configuration with another ``logging`` section (checked like a file)."""
    base = load_config(None)
    cfg = base.model_copy(update={"logging": LoggingSection.model_validate(logging)})
    assert run_checks(cfg) == [], run_checks(cfg)
    return cfg


def log_archive_stack(cfg: LandingZoneConfig) -> str:
    return stack_name("log-archive", cfg.regions.home)


def management_stack(cfg: LandingZoneConfig) -> str:
    return stack_name("management", cfg.regions.home)


def is_logging_path(path: str | None) -> bool:
    return bool(path) and any(part in f"{path}/" for part in LOGGING_PATHS)


def logical_id(synth: Any, stack: str, path_suffix: str) -> str:
    """The logical ID of the resource whose construct path ends with ``path_suffix``."""
    found = [
        r["logical_id"]
        for r in synth.manifest["resources"]
        if r["stack"] == stack and (r["path"] or "").endswith(path_suffix)
    ]
    assert len(found) == 1, (path_suffix, found)
    return found[0]


def evidence(synth: Any, measure: str) -> list[dict[str, Any]]:
    """Evidence items of ``measure`` that come from the logging resources."""
    entry = next(m for m in synth.manifest["measures"] if m["id"] == measure)
    return [e for e in entry["evidence"] if is_logging_path(e["path"])]


def synth(outdir: Path, cfg: LandingZoneConfig) -> Any:
    """The landing zone for ``cfg``, synthesized report-only (see tests/synthkit.py)."""
    return synth_landing_zone(outdir, cfg)


def default_config() -> LandingZoneConfig:
    """The embedded default configuration (the one ``default_synth`` is built from)."""
    return load_config(None)
