"""``bio2``: the organisation's BIO2 scope decisions: who owns what, and what is excluded.

Measure IDs are written as in BIO2, zero-padded (``5.01.01``: control 5.1, measure 01); control
IDs as in ISO/IEC 27002:2022, unpadded (``5.1``). Both are checked against the BIO2 catalog of
``bio2_aspects``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from bio2_aspects.catalog import Catalog, control_id_of, load_catalog
from landing_zone.config.base import ConfigModel, Email, Hint
from landing_zone.config.errors import Problem, duplicates, path_of

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig

THEMES = ("organisational", "people", "physical", "technological")
"""The four themes of ISO/IEC 27002:2022 (clauses 5 to 8)."""

MIN_JUSTIFICATION = 20

_CONTROL = r"[5-8]\.[1-9][0-9]?"
_MEASURE = r"[5-8]\.[0-9]{2}\.[0-9]{2}"

ControlOrMeasureId = Annotated[
    str,
    Field(pattern=rf"^({_CONTROL}|{_MEASURE})$"),
    Hint(expected="a BIO2 measure ID (5.01.01) or control ID (5.1)", example='"8.30"'),
]
Scope = Annotated[
    str,
    Field(pattern=rf"^({_CONTROL}|{_MEASURE}|{'|'.join(THEMES)})$"),
    Hint(
        expected=f"a measure ID (5.01.01), a control ID (5.1) or a theme ({', '.join(THEMES)})",
    ),
]


class Owner(ConfigModel):
    """Who answers for a theme, a control or a single measure."""

    scope: Scope = Field(
        description=(
            "What is owned: a theme (`organisational`, `people`, `physical`, `technological`), a "
            "control ID (`5.1`) or a measure ID (`5.01.01`). The most specific owner of a measure wins."
        )
    )
    owner: str = Field(min_length=1, description='The owning role, such as "CISO" or "Platform team".')
    contact: Email | None = Field(default=None, description="E-mail address to reach the owner.")
    process: str | None = Field(
        default=None,
        min_length=20,
        description=(
            "How the owner meets the measure outside AWS (e.g. MFA enforced by an Entra ID conditional "
            "access policy), with a reference an auditor can check. A technical measure with no evidence "
            "in the templates then counts as `organisational` (owned process) instead of a gap; the text "
            "appears as the basis of the measure in the manifest."
        ),
    )


class Exclusion(ConfigModel):
    """A control or measure declared out of scope after a risk assessment."""

    id: ControlOrMeasureId = Field(
        description="Control ID (`8.30`) or measure ID (`8.30.01`) excluded from scope."
    )
    justification: Annotated[
        str,
        Field(min_length=MIN_JUSTIFICATION),
        Hint(
            expected=f"a justification of at least {MIN_JUSTIFICATION} characters",
            fix=(
                "explain, from your risk assessment, why this does not apply: auditors need a risk-based "
                f"reason for every exclusion (at least {MIN_JUSTIFICATION} characters)"
            ),
        ),
    ] = Field(
        description=(
            "Why it does not apply: the risk-based reason from the risk assessment, written for "
            f"auditors. At least {MIN_JUSTIFICATION} characters."
        )
    )
    risk_assessment: str | None = Field(
        default=None,
        min_length=1,
        description="Reference to the risk assessment, such as a document ID or URL.",
    )
    approved_by: str | None = Field(
        default=None, min_length=1, description="Who approved the exclusion (role or name)."
    )
    date: dt.date | None = Field(default=None, description="Date of the approval (YYYY-MM-DD).")
    expires: dt.date | None = Field(
        default=None,
        description=(
            "Re-assess before this date (YYYY-MM-DD). After it the exclusion no longer applies and "
            "the synth fails, like an open violation."
        ),
    )


FacetOrMeasureOrControlId = Annotated[
    str,
    Field(pattern=rf"^({_CONTROL}|{_MEASURE}|{_MEASURE}\.[to][0-9]+)$"),
    Hint(
        expected="a facet ID (5.01.01.o1), a measure ID (5.01.01) or a control ID (5.1)",
        example='"5.01.01"',
    ),
]


class Document(ConfigModel):
    """The document that shows how a process is carried out."""

    title: str = Field(min_length=1, description='Title, such as "Informatiebeveiligingsbeleid".')
    reference: str = Field(
        min_length=1, description="Document ID or URL where an auditor can read the approved version."
    )
    version: str | None = Field(default=None, min_length=1, description="Version of the document.")


class Attestation(ConfigModel):
    """An owner's statement, backed by an approved document, that a process is carried out.

    It covers the organisational facets of its scope (a facet, a measure or a control). Without a
    document, approver and date it attests nothing: the measure stays `unattested` and the reports
    say so. A review date in the past is flagged as overdue and the attestation no longer counts.
    """

    scope: FacetOrMeasureOrControlId = Field(
        description="What is attested: a facet ID (`5.01.01.o1`), a measure ID or a control ID."
    )
    owner: str = Field(min_length=1, description='The owning role, such as "CISO".')
    document: Document | None = Field(default=None, description="The approved document.")
    date: dt.date | None = Field(default=None, description="Date the document was approved (YYYY-MM-DD).")
    approved_by: str | None = Field(
        default=None, min_length=1, description="Who approved it (role or body, such as the college van B&W)."
    )
    review_date: dt.date | None = Field(
        default=None, description="Date of the next review (YYYY-MM-DD); overdue reviews are flagged."
    )


class RiskAcceptance(ConfigModel):
    """An accepted violation of a BIO2 rule: the YAML form of `bio2_aspects.acknowledge()`."""

    rule: str = Field(
        pattern=r"^BIO2-[A-Za-z0-9]+-[A-Za-z0-9]+$",
        description="The BIO2 rule ID whose violations are accepted, such as `BIO2-S3-LogBucketObjectLock`.",
    )
    resources: tuple[str, ...] = Field(
        default=(),
        description=(
            "Construct path prefixes the acceptance covers (e.g. "
            "`LandingZone/lz-log-archive-eu-central-1/LogArchive`); empty: every resource that violates "
            "the rule, or every finding of an engine rule such as `BIO2-Engine-ClaimNarrowed`."
        ),
    )
    reason: Annotated[
        str,
        Field(min_length=MIN_JUSTIFICATION),
        Hint(
            expected=f"a reason of at least {MIN_JUSTIFICATION} characters",
            fix="state the risk, why it is acceptable and the compensating measures",
        ),
    ] = Field(description="Why the risk is acceptable, written for auditors.")
    approved_by: str = Field(min_length=1, description="Who accepted the risk (role or name).")
    date: dt.date = Field(description="Date of the acceptance (YYYY-MM-DD).")
    expires: dt.date = Field(
        description=(
            "Date the acceptance ends (YYYY-MM-DD). After it the violation is open again and the synth "
            "fails (unless report-only)."
        )
    )


class Bio2Section(ConfigModel):
    """Settings of the BIO2 evidence and the organisation's scope decisions."""

    organisation_name: str | None = Field(
        default=None,
        min_length=1,
        description="Name shown in BIO2 reports; defaults to organization.name.",
    )
    language: Literal["en", "nl"] = Field(default="nl", description="Language of the BIO2 reports.")
    owners: tuple[Owner, ...] = Field(default=(), description="Owners of themes, controls and measures.")
    exclusions: tuple[Exclusion, ...] = Field(
        default=(), description="Controls and measures excluded from scope, each with its justification."
    )
    attestations: tuple[Attestation, ...] = Field(
        default=(),
        description=(
            "Attested processes: per facet, measure or control the owner, the approved document, the "
            "approval and the review date. An owner alone attests nothing."
        ),
    )
    risk_acceptances: tuple[RiskAcceptance, ...] = Field(
        default=(),
        description="Accepted violations of BIO2 rules, each with reason, approver, date and expiry.",
    )


