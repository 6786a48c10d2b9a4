"""The manifest contract as pydantic models: the single source of ``docs/manifest.schema.json``.

``build_manifest`` writes plain JSON data (fast, deterministic, the bytes of ``manifest.json``);
these models say what that data is. The data is validated into a :class:`Manifest` once per set
of outputs (``writer.write_evidence``, ``exporters.render_files``, the CLI's :func:`read_manifest`)
and every exporter reads the model's attributes, never dict keys. The JSON Schema is generated
from the models (``bio2_aspects.evidence.schema``) and the test fixtures are validated through
them. The status vocabulary comes from :mod:`bio2_aspects.evidence.status`, the one place it is
defined.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_serializer,
    model_validator,
)

from bio2_aspects.evidence.status import FACET_STATES, HEADLINE, STATUSES
from bio2_aspects.evidence.version import SCHEMA_VERSION as SCHEMA_VERSION

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


def _reason_in(lang: str, reason: str | None, reason_nl: str | None) -> str | None:
    """A reason in ``lang``: the Dutch reason where given (``acknowledge(..., reason_nl=...)``), else
    the reason as written."""
    return reason_nl if lang == "nl" and reason and reason_nl else reason


class _Acknowledged:
    """An item that may carry an acknowledgement reason (and its Dutch translation)."""

    acknowledgement_reason: str | None
    acknowledgement_reason_nl: str | None

    def reason_in(self, lang: str) -> str | None:
        """The acknowledgement reason in ``lang`` (see :func:`_reason_in`)."""
        return _reason_in(lang, self.acknowledgement_reason, self.acknowledgement_reason_nl)


class Texts(_Model):
    en: str
    nl: str


#: A per-resource text as data (``bio2_aspects.messages``): ``{"id": ..., "params": {...}}``, a
#: parameter being a text, a number, a list of them or a message of the same form. The exporters
#: render it in the output language; parameters are shown as written. (A plain dict, not a model:
#: thousands of them are validated on every synth.)
Message = Annotated[
    dict[str, Any],
    Field(
        json_schema_extra={
            "required": ["id", "params"],
            "properties": {"id": {"type": "string"}, "params": {"type": "object"}},
        }
    ),
]


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


class Coverage(_Model):
    """The scope a narrowed claim covers and the scope it needs but does not cover (OU paths,
    accounts, regions), as the checks name them."""

    covers: Annotated[list[str], Field(min_length=1)]
    not_covered: Annotated[list[str], Field(min_length=1)]


class Narrowing(_Model):
    """A narrowed claim among a measure's evidence (see :class:`Coverage`)."""

    claim: str
    stack: str
    logical_id: str
    covers: Annotated[list[str], Field(min_length=1)]
    not_covered: Annotated[list[str], Field(min_length=1)]


class EvidenceItem(_Acknowledged, _Model):
    """One source (a rule result or a checked claim) evidencing one measure.

    ``unknown``: a claim whose resource exists only under a Condition decided at deployment; it
    never counts. ``partial``: a narrowed claim (its fact holds for part of the scope, named in
    ``coverage``); it counts as partial evidence, never as the full fact."""

    kind: Literal["verified", "preventive", "detective", "runtime"]
    rule: str | None
    result: Literal["pass", "partial", "fail", "unknown", "declared"]
    stack: str
    account: str | None
    region: str | None
    path: str | None
    logical_id: str
    resource_type: str
    detail: str
    message: Message | None = Field(default=None, description="The detail as a message (for translation).")
    acknowledgement_reason: str | None
    acknowledgement_reason_nl: str | None = Field(
        default=None,
        description="The acknowledgement reason in Dutch, where given (acknowledge(reason_nl=...)).",
    )
    strength: Literal["full", "supporting"]
    facet: str | None
    rationale: Texts
    mechanism: str | None = None
    template: str | None = None
    claim: str | None = Field(default=None, description="The claim ID (bio2_aspects.claims), for claims.")
    coverage: Coverage | None = Field(default=None, description="A narrowed claim's scope.")
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


class Claim(_Acknowledged, _Model):
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
    result: Literal["pass", "partial", "fail", "unknown"]
    detail: str
    message: Message | None = None
    facts: list[str]
    measures: list[str]
    acknowledgement_reason: str | None
    acknowledgement_reason_nl: str | None = Field(
        default=None,
        description="The acknowledgement reason in Dutch, where given (acknowledge(reason_nl=...)).",
    )
    coverage: Coverage | None = Field(default=None, description="A narrowed claim's scope.")


class _InventoryEntry(_Model):
    """A resource of the templates listed in an inventory (``evidence/inventory.py``)."""

    stack: str
    template: str
    account: str | None
    region: str | None
    path: str | None
    logical_id: str
    resource_type: str
    conditional: bool = Field(description="Created only when a Condition decided at deployment holds.")


