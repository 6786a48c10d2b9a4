"""``scope_decisions``: named, explicit opt-ins for a landing zone that is weaker than its parts suggest.

The whole-model checks (:mod:`landing_zone.config.checks`) refuse a configuration whose parts
look safe but whose combination is not (a sandbox VPC on the internal network, a baseline that
leaves accounts out, a guardrail that does not cover every account...). Some of these can be a
deliberate, assessed choice. Such a choice is written here, by name, with the reason, who
approved it and until when; the check then lets it pass and the BIO2 manifest records it as a
scope decision with the measures it affects (:func:`recorded_scope_decisions`).

Example::

    scope_decisions:
      - name: baseline-partial-coverage
        items: [Sandbox]
        reason: Sandbox accounts are closed to data and rebuilt weekly; they carry no baseline.
        approved_by: CISO
        expires: "2027-06-30"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from landing_zone.config.base import ConfigModel, Hint
from landing_zone.config.errors import Problem, duplicates, path_of

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig


@dataclass(frozen=True)
class DecisionKind:
    """What a named opt-in allows, and the BIO2 measures it weakens."""

    summary: str
    items: str
    measures: tuple[str, ...]


DECISIONS: dict[str, DecisionKind] = {
    "baseline-partial-coverage": DecisionKind(
        "member accounts outside organization.baseline.targets get no configuration recorder, threat "
        "detector, backup vault, break-glass role or workload boundary",
        "OU paths or account names left out of the baseline",
        ("8.13.01", "8.15.01", "8.15.05", "8.16.04", "5.18.01"),
    ),
    "guardrail-partial-coverage": DecisionKind(
        "a protective guardrail (service control policy) is not attached to every member account",
        "guardrail keys of organization.guardrails.attach",
        ("5.23.01", "5.34.01", "8.15.05", "8.16.04"),
    ),
    "sandbox-on-internal-network": DecisionKind(
        "a sandbox VPC is attached to a segment of the internal network and gets its routes and "
        "firewall passes (on-premises included)",
        "names of sandbox VPCs in network.vpcs",
        ("8.22.01", "8.20.01"),
    ),
    "production-nonproduction-flow": DecisionKind(
        "the inspection firewall passes traffic between the production and non-production segments",
        "descriptions of network.firewall_rules",
        ("8.22.01", "8.31.01"),
    ),
    "spoke-not-attached": DecisionKind(
        "a spoke VPC in network.vpcs has no transit_gateway_attachment_id yet: it is in the IP plan but "
        "gets no route, no inspection and no DNS firewall from the landing zone",
        "names of VPCs in network.vpcs",
        ("8.22.01", "8.20.01"),
    ),
}
"""Every named opt-in, what it allows and the measures it affects."""

DecisionName = Literal[tuple(DECISIONS)]  # type: ignore[valid-type]

IsoDate = Annotated[
    str,
    Field(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"),
    Hint(expected="a date written as YYYY-MM-DD, in quotes", example='"2027-06-30"'),
]


class ScopeDecision(ConfigModel):
    """A named, explicit opt-in for a weaker landing zone; recorded in the BIO2 manifest."""

    name: DecisionName = Field(description="Which weakening is accepted: " + ", ".join(DECISIONS) + ".")
    items: tuple[Annotated[str, Field(min_length=1)], ...] = Field(
        default=(),
        description=(
            "What it covers (VPC names, OU paths, account names, guardrail keys or firewall rule "
            "descriptions, as the decision names); leave out to cover every case of this decision."
        ),
    )
    reason: str = Field(
        min_length=20, max_length=1000, description="Why the weaker set-up is acceptable (risk assessment)."
    )
    approved_by: str = Field(min_length=2, max_length=200, description="Who approved it (role or name).")
    expires: IsoDate | None = Field(
        default=None, description="Date (YYYY-MM-DD) after which the decision must be reviewed again."
    )


def accepted(cfg: LandingZoneConfig, name: str, item: str | None = None) -> bool:
    """Whether ``cfg`` opts into decision ``name`` (for ``item``, when the decision lists items)."""
    for decision in getattr(cfg, "scope_decisions", ()) or ():
        if decision.name == name and (not decision.items or item is None or item in decision.items):
            return True
    return False


def recorded_scope_decisions(cfg: LandingZoneConfig) -> list[dict[str, object]]:
    """The opt-ins of ``cfg`` for the BIO2 manifest: one record per decision, with its measures.

    Each record: ``name``, ``summary`` (what is weaker), ``items``, ``reason``, ``approved_by``,
    ``expires`` (or None), ``measures`` (BIO2 measure IDs it affects) and ``config_path``.
    """
    records: list[dict[str, object]] = []
    for index, decision in enumerate(getattr(cfg, "scope_decisions", ()) or ()):
        kind = DECISIONS[decision.name]
        records.append(
            {
                "name": decision.name,
                "summary": kind.summary,
                "items": list(decision.items),
                "reason": decision.reason,
                "approved_by": decision.approved_by,
                "expires": decision.expires,
                "measures": list(kind.measures),
                "config_path": path_of("scope_decisions", index),
            }
        )
    return records


def check(cfg: LandingZoneConfig) -> list[Problem]:
    """Scope decision checks: each decision is named once."""
    names = [decision.name for decision in cfg.scope_decisions]
    return [
        Problem(
            path_of("scope_decisions", index, "name"),
            f"decision '{names[index]}' is also recorded at scope_decisions[{first}]",
            "record each decision once; list everything it covers in its items",
        )
        for index, first in duplicates(names)
    ]
