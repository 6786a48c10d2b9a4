"""The manifest contract as pydantic models: the single source of ``docs/manifest.schema.json``.

``build_manifest`` writes plain JSON data (fast, deterministic); these models say what that data
is. The JSON Schema is generated from them (``bio2_aspects.evidence.schema``), the test fixtures
are validated through them, and :func:`validate` checks any manifest (``Manifest.model_validate``).
The status vocabulary comes from :mod:`bio2_aspects.evidence.status`, the one place it is defined.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bio2_aspects.evidence.status import FACET_STATES, HEADLINE, STATUSES

#: 2.0.0: statuses from facets and attestations, audit metadata, risk acceptances, design facts
SCHEMA_VERSION = "2.0.0"

MeasureId = Annotated[str, Field(pattern=r"^\d\.\d{2}\.\d{2}$")]
ControlId = Annotated[str, Field(pattern=r"^[5-8]\.\d{1,2}$")]
IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Count = Annotated[int, Field(ge=0)]
Timestamp = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
Theme = Literal["organisational", "people", "physical", "technological"]
Status = Literal[STATUSES]  # type: ignore[valid-type]
Headline = Literal[HEADLINE]  # type: ignore[valid-type]
FacetState = Literal[FACET_STATES]  # type: ignore[valid-type]
Level = Literal["error", "warning"]
RuntimeSource = Literal["aws-config", "security-hub", "guardduty", "access-analyzer", "backup", "prowler"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Texts(_Model):
    en: str
    nl: str


class Document(_Model):
    title: str
    reference: str
    version: str | None


class Attestation(_Model):
    """An attestation as the manifest shows it, with why it does or does not count."""

    scope: str
    owner: str
    document: Document | None
    date: IsoDate | None
    approved_by: str | None
    review_date: IsoDate | None
    problems: list[Literal["no_document", "no_approver", "no_date"]]
    overdue: bool
    valid: bool


class Facet(_Model):
    id: str
    kind: Literal["technical", "organisational"]
    summary: Texts
    monitoring: bool = Field(description="A monitor (detective evidence) covers this facet.")
    state: FacetState
    evidence: Count
    attestation: Attestation | None


class Owner(_Model):
    name: str
    contact: str | None
    scope: str
    process: str | None = None


class Exclusion(_Model):
    id: str
    justification: str
    risk_assessment: str | None
    approved_by: str | None
    date: IsoDate | None
    expires: IsoDate | None
    expired: bool


class EvidenceItem(_Model):
    """One source (a rule result or a checked claim) evidencing one measure.

    ``unknown``: a claim whose resource exists only under a Condition decided at deployment; it
    never counts."""

    kind: Literal["verified", "preventive", "detective", "runtime"]
    rule: str | None
    result: Literal["pass", "fail", "unknown", "declared"]
    stack: str
    account: str | None
    region: str | None
    path: str | None
    logical_id: str
    resource_type: str
    detail: str
    acknowledgement_reason: str | None
    strength: Literal["full", "supporting"]
    facet: str | None
    rationale: Texts
    mechanism: str | None = None
    template: str | None = None
    claim: str | None = Field(default=None, description="The claim ID (bio2_aspects.claims), for claims.")
    # run-time evidence (``bio2 collect``, bio2_aspects/collect/merge.py)
    source: (
        Literal["aws-config", "security-hub", "guardduty", "access-analyzer", "backup", "prowler"] | None
    ) = None
    compliance: Literal["COMPLIANT", "NON_COMPLIANT"] | None = None
    observed_at: Timestamp | None = None
    observed_at_source: Literal["response", "collection"] | None = None
    first_observed: Timestamp | None = None


class DesignState(_Model):
    """A measure's design-time state, kept when run-time evidence downgrades it."""

    status: Status
    headline: Headline
    basis: str | None
    missing_facets: list[str]
    facet_states: dict[str, FacetState]


class RuntimeState(_Model):
    """What the deployed monitors reported for a measure (``bio2 collect``)."""

    state: Literal["compliant", "non_compliant"]
    observations: Annotated[int, Field(ge=1)]
    non_compliant: Count
    last_observed: Timestamp
    non_compliant_since: Timestamp | None
    downgraded: bool
    design: DesignState


class Collection(_Model):
    """One run of ``bio2 collect``."""

    collected_at: Timestamp
    collected_at_source: Literal["argument", "clock"]
    home_region: str | None = None
    regions: list[str]
    sources: list[str]
    accounts: Count | None = None
    observations: Count
    non_compliant: Count | None = None
    measures_downgraded: list[MeasureId] | None = None


class Claim(_Model):
    """A checked preventive or detective claim and the facts it relies on (bio2_aspects.claims)."""

    id: str
    kind: Literal["preventive", "detective"]
    stack: str
    template: str
    account: str | None
    region: str | None
    path: str
    logical_id: str | None
    resource_type: str | None
    result: Literal["pass", "fail", "unknown"]
    detail: str
    facts: list[str]
    measures: list[str]
    acknowledgement_reason: str | None


class LogSource(_Model):
    """One log source of the templates and where its logs go (``evidence/inventory.py``; 8.15.03)."""

    stack: str
    template: str
    account: str | None
    region: str | None
    path: str | None
    logical_id: str
    resource_type: str
    conditional: bool = Field(description="Created only when a Condition decided at deployment holds.")
    log: str = Field(description="What is logged, a stable key (the reports translate it).")
    detail: str
    destination_type: Literal["s3", "cloudwatch-logs", "firehose", "unknown"]
    destination: str
    retention_days: str | None = Field(description="CloudWatch Logs retention, when the log group is known.")


