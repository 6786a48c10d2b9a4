"""The Audit Manager custom framework data file: fresh, and every request valid for the API."""

from __future__ import annotations

import json
import uuid

import boto3
from botocore.validate import ParamValidator

from bio2_aspects.collect import auditmanager, table


def _model():
    session = boto3.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="eu-central-1")
    return session.client("auditmanager").meta.service_model


def test_the_shipped_file_is_fresh() -> None:
    assert auditmanager.DOCS_PATH.read_text(encoding="utf-8") == auditmanager.text(), (
        "docs/audit-manager-framework.json is stale: run `python -m bio2_aspects.collect.auditmanager`"
    )


def test_every_request_is_valid_for_audit_manager() -> None:
    data = json.loads(auditmanager.text())
    model = _model()
    validator = ParamValidator()
    control_shape = model.operation_model("CreateControl").input_shape
    for control in data["controls"]:
        report = validator.validate(control, control_shape)
        assert not report.has_errors(), report.generate_report()
    names = {c["name"] for c in data["controls"]}
    ids = {name: str(uuid.uuid5(uuid.NAMESPACE_URL, name)) for name in names}
    framework = dict(data["framework"])
    framework["controlSets"] = [
        {"name": s["name"], "controls": [{"id": ids[c["name"]]} for c in s["controls"]]}
        for s in framework["controlSets"]
    ]
    report = validator.validate(framework, model.operation_model("CreateAssessmentFramework").input_shape)
    assert not report.has_errors(), report.generate_report()
    assert {c["name"] for s in data["framework"]["controlSets"] for c in s["controls"]} == names


def test_config_sources_are_the_conformance_pack_rules() -> None:
    data = json.loads(auditmanager.text())
    keywords = {
        s["sourceKeyword"]["keywordValue"]
        for c in data["controls"]
        for s in c["controlMappingSources"]
        if s["sourceType"] == "AWS_Config"
    }
    # every conformance-pack rule that evidences a measure (hygiene monitors map to none)
    assert keywords == {
        table.config_rule_identifier(n)
        for n in table.config_rule_names()
        if table.measures_of(table.CONFIG_PREFIX + n)
    }
