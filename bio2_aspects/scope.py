"""What an organisation tells the engine about its BIO2 scope: owners, attestations, exclusions,
risk acceptances, language, and where the configuration came from (for the audit trail)."""

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
class Document:
    """The document that shows how a process is carried out (policy, procedure, plan, report)."""

    title: str
    reference: str  # document ID or URL an auditor can look up
    version: str | None = None


@dataclass(frozen=True)
class Attestation:
    """An owner's statement, backed by a document and an approval, that an organisational facet
    (or a whole measure or control) is carried out. Without a document it attests nothing."""

    scope: str  # facet ID (5.01.01.o1), measure ID (5.01.01) or control ID (5.1)
    owner: str
    document: Document | None = None
    date: str | None = None  # ISO date the document was approved
    approved_by: str | None = None
    review_date: str | None = None  # ISO date of the next review

    def problems(self) -> tuple[str, ...]:
        """Why this attestation does not count (empty when it does, apart from an overdue review)."""
        out = []
        if self.document is None or not self.document.title.strip() or not self.document.reference.strip():
            out.append("no_document")
        if not self.approved_by:
            out.append("no_approver")
        if not self.date:
            out.append("no_date")
        return tuple(out)

    def overdue(self, today: str) -> bool:
        """The review date (ISO) is before ``today`` (ISO date of the generation time)."""
        return bool(self.review_date) and str(self.review_date) < today


@dataclass(frozen=True)
class Exclusion:
    """A measure or control declared out of scope after a risk assessment."""

    id: str
    justification: str
    risk_assessment: str | None = None
    approved_by: str | None = None
    date: str | None = None
    expires: str | None = None  # ISO date: re-assess before; after it the exclusion fails the synth

    def expired(self, today: str) -> bool:
        return bool(self.expires) and str(self.expires) < today


@dataclass(frozen=True)
class RiskAcceptance:
    """An accepted violation of a rule, from the configuration (the YAML twin of ``acknowledge()``)."""

    rule: str
    reason: str
    approved_by: str
    date: str
    expires: str  # ISO date: after it the violation is open again and the synth fails
    #: construct path prefixes it covers (``LogArchive/Archive``); empty: every resource
    resources: tuple[str, ...] = ()

    def covers(self, rule_id: str, path: str | None) -> bool:
        if rule_id != self.rule:
            return False
        if not self.resources:
            return True
        p = (path or "").strip("/")
        return any(p == r.strip("/") or p.startswith(r.strip("/") + "/") for r in self.resources)

    def expired(self, today: str) -> bool:
        return str(self.expires) < today


@dataclass(frozen=True)
class ConfigSource:
    """Where the scope came from: shown in the manifest so an auditor can tie it to a file."""

    name: str  # file name or "embedded default"
    sha256: str  # of the file's bytes (basis "file") or of the validated model (basis "model")
    basis: str = "file"


@dataclass(frozen=True)
class Scope:
    """The organisation's BIO2 scope decisions."""

    organisation: str = ""
    owners: tuple[Owner, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    language: str = "en"
    inherited_basis: str = DEFAULT_INHERITED_BASIS
    extra: dict[str, str] = field(default_factory=dict)
    attestations: tuple[Attestation, ...] = ()
    risk_acceptances: tuple[RiskAcceptance, ...] = ()
    config: ConfigSource | None = None

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

    def attestation_of(self, facet_id: str, measure_id: str, control_id: str) -> Attestation | None:
        """Most specific attestation: the facet, then its measure, then its control (never a theme:
        a theme-wide statement says nothing about one process)."""
        by_scope = {a.scope: a for a in self.attestations}
        for key in (facet_id, measure_id, control_id):
            if key in by_scope:
                return by_scope[key]
        return None

    def risk_acceptance_of(self, rule_id: str, path: str | None) -> RiskAcceptance | None:
        for acceptance in self.risk_acceptances:
            if acceptance.covers(rule_id, path):
                return acceptance
        return None
