"""The manifest's JSON Schema: built here, shipped in the package and copied to ``docs/``.

``python -m bio2_aspects.evidence.schema`` rewrites ``docs/manifest.schema.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bio2_aspects.evidence.manifest import EVIDENCE_KINDS, HEADLINE, SCHEMA_VERSION, STATUSES
from bio2_aspects.evidence.status import FACET_STATES

_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}
_MEASURE_ID = {"type": "string", "pattern": r"^\d\.\d{2}\.\d{2}$"}
_CONTROL_ID = {"type": "string", "pattern": r"^[5-8]\.\d{1,2}$"}
_THEME = {"enum": ["organisational", "people", "physical", "technological"]}
_STATUS = {"enum": list(STATUSES)}
_NDATE = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_TEXTS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["en", "nl"],
    "properties": {"en": _STR, "nl": _STR},
}
_OWNER = {
    "type": ["object", "null"],
    "additionalProperties": False,
    "required": ["name", "contact", "scope"],
    "properties": {"name": _STR, "contact": _NSTR, "scope": _STR, "process": _NSTR},
}


def _obj(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": sorted(required),
        "properties": {**required, **(optional or {})},
    }


# Run-time evidence (``bio2 collect``, see bio2_aspects/collect/merge.py): optional fields.
_TIME = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"}
_NTIME = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"}
_RUNTIME_ITEM: dict[str, Any] = {
    "source": {"enum": ["aws-config", "security-hub", "guardduty", "access-analyzer", "backup", "prowler"]},
    "compliance": {"enum": ["COMPLIANT", "NON_COMPLIANT"]},
    "observed_at": _TIME,
    "observed_at_source": {"enum": ["response", "collection"]},
    "first_observed": _NTIME,
}
_RUNTIME_MEASURE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "state",
        "observations",
        "non_compliant",
        "last_observed",
        "non_compliant_since",
        "downgraded",
        "design",
    ],
    "properties": {
        "state": {"enum": ["compliant", "non_compliant"]},
        "observations": {"type": "integer", "minimum": 1},
        "non_compliant": {"type": "integer", "minimum": 0},
        "last_observed": _TIME,
        "non_compliant_since": _NTIME,
        "downgraded": {"type": "boolean"},
        "design": {
            "type": "object",
            "additionalProperties": False,
            "required": ["status", "headline", "basis", "missing_facets", "facet_states"],
            "properties": {
                "status": {"enum": list(STATUSES)},
                "headline": {"enum": list(HEADLINE)},
                "basis": _NSTR,
                "missing_facets": {"type": "array", "items": _STR},
                "facet_states": {"type": "object", "additionalProperties": {"enum": list(FACET_STATES)}},
            },
        },
    },
}
_COLLECTION: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["collected_at", "collected_at_source", "regions", "sources", "observations"],
    "properties": {
        "collected_at": _TIME,
        "collected_at_source": {"enum": ["argument", "clock"]},
        "home_region": _STR,
        "regions": {"type": "array", "items": _STR},
        "sources": {"type": "array", "items": _STR},
        "accounts": {"type": "integer", "minimum": 0},
        "observations": {"type": "integer", "minimum": 0},
        "non_compliant": {"type": "integer", "minimum": 0},
        "measures_downgraded": {"type": "array", "items": _MEASURE_ID},
    },
}


def manifest_schema() -> dict[str, Any]:
    evidence = _obj(
        {
            "kind": {
                "enum": [k for k in EVIDENCE_KINDS if k in ("verified", "preventive", "detective")]
                + ["runtime"]
            },
            "rule": _NSTR,
            "result": {"enum": ["pass", "fail", "declared"]},
            "stack": _STR,
            "account": _NSTR,
            "region": _NSTR,
            "path": _NSTR,
            "logical_id": _STR,
            "resource_type": _STR,
            "detail": _STR,
            "acknowledgement_reason": _NSTR,
            "strength": {"enum": ["full", "supporting"]},
            "facet": _NSTR,
            "rationale": _TEXTS,
        },
        {"mechanism": _STR, "template": _STR, **_RUNTIME_ITEM},
    )
    attestation = {
        "oneOf": [
            {"type": "null"},
            _obj(
                {
                    "scope": _STR,
                    "owner": _STR,
                    "document": {
                        "oneOf": [
                            {"type": "null"},
                            _obj({"title": _STR, "reference": _STR, "version": _NSTR}),
                        ]
                    },
                    "date": _NDATE,
                    "approved_by": _NSTR,
                    "review_date": _NDATE,
                    "problems": {
                        "type": "array",
                        "items": {"enum": ["no_document", "no_approver", "no_date"]},
                    },
                    "overdue": {"type": "boolean"},
                    "valid": {"type": "boolean"},
                }
            ),
        ]
    }
    facet = _obj(
        {
            "id": _STR,
            "kind": {"enum": ["technical", "organisational"]},
            "summary": _TEXTS,
            "monitoring": {"type": "boolean"},
            "state": {"enum": list(FACET_STATES)},
            "evidence": {"type": "integer", "minimum": 0},
            "attestation": attestation,
        }
    )
    exclusion = _obj(
        {
            "id": _STR,
            "justification": _STR,
            "risk_assessment": _NSTR,
            "approved_by": _NSTR,
            "date": _NDATE,
            "expires": _NDATE,
            "expired": {"type": "boolean"},
        }
    )
    acceptance = _obj(
        {
            "source": {"const": "config"},
            "rule": _STR,
            "resources": {"type": "array", "items": _STR},
            "reason": _STR,
            "approved_by": _STR,
            "date": _DATE,
            "expires": _DATE,
            "expired": {"type": "boolean"},
        },
        {"used": {"type": "boolean"}},
    )
    measure = _obj(
        {
            "id": _MEASURE_ID,
            "control": _CONTROL_ID,
            "theme": _THEME,
            "summary": _STR,
            "summary_nl": _STR,
            "nature": {"enum": ["technical", "organisational", "physical"]},
            "responsibility": {"enum": ["cloud_provider", "platform_team", "workload_team", "organisation"]},
            "status": _STATUS,
            "headline": {"enum": list(HEADLINE)},
            "basis": _NSTR,
            "owner": _OWNER,
            "facets": {"type": "array", "items": facet, "minItems": 1},
            "missing_facets": {"type": "array", "items": _STR},
            "exclusion": {"oneOf": [{"type": "null"}, exclusion]},
            "evidence": {"type": "array", "items": evidence},
            "evidence_kinds": {
                "type": "array",
                "items": {"enum": ["verified", "preventive", "detective", "attested"]},
            },
            "accepted_risks": {
                "type": "array",
                "items": _obj(
                    {"rule": _STR, "stack": _STR, "path": _NSTR, "logical_id": _STR, "reason": _STR}
                ),
            },
            "open_violations": {"type": "integer", "minimum": 0},
        },
        {"runtime": _RUNTIME_MEASURE},
    )
    control = _obj(
        {
            "id": _CONTROL_ID,
            "theme": _THEME,
            "title": _STR,
            "title_nl": _STR,
            "applicable": {"type": "boolean"},
            "justification": _STR,
            "status": _STATUS,
            "owner": _OWNER,
            "attestation": attestation,
            "measures": {"type": "array", "items": _MEASURE_ID},
            "measures_by_status": {
                "type": "object",
                "propertyNames": _STATUS,
                "additionalProperties": {"type": "integer", "minimum": 1},
            },
        }
    )
    resource_violation = _obj(
        {"rule": _STR, "level": {"enum": ["error", "warning"]}, "detail": _STR, "acknowledged": _NSTR}
    )
    resource = _obj(
        {
            "stack": _STR,
            "account": _NSTR,
            "region": _NSTR,
            "path": _NSTR,
            "logical_id": _STR,
            "type": _STR,
            "measures": {"type": "array", "items": _MEASURE_ID},
            "violations": {"type": "array", "items": resource_violation},
        },
        {"template": _STR},
    )
    violation = _obj(
        {
            "rule": _STR,
            "level": {"enum": ["error", "warning"]},
            "stack": _STR,
            "path": _NSTR,
            "logical_id": _STR,
            "resource_type": _STR,
            "finding": _STR,
            "detail": _STR,
            "fix": _STR,
            "acknowledged": {"type": "boolean"},
            "acknowledgement_reason": _NSTR,
            "acceptance": {"oneOf": [{"type": "null"}, acceptance]},
        },
        {"template": _STR},
    )
    rule = _obj(
        {
            "id": {"type": "string", "pattern": r"^BIO2-[A-Za-z0-9]+-[A-Za-z0-9]+$"},
            "level": {"enum": ["error", "warning"]},
            "measures": {"type": "array", "items": _MEASURE_ID, "minItems": 1},
            "resource_types": {"type": "array", "items": _STR, "minItems": 1},
            "finding": _STR,
            "fix": _STR,
        }
    )
    counts = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://bio2-landing-zone.example/schemas/manifest.schema.json",
        "title": "BIO2 evidence manifest",
        "description": "BIO2 measures, status and evidence; Statement of Applicability; resources; rules.",
        **_obj(
            {
                "schema_version": {"const": SCHEMA_VERSION},
                "audit": _obj(
                    {
                        "generated_at": {
                            "type": "string",
                            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
                        },
                        "generated_at_source": _STR,
                        "git": _obj({"commit": _NSTR, "dirty": {"type": ["boolean", "null"]}}),
                        "config": {
                            "oneOf": [
                                {"type": "null"},
                                _obj(
                                    {
                                        "name": _STR,
                                        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                                        "basis": {"enum": ["file", "model"]},
                                    }
                                ),
                            ]
                        },
                        "versions": _obj(
                            {"tool": _STR, "catalog": _STR, "aws_cdk_lib": _NSTR, "cdk_nag": _NSTR}
                        ),
                    },
                    {"collection": _COLLECTION},
                ),
                "tool": _obj({"name": _STR, "version": _STR}),
                "catalog": _obj({"name": _STR, "version": _STR, "iso": _STR}),
                "organisation": _STR,
                "language": {"enum": ["en", "nl"]},
                "templates": {
                    "type": "array",
                    "items": _obj(
                        {
                            "file": _STR,
                            "stack": _STR,
                            "account": _NSTR,
                            "region": _NSTR,
                            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                            "resources": {"type": "integer", "minimum": 0},
                        }
                    ),
                },
                "totals": {
                    "type": "object",
                    "required": [
                        "measures",
                        "controls",
                        "measures_by_status",
                        "controls_by_status",
                        "headline",
                    ],
                    "properties": {
                        "measures": {"type": "integer"},
                        "controls": {"type": "integer"},
                        "measures_by_status": counts,
                        "controls_by_status": counts,
                        "measures_by_theme": {"type": "object", "additionalProperties": counts},
                        "measures_by_evidence_kind": counts,
                        "headline": counts,
                        "attestations": counts,
                        "violations": counts,
                    },
                },
                "measures": {"type": "array", "items": measure},
                "controls": {"type": "array", "items": control},
                "resources": {"type": "array", "items": resource},
                "violations": {"type": "array", "items": violation},
                "risk_acceptances": {"type": "array", "items": acceptance},
                "exclusions": {"type": "array", "items": exclusion},
                "unbacked_declarations": {"type": "array", "items": {"type": "object"}},
                "rules": {"type": "array", "items": rule},
            }
        ),
    }


def schema_text() -> str:
    return json.dumps(manifest_schema(), indent=2, sort_keys=True) + "\n"


DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "manifest.schema.json"


def main() -> None:
    DOCS_PATH.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {DOCS_PATH}")


if __name__ == "__main__":
    main()
