"""Declared evidence: constructs state that a deployed guardrail or monitor covers measures.

A declaration is stored as construct metadata (``bio2:evidence``) on the declaring construct,
so it travels with the cloud assembly and needs no global state. After synthesis the engine
accepts a declaration only when the declaring construct is (or has as default child) a resource
that is present in a template; otherwise it is listed as unbacked and counts for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from constructs import IConstruct

from bio2_aspects.assembly import DECLARED_EVIDENCE
from bio2_aspects.catalog import load_catalog

KINDS = ("preventive", "detective")


def _declare(scope: IConstruct, kind: str, measures: Iterable[str], description: str, mechanism: str) -> None:
    ids = sorted(set(measures))
    if not ids:
        raise ValueError(f"{scope.node.path}: a {kind} declaration needs at least one measure")
    if not description.strip():
        raise ValueError(f"{scope.node.path}: a {kind} declaration needs a description of the mechanism")
    catalog = load_catalog()
    unknown = [m for m in ids if not catalog.is_measure_id(m)]
    if unknown:
        raise ValueError(
            f"{scope.node.path}: {', '.join(unknown)} are not BIO2 measures in catalog {catalog.version} "
            "(see `bio2 catalog`)"
        )
    scope.node.add_metadata(
        DECLARED_EVIDENCE,
        {"kind": kind, "measures": ids, "description": description.strip(), "mechanism": mechanism},
    )


def declare_preventive(
    scope: IConstruct, measures: Iterable[str], *, description: str, mechanism: str = "guardrail"
) -> None:
    """``scope`` deploys a guardrail (SCP, RCP, tag policy...) that makes breaking ``measures`` impossible."""
    _declare(scope, "preventive", measures, description, mechanism)


def declare_detective(
    scope: IConstruct, measures: Iterable[str], *, description: str, mechanism: str = "monitor"
) -> None:
    """``scope`` deploys a monitor (Config rule, Security Hub standard...) that watches ``measures``."""
    _declare(scope, "detective", measures, description, mechanism)
