"""The embedded example configuration and the model's general properties."""

from __future__ import annotations

from typing import Any, get_args, get_origin

import jsonschema
import pytest
import yaml
from pydantic import BaseModel, ValidationError

from landing_zone.config import DEFAULT_CONFIG_PATH, LandingZoneConfig, load_config, load_config_text
from landing_zone.config.docs import json_schema


def test_default_loads() -> None:
    cfg = load_config()
    assert isinstance(cfg, LandingZoneConfig)
    assert DEFAULT_CONFIG_PATH.is_file()
    assert cfg.organization.name == "Gemeente Voorbeeldstad"
    assert cfg.organisation_name == "Gemeente Voorbeeldstad"
    assert cfg.organization.ou_paths() == [
        "Security",
        "Infrastructure",
        "Workloads",
        "Workloads/Prod",
        "Workloads/NonProd",
        "Sandbox",
    ]
    assert [account.name for account in cfg.organization.accounts] == [
        "management",
        "log-archive",
        "security",
        "network",
        "shared-services",
        "app-prod",
        "app-nonprod",
    ]
    assert cfg.regions.home == "eu-central-1"
    assert len(cfg.network.vpcs) == 4  # prod, nonprod, inspection, central endpoints
    assert len(cfg.bio2.exclusions) == 1
    assert cfg.bio2.exclusions[0].risk_assessment


def test_default_round_trips() -> None:
    cfg = load_config()
    data = cfg.model_dump(mode="json")
    assert LandingZoneConfig.model_validate(data) == cfg
    assert load_config_text(yaml.safe_dump(data, sort_keys=False)) == cfg
    assert load_config_text(yaml.safe_dump(cfg.model_dump(mode="json", exclude_defaults=True))) == cfg


def test_default_matches_json_schema() -> None:
    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(json_schema())
    jsonschema.Draft202012Validator(json_schema()).validate(data)


def test_path_as_str_and_pathlike() -> None:
    assert load_config(str(DEFAULT_CONFIG_PATH)) == load_config(DEFAULT_CONFIG_PATH) == load_config(None)


def test_minimal_config_gets_defaults(minimal_yaml: str) -> None:
    cfg = load_config_text(minimal_yaml)
    assert cfg.regions.allowed == ("eu-central-1", "eu-west-1")
    assert cfg.logging.retention_days == 1095
    assert cfg.logging.object_lock_mode == "COMPLIANCE"
    assert cfg.backup.tiers.high.rpo_hours == 2  # AWS Backup start windows: 1 h cannot be kept
    assert cfg.backup.tiers.high.cross_region_copy
    assert cfg.backup.resolved_copy_region(cfg.regions) == "eu-west-1"
    assert cfg.classification.default.availability == "medium"
    assert cfg.bio2.language == "nl"
    assert cfg.network.vpcs == ()


def test_models_are_frozen() -> None:
    cfg = load_config()
    with pytest.raises(ValidationError):
        cfg.organization.name = "Other"  # type: ignore[misc]


def _models(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> set[type[BaseModel]]:
    """``model`` and every model reachable from its fields."""
    seen = seen if seen is not None else set()
    if model in seen:
        return seen
    seen.add(model)

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _models(annotation, seen)
        for arg in get_args(annotation):
            visit(arg)
        if get_origin(annotation) is not None:
            visit(get_origin(annotation))

    for info in model.model_fields.values():
        visit(info.annotation)
    return seen


def test_every_model_forbids_extra_keys_is_frozen_and_documents_every_field() -> None:
    models = _models(LandingZoneConfig)
    assert len(models) >= 15
    for model in models:
        assert model.model_config.get("extra") == "forbid", model.__name__
        assert model.model_config.get("frozen") is True, model.__name__
        assert model.__doc__, model.__name__
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name} has no description"


def test_classification_rating_for() -> None:
    classification = load_config().classification
    assert classification.rating_for("app-prod", "Workloads/Prod").availability == "high"
    assert classification.rating_for("network", "Infrastructure").integrity == "high"
    assert classification.rating_for("some-app", "Workloads/Prod/Team").integrity == "high"
    assert classification.rating_for("management", "Root") == classification.default


def test_organization_helpers() -> None:
    org = load_config().organization
    assert org.account("network") is not None
    assert org.account("nope") is None
    assert [account.name for account in org.accounts_with_role("workload")] == ["app-prod", "app-nonprod"]


def test_bio2_organisation_name_overrides(minimal_yaml: str) -> None:
    cfg = load_config_text(minimal_yaml + "bio2:\n  organisation_name: Gemeente Klein (ICT)\n")
    assert cfg.organisation_name == "Gemeente Klein (ICT)"
