"""Optional output: the run-time mapping as an AWS Audit Manager custom framework (data file).

For organisations that already use Audit Manager: ``docs/audit-manager-framework.json`` holds one
``CreateControl`` request per BIO2 measure that a Config rule of the conformance pack watches
(data source ``AWS_Config`` with the managed rule's identifier, daily), plus a ``MANUAL`` source
for the measure's organisational facets, and a ``CreateAssessmentFramework`` request whose
control sets (one per ISO/IEC 27002 control) name those controls. Create the controls first,
then put their IDs in place of the names (``controls: [{"name": ...}]`` -> ``[{"id": ...}]``).

Security Hub controls, GuardDuty, Access Analyzer, Backup and Prowler sources are left out: their
keyword formats in Audit Manager are not fixed enough to claim they collect evidence.
``python -m bio2_aspects.collect.auditmanager`` rewrites the file (a test keeps it fresh).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bio2_aspects.catalog import load_catalog
from bio2_aspects.catalog.facets import facets_of
from bio2_aspects.collect import table
from bio2_aspects.evidence.common import measure_sort_key

DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "audit-manager-framework.json"
FRAMEWORK_NAME = "BIO2 v1.3 landing zone: run-time monitors"


def control_name(measure_id: str) -> str:
    return f"BIO2 {measure_id}"


def framework() -> dict[str, Any]:
    """``{"controls": [CreateControl requests], "framework": CreateAssessmentFramework request}``."""
    catalog = load_catalog()
    rows: dict[str, list[tuple[str, Any]]] = {}
    for name in table.config_rule_names():
        for mapping in table.mappings_of(table.CONFIG_PREFIX + name):
            rows.setdefault(mapping.measure, []).append((name, mapping))
    controls: list[dict[str, Any]] = []
    sets: dict[str, list[str]] = {}
    for mid in sorted(rows, key=measure_sort_key):
        entry = catalog.entry(mid)
        sources = [
            {
                "sourceName": name[:100],
                "sourceDescription": mapping.rationale_en[:1000],
                "sourceSetUpOption": "System_Controls_Mapping",
                "sourceType": "AWS_Config",
                "sourceKeyword": {
                    "keywordInputType": "SELECT_FROM_LIST",
                    "keywordValue": table.config_rule_identifier(name),
                },
                "sourceFrequency": "DAILY",
            }
            for name, mapping in sorted(rows[mid], key=lambda r: r[0])
        ]
        organisational = [f for f in facets_of(mid, str(entry.nature)) if not f.is_technical]
        if organisational:
            sources.append(
                {
                    "sourceName": "Attestation",
                    "sourceDescription": (
                        "Upload the attestation (document, approval, review date) of: "
                        + "; ".join(f"{f.id} {f.summary_en}" for f in organisational)
                    )[:1000],
                    "sourceSetUpOption": "Procedural_Controls_Mapping",
                    "sourceType": "MANUAL",
                }
            )
        testing = " ".join(f"{name}: {mapping.rationale_en}" for name, mapping in rows[mid])
        controls.append(
            {
                "name": control_name(mid),
                "description": f"{entry.summary} / {entry.summary_nl}"[:1000],
                "testingInformation": testing[:1000],
                "actionPlanTitle": f"Restore {mid}"[:300],
                "actionPlanInstructions": (
                    "Fix the NON_COMPLIANT resources the Config rules report, then run bio2 collect and "
                    "bio2 diff; a measure turns green again when its monitors do."
                ),
                "controlMappingSources": sources,
            }
        )
        control = catalog.control(entry.control)
        sets.setdefault(f"{control.id} {control.title}"[:300], []).append(control_name(mid))
    return {
        "controls": controls,
        "framework": {
            "name": FRAMEWORK_NAME,
            "description": (
                "BIO2 v1.3 measures watched at run time by the landing zone's organization conformance "
                "pack (AWS Config managed rules); organisational facets by manual attestation. Generated "
                "by bio2-aspects from its run-time mapping table."
            ),
            "complianceType": "BIO2",
            "controlSets": [
                {"name": name, "controls": [{"name": c} for c in names]}
                for name, names in sorted(sets.items(), key=lambda kv: measure_sort_key(kv[0].split(" ")[0]))
            ],
        },
    }


def text() -> str:
    return json.dumps(framework(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m bio2_aspects.collect.auditmanager",
        description=f"Write the BIO2 mapping as an AWS Audit Manager custom framework to {DOCS_PATH.name}.",
    )
    parser.parse_args(argv)
    DOCS_PATH.write_text(text(), encoding="utf-8")
    print(f"wrote {DOCS_PATH}")


if __name__ == "__main__":
    main()
