"""Synthesize app-team stacks with ``Bio2`` and cdk-nag's AwsSolutions pack, and read what they report."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from bio2_aspects import Bio2, Bio2Checks

ENV = cdk.Environment(account="123456789012", region="eu-central-1")


@dataclass
class Findings:
    """Unacknowledged findings per stack: BIO2 errors and warnings, AwsSolutions errors."""

    bio2_errors: dict[str, list[str]] = field(default_factory=dict)
    bio2_warnings: dict[str, list[str]] = field(default_factory=dict)
    nag_errors: dict[str, list[str]] = field(default_factory=dict)
    suppressed: list[dict[str, Any]] = field(default_factory=list)
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)


def synth_with_packs(out: Path, builders: dict[str, Callable[[cdk.Stack], Any]]) -> Findings:
    """One app, one stack per builder, ``Bio2`` (report only) and AwsSolutions as validation plugins."""
    app = cdk.App(outdir=str(out))
    for name, build in builders.items():
        build(cdk.Stack(app, name, env=ENV))
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    Bio2(app, report_only=True)
    # AwsSolutions errors fail the synth; the report says which
    with contextlib.suppress(Exception):
        app.synth()
    found = Findings()
    manifest = json.loads((out / "bio2" / "manifest.json").read_text(encoding="utf-8"))
    for v in manifest["violations"]:
        if v["acknowledged"]:
            continue
        target = found.bio2_errors if v["level"] == "error" else found.bio2_warnings
        target.setdefault(v["stack"], []).append(f"{v['rule']} on {v['path']}: {v['detail']}")
    report = json.loads((out / "validation-report.json").read_text(encoding="utf-8"))
    for plugin in report["pluginReports"]:
        if plugin["pluginName"] != "AwsSolutions":
            continue
        found.suppressed = list(plugin.get("suppressedViolations") or [])
        for v in plugin["violations"]:
            if v["severity"] != "error":
                continue
            for resource in v["violatingConstructs"]:
                stack = resource["constructPath"].split("/", 1)[0]
                found.nag_errors.setdefault(stack, []).append(
                    f"{v['ruleName']} on {resource['constructPath']}"
                )
    for name in builders:
        found.templates[name] = json.loads((out / f"{name}.template.json").read_text(encoding="utf-8"))
    return found


def bio2_findings(build: Callable[[cdk.Stack], Any]) -> dict[str, str]:
    """BIO2 rule ID -> level of every unacknowledged violation in a stack (cdk-nag style, no synth)."""
    app = cdk.App()
    stack = cdk.Stack(app, "Unit", env=ENV)
    build(stack)
    report = Bio2Checks(stack).validate_scope(stack)
    return {v.rule_name: v.severity for v in report.violations}
