"""Labels for the auditor-facing documents, in English and Dutch."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

LANGUAGES = ("en", "nl")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "BIO2 compliance summary",
        "organisation": "Organisation",
        "catalog": "Catalog",
        "templates": "Templates",
        "coverage": "Coverage per theme",
        "theme": "Theme",
        "total": "Total",
        "gaps": "Gaps",
        "no_gaps": "No gaps.",
        "accepted_risks": "Accepted risks",
        "no_accepted_risks": "No accepted risks.",
        "open_violations": "Open violations",
        "no_open_violations": "No open violations.",
        "measure": "Measure",
        "control": "Control",
        "status": "Status",
        "summary": "Summary",
        "owner": "Owner",
        "rule": "Rule",
        "resource": "Resource",
        "reason": "Reason",
        "detail": "Detail",
        "evidence_kinds": "Measures with evidence, per kind",
        "controls_soa": "Statement of Applicability (controls)",
        "implemented": "implemented",
        "partially_implemented": "partially implemented",
        "gap": "gap",
        "inherited": "inherited",
        "organisational": "organisational",
        "excluded": "excluded",
        "awaiting_attestation": "technical part in place, process not attested",
        "unattested": "process not attested",
        "attested": "attested",
        "evidenced": "implemented (evidenced)",
        "headline": "Headline figures (measures)",
        "facets": "Facets",
        "missing_facets": "Missing facets",
        "attestation": "Attestation",
        "attestation.document": "Document",
        "attestation.version": "Version",
        "attestation.date": "Approved on",
        "attestation.approved_by": "Approved by",
        "attestation.review_date": "Review date",
        "attestation.overdue": "review overdue",
        "attestation.no_document": "no document",
        "attestation.no_approver": "no approver",
        "attestation.no_date": "no approval date",
        "unattested_list": "Processes without attestation",
        "no_unattested": "Every owned process is attested.",
        "overdue_reviews": "Overdue reviews",
        "risk_register": "Risk acceptances and exclusions",
        "sheet.risks": "Risk acceptances and exclusions",
        "status_per_measure": "Measures per status",
        "strength_per_measure": "Strength per measure",
        "strength.full": "full",
        "strength.supporting": "supporting",
        "rationale": "Rationale of the mapping",
        "design": "Design",
        "design.intro": (
            "What the templates build, with the values that make the design; per resource the BIO2 "
            "measures it evidences. Values known only at deployment are shown as references."
        ),
        "design.organization": "Organisation: OU tree and guardrails",
        "design.identity": "Identity: permission sets and named roles (break-glass)",
        "design.logging": "Logging: trails and retention terms",
        "design.network": "Network: segments, IP plan, firewall policy and VPNs",
        "design.backup": "Backup: rules, retention and vault locks",
        "design.classification": "Classification: BIV tags on resources",
        "design.none": "Nothing of this kind in the templates.",
        "design.tag": "Tag",
        "design.value": "Value",
        "design.f.name": "Name",
        "design.f.parent": "Parent",
        "design.f.ip": "IP address",
        "design.f.bgp_asn": "BGP ASN",
        "design.f.type": "Type",
        "design.f.targets": "Attached to",
        "design.f.session": "Session duration",
        "design.f.managed_policies": "Managed policies",
        "design.f.max_session": "Max. session (s)",
        "design.f.mfa_required": "MFA in trust policy",
        "design.f.multi_region": "All regions",
        "design.f.organization": "Whole organisation",
        "design.f.validation": "Log file validation",
        "design.f.object_lock": "Object Lock mode",
        "design.f.days": "Days",
        "design.f.years": "Years",
        "design.f.cidr": "CIDR",
        "design.f.az": "Availability zone",
        "design.f.tags": "Tags",
        "design.f.rule_order": "Rule order",
        "design.f.default": "Default action",
        "design.f.capacity": "Capacity",
        "design.f.rules": "Rules",
        "design.f.static_routes_only": "Static routes only",
        "design.f.plan": "Plan",
        "design.f.rule": "Rule",
        "design.f.schedule": "Schedule",
        "design.f.delete_after_days": "Retention (days)",
        "design.f.copies": "Copies",
        "design.f.lock_min_days": "Lock min. days",
        "design.f.lock_max_days": "Lock max. days",
        "facet.kind.technical": "technical",
        "facet.kind.organisational": "organisational",
        "facet.state.evidenced": "evidenced",
        "facet.state.attested": "attested",
        "facet.state.partial": "partly evidenced",
        "facet.state.unattested": "not attested",
        "facet.state.overdue": "review overdue",
        "facet.state.missing": "missing",
        "basis.inherited": (
            "Carried by AWS for the data centres and the underlying infrastructure; the attestations "
            "(ISO/IEC 27001, 27017, 27018 certificates, SOC 2 Type II report, BSI C5) are available "
            "through AWS Artifact."
        ),
        "basis.not_attested": "Not attested (no current document, approval or review)",
        "basis.not_covered": "Not covered",
        "soa.baseline": "Applicable: part of the BIO2 baseline.",
        "soa.no_measure": "Applicable: no BIO2 government measure; the ISO/IEC 27002 guidance applies.",
        "acceptance.expires": "Expires",
        "acceptance.expired": "expired",
        "acceptance.used": "In use",
        "acceptance.resources": "Resources",
        "acceptance.kind.risk": "risk acceptance",
        "acceptance.kind.exclusion": "exclusion",
        "audit.generated_at": "Generated at",
        "audit.commit": "Git commit",
        "audit.dirty": "uncommitted changes",
        "audit.config": "Configuration (SHA-256)",
        "audit.versions": "Versions (tool, catalog, aws-cdk-lib)",
        "assessment.design": "Auditor: design (opzet)",
        "assessment.existence": "Auditor: existence (bestaan)",
        "assessment.operation": "Auditor: operating effectiveness (werking)",
        "assessment.remarks": "Auditor: remarks",
        "verified": "verified",
        "preventive": "preventive",
        "detective": "detective",
        "runtime": "run-time",
        "last_observed": "Last observed (run-time)",
        "runtime.non_compliant_since": "NON_COMPLIANT since",
        "runtime.compliant": "monitors compliant",
        "runtime.title": "Run-time: measures whose monitors report NON_COMPLIANT",
        "runtime.collected_at": "Collected at",
        "runtime.accounts": "accounts",
        "runtime.observations": "observations",
        "runtime.none_red": "No monitor reports NON_COMPLIANT.",
        "theme.organisational": "Organisational (5)",
        "theme.people": "People (6)",
        "theme.physical": "Physical (7)",
        "theme.technological": "Technological (8)",
        "none": "none",
        # --- shared by the auditor outputs (hld, report, register, oscal, sarif, diff)
        "language": "Language",
        "stack": "Stack",
        "account": "Account",
        "region": "Region",
        "resources": "Resources",
        "resource_type": "Resource type",
        "template": "Template",
        "count": "Count",
        "evidence": "Evidence",
        "evidence_count": "Evidence items",
        "evidence_kinds_col": "Evidence kinds",
        "accepted_risk": "Accepted risk",
        "basis": "Basis / justification",
        "risk_assessment": "Risk assessment",
        "contact": "Contact",
        "responsibility": "Responsibility",
        "responsibility.cloud_provider": "cloud provider",
        "responsibility.platform_team": "platform team",
        "responsibility.workload_team": "workload team",
        "responsibility.organisation": "organisation",
        "title_col": "Title",
        "applicable": "Applicable",
        "justification": "Justification",
        "measures": "Measures",
        "measure_ids": "Measure IDs",
        "yes": "yes",
        "no": "no",
        "kind": "Kind",
        "result": "Result",
        "result.pass": "pass",
        "result.fail": "fail",
        "result.declared": "declared",
        "result.unknown": "unknown until deployment",
        "result.partial": "partial (narrowed scope)",
        "basis.narrowed": "Narrowed",
        "narrowed.covers": "covers",
        "narrowed.not": "not",
        "control_evidence": "Control-level evidence",
        "control_technical": "Technical part",
        "technical.evidenced": "evidenced",
        "technical.partial": "in part (supporting evidence only)",
        "technical.failing": "failing",
        "soa.control_evidence": (
            "Applicable: no BIO2 government measure; the ISO/IEC 27002 guidance applies. The landing "
            "zone evidences technical parts of it at control level; its organisational part needs an "
            "attestation."
        ),
        "rule_or_mechanism": "Rule or mechanism",
        "logical_id": "Logical ID",
        "path": "Construct path",
        "acknowledgement_reason": "Acknowledgement reason",
        "level": "Level",
        "level.error": "error",
        "level.warning": "warning",
        "finding": "Finding",
        "fix": "Fix",
        "owners": "Owners",
        "owner_scope": "Owner of",
        "no_owners": "No owners named.",
        "no_evidence": "No evidence.",
        "status_overview": "Measures per status",
        "coverage_numbers": "Measures per theme and status",
        "covered": "implemented or inherited",
        "unbacked": "Unbacked declarations",
        "unbacked_note": "Declarations whose construct is not a resource in any template count for nothing.",
        "component.organization": "Organization and guardrails",
        "component.organization.about": (
            "The AWS Organizations structure: organizational units, accounts and the guardrail policies "
            "(service control policies, resource control policies, tag and backup policies) that apply to "
            "every member account."
        ),
        "component.baseline": "Account baseline",
        "component.baseline.about": (
            "CloudFormation StackSets that roll the security baseline out to every member account of the "
            "targeted organizational units, including accounts added later."
        ),
        "component.identity": "Identity and access",
        "component.identity.about": (
            "Central identity and access: IAM Identity Center permission sets and assignments, the identity "
            "store, and the IAM roles and policies of the landing zone (including the service roles of other "
            "components)."
        ),
        "component.logging": "Logging",
        "component.logging.about": (
            "Central, tamper-evident logging: the organization trail (CloudTrail), AWS Config recording and "
            "rules, log groups, delivery streams and the log archive buckets."
        ),
        "component.security": "Security monitoring",
        "component.security.about": (
            "Security monitoring and alerting: GuardDuty threat detection, Security Hub standards and "
            "findings, IAM Access Analyzer, Inspector, Macie, alarms, event rules and notification topics."
        ),
        "component.network": "Network",
        "component.network.about": (
            "The network: VPCs and subnets, Transit Gateway, inspection with AWS Network Firewall, security "
            "groups, endpoints, flow logs and DNS resolution and filtering (Route 53 Resolver)."
        ),
        "component.backup": "Backup",
        "component.backup.about": (
            "AWS Backup: vaults (with vault lock), backup plans per availability class and copies to another "
            "region."
        ),
        "component.keys": "Key management",
        "component.keys.about": "Customer managed AWS KMS keys that encrypt logs, backups and data.",
        "component.other": "Other resources",
        "component.other.about": (
            "Supporting resources that belong to no component above (storage, functions, custom resources)."
        ),
        # --- hld.md
        "hld.title": "High-level design: BIO2 landing zone",
        "hld.generated": (
            "Generated from the BIO2 evidence manifest (SHA-256 `{digest}`) by {tool}, against {catalog}. Do "
            "not edit by hand: regenerate it with `bio2 report MANIFEST --format hld`."
        ),
        "hld.intro": (
            "This chapter describes the landing zone per component: what it is, where it is deployed, which "
            "resources it consists of and which BIO2 measures it carries. A measure is carried by a "
            "component when a rule verified it on one of the component's resources, or when one of its "
            "resources deploys a guardrail (preventive) or monitor (detective) for it. The status column is "
            "the measure's overall status in the manifest."
        ),
        "hld.deployment": "Deployment",
        "hld.components": "Components",
        "hld.component": "Component",
        "hld.measures_carried": "BIO2 measures carried",
        "hld.measure_status": "Status (overall)",
        "hld.deployed_in": "Deployed in",
        "hld.no_measures": "No BIO2 measure is evidenced by this component's resources.",
        "hld.findings": "Violations and accepted risks",
        "hld.beyond": "Coverage of the baseline",
        "hld.beyond_intro": (
            "Many BIO2 measures are organisational processes or are carried by the cloud provider; they are "
            "met outside the infrastructure. Status of all measures per theme:"
        ),
        # --- report.html
        "report.title": "BIO2 compliance report",
        "report.subtitle": "Evidence per BIO2 measure, generated from the synthesized landing zone.",
        "report.skip": "Skip to content",
        "report.tool": "Tool",
        "report.schema": "manifest schema",
        "report.manifest_hash": "Manifest SHA-256",
        "report.hashes_below": "hashes below",
        "report.contents": "Contents",
        "report.overview": "Overview",
        "report.overview_intro": (
            "Status of the 117 BIO2 government measures, from the evidence in the synthesized templates, the "
            "declared guardrails and monitors, and the organisation's scope decisions."
        ),
        "report.measures": "Measures",
        "report.noscript": (
            "This report needs JavaScript to draw its tables. The same data is in control-register.xlsx and "
            "manifest.json."
        ),
        "report.gaps_intro": "Measures without any evidence, or whose only evidence failed.",
        "report.risks_intro": "Violations acknowledged in the code, with the reason given.",
        "report.soa_intro": (
            "All 93 controls of ISO/IEC 27002:2022 with applicability, justification and status."
        ),
        "report.templates_caption": "The CloudFormation templates this report describes, with their SHA-256.",
        "report.footer": (
            "Generated from manifest.json; same manifest, same report. No data leaves this file."
        ),
        "kpi.measures": "BIO2 measures",
        "kpi.outside": "process not attested (owner named, no document)",
        "kpi.applicable": "controls applicable",
        "filter.search": "Search",
        "filter.search_hint": "ID, text, owner, rule, resource",
        "filter.all_statuses": "All statuses",
        "filter.all_themes": "All themes",
        "filter.all_kinds": "All evidence kinds",
        "filter.no_evidence": "no resource evidence",
        "filter.kind": "Evidence kind",
        "filter.reset": "Reset filters",
        "filter.expand": "Expand / collapse all",
        "shown_of": "{n} of {total} measures shown",
        "show_evidence": "Show the evidence of {id}",
        "evidence_for": "Evidence for {id}: {n}",
        "measures_caption": "All {n} BIO2 measures. Expand a row for its resources and evidence.",
        "gaps_caption": "{n} measures without sufficient evidence",
        "risks_caption": "{n} accepted risks",
        "violations_caption": "{n} open violations",
        "owners_caption": "{n} owners",
        "soa_caption": "{n} controls",
        # --- control-register.xlsx
        "register.title": "BIO2 control register",
        "register.about_key": "Item",
        "register.about_value": "Value",
        "sheet.measures": "Measures",
        "sheet.soa": "Statement of Applicability",
        "sheet.evidence": "Evidence",
        "sheet.violations": "Violations",
        "sheet.about": "About",
        # --- OSCAL
        "oscal.title": "BIO2 component definition of the landing zone",
        "oscal.component_title": "BIO2 AWS landing zone",
        "oscal.component_description": (
            "A multi-account AWS landing zone built with the AWS CDK and checked against the BIO2 (Baseline "
            "Informatiebeveiliging Overheid) at every synthesis. The implemented requirements state, per "
            "BIO2 measure and per ISO/IEC 27002:2022 control, the status and the evidence found."
        ),
        "oscal.component_purpose": "Secure foundation for the organisation's workloads on AWS.",
        "oscal.bio2_impl": "Implementation of the BIO2 {version} government measures by the landing zone.",
        "oscal.soa_impl": "Statement of Applicability for the {iso} controls.",
        "oscal.evidence.verified": "Verified: {n} rule checks passed on synthesized resources.",
        "oscal.evidence.preventive": "Preventive: {n} deployed guardrails make a violation impossible.",
        "oscal.evidence.detective": "Detective: {n} deployed monitors watch the measure at run time.",
        "oscal.open_violations": "Open violations: {n}.",
        "oscal.no_evidence": "No evidence: this measure is a gap.",
        "oscal.role_owner": "Measure owner",
        "oscal.bio2_resource": "Baseline Informatiebeveiliging Overheid: the government measures.",
        "oscal.iso_resource": "The ISO/IEC 27002:2022 controls.",
        "oscal.manifest_resource": "The BIO2 evidence manifest this component definition was generated from.",
        "oscal.template_resource": (
            "CloudFormation template of stack {stack} (account {account}, region {region})."
        ),
        # --- SARIF
        "sarif.measures": "BIO2 measures",
        "sarif.srcroot": "The repository root; the CDK cloud assembly is in cdk.out/ below it.",
        # --- bio2 diff
        "diff.title": "BIO2 manifest diff",
        "diff.status_changes": "Measures whose status changed",
        "diff.evidence_lost": "Evidence lost",
        "diff.evidence_gained": "Evidence gained",
        "diff.risks_gained": "Accepted risks gained",
        "diff.risks_lost": "Accepted risks lost",
        "diff.controls": "Controls whose status changed",
        "diff.turned_red": "Turned red since the last collection (run-time NON_COMPLIANT)",
        "diff.turned_green": "No longer reported NON_COMPLIANT (run-time)",
        "diff.catalog": "Catalog changes",
        "diff.added": "measures added",
        "diff.removed": "measures removed",
        "diff.better": "better",
        "diff.worse": "worse",
        "diff.changed": "changed",
        "diff.same": "unchanged",
        "diff.regression": "Regression: a measure lost evidence or got a worse status.",
        "diff.no_regression": "No regression.",
    },
    "nl": {
        "title": "BIO2-nalevingsoverzicht",
        "organisation": "Organisatie",
        "catalog": "Catalogus",
        "templates": "Templates",
        "coverage": "Dekking per thema",
        "theme": "Thema",
        "total": "Totaal",
        "gaps": "Tekortkomingen",
        "no_gaps": "Geen tekortkomingen.",
        "accepted_risks": "Geaccepteerde risico's",
        "no_accepted_risks": "Geen geaccepteerde risico's.",
        "open_violations": "Openstaande afwijkingen",
        "no_open_violations": "Geen openstaande afwijkingen.",
        "measure": "Maatregel",
        "control": "Beheersmaatregel",
        "status": "Status",
        "summary": "Samenvatting",
        "owner": "Eigenaar",
        "rule": "Regel",
        "resource": "Resource",
        "reason": "Reden",
        "detail": "Toelichting",
        "evidence_kinds": "Maatregelen met bewijs, per soort",
        "controls_soa": "Verklaring van Toepasselijkheid (beheersmaatregelen)",
        "implemented": "geïmplementeerd",
        "partially_implemented": "deels geïmplementeerd",
        "gap": "tekortkoming",
        "inherited": "overgenomen van leverancier",
        "organisational": "organisatorisch",
        "excluded": "uitgesloten",
        "awaiting_attestation": "techniek aanwezig, proces niet geattesteerd",
        "unattested": "proces niet geattesteerd",
        "attested": "geattesteerd",
        "evidenced": "geïmplementeerd (aangetoond)",
        "headline": "Kerncijfers (maatregelen)",
        "facets": "Deelaspecten",
        "missing_facets": "Ontbrekende deelaspecten",
        "attestation": "Attestatie",
        "attestation.document": "Document",
        "attestation.version": "Versie",
        "attestation.date": "Vastgesteld op",
        "attestation.approved_by": "Vastgesteld door",
        "attestation.review_date": "Herzieningsdatum",
        "attestation.overdue": "herziening verlopen",
        "attestation.no_document": "geen document",
        "attestation.no_approver": "geen vaststeller",
        "attestation.no_date": "geen vaststellingsdatum",
        "unattested_list": "Processen zonder attestatie",
        "no_unattested": "Elk belegd proces is geattesteerd.",
        "overdue_reviews": "Verlopen herzieningen",
        "risk_register": "Risicoacceptaties en uitsluitingen",
        "sheet.risks": "Risico's en uitsluitingen",
        "status_per_measure": "Maatregelen per status",
        "strength_per_measure": "Sterkte per maatregel",
        "strength.full": "volledig",
        "strength.supporting": "ondersteunend",
        "rationale": "Onderbouwing van de koppeling",
        "design": "Ontwerp",
        "design.intro": (
            "Wat de templates bouwen, met de waarden die het ontwerp bepalen; per resource de "
            "BIO2-maatregelen die zij aantoont. Waarden die pas bij de uitrol bekend zijn, staan er "
            "als verwijzing."
        ),
        "design.organization": "Organisatie: OU-structuur en guardrails",
        "design.identity": "Identiteit: permission sets en benoemde rollen (break-glass)",
        "design.logging": "Logging: trails en bewaartermijnen",
        "design.network": "Netwerk: segmenten, IP-plan, firewallbeleid en VPN's",
        "design.backup": "Back-up: regels, bewaartermijnen en kluisvergrendeling",
        "design.classification": "Classificatie: BIV-tags op resources",
        "design.none": "Niets van deze soort in de templates.",
        "design.tag": "Tag",
        "design.value": "Waarde",
        "design.f.name": "Naam",
        "design.f.parent": "Bovenliggend",
        "design.f.ip": "IP-adres",
        "design.f.bgp_asn": "BGP-ASN",
        "design.f.type": "Soort",
        "design.f.targets": "Gekoppeld aan",
        "design.f.session": "Sessieduur",
        "design.f.managed_policies": "Beheerde policy's",
        "design.f.max_session": "Max. sessie (s)",
        "design.f.mfa_required": "MFA in vertrouwensbeleid",
        "design.f.multi_region": "Alle regio's",
        "design.f.organization": "Hele organisatie",
        "design.f.validation": "Controle logbestanden",
        "design.f.object_lock": "Object Lock-modus",
        "design.f.days": "Dagen",
        "design.f.years": "Jaren",
        "design.f.cidr": "CIDR",
        "design.f.az": "Beschikbaarheidszone",
        "design.f.tags": "Tags",
        "design.f.rule_order": "Regelvolgorde",
        "design.f.default": "Standaardactie",
        "design.f.capacity": "Capaciteit",
        "design.f.rules": "Regels",
        "design.f.static_routes_only": "Alleen statische routes",
        "design.f.plan": "Plan",
        "design.f.rule": "Regel",
        "design.f.schedule": "Schema",
        "design.f.delete_after_days": "Bewaartermijn (dagen)",
        "design.f.copies": "Kopieën",
        "design.f.lock_min_days": "Vergrendeling min. dagen",
        "design.f.lock_max_days": "Vergrendeling max. dagen",
        "facet.kind.technical": "technisch",
        "facet.kind.organisational": "organisatorisch",
        "facet.state.evidenced": "aangetoond",
        "facet.state.attested": "geattesteerd",
        "facet.state.partial": "deels aangetoond",
        "facet.state.unattested": "niet geattesteerd",
        "facet.state.overdue": "herziening verlopen",
        "facet.state.missing": "ontbreekt",
        "basis.inherited": (
            "Gedragen door AWS voor de datacenters en de onderliggende infrastructuur; de verklaringen "
            "(ISO/IEC 27001-, 27017- en 27018-certificaten, SOC 2 Type II-rapport, BSI C5) zijn "
            "beschikbaar via AWS Artifact."
        ),
        "basis.not_attested": "Niet geattesteerd (geen actueel document, vaststelling of herziening)",
        "basis.not_covered": "Niet afgedekt",
        "soa.baseline": "Van toepassing: onderdeel van de BIO2-baseline.",
        "soa.no_measure": (
            "Van toepassing: geen BIO2-overheidsmaatregel; de richtlijnen van ISO/IEC 27002 gelden."
        ),
        "acceptance.expires": "Vervalt op",
        "acceptance.expired": "verlopen",
        "acceptance.used": "In gebruik",
        "acceptance.resources": "Resources",
        "acceptance.kind.risk": "risicoacceptatie",
        "acceptance.kind.exclusion": "uitsluiting",
        "audit.generated_at": "Gegenereerd op",
        "audit.commit": "Git-commit",
        "audit.dirty": "niet-gecommitte wijzigingen",
        "audit.config": "Configuratie (SHA-256)",
        "audit.versions": "Versies (tool, catalogus, aws-cdk-lib)",
        "assessment.design": "Auditor: opzet",
        "assessment.existence": "Auditor: bestaan",
        "assessment.operation": "Auditor: werking",
        "assessment.remarks": "Auditor: opmerkingen",
        "verified": "geverifieerd",
        "preventive": "preventief",
        "detective": "detectief",
        "runtime": "run-time",
        "last_observed": "Laatst waargenomen (run-time)",
        "runtime.non_compliant_since": "NON_COMPLIANT sinds",
        "runtime.compliant": "monitors voldoen",
        "runtime.title": "Run-time: maatregelen waarvan monitors NON_COMPLIANT melden",
        "runtime.collected_at": "Verzameld op",
        "runtime.accounts": "accounts",
        "runtime.observations": "waarnemingen",
        "runtime.none_red": "Geen monitor meldt NON_COMPLIANT.",
        "theme.organisational": "Organisatorisch (5)",
        "theme.people": "Mensgericht (6)",
        "theme.physical": "Fysiek (7)",
        "theme.technological": "Technologisch (8)",
        "none": "geen",
        # --- shared by the auditor outputs (hld, report, register, oscal, sarif, diff)
        "language": "Taal",
        "stack": "Stack",
        "account": "Account",
        "region": "Regio",
        "resources": "Resources",
        "resource_type": "Resourcetype",
        "template": "Template",
        "count": "Aantal",
        "evidence": "Bewijs",
        "evidence_count": "Bewijsstukken",
        "evidence_kinds_col": "Soorten bewijs",
        "accepted_risk": "Geaccepteerd risico",
        "basis": "Grondslag / onderbouwing",
        "risk_assessment": "Risicoanalyse",
        "contact": "Contact",
        "responsibility": "Verantwoordelijkheid",
        "responsibility.cloud_provider": "cloudleverancier",
        "responsibility.platform_team": "platformteam",
        "responsibility.workload_team": "applicatieteam",
        "responsibility.organisation": "organisatie",
        "title_col": "Titel",
        "applicable": "Van toepassing",
        "justification": "Onderbouwing",
        "measures": "Maatregelen",
        "measure_ids": "Maatregel-ID's",
        "yes": "ja",
        "no": "nee",
        "kind": "Soort",
        "result": "Resultaat",
        "result.pass": "voldoet",
        "result.fail": "voldoet niet",
        "result.declared": "verklaard",
        "result.unknown": "onbekend tot uitrol",
        "result.partial": "gedeeltelijk (beperkte reikwijdte)",
        "basis.narrowed": "Beperkt",
        "narrowed.covers": "dekt",
        "narrowed.not": "niet",
        "control_evidence": "Bewijs op beheersmaatregelniveau",
        "control_technical": "Technisch deel",
        "technical.evidenced": "aangetoond",
        "technical.partial": "deels (alleen ondersteunend bewijs)",
        "technical.failing": "faalt",
        "soa.control_evidence": (
            "Van toepassing: geen BIO2-overheidsmaatregel; de richtlijnen van ISO/IEC 27002 gelden. De "
            "landingszone toont technische delen ervan aan op het niveau van de beheersmaatregel; het "
            "organisatorische deel vraagt een attestatie."
        ),
        "rule_or_mechanism": "Regel of mechanisme",
        "logical_id": "Logical ID",
        "path": "Constructpad",
        "acknowledgement_reason": "Reden van acceptatie",
        "level": "Niveau",
        "level.error": "fout",
        "level.warning": "waarschuwing",
        "finding": "Bevinding",
        "fix": "Oplossing",
        "owners": "Eigenaren",
        "owner_scope": "Eigenaar van",
        "no_owners": "Geen eigenaren benoemd.",
        "no_evidence": "Geen bewijs.",
        "status_overview": "Maatregelen per status",
        "coverage_numbers": "Maatregelen per thema en status",
        "covered": "geïmplementeerd of overgenomen",
        "unbacked": "Verklaringen zonder resource",
        "unbacked_note": (
            "Verklaringen waarvan de construct in geen enkele template een resource is, tellen niet mee."
        ),
        "component.organization": "Organisatie en vangrails",
        "component.organization.about": (
            "De AWS Organizations-structuur: organisatie-eenheden, accounts en de vangrails (service control "
            "policies, resource control policies, tag- en back-uppolicies) die voor elk lidaccount gelden."
        ),
        "component.baseline": "Accountbaseline",
        "component.baseline.about": (
            "CloudFormation StackSets die de beveiligingsbaseline uitrollen naar elk lidaccount van de "
            "gekozen organisatie-eenheden, ook naar later toegevoegde accounts."
        ),
        "component.identity": "Identiteit en toegang",
        "component.identity.about": (
            "Centraal identiteits- en toegangsbeheer: permission sets en toewijzingen van IAM Identity "
            "Center, de identity store en de IAM-rollen en -policies van de landing zone (ook de "
            "servicerollen van andere componenten)."
        ),
        "component.logging": "Logging",
        "component.logging.about": (
            "Centrale, manipulatiebestendige logging: de organisatietrail (CloudTrail), AWS "
            "Config-registratie en -regels, loggroepen, delivery streams en de buckets van het logarchief."
        ),
        "component.security": "Beveiligingsmonitoring",
        "component.security.about": (
            "Beveiligingsmonitoring en alarmering: dreigingsdetectie met GuardDuty, standaarden en "
            "bevindingen in Security Hub, IAM Access Analyzer, Inspector, Macie, alarmen, eventregels en "
            "notificaties."
        ),
        "component.network": "Netwerk",
        "component.network.about": (
            "Het netwerk: VPC's en subnetten, Transit Gateway, inspectie met AWS Network Firewall, security "
            "groups, endpoints, flow logs en DNS-resolutie en -filtering (Route 53 Resolver)."
        ),
        "component.backup": "Back-up",
        "component.backup.about": (
            "AWS Backup: kluizen (met vault lock), back-upplannen per beschikbaarheidsklasse en kopieën naar "
            "een andere regio."
        ),
        "component.keys": "Sleutelbeheer",
        "component.keys.about": (
            "Door de klant beheerde AWS KMS-sleutels die logs, back-ups en gegevens versleutelen."
        ),
        "component.other": "Overige resources",
        "component.other.about": (
            "Ondersteunende resources die bij geen van de componenten hierboven horen (opslag, functies, "
            "custom resources)."
        ),
        # --- hld.md
        "hld.title": "Globaal ontwerp: BIO2-landing zone",
        "hld.generated": (
            "Gegenereerd uit het BIO2-bewijsmanifest (SHA-256 `{digest}`) door {tool}, tegen {catalog}. Niet "
            "met de hand bewerken: genereer opnieuw met `bio2 report MANIFEST --format hld`."
        ),
        "hld.intro": (
            "Dit hoofdstuk beschrijft de landing zone per component: wat het is, waar het is uitgerold, uit "
            "welke resources het bestaat en welke BIO2-maatregelen het draagt. Een component draagt een "
            "maatregel als een regel die maatregel op een van zijn resources heeft geverifieerd, of als een "
            "van zijn resources er een vangrail (preventief) of monitor (detectief) voor uitrolt. De "
            "statuskolom is de totale status van de maatregel in het manifest."
        ),
        "hld.deployment": "Uitrol",
        "hld.components": "Componenten",
        "hld.component": "Component",
        "hld.measures_carried": "Gedragen BIO2-maatregelen",
        "hld.measure_status": "Status (totaal)",
        "hld.deployed_in": "Uitgerold in",
        "hld.no_measures": "Geen BIO2-maatregel wordt aangetoond door de resources van dit component.",
        "hld.findings": "Afwijkingen en geaccepteerde risico's",
        "hld.beyond": "Dekking van de baseline",
        "hld.beyond_intro": (
            "Veel BIO2-maatregelen zijn organisatorische processen of worden door de cloudleverancier "
            "gedragen; daaraan wordt buiten de infrastructuur voldaan. Status van alle maatregelen per "
            "thema:"
        ),
        # --- report.html
        "report.title": "BIO2-nalevingsrapport",
        "report.subtitle": "Bewijs per BIO2-maatregel, gegenereerd uit de gesynthetiseerde landing zone.",
        "report.skip": "Naar de inhoud",
        "report.tool": "Tool",
        "report.schema": "manifestschema",
        "report.manifest_hash": "SHA-256 van het manifest",
        "report.hashes_below": "hashes hieronder",
        "report.contents": "Inhoud",
        "report.overview": "Overzicht",
        "report.overview_intro": (
            "Status van de 117 BIO2-overheidsmaatregelen, op basis van het bewijs in de gesynthetiseerde "
            "templates, de verklaarde vangrails en monitors en de scopebesluiten van de organisatie."
        ),
        "report.measures": "Maatregelen",
        "report.noscript": (
            "Dit rapport heeft JavaScript nodig om de tabellen te tonen. Dezelfde gegevens staan in "
            "control-register.xlsx en manifest.json."
        ),
        "report.gaps_intro": "Maatregelen zonder bewijs, of waarvan al het bewijs faalde.",
        "report.risks_intro": "Afwijkingen die in de code zijn geaccepteerd, met de opgegeven reden.",
        "report.soa_intro": (
            "Alle 93 beheersmaatregelen van ISO/IEC 27002:2022 met toepasselijkheid, onderbouwing en status."
        ),
        "report.templates_caption": (
            "De CloudFormation-templates die dit rapport beschrijft, met hun SHA-256."
        ),
        "report.footer": (
            "Gegenereerd uit manifest.json; hetzelfde manifest geeft hetzelfde rapport. Er verlaten geen "
            "gegevens dit bestand."
        ),
        "kpi.measures": "BIO2-maatregelen",
        "kpi.outside": "proces niet geattesteerd (eigenaar benoemd, geen document)",
        "kpi.applicable": "beheersmaatregelen van toepassing",
        "filter.search": "Zoeken",
        "filter.search_hint": "ID, tekst, eigenaar, regel, resource",
        "filter.all_statuses": "Alle statussen",
        "filter.all_themes": "Alle thema's",
        "filter.all_kinds": "Alle soorten bewijs",
        "filter.no_evidence": "geen bewijs uit resources",
        "filter.kind": "Soort bewijs",
        "filter.reset": "Filters wissen",
        "filter.expand": "Alles uit-/inklappen",
        "shown_of": "{n} van {total} maatregelen getoond",
        "show_evidence": "Toon het bewijs van {id}",
        "evidence_for": "Bewijs voor {id}: {n}",
        "measures_caption": "Alle {n} BIO2-maatregelen. Klap een rij uit voor de resources en het bewijs.",
        "gaps_caption": "{n} maatregelen zonder voldoende bewijs",
        "risks_caption": "{n} geaccepteerde risico's",
        "violations_caption": "{n} openstaande afwijkingen",
        "owners_caption": "{n} eigenaren",
        "soa_caption": "{n} beheersmaatregelen",
        # --- control-register.xlsx
        "register.title": "BIO2-beheersmaatregelenregister",
        "register.about_key": "Onderdeel",
        "register.about_value": "Waarde",
        "sheet.measures": "Maatregelen",
        "sheet.soa": "Verklaring van toepasselijkheid",
        "sheet.evidence": "Bewijs",
        "sheet.violations": "Afwijkingen",
        "sheet.about": "Over dit register",
        # --- OSCAL
        "oscal.title": "BIO2-componentdefinitie van de landing zone",
        "oscal.component_title": "BIO2 AWS-landing zone",
        "oscal.component_description": (
            "Een AWS-landing zone met meerdere accounts, gebouwd met de AWS CDK en bij elke synthese "
            "getoetst aan de BIO2 (Baseline Informatiebeveiliging Overheid). De geïmplementeerde eisen geven "
            "per BIO2-maatregel en per ISO/IEC 27002:2022-beheersmaatregel de status en het gevonden bewijs."
        ),
        "oscal.component_purpose": "Veilig fundament voor de workloads van de organisatie op AWS.",
        "oscal.bio2_impl": "Implementatie van de BIO2 {version}-overheidsmaatregelen door de landing zone.",
        "oscal.soa_impl": "Verklaring van toepasselijkheid voor de beheersmaatregelen van {iso}.",
        "oscal.evidence.verified": "Geverifieerd: {n} regelcontroles geslaagd op gesynthetiseerde resources.",
        "oscal.evidence.preventive": "Preventief: {n} uitgerolde vangrails maken een afwijking onmogelijk.",
        "oscal.evidence.detective": (
            "Detectief: {n} uitgerolde monitors bewaken de maatregel tijdens gebruik."
        ),
        "oscal.open_violations": "Openstaande afwijkingen: {n}.",
        "oscal.no_evidence": "Geen bewijs: deze maatregel is een tekortkoming.",
        "oscal.role_owner": "Eigenaar van de maatregel",
        "oscal.bio2_resource": "Baseline Informatiebeveiliging Overheid: de overheidsmaatregelen.",
        "oscal.iso_resource": "De beheersmaatregelen van ISO/IEC 27002:2022.",
        "oscal.manifest_resource": "Het BIO2-bewijsmanifest waaruit deze componentdefinitie is gegenereerd.",
        "oscal.template_resource": (
            "CloudFormation-template van stack {stack} (account {account}, regio {region})."
        ),
        # --- SARIF
        "sarif.measures": "BIO2-maatregelen",
        "sarif.srcroot": "De root van de repository; de CDK cloud assembly staat daaronder in cdk.out/.",
        # --- bio2 diff
        "diff.title": "Verschil tussen BIO2-manifesten",
        "diff.status_changes": "Maatregelen met een gewijzigde status",
        "diff.evidence_lost": "Verloren bewijs",
        "diff.evidence_gained": "Nieuw bewijs",
        "diff.risks_gained": "Nieuwe geaccepteerde risico's",
        "diff.risks_lost": "Vervallen geaccepteerde risico's",
        "diff.controls": "Beheersmaatregelen met een gewijzigde status",
        "diff.turned_red": "Rood geworden sinds de vorige verzameling (run-time NON_COMPLIANT)",
        "diff.turned_green": "Niet langer NON_COMPLIANT gemeld (run-time)",
        "diff.catalog": "Wijzigingen in de catalogus",
        "diff.added": "maatregelen toegevoegd",
        "diff.removed": "maatregelen verwijderd",
        "diff.better": "beter",
        "diff.worse": "slechter",
        "diff.changed": "gewijzigd",
        "diff.same": "ongewijzigd",
        "diff.regression": "Achteruitgang: een maatregel verloor bewijs of kreeg een slechtere status.",
        "diff.no_regression": "Geen achteruitgang.",
    },
}


def labels(lang: str) -> dict[str, str]:
    """The labels of ``lang`` (``en`` or ``nl``); both languages have the same keys."""
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return LABELS[lang]


# ------------------------------------------------------------------ our own data, per language
#
# Rule findings and fixes are written in English in the rule definitions; their Dutch texts are
# data (``locales/nl/rules.json``), one entry per rule ID. A test keeps the Dutch file complete
# (every rule in force, no stale IDs) and the Dutch outputs free of the English texts. Texts a
# user wrote (justifications, reasons, process descriptions) are shown as written.


@cache
def locale_table(lang: str, name: str) -> dict[str, dict[str, str]]:
    """``locales/<lang>/<name>.json`` (empty when the file does not exist)."""
    path = resources.files(__package__).joinpath("locales", lang, f"{name}.json")
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def rule_texts(lang: str) -> dict[str, dict[str, str]]:
    """Per rule ID the ``finding`` and ``fix`` in ``lang`` (empty for English: the rules' own)."""
    return {} if lang == "en" else locale_table(lang, "rules")


def rule_text(rule_id: str, field: str, english: str, lang: str) -> str:
    """A rule's ``finding`` or ``fix`` in ``lang``, else its English text."""
    return rule_texts(lang).get(rule_id, {}).get(field) or english
