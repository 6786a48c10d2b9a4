"""cdk-nag's AwsSolutions and NIST 800-53 R5 packs find no unacknowledged error in the default landing
zone, and every acknowledgement of theirs carries a specific reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from cdk_nag import AwsSolutionsChecks, NIST80053R5Checks

from landing_zone.app import build_app, new_app
from landing_zone.config import load_config
from landing_zone.nag import MIN_REASON

pytestmark = pytest.mark.synth

NAG_PLUGINS = ("AwsSolutions", "NIST.800.53.R5")
ACKNOWLEDGED = "aws:cdk:acknowledged-rules"


@pytest.fixture(scope="module")
def nag_synth(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str | None]:
    """One synthesis of the default landing zone with both packs as validation plugins."""
    out = tmp_path_factory.mktemp("nag-lz")
    app = new_app(outdir=str(out), context={"bio2:reportOnly": "true"})
    build_app(app, load_config(None))
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), NIST80053R5Checks(app))
    error: str | None = None
    try:
        app.synth()
    except Exception as exc:  # a failing plugin fails the synthesis; the report says why
        error = str(exc)
    report = json.loads((out / "validation-report.json").read_text(encoding="utf-8"))
    return out, report, error


def _plugin_reports(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    plugins = {p["pluginName"]: p for p in report["pluginReports"]}
    missing = [name for name in NAG_PLUGINS if name not in plugins]
    assert not missing, f"no report of {missing}: {sorted(plugins)}"
    return {name: plugins[name] for name in NAG_PLUGINS}


def _acknowledgements(out: Path) -> dict[tuple[str, str], str]:
    """(construct path, acknowledgement ID) -> reason, of every cdk-nag acknowledgement in the assembly."""
    found: dict[tuple[str, str], str] = {}
    for manifest_file in out.rglob("manifest.json"):
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        for artifact in (manifest.get("artifacts") or {}).values():
            metadata: dict[str, list[dict[str, Any]]] = {}
            for path, entries in (artifact.get("metadata") or {}).items():
                metadata.setdefault(path, []).extend(entries)
            extra = artifact.get("additionalMetadataFile")
            if extra and (manifest_file.parent / extra).is_file():
                more = json.loads((manifest_file.parent / extra).read_text(encoding="utf-8"))
                for path, entries in more.items():
                    metadata.setdefault(path, []).extend(entries)
            for path, entries in metadata.items():
                for entry in entries:
                    if entry.get("type") != ACKNOWLEDGED or not isinstance(entry.get("data"), dict):
                        continue
                    for ack_id, reason in entry["data"].items():
                        rule = ack_id.split("::", 1)[-1]
                        if rule.startswith(tuple(f"{plugin}-" for plugin in NAG_PLUGINS)):
                            found[(path, ack_id)] = str(reason)
    return found


def test_cdk_nag_packs_find_no_unacknowledged_error(nag_synth):
    _, report, error = nag_synth
    problems = []
    for name, plugin in _plugin_reports(report).items():
        for violation in plugin["violations"]:
            if violation["severity"] != "error":
                continue
            paths = [c["constructPath"] for c in violation["violatingConstructs"]]
            problems.append(f"{name}: {violation['ruleName']} on {paths}")
    assert not problems, "\n".join(problems)
    assert error is None, error


def test_cdk_nag_suppressions_have_specific_reasons(nag_synth):
    _, report, _ = nag_synth
    short = []
    for name, plugin in _plugin_reports(report).items():
        for suppressed in plugin.get("suppressedViolations") or []:
            reason = (suppressed.get("reason") or "").strip()
            if len(reason) < MIN_REASON:
                short.append(
                    f"{name}: {suppressed['ruleName']} at {suppressed.get('acknowledgedAt')}: {reason!r}"
                )
    assert not short, "\n".join(short)


def test_cdk_nag_acknowledgements_have_specific_reasons(nag_synth):
    out, _, _ = nag_synth
    acknowledgements = _acknowledgements(out)
    assert acknowledgements, "no cdk-nag acknowledgement found in the assembly metadata"
    short = [
        f"{path}: {ack_id}: {reason!r}"
        for (path, ack_id), reason in sorted(acknowledgements.items())
        if len(reason.strip()) < MIN_REASON
    ]
    assert not short, "\n".join(short)
