"""What an organisation tells the engine about its BIO2 scope: owners, exclusions, language."""

from __future__ import annotations

from dataclasses import dataclass, field

THEMES = ("organisational", "people", "physical", "technological")

#: What the manifest says for measures the cloud provider carries, unless the scope says otherwise.
DEFAULT_INHERITED_BASIS = (
    "Carried by AWS for the data centres and the underlying infrastructure; the attestations "
    "(ISO/IEC 27001, 27017, 27018 certificates, SOC 2 Type II report, BSI C5) are available through "
    "AWS Artifact."
)


@dataclass(frozen=True)
class Owner:
    """Who answers for a measure, a control or a whole theme."""

    scope: str  # measure ID (5.01.01), control ID (5.1) or theme name
    owner: str
    contact: str | None = None
    #: how the owner meets the measure outside the infrastructure (an owned process), if stated
    process: str | None = None


@dataclass(frozen=True)
class Exclusion:
    """A measure or control declared out of scope after a risk assessment."""

    id: str
    justification: str
    risk_assessment: str | None = None


@dataclass(frozen=True)
class Scope:
    """The organisation's BIO2 scope decisions."""

    organisation: str = ""
    owners: tuple[Owner, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    language: str = "en"
    inherited_basis: str = DEFAULT_INHERITED_BASIS
    extra: dict[str, str] = field(default_factory=dict)

    def owner_of(self, measure_id: str, control_id: str, theme: str) -> Owner | None:
        """Most specific owner: the measure, then its control, then its theme."""
        by_scope = {o.scope: o for o in self.owners}
        for key in (measure_id, control_id, theme):
            if key in by_scope:
                return by_scope[key]
        return None

    def exclusion_of(self, *ids: str) -> Exclusion | None:
        by_id = {e.id: e for e in self.exclusions}
        for i in ids:
            if i in by_id:
                return by_id[i]
        return None
