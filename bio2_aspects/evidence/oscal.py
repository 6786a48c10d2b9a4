"""``oscal-component-definition.json``: the landing zone as an OSCAL component definition.

Built with compliance-trestle's pydantic models (``trestle.oscal.component``), so the output is
validated by trestle while it is built. One component (the landing zone, type ``service``)
with two control implementations:

* the BIO2 government measures (control IDs ``bio2-<measure>``, e.g. ``bio2-8.15.02``: OSCAL
  tokens may not start with a digit), one implemented requirement per measure whose
  statements describe the evidence per kind (verified, preventive, detective), accepted risks
  and open violations;
* the ISO/IEC 27002:2022 controls (``iso27002-<control>``): the Statement of Applicability.

Every requirement carries its status as a property (namespace :data:`NS`); gaps are listed
too, never left out. Owners become parties with the role ``measure-owner``. The back matter
names the two catalogs, the manifest and every template with its SHA-256.

Determinism: UUIDs are UUID5 from stable names (the organisation, the component, the measure
ID), so they stay the same across runs and revisions; the document UUID is derived from the
manifest digest, so a changed manifest gives a new document UUID. ``last-modified`` is
the manifest's generation time (``audit.generated_at``); the manifest digest is in ``version``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from bio2_aspects.evidence.common import (
    RESOURCE_KINDS,
    basis_of,
    control_evidence_text,
    generated_at,
    justification_of,
    manifest_digest,
    resolve_lang,
    summary_of,
    title_of,
)
from bio2_aspects.evidence.i18n import labels
from bio2_aspects.evidence.models import Control, EvidenceItem, Manifest, Owner, as_manifest

#: Namespace of the properties this exporter defines.
NS = "https://bio2-landing-zone.example/ns/oscal"
_UUID_NS = uuid.UUID("6f1c1b0e-3d7a-5b8e-9a43-2c1f0b2e4d5a")


def stable_uuid(*parts: str) -> str:
    """A UUID5 from stable names: the same names always give the same UUID."""
    return str(uuid.uuid5(_UUID_NS, "\x1f".join(parts)))


def measure_control_id(measure_id: str) -> str:
    return f"bio2-{measure_id}"


def iso_control_id(control_id: str) -> str:
    return f"iso27002-{control_id}"


def _one_line(text: str) -> str:
    """OSCAL titles and property values allow no line breaks or outer blanks."""
    return " ".join(str(text).split()) or "-"


def build_component_definition(
    manifest: Manifest | Mapping[str, Any], lang: str | None = None, *, digest: str | None = None
) -> Any:
    """The trestle ``ComponentDefinition`` model of the manifest."""
    from trestle.oscal import OSCAL_VERSION
    from trestle.oscal import common as oc
    from trestle.oscal import component as comp

    manifest = as_manifest(manifest)
    lang = resolve_lang(manifest, lang)
    t = labels(lang)
    org = manifest.organisation or "-"
    digest = digest or manifest_digest(manifest)
    cat = manifest.catalog
    tool = manifest.tool

    def prop(name: str, value: Any, *, ns: bool = True) -> Any:
        return oc.Property(name=name, value=_one_line(value), ns=NS if ns else None)

    # Parties: one per owner named anywhere, with the role measure-owner.
    owners: dict[str, Owner] = {}
    for row in [*manifest.measures, *manifest.controls]:
        o = row.owner
        if o is not None and o.name:
            owners.setdefault(o.name, o)
    party_uuid = {name: stable_uuid(org, "party", name) for name in owners}

    def responsible(owner: Owner | None) -> list[Any] | None:
        if owner is None or owner.name not in party_uuid:
            return None
        return [oc.ResponsibleRole(role_id="measure-owner", party_uuids=[party_uuid[owner.name]])]

    bio2_res = stable_uuid("catalog", cat.name, cat.version)
    iso_res = stable_uuid("catalog", cat.iso)
    manifest_res = stable_uuid(org, "manifest")

    # ---------------------------------------------------------------- BIO2 measures
    requirements = []
    for m in manifest.measures:
        cid = measure_control_id(m.id)
        positive: dict[str, list[EvidenceItem]] = defaultdict(list)
        for item in m.evidence:
            if item.result in ("pass", "declared"):
                positive[item.kind].append(item)
        statements = []
        for kind in RESOURCE_KINDS:
            items = positive.get(kind)
            if not items:
                continue
            lines = [t[f"oscal.evidence.{kind}"].format(n=len(items)), ""]
            for i in items:
                what = i.rule or i.mechanism or t[kind]
                lines.append(f"- {what}: {i.stack}/{i.logical_id} ({i.resource_type or '-'})")
                detail = manifest.text_of(i, lang)
                if detail:
                    lines[-1] += f" \u2013 {_one_line(detail)}"
            statements.append(
                comp.Statement(
                    statement_id=f"{cid}_smt.{kind}",
                    uuid=stable_uuid(org, "landing-zone", m.id, kind),
                    description="\n".join(lines),
                    props=[prop("evidence-kind", kind), prop("evidence-count", len(items))],
                )
            )
        if m.accepted_risks:
            statements.append(
                comp.Statement(
                    statement_id=f"{cid}_smt.accepted-risks",
                    uuid=stable_uuid(org, "landing-zone", m.id, "accepted-risks"),
                    description="\n".join(
                        [t["accepted_risks"] + ":", ""]
                        + [
                            f"- {r.rule}: {r.stack}/{r.logical_id} \u2013 {r.reason_in(lang)}"
                            for r in m.accepted_risks
                        ]
                    ),
                )
            )
        basis = basis_of(m, t, lang)
        description = [f"{m.id} {summary_of(m, lang)}", "", f"{t['status']}: {t[m.status]}."]
        if basis:
            description.append(f"{t['basis']}: {basis}")
        if m.open_violations:
            description.append(t["oscal.open_violations"].format(n=m.open_violations))
        if not positive and m.status == "gap":
            description.append(t["oscal.no_evidence"])
        props = [
            prop("status", m.status),
            prop("theme", m.theme),
            prop("control", m.control),
            prop("responsibility", m.responsibility),
            prop("open-violations", m.open_violations),
            prop("accepted-risks", len(m.accepted_risks)),
        ]
        props += [prop("evidence-kind", k) for k in m.evidence_kinds]
        requirements.append(
            comp.ImplementedRequirement(
                uuid=stable_uuid(org, "landing-zone", "bio2", m.id),
                control_id=cid,
                description="\n".join(description),
                props=props,
                responsible_roles=responsible(m.owner),
                statements=statements or None,
            )
        )

    # ---------------------------------------------------------------- ISO controls (SoA)
    soa = []
    for c in manifest.controls:
        measures = ", ".join(c.measures) or "-"
        applicable = t["yes"] if c.applicable else t["no"]
        soa.append(
            comp.ImplementedRequirement(
                uuid=stable_uuid(org, "landing-zone", "iso27002", c.id),
                control_id=iso_control_id(c.id),
                description="\n".join(
                    [
                        f"{c.id} {title_of(c, lang)}",
                        "",
                        f"{t['applicable']}: {applicable}. {justification_of(c, t)}",
                        f"{t['status']}: {t[c.status]}. {t['measures']}: {measures}.",
                        *_control_evidence_lines(c, t),
                    ]
                ),
                props=[
                    prop("status", c.status),
                    prop("theme", c.theme),
                    prop("applicable", "yes" if c.applicable else "no"),
                    *([prop("technical", c.technical)] if c.technical else []),
                ],
                responsible_roles=responsible(c.owner),
            )
        )

    implementations = []
    if requirements:
        implementations.append(
            comp.ControlImplementation(
                uuid=stable_uuid(org, "landing-zone", "bio2-measures"),
                source=f"#{bio2_res}",
                description=t["oscal.bio2_impl"].format(version=cat.version),
                props=[prop("framework", f"{cat.name} {cat.version}")],
                implemented_requirements=requirements,
            )
        )
    if soa:
        implementations.append(
            comp.ControlImplementation(
                uuid=stable_uuid(org, "landing-zone", "iso27002-soa"),
                source=f"#{iso_res}",
                description=t["oscal.soa_impl"].format(iso=cat.iso),
                props=[prop("framework", cat.iso)],
                implemented_requirements=soa,
            )
        )

    template_res = {tp.file: stable_uuid(org, "template", tp.file) for tp in manifest.templates}
    links = [oc.Link(href=f"#{u}", rel="reference") for u in (bio2_res, iso_res, manifest_res)]
    links += [oc.Link(href=f"#{template_res[f]}", rel="evidence") for f in sorted(template_res)]
    totals = manifest.totals
    component = comp.DefinedComponent(
        uuid=stable_uuid(org, "landing-zone"),
        type="service",
        title=_one_line(f"{t['oscal.component_title']} \u2013 {org}"),
        description=t["oscal.component_description"],
        purpose=_one_line(t["oscal.component_purpose"]),
        props=[
            prop("organisation", org),
            *(prop(f"measures-{s}", n) for s, n in sorted(totals.measures_by_status.items())),
        ],
        links=links,
        control_implementations=implementations or None,
    )

    resources = [
        oc.Resource(
            uuid=bio2_res,
            title=_one_line(f"{cat.name} {cat.version}"),
            description=t["oscal.bio2_resource"],
        ),
        oc.Resource(uuid=iso_res, title=_one_line(cat.iso), description=t["oscal.iso_resource"]),
        oc.Resource(
            uuid=manifest_res,
            title="manifest.json",
            description=t["oscal.manifest_resource"],
            rlinks=[
                oc.Rlink(
                    href="manifest.json",
                    media_type="application/json",
                    hashes=[oc.Hash(algorithm="SHA-256", value=digest)],
                )
            ],
        ),
    ]
    for tp in manifest.templates:
        resources.append(
            oc.Resource(
                uuid=template_res[tp.file],
                title=_one_line(tp.file),
                description=t["oscal.template_resource"].format(
                    stack=tp.stack, account=tp.account or "-", region=tp.region or "-"
                ),
                props=[prop("stack", tp.stack), prop("resources", tp.resources)],
                rlinks=[
                    oc.Rlink(
                        href=f"../{tp.file}",
                        media_type="application/json",
                        hashes=[oc.Hash(algorithm="SHA-256", value=tp.sha256)],
                    )
                ],
            )
        )

    metadata = oc.Metadata(
        title=_one_line(f"{t['oscal.title']} \u2013 {org}"),
        last_modified=generated_at(manifest),
        version=f"{cat.name}-{cat.version}+manifest.{digest[:16]}",
        oscal_version=OSCAL_VERSION,
        props=[
            prop("manifest-sha256", digest),
            prop("tool", f"{tool.name} {tool.version}"),
            prop("schema-version", manifest.schema_version),
            prop("language", lang),
        ],
        roles=[oc.Role(id="measure-owner", title=t["oscal.role_owner"])],
        parties=[
            oc.Parties(
                uuid=party_uuid[name],
                type="organization",
                name=_one_line(name),
                remarks=owners[name].contact or None,
            )
            for name in sorted(owners)
        ]
        or None,
    )
    return comp.ComponentDefinition(
        uuid=stable_uuid("component-definition", digest),
        metadata=metadata,
        components=[component],
        back_matter=oc.BackMatter(resources=resources),
    )


def render_oscal(
    manifest: Manifest | Mapping[str, Any], lang: str | None = None, *, digest: str | None = None
) -> bytes:
    """The component definition as pretty JSON bytes (wrapped in ``component-definition``)."""
    model = build_component_definition(manifest, lang, digest=digest)
    return model.oscal_serialize_json_bytes(pretty=True) + b"\n"


__all__ = [
    "NS",
    "build_component_definition",
    "iso_control_id",
    "measure_control_id",
    "render_oscal",
    "stable_uuid",
]


def _control_evidence_lines(control: Control, t: Mapping[str, str]) -> list[str]:
    """The SoA row's control-level evidence (controls without BIO2 measures), if any."""
    text = control_evidence_text(control, t)
    return [f"{t['control_evidence']}: {text}."] if text else []