class LogSource(_InventoryEntry):
    """One log source of the templates and where its logs go (``evidence/inventory.py``; 8.15.03)."""

    log: str = Field(description="What is logged, a stable key (the reports translate it).")
    detail: str
    destination_type: Literal["s3", "cloudwatch-logs", "firehose", "unknown"]
    destination: str
    retention_days: str | None = Field(description="CloudWatch Logs retention, when the log group is known.")


class InternetFacingResource(_InventoryEntry):
    """One internet-facing resource of the templates and why (``evidence/inventory.py``; 5.14.04).

    ``reason`` ``undetermined``: a property that decides it is known only at deploy time."""

    reason: str = Field(description="Why it is internet-facing, a stable key (the reports translate it).")
    detail: str


class AcceptedRisk(_Model):
    rule: str
    stack: str
    path: str | None
    logical_id: str
    reason: str
    reason_nl: str | None = Field(default=None, description="The reason in Dutch, where given.")

    def reason_in(self, lang: str) -> str:
        """The reason in ``lang`` (see :func:`_reason_in`)."""
        return _reason_in(lang, self.reason, self.reason_nl) or self.reason


#: Validation context key: validate a measure's evidence items and the resource register when
#: first read, not with the manifest (see :func:`as_manifest`).
DEFER_EVIDENCE = "defer_evidence"


@cache
def _evidence_items() -> TypeAdapter[list[EvidenceItem]]:
    return TypeAdapter(list[EvidenceItem])


@cache
def _resource_items() -> TypeAdapter[list[Resource]]:
    return TypeAdapter(list[Resource])


class _DeferredItems(Sequence[Any]):
    """A list of the manifest's data, validated into its models when first read (see
    :func:`as_manifest`). Subclasses name the models (``_adapter``)."""

    __slots__ = ("_items", "_raw")

    def __init__(self, raw: list[Any]) -> None:
        self._raw: list[Any] | None = raw
        self._items: list[Any] | None = None

    @staticmethod
    def _adapter() -> TypeAdapter[Any]:
        raise NotImplementedError

    def _all(self) -> list[Any]:
        # Each field is read once into a local: two threads reading a fresh list at once may both
        # validate it (the same items), but neither sees the raw data already dropped.
        items = self._items
        if items is None:
            raw = self._raw
            if raw is None:  # validated by another thread meanwhile (``_items`` is set first)
                return self._items  # type: ignore[return-value]
            items = self._adapter().validate_python(raw)
            self._items = items
            self._raw = None
        return items

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __len__(self) -> int:
        raw = self._raw
        return len(raw) if raw is not None else len(self._all())

    def __iter__(self) -> Iterator[Any]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _DeferredItems):
            other = other._all()
        return self._all() == other

    __hash__ = None  # type: ignore[assignment]  # a list's equality, a list's unhashability

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} items)"


class DeferredEvidence(_DeferredItems):
    """A measure's evidence items, validated into :class:`EvidenceItem` models when first read.

    Only the synth's own manifest is validated this way (``writer.write_evidence``): the default
    reports (``summary.md``, SARIF) never read the items, which are most of the manifest."""

    __slots__ = ()
    _adapter = staticmethod(_evidence_items)

    def rule_ids(self) -> list[str]:
        """The ``rule`` of each item that names one, without validating the items (SARIF and the
        registers map rules to measures from them)."""
        raw = self._raw
        if raw is None:
            return [item.rule for item in self._all() if item.rule]
        rules = (item.get("rule") for item in raw if isinstance(item, dict))
        return [r for r in rules if isinstance(r, str) and r]


class DeferredResources(_DeferredItems):
    """The resource register (:class:`Resource`), validated when first read: of the synth's own
    manifest only, like :class:`DeferredEvidence` (the default reports never read it)."""

    __slots__ = ()
    _adapter = staticmethod(_resource_items)


def evidence_rule_ids(items: Sequence[EvidenceItem]) -> list[str]:
    """The rule IDs a measure's evidence items name, in order (deferred items stay unvalidated)."""
    if isinstance(items, DeferredEvidence):
        return items.rule_ids()
    return [item.rule for item in items if item.rule]


