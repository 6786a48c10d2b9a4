"""The BIO2 rules as a CDK policy-validation plugin (:class:`Bio2Plugin`) and as a cdk-nag 3 NagPack
(``Bio2Checks``, in :mod:`bio2_aspects.nagpack`).

Registered with ``Validations.of(app).add_plugins(...)`` (``Bio2(app)`` registers a
:class:`Bio2Plugin`, which does not load cdk-nag: importing cdk-nag's jsii assembly costs about a
second per process), the plugin runs after the templates are written. It evaluates the final
templates in plain Python (one pass per resource, no jsii round trip per rule), writes the evidence
(``cdk.out/bio2/``) and reports every violation to CDK's validation report. As with cdk-nag, an unacknowledged
error-level violation fails ``cdk synth``; ``report_only=True`` (or the context value
``bio2:reportOnly=true``, or ``BIO2_REPORT_ONLY=1``) reports without failing.

Acknowledge a violation on a construct and everything below it with::

    Validations.of(scope).acknowledge(Acknowledgment(id="BIO2::BIO2-S3-AccessLogging", reason="..."))

(or ``bio2_aspects.acknowledge(scope, "BIO2-S3-AccessLogging", "...")``). The violation then becomes
an accepted risk in the manifest, with its reason. ``acknowledge(..., reason_nl="...")`` adds the
reason in Dutch: the Dutch outputs show it; without it they show the reason as written.

For unit tests, ``Bio2Checks(stack).validate_scope(stack)`` runs the same rules the cdk-nag way, on
the construct tree, without writing evidence.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii
from constructs import IConstruct

from bio2_aspects import __version__
from bio2_aspects.assembly import ACKNOWLEDGED_NL, read_assembly
from bio2_aspects.catalog import load_catalog
from bio2_aspects.engine import RuleSet, evaluate_templates
from bio2_aspects.evidence.manifest import build_manifest
from bio2_aspects.scope import Scope

PLUGIN_NAME = "BIO2"


def acknowledge(scope: IConstruct, rule_id: str, reason: str, *, reason_nl: str | None = None) -> None:
    """Accept a BIO2 violation on ``scope`` (and below) as a risk, with the reason auditors will read.

    ``reason_nl``: the same reason in Dutch (optional). The manifest keeps it next to ``reason``
    and every Dutch output (register, report, SoA, HLD) shows it; without it the Dutch outputs
    show ``reason`` as written. The English outputs always show ``reason``.
    """
    if len(reason.strip()) < 20:
        raise ValueError(
            f"acknowledging {rule_id} on {scope.node.path}: give a specific reason of at least 20 characters"
        )
    if reason_nl is not None and len(reason_nl.strip()) < 20:
        raise ValueError(
            f"acknowledging {rule_id} on {scope.node.path}: give reason_nl, the Dutch reason, with at least "
            "20 characters (or leave it out to show the reason as written)"
        )
    if reason_nl is not None:
        # Kept with the English reason it translates: a later acknowledgement of the same rule on the
        # same construct without reason_nl then shows as written, not with a stale translation.
        scope.node.add_metadata(
            ACKNOWLEDGED_NL, {f"{PLUGIN_NAME}::{rule_id}": {"reason": reason, "reason_nl": reason_nl}}
        )
    # CDK core matches plugin findings as "<plugin>::<rule>"; cdk-nag's validate_scope matches the
    # bare rule ID (stored by CDK as "Annotation::<rule>"). Record both so either path sees it.
    cdk.Validations.of(scope).acknowledge(
        cdk.Acknowledgment(id=f"{PLUGIN_NAME}::{rule_id}", reason=reason),
        cdk.Acknowledgment(id=rule_id, reason=reason),
    )


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


@jsii.implements(cdk.IPolicyValidationPlugin)
class Bio2Plugin:
    """The BIO2 rules as a CDK policy-validation plugin. See the module documentation."""

    def __init__(
        self,
        scope: IConstruct | None = None,
        *,
        rules: RuleSet | None = None,
        bio2_scope: Scope | None = None,
        report_only: bool | None = None,
        evidence_dir: str | os.PathLike[str] | None = None,
        exporters: Sequence[Callable[[dict[str, Any], Path], Any]] | None = None,
        reports: Sequence[str] | None = None,
    ) -> None:
        self.rules = rules or RuleSet()
        self.bio2_scope = bio2_scope or Scope()
        if report_only is None and scope is not None:
            ctx = scope.node.try_get_context("bio2:reportOnly")
            report_only = str(ctx).lower() == "true" if ctx is not None else None
        self.report_only = bool(report_only) or _env_flag("BIO2_REPORT_ONLY")
        self.evidence_dir = Path(evidence_dir) if evidence_dir is not None else None
        self.exporters = list(exporters) if exporters is not None else None
        #: the output formats written besides manifest.json (None: all; see ``Bio2(reports=...)``)
        self.reports = tuple(reports) if reports is not None else None
        self.last_manifest: dict[str, Any] | None = None

    @property
    def name(self) -> str:
        return PLUGIN_NAME

    @property
    def version(self) -> str:
        return __version__

    @property
    def rule_ids(self) -> list[str]:
        return [r.id for r in self.rules.rules]

    # -------------------------------------------------------------- after synthesis

    def validate(self, context: cdk.IPolicyValidationContext) -> cdk.PolicyValidationPluginReport:
        paths = [str(p) for p in context.template_paths]
        root = self.evidence_dir.parent if self.evidence_dir else _assembly_root(paths)
        stacks = read_assembly(paths, root)
        evaluations = evaluate_templates(stacks, self.rules)
        manifest = build_manifest(evaluations, load_catalog(), self.rules, self.bio2_scope, PLUGIN_NAME)
        self.last_manifest = manifest
        from bio2_aspects.evidence.writer import write_evidence

        evidence_dir = self.evidence_dir or Path(root) / "bio2"
        write_evidence(manifest, evidence_dir, self.exporters, formats=self.reports)

        # One violation per (rule, level) listing every resource, as cdk-nag does: CDK's report stays
        # readable and its per-violation processing stays cheap on large apps. The per-resource
        # detail is in the manifest and the reports.
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
        failed = False
        for v in manifest["violations"]:
            if v["level"] == "error" and not v["acknowledged"]:
                failed = True
            if v["acknowledged"] and v.get("acceptance"):
                continue  # accepted in the config (bio2.risk_acceptances): CDK knows no construct for it
            grouped.setdefault((v["rule"], v["level"]), []).append(v)
        violations = []
        for (rule_id, level), items in sorted(grouped.items()):
            first = items[0]
            violations.append(
                cdk.PolicyViolation(
                    rule_name=rule_id,
                    description=first["finding"]
                    if len(items) > 1
                    else f"{first['finding']} {first['detail']}".strip(),
                    fix=first["fix"],
                    # CDK decides pass or fail from the severities it is given (after removing the
                    # acknowledged ones), so report-only mode hands errors over as warnings; the
                    # manifest keeps the real level.
                    severity="warning" if self.report_only else level,
                    violating_resources=[
                        violating_resource(
                            str(v["logical_id"]),
                            str(Path(root) / v["template"]),
                            str(v["path"] or v["logical_id"]),
                        )
                        for v in items
                    ],
                )
            )
        return cdk.PolicyValidationPluginReport(
            success=self.report_only or not failed,
            violations=violations,
            plugin_version=__version__,
        )


def _violating_resource_factory() -> Callable[[str, str, str], cdk.PolicyViolatingResource]:
    """A maker of ``PolicyViolatingResource(resource_logical_id=, template_path=, locations=[...])``.

    The generated constructor type-checks every argument (about 0.2 ms per resource, over a second
    for the thousands of violations of a large app); the arguments here are plain strings, so the
    struct is filled the way that constructor fills it. A probe made by the real constructor
    proves the layout first; should a jsii release store structs differently, the real
    constructor is used.
    """
    cls = cdk.PolicyViolatingResource
    probe = cls(resource_logical_id="L", template_path="T", locations=["P"])
    expected = {"locations": ["P"], "resource_logical_id": "L", "template_path": "T"}
    if vars(probe) != {"_values": expected}:
        return lambda lid, template, location: cls(
            resource_logical_id=lid, template_path=template, locations=[location]
        )

    def make(lid: str, template: str, location: str) -> cdk.PolicyViolatingResource:
        obj = cls.__new__(cls)
        obj._values = {"locations": [location], "resource_logical_id": lid, "template_path": template}
        return obj

    return make


def violating_resource(lid: str, template: str, location: str) -> cdk.PolicyViolatingResource:
    """``PolicyViolatingResource`` of one resource (see :func:`_violating_resource_factory`)."""
    global _make_violating_resource
    if _make_violating_resource is None:
        _make_violating_resource = _violating_resource_factory()
    return _make_violating_resource(lid, template, location)


_make_violating_resource: Callable[[str, str, str], cdk.PolicyViolatingResource] | None = None


def _assembly_root(paths: Sequence[str]) -> str:
    """The top assembly directory: the highest directory with a manifest.json above the templates."""
    if not paths:
        return os.getcwd()
    root = Path(os.path.commonpath([os.path.dirname(p) for p in paths]))
    while (root.parent / "manifest.json").is_file() and root.parent != root:
        root = root.parent
    return str(root)


def __getattr__(name: str) -> Any:
    if name == "Bio2Checks":  # the cdk-nag pack loads cdk-nag only when asked for
        from bio2_aspects.nagpack import Bio2Checks

        return Bio2Checks
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