def check(cfg: LandingZoneConfig) -> list[Problem]:
    """BIO2 checks:

    - Every measure and control ID in `owners` and `exclusions` is in the BIO2 catalog.
    - No scope has two owners, and no ID is excluded twice.
    """
    bio2 = cfg.bio2
    catalog = load_catalog()
    problems: list[Problem] = []
    for index, owner in enumerate(bio2.owners):
        if owner.scope not in THEMES:
            problems += _unknown_id(catalog, owner.scope, path_of("bio2", "owners", index, "scope"))
    for index, exclusion in enumerate(bio2.exclusions):
        problems += _unknown_id(catalog, exclusion.id, path_of("bio2", "exclusions", index, "id"))
    for index, attestation in enumerate(bio2.attestations):
        where = path_of("bio2", "attestations", index, "scope")
        parts = attestation.scope.split(".")
        problems += _unknown_id(catalog, ".".join(parts[:3]) if len(parts) == 4 else attestation.scope, where)
    for index, first in duplicates(a.scope for a in bio2.attestations):
        problems.append(
            Problem(
                path_of("bio2", "attestations", index, "scope"),
                f"'{bio2.attestations[index].scope}' is already attested by bio2.attestations[{first}]",
                "keep one attestation per scope; list further documents in the one document's reference",
            )
        )
    for index, acceptance in enumerate(bio2.risk_acceptances):
        if acceptance.expires < acceptance.date:
            problems.append(
                Problem(
                    path_of("bio2", "risk_acceptances", index, "expires"),
                    f"expires ({acceptance.expires}) is before date ({acceptance.date})",
                    "give the date the acceptance ends, after the date it was approved",
                )
            )
    for index, first in duplicates(owner.scope for owner in bio2.owners):
        problems.append(
            Problem(
                path_of("bio2", "owners", index, "scope"),
                f"'{bio2.owners[index].scope}' already has an owner (bio2.owners[{first}])",
                "name one owner per scope; merge the two entries",
            )
        )
    for index, first in duplicates(exclusion.id for exclusion in bio2.exclusions):
        problems.append(
            Problem(
                path_of("bio2", "exclusions", index, "id"),
                f"'{bio2.exclusions[index].id}' is already excluded by bio2.exclusions[{first}]",
                "keep one exclusion per ID and merge the justifications",
            )
        )
    return problems


def _unknown_id(catalog: Catalog, value: str, where: str) -> list[Problem]:
    """A problem when ``value`` is not a control or a real measure of the catalog."""
    if value.count(".") == 1:
        if catalog.is_control_id(value):
            return []
        return [Problem(where, f"{value} is not an ISO/IEC 27002:2022 control", _USE_CATALOG_ID)]
    if catalog.is_measure_id(value):
        return []
    if catalog.is_entry_id(value):
        return [
            Problem(
                where,
                f"{value} is in BIO2 v1.3 but is not a measure (it is a placeholder, moved, withdrawn "
                "or a cross-reference)",
                f"use its control {control_id_of(value)} instead, or the measure it refers to",
            )
        ]
    return [Problem(where, f"{value} is not a BIO2 v1.3 measure", _USE_CATALOG_ID)]


_USE_CATALOG_ID = (
    "use a control ID from ISO/IEC 27002:2022 (5.1 to 8.34) or a measure ID from BIO2 v1.3 (5.01.01)"
)