def _deferred(kind: type[_DeferredItems]) -> WrapValidator:
    """A field validator that keeps the list as ``kind`` (validated when read) in the context of
    :data:`DEFER_EVIDENCE`, and validates it now otherwise."""

    def validate(value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        if isinstance(value, list) and info.context and info.context.get(DEFER_EVIDENCE):
            return kind(value)
        return handler(value)

    return WrapValidator(validate)


def _deferred_out(value: Any, handler: SerializerFunctionWrapHandler) -> Any:
    return handler(list(value) if isinstance(value, _DeferredItems) else value)


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
    evidence: Annotated[list[EvidenceItem], _deferred(DeferredEvidence)]
    evidence_kinds: list[Literal["verified", "preventive", "detective", "attested"]]
    accepted_risks: list[AcceptedRisk]
    open_violations: Count
    runtime: RuntimeState | None = None
    narrowed: list[Narrowing] | None = Field(
        default=None, description="Narrowed claims among the evidence, with the scope they do not cover."
    )

    @field_serializer("evidence", mode="wrap")
    def _evidence_out(self, value: Any, handler: SerializerFunctionWrapHandler) -> Any:
        return _deferred_out(value, handler)


class ControlEvidenceItem(_Acknowledged, _Model):
    """One rule result or checked claim evidencing an ISO/IEC 27002 control that has no BIO2 measure
    (``mappings/data/controls.json``, a claim's ``control`` pair): control-level evidence, shown in the
    Statement of Applicability, never evidence for a BIO2 measure."""

    control: ControlId
    kind: Literal["verified", "preventive", "detective"]
    rule: str | None
    claim: str | None = None
    result: Literal["pass", "partial", "fail", "unknown"]
    stack: str
    template: str | None = None
    account: str | None
    region: str | None
    path: str | None
    logical_id: str
    resource_type: str
    detail: str
    message: Message | None = None
    acknowledgement_reason: str | None
    acknowledgement_reason_nl: str | None = Field(
        default=None,
        description="The acknowledgement reason in Dutch, where given (acknowledge(reason_nl=...)).",
    )
    strength: Literal["full", "supporting"]
    rationale: Texts
    coverage: Coverage | None = None


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
    technical: Literal["evidenced", "partial", "failing"] | None = Field(
        default=None,
        description="A control without BIO2 measures evidenced at control level: its technical part.",
    )
    evidence: list[ControlEvidenceItem] | None = Field(
        default=None, description="Control-level evidence (controls without BIO2 measures only)."
    )


class ResourceViolation(_Model):
    rule: str
    level: Level
    detail: str
    message: Message | None = None
    acknowledged: str | None
    acknowledged_nl: str | None = Field(
        default=None, description="The acknowledgement reason in Dutch, where given."
    )

    def reason_in(self, lang: str) -> str | None:
        """The acknowledgement reason in ``lang`` (see :func:`_reason_in`)."""
        return _reason_in(lang, self.acknowledged, self.acknowledged_nl)


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


class Violation(_Acknowledged, _Model):
    rule: str
    level: Level
    stack: str
    path: str | None
    logical_id: str
    resource_type: str
    finding: str
    detail: str
    message: Message | None = None
    fix: str
    acknowledged: bool
    acknowledgement_reason: str | None
    acknowledgement_reason_nl: str | None = Field(
        default=None,
        description="The acknowledgement reason in Dutch, where given (acknowledge(reason_nl=...)).",
    )
    acceptance: RiskAcceptance | None
    template: str | None = None


class RuleInfo(_Model):
    """A rule in force: the BIO2 measures it evidences, or (a control-only rule, such as Multi-AZ for
    redundancy) only ISO/IEC 27002 controls without BIO2 measures (``controls``)."""

    id: Annotated[str, Field(pattern=r"^BIO2-[A-Za-z0-9]+-[A-Za-z0-9]+$")]
    level: Level
    measures: list[MeasureId]
    resource_types: Annotated[list[str], Field(min_length=1)]
    finding: str
    fix: str
    controls: list[ControlId] | None = Field(
        default=None, description="ISO controls a rule evidences at control level (no BIO2 measure)."
    )

    @model_validator(mode="after")
    def _evidences_something(self) -> RuleInfo:
        if not self.measures and not self.controls:
            raise ValueError(f"rule {self.id} evidences no measure and no control")
        return self


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


class UnbackedDeclaration(_Model):
    """A claim made on a construct that has no CloudFormation resource: it evidences nothing."""

    stack: str
    template: str | None = None
    account: str | None
    region: str | None
    path: str | None
    kind: Literal["preventive", "detective"]
    claim: str | None = None
    measures: list[str]


class DesignRow(_Model):
    """One designed resource with the values that make the design (``evidence/design.py``)."""

    stack: str
    region: str | None
    logical_id: str
    type: str
    fields: dict[str, str] = Field(description="Field name -> value, in the design's column order.")
    measures: list[MeasureId]


class Design(_Model):
    """Design facts read from the templates, per HLD section."""

    organization: list[DesignRow]
    identity: list[DesignRow]
    logging: list[DesignRow]
    network: list[DesignRow]
    backup: list[DesignRow]
    classification: dict[str, dict[str, Count]]

    def rows(self, section: str) -> list[DesignRow]:
        """The rows of a section by its name (``organization`` ... ``backup``)."""
        rows: list[DesignRow] = getattr(self, section)
        return rows


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
    resources: Annotated[list[Resource], _deferred(DeferredResources)]
    violations: list[Violation]
    risk_acceptances: list[RiskAcceptance]
    exclusions: list[Exclusion]
    unbacked_declarations: list[UnbackedDeclaration]
    claims: list[Claim] = Field(default_factory=list)
    log_sources: list[LogSource] = Field(
        default_factory=list, description="Log-source inventory of the templates (BIO2 8.15.03)."
    )
    internet_facing: list[InternetFacingResource] = Field(
        default_factory=list, description="Register of internet-facing resources (BIO2 5.14.04)."
    )
    rules: list[RuleInfo]
    design: Design | None = Field(default=None, description="Design facts (evidence/design.py).")
    messages: dict[str, Texts] | None = Field(
        default=None, description="Templates of the app's own messages (e.g. claim details), per language."
    )

    @field_serializer("resources", mode="wrap")
    def _resources_out(self, value: Any, handler: SerializerFunctionWrapHandler) -> Any:
        return _deferred_out(value, handler)

    def text_of(
        self, item: EvidenceItem | ControlEvidenceItem | Violation | ResourceViolation | Claim, lang: str
    ) -> str:
        """The detail of ``item`` in ``lang``: its message rendered from the templates, else the
        detail as written (a text without a message, or one whose templates are unknown)."""
        if item.message is None or lang == "en":  # the detail is the English text of the message
            return item.detail
        from bio2_aspects.messages import render

        try:
            return render(item.message, lang, self.own_templates)
        except (KeyError, IndexError, ValueError):
            return item.detail

    @cached_property
    def own_templates(self) -> dict[str, dict[str, str]]:
        """The app's own message templates: message ID -> language -> template."""
        return {k: {"en": v.en, "nl": v.nl} for k, v in (self.messages or {}).items()}


def validate(manifest: Mapping[str, Any]) -> Manifest:
    """The manifest as models (raises ``pydantic.ValidationError`` when it breaks the contract)."""
    return Manifest.model_validate(manifest)


def as_manifest(manifest: Manifest | Mapping[str, Any], *, defer_evidence: bool = False) -> Manifest:
    """``manifest`` as the model: a model as it is, manifest data validated (once, by the caller
    that holds the data: the exporters of one set of outputs share the model).

    ``defer_evidence``: validate each measure's evidence items and the resource register when
    first read (:class:`DeferredEvidence`, :class:`DeferredResources`: sequences, not lists), for
    data this process has just built and reports that are known to read them as sequences (the
    synth's own exporters); data read from elsewhere is validated whole, so that every problem is
    reported at once. An error found when a deferred list is read names the place in that list
    (``3/type``), not in the manifest."""
    if isinstance(manifest, Manifest):
        return manifest
    if defer_evidence:
        return Manifest.model_validate(manifest, context={DEFER_EVIDENCE: True})
    return Manifest.model_validate(manifest)


def manifest_data(manifest: Manifest | Mapping[str, Any]) -> dict[str, Any]:
    """The JSON data of a manifest: the keys it was made from (``exclude_unset``), so the data of a
    model validated from ``manifest.json`` writes the same bytes again."""
    if isinstance(manifest, Manifest):
        return manifest.model_dump(mode="json", exclude_unset=True)
    return dict(manifest)


class ManifestError(ValueError):
    """A manifest that cannot be used: unreadable, not JSON, or not the contract (every problem)."""


def _location(loc: tuple[int | str, ...]) -> str:
    return "/".join(str(p) for p in loc) or "(root)"


def describe_errors(exc: ValidationError, limit: int = 20) -> list[str]:
    """One line per problem: where it is in the manifest and what is wrong."""
    lines = [f"{_location(e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)[:limit]]
    if exc.error_count() > limit:
        lines.append(f"... and {exc.error_count() - limit} more")
    return lines


def read_manifest(path: str | Path) -> Manifest:
    """Read ``manifest.json`` into the model; :class:`ManifestError` names the path and every problem
    (an old schema version, a hand-edited field), never a ``KeyError`` later on."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return Manifest.model_validate_json(raw)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise ManifestError(f"{path}: not a JSON file: {exc.errors()[0]['msg']}") from exc
        if any(e["type"] == "model_type" and not e["loc"] for e in exc.errors()):
            raise ManifestError(f"{path}: not a BIO2 manifest (a JSON object is expected)") from exc
        problems = describe_errors(exc)
        head = f"{path}: does not meet the manifest schema {SCHEMA_VERSION} ({exc.error_count()} problem(s))"
        raise ManifestError(head + ":\n  " + "\n  ".join(problems)) from exc
