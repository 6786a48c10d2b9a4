"""The ``logging`` section: defaults and semantic checks (no synthesis)."""

from __future__ import annotations

import pytest

from landing_zone.config import ConfigError, load_config, load_config_text
from landing_zone.config.sections.logging import CLOUDWATCH_RETENTION_DAYS, MIN_RETENTION_DAYS, LoggingSection

ACCOUNTS = """\
version: 1
organization:
  name: Gemeente Klein
  ous: [{name: Security}, {name: Infrastructure}]
  accounts:
    - {name: management, id: "111111111111", email: a@klein.example, ou: Root, role: management}
    - {name: log-archive, id: "222222222222", email: b@klein.example, ou: Security, role: log-archive}
    - {name: security, id: "333333333333", email: c@klein.example, ou: Security, role: security}
    - {name: network, id: "444444444444", email: d@klein.example, ou: Infrastructure, role: network}
"""


def problems(logging_yaml: str) -> list[tuple[str, str, str]]:
    with pytest.raises(ConfigError) as caught:
        load_config_text(ACCOUNTS + "logging:\n" + logging_yaml)
    return [(p.path, p.message, p.fix) for p in caught.value.problems]


def test_safe_defaults() -> None:
    logging = LoggingSection()
    assert logging.retention_days == 1095  # three years: 8.15.04 long dwell times, 5.28.01
    assert logging.retention_days >= MIN_RETENTION_DAYS
    assert logging.object_lock_mode == "COMPLIANCE"
    assert logging.data_events and set(logging.data_event_types) == {"s3", "lambda"}
    assert logging.glacier_after_days is not None and logging.deep_archive_after_days is not None
    assert logging.glacier_after_days < logging.deep_archive_after_days < logging.retention_days
    assert logging.cloudwatch_delivery  # near-real-time alarms on the trail (5.18.01, 8.15.05)
    assert logging.cloudwatch_retention_days in CLOUDWATCH_RETENTION_DAYS
    assert logging.siem is None


def test_embedded_default_uses_the_safe_choices() -> None:
    logging = load_config(None).logging
    assert logging.retention_days == 1095
    assert logging.object_lock_mode == "COMPLIANCE"
    assert logging.organization_id is not None
    assert logging.siem is not None and logging.siem.type == "sqs"


def test_retention_below_half_a_year_is_refused() -> None:
    found = problems("  retention_days: 90\n  glacier_after_days: 30\n  deep_archive_after_days: null\n")
    assert [p[0] for p in found] == ["logging.retention_days"]
    assert "8.18.02" in found[0][1] and "183" in found[0][2]


def test_half_a_year_is_accepted() -> None:
    cfg = load_config_text(ACCOUNTS + "logging:\n  retention_days: 183\n  deep_archive_after_days: null\n")
    assert cfg.logging.retention_days == 183


def test_transition_after_expiry_is_reported() -> None:
    found = problems("  retention_days: 300\n")
    assert [p[0] for p in found] == ["logging.deep_archive_after_days"]
    assert "never happens" in found[0][1]


def test_deep_archive_before_glacier_is_reported() -> None:
    found = problems("  glacier_after_days: 200\n  deep_archive_after_days: 100\n")
    assert [p[0] for p in found] == ["logging.deep_archive_after_days"]
    assert "after Glacier" in found[0][1]


def test_cloudwatch_retention_must_be_a_valid_year_or_more() -> None:
    found = problems("  cloudwatch_retention_days: 180\n")
    assert [p[0] for p in found] == ["logging.cloudwatch_retention_days"]
    assert "365" in found[0][2]


def test_data_events_need_a_type() -> None:
    found = problems("  data_event_types: []\n")
    assert [p[0] for p in found] == ["logging.data_event_types"]
    assert load_config_text(ACCOUNTS + "logging:\n  data_events: false\n  data_event_types: []\n")


def test_organization_id_format() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config_text(ACCOUNTS + "logging:\n  organization_id: org-123\n")
    assert [p.path for p in caught.value.problems] == ["logging.organization_id"]


def test_settings_of_the_other_siem_type_are_reported() -> None:
    found = problems(
        "  siem:\n    type: sqs\n    reader_arn: arn:aws:iam::333333333333:role/siem\n"
        "    endpoint_url: https://siem.klein.example/in\n"
    )
    assert [p[0] for p in found] == ["logging.siem.endpoint_url"]
    found = problems(
        "  cloudwatch_delivery: true\n  siem:\n    type: firehose\n"
        "    endpoint_url: https://siem.klein.example/in\n"
        "    reader_arn: arn:aws:iam::333333333333:role/siem\n"
    )
    assert [p[0] for p in found] == ["logging.siem.reader_arn"]


def test_firehose_export_is_complete() -> None:
    cfg = load_config_text(
        ACCOUNTS + "logging:\n  cloudwatch_delivery: true\n  siem:\n    type: firehose\n"
        "    endpoint_url: https://siem.klein.example/in\n"
        "    secret_arn: arn:aws:secretsmanager:eu-central-1:111111111111:secret:siem-AbCdEf\n"
    )
    assert cfg.logging.siem is not None and cfg.logging.siem.secret_arn