class InternetFacingResource(_Model):
    """One internet-facing resource of the templates and why (``evidence/inventory.py``; 5.14.04).

    ``reason`` ``undetermined``: a property that decides it is known only at deploy time."""

    stack: str
    template: str
    account: str | None
    region: str | None
    path: str | None
    logical_id: str
    resource_type: str
    conditional: bool = Field(description="Created only when a Condition decided at deployment holds.")
    reason: str = Field(description="Why it is internet-facing, a stable key (the reports translate it).")
    detail: str


class AcceptedRisk(_Model):
    rule: str
    stack: str
    path: str | None
    logical_id: str
    reason: str


class Measure(_Model):
    id: MeasureId
    control: ControlId
    theme: Theme
    summary: str
    summary_nl: str
    nature: Literal["technical", "organisational", "physical"]
    responsibility: Literal["cloud_provider", "platform_team", "workload_team", "organisation"]
    status: Status
    headline: Headline
    basis: str | None
    owner: Owner | None
    facets: Annotated[list[Facet], Field(min_length=1)]
    missing_facets: list[str]
    exclusion: Exclusion | None
    evidence: list[EvidenceItem]
    evidence_kinds: list[Literal["verified", "preventive", "detective", "attested"]]
    accepted_risks: list[AcceptedRisk]
    open_violations: Count
    runtime: RuntimeState | None = None


class Control(_Model):
    id: ControlId
    theme: Theme
    title: str
    title_nl: str
    applicable: bool
    justification: str
    status: Status
    owner: Owner | None
    attestation: Attestation | None
    measures: list[MeasureId]
    measures_by_status: dict[Status, Annotated[int, Field(ge=1)]]


class ResourceViolation(_Model):
    rule: str
    level: Level
    detail: str
    acknowledged: str | None


class Resource(_Model):
    stack: str
    account: str | None
    region: str | None
    path: str | None
    logical_id: str
    type: str
    measures: list[MeasureId]
    violations: list[ResourceViolation]
    template: str | None = None


class RiskAcceptance(_Model):
    source: Literal["config"]
    rule: str
    resources: list[str]
    reason: str
    approved_by: str
    date: IsoDate
    expires: IsoDate
    expired: bool
    used: bool | None = None


class Violation(_Model):
    rule: str
    level: Level
    stack: str
    path: str | None
    logical_id: str
    resource_type: str
    finding: str
    detail: str
    fix: str
    acknowledged: bool
    acknowledgement_reason: str | None
    acceptance: RiskAcceptance | None
    template: str | None = None


class RuleInfo(_Model):
    id: Annotated[str, Field(pattern=r"^BIO2-[A-Za-z0-9]+-[A-Za-z0-9]+$")]
    level: Level
    measures: Annotated[list[MeasureId], Field(min_length=1)]
    resource_types: Annotated[list[str], Field(min_length=1)]
    finding: str
    fix: str


class Template(_Model):
    file: str
    stack: str
    account: str | None
    region: str | None
    sha256: Sha256
    resources: Count


class Totals(_Model):
    measures: int
    controls: int
    measures_by_status: dict[str, Count]
    controls_by_status: dict[str, Count]
    headline: dict[str, Count]
    measures_by_theme: dict[str, dict[str, Count]]
    measures_by_evidence_kind: dict[str, Count]
    attestations: dict[str, Count]
    violations: dict[str, Count]


class GitState(_Model):
    commit: str | None
    dirty: bool | None


class ConfigInfo(_Model):
    name: str
    sha256: Sha256
    basis: Literal["file", "model"]


class Versions(_Model):
    tool: str
    catalog: str
    aws_cdk_lib: str | None
    cdk_nag: str | None


class Audit(_Model):
    generated_at: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    generated_at_source: str
    git: GitState
    config: ConfigInfo | None
    versions: Versions
    collection: Collection | None = None


class Tool(_Model):
    name: str
    version: str


class CatalogInfo(_Model):
    name: str
    version: str
    iso: str


class Manifest(_Model):
    """BIO2 measures, status and evidence; Statement of Applicability; resources; rules."""

    schema_version: Literal[SCHEMA_VERSION]  # type: ignore[valid-type]
    audit: Audit
    tool: Tool
    catalog: CatalogInfo
    organisation: str
    language: Literal["en", "nl"]
    templates: list[Template]
    totals: Totals
    measures: list[Measure]
    controls: list[Control]
    resources: list[Resource]
    violations: list[Violation]
    risk_acceptances: list[RiskAcceptance]
    exclusions: list[Exclusion]
    unbacked_declarations: list[dict[str, Any]]
    claims: list[Claim] = Field(default_factory=list)
    log_sources: list[LogSource] = Field(
        default_factory=list, description="Log-source inventory of the templates (BIO2 8.15.03)."
    )
    internet_facing: list[InternetFacingResource] = Field(
        default_factory=list, description="Register of internet-facing resources (BIO2 5.14.04)."
    )
    rules: list[RuleInfo]
    design: dict[str, Any] | None = Field(default=None, description="Design facts (evidence/design.py).")


def validate(manifest: dict[str, Any]) -> Manifest:
    """The manifest as models (raises ``pydantic.ValidationError`` when it breaks the contract)."""
    return Manifest.model_validate(manifest)
