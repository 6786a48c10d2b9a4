"""``bio2.sarif``: the BIO2 violations as SARIF 2.1.0, for code scanning (e.g. GitHub).

One run of the tool ``bio2-aspects``. Its rules are the rules in force (plus any rule that only
appears in a violation, such as the engine's tag check), each with the finding as description,
the fix and the BIO2 measures it evidences as help, and its level as default configuration.
Each violation is a result that points at its CloudFormation template
(``<outdir>/<template file>``, relative to ``%SRCROOT%``, the directory the app is synthesized
from, or to the app's outdir; see :func:`assembly_location`) and at its
resource as a logical location (logical ID, construct path). Acknowledged violations carry a
suppression (``inSource``, ``accepted``) with the acknowledgement reason as justification, so
code scanning shows them as dismissed, not open.

Line numbers: the manifest has none. When the template file is at hand (``template_root``,
normally ``cdk.out/``) and its SHA-256 equals the one in the manifest, the result's region is
the line where the resource is defined; otherwise the result has no region. The output is
deterministic: results in manifest order (stack, logical ID, rule), rules sorted by ID,
fingerprints from (rule, stack, logical ID).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bio2_aspects.evidence.common import (
    manifest_digest,
    pretty_json_bytes,
    resolve_lang,
    rule_measures,
    summary_of,
)
from bio2_aspects.evidence.i18n import labels, rule_text
from bio2_aspects.evidence.models import Manifest, Template, as_manifest

SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
#: The assembly directory when the SARIF is built without one (``template_root`` unknown).
ASSEMBLY_DIR = "cdk.out"


#: Base of the template URIs when the app's outdir is not below ``%SRCROOT%``: the outdir itself.
OUTDIR = "BIO2_OUTDIR"


#: A staging directory that is renamed into place when the synth succeeds (``.cdk.out.partial-x1y2``
#: becomes ``cdk.out``, see ``landing_zone.entry``): its random name never appears in the output.
_STAGING = re.compile(r"^\.(?P<name>.+)\.partial-[A-Za-z0-9_]+$")


def published(root: Path) -> Path:
    """The directory an assembly is published as: a staging directory's final name."""
    found = _STAGING.match(root.name)
    return root.with_name(found.group("name")) if found else root


def assembly_location(template_root: Path | None, file: str) -> dict[str, str]:
    """The SARIF artifact location of a template, relative to the app's outdir.

    ``%SRCROOT%`` is the directory the app is synthesized from (the CDK CLI runs the app there). An
    outdir below it is written as a path relative to it (``cdk.out/x.template.json``,
    ``build/assembly/x.template.json``), which code scanning resolves in the repository; an outdir
    elsewhere as the file name relative to the base ``BIO2_OUTDIR`` (so the output does not depend
    on where the outdir is); no outdir known (a manifest alone): ``cdk.out/``.
    """
    if template_root is None:
        return {"uri": f"{ASSEMBLY_DIR}/{file}", "uriBaseId": SRCROOT}
    root = published(Path(template_root).resolve())
    try:
        relative = root.relative_to(Path.cwd().resolve())
    except ValueError:
        return {"uri": file, "uriBaseId": OUTDIR}
    prefix = relative.as_posix()
    return {"uri": f"{prefix}/{file}" if relative.parts else file, "uriBaseId": SRCROOT}


#: ``security-severity`` per level, which GitHub uses to rank security alerts (high / medium).
SECURITY_SEVERITY = {"error": "7.5", "warning": "4.0"}


def _rule_name(rule_id: str) -> str:
    """``BIO2-S3-Versioning`` -> ``S3Versioning`` (SARIF ``name``: a readable identifier)."""
    parts = rule_id.split("-")
    return "".join(parts[1:]) if len(parts) > 1 else rule_id


#: A key that opens an object at the start of a line (searched from ``"Resources"`` on).
_RESOURCE_KEY = re.compile(r'^\s*"([A-Za-z0-9]+)"\s*:\s*\{', re.MULTILINE)


def template_lines(template_root: Path | None, templates: Sequence[Template]) -> dict[str, dict[str, int]]:
    """Per template file, the line of each logical ID under ``Resources``.

    Only templates whose bytes match the SHA-256 recorded in the manifest are read, so line
    numbers always describe the templates the manifest describes.
    """
    out: dict[str, dict[str, int]] = {}
    if template_root is None:
        return out
    for tp in templates:
        path = template_root / tp.file
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(raw).hexdigest() != tp.sha256:
            continue
        text = raw.decode("utf-8", errors="replace")
        start = text.find('"Resources"')
        if start < 0:
            continue
        lines: dict[str, int] = {}
        # Count the line breaks from one match to the next, not from the top of the file each
        # time (which is quadratic in the size of the template).
        line, pos = 1, 0
        for match in _RESOURCE_KEY.finditer(text[start:]):
            lid = match.group(1)
            if lid not in lines:
                at = start + match.start(1)
                line += text.count("\n", pos, at)
                pos = at
                lines[lid] = line
        out[tp.file] = lines
    return out


@dataclass(frozen=True)
class _RuleDef:
    """A SARIF rule: a rule in force, or one that only appears in a violation."""

    id: str
    level: str
    measures: Sequence[str]
    finding: str
    fix: str
    resource_types: Sequence[str]


def build_sarif(
    manifest: Manifest | Mapping[str, Any],
    lang: str | None = None,
    template_root: Path | None = None,
    *,
    digest: str | None = None,
) -> dict[str, Any]:
    """The SARIF log as a dict."""
    manifest = as_manifest(manifest)
    lang = resolve_lang(manifest, lang)
    t = labels(lang)
    measures = {m.id: m for m in manifest.measures}
    by_rule = rule_measures(manifest)
    templates = manifest.templates
    file_of_stack: dict[str, str] = {}
    for tp in templates:
        file_of_stack.setdefault(tp.stack, tp.file)
    artifact_index = {tp.file: i for i, tp in enumerate(templates)}
    # once per template file, for the results and the artifacts (it resolves paths on the file system)
    location_of = {file: assembly_location(template_root, file) for file in artifact_index}
    lines = template_lines(template_root, templates)

    rule_defs: dict[str, _RuleDef] = {
        r.id: _RuleDef(r.id, r.level, r.measures, r.finding, r.fix, r.resource_types) for r in manifest.rules
    }
    for v in manifest.violations:
        rule_defs.setdefault(
            v.rule,
            _RuleDef(
                v.rule,
                v.level,
                by_rule.get(v.rule, []),
                v.finding or "",
                v.fix or "",
                [v.resource_type or ""],
            ),
        )
    rules = []
    rule_index: dict[str, int] = {}
    for i, rid in enumerate(sorted(rule_defs)):
        r = rule_defs[rid]
        finding = rule_text(rid, "finding", r.finding or "", lang)
        fix = rule_text(rid, "fix", r.fix or "", lang)
        rule_index[rid] = i
        ms = by_rule.get(rid) or list(r.measures)
        measure_lines = [f"{mid} {summary_of(measures[mid], lang)}" if mid in measures else mid for mid in ms]
        help_text = f"{t['fix']}: {fix or '-'}\n{t['sarif.measures']}:\n" + "\n".join(
            f"- {line}" for line in measure_lines
        )
        help_md = f"**{t['fix']}:** {fix or '-'}\n\n**{t['sarif.measures']}:**\n\n" + "\n".join(
            f"- `{mid}` {summary_of(measures[mid], lang) if mid in measures else ''}".rstrip() for mid in ms
        )
        level = "error" if r.level == "error" else "warning"
        rules.append(
            {
                "id": rid,
                "name": _rule_name(rid),
                "shortDescription": {"text": finding or rid},
                "fullDescription": {
                    "text": f"{finding or rid} {t['sarif.measures']}: {', '.join(ms) or '-'}."
                },
                "help": {"text": help_text, "markdown": help_md},
                "defaultConfiguration": {"level": level},
                "properties": {
                    "tags": ["BIO2", "compliance", "security", *ms],
                    "precision": "very-high",
                    "problem.severity": level,
                    "security-severity": SECURITY_SEVERITY[level],
                    "bio2Measures": ms,
                    "resourceTypes": sorted(r.resource_types),
                },
            }
        )

    results = []
    # per template file its artifact location (copied into each result: the log is a plain tree,
    # which a caller may change); per rule and English finding the finding's text in ``lang``
    artifact_of = {file: {**location_of[file], "index": index} for file, index in artifact_index.items()}
    finding_of: dict[tuple[str, str], str] = {}
    no_lines: dict[str, int] = {}
    sha256 = hashlib.sha256
    for v in manifest.violations:
        rule_id, stack, logical_id = v.rule, v.stack, v.logical_id
        file = file_of_stack.get(stack)
        location: dict[str, Any] = {}
        if file is not None:
            physical: dict[str, Any] = {"artifactLocation": artifact_of[file].copy()}
            line = lines.get(file, no_lines).get(logical_id)
            if line:
                physical["region"] = {"startLine": line}
            location["physicalLocation"] = physical
        location["logicalLocations"] = [
            {
                "name": logical_id,
                "fullyQualifiedName": v.path or f"{stack}/{logical_id}",
                "kind": "resource",
            }
        ]
        fingerprint = sha256(f"{rule_id}|{stack}|{logical_id}".encode()).hexdigest()
        key = (rule_id, v.finding or "")
        finding = finding_of.get(key)
        if finding is None:
            finding = finding_of[key] = rule_text(rule_id, "finding", key[1], lang) or rule_id
        result: dict[str, Any] = {
            "ruleId": rule_id,
            "ruleIndex": rule_index[rule_id],
            "level": v.level,
            "message": {"text": f"{finding} {manifest.text_of(v, lang)}".strip()},
            "locations": [location],
            "partialFingerprints": {"bio2Violation/v1": fingerprint},
            "properties": {
                "stack": stack,
                "logicalId": logical_id,
                "resourceType": v.resource_type or "",
                "constructPath": v.path or "",
                "bio2Measures": by_rule.get(rule_id, []),
            },
        }
        if v.acknowledged:
            result["suppressions"] = [
                {
                    "kind": "inSource",
                    "status": "accepted",
                    "justification": v.reason_in(lang) or "",
                }
            ]
        results.append(result)

    tool = manifest.tool
    cat = manifest.catalog
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": tool.name,
                        "fullName": f"{tool.name} {tool.version} ({cat.name} {cat.version})",
                        "version": tool.version,
                        "semanticVersion": tool.version,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": "bio2/"},
                "originalUriBaseIds": {
                    SRCROOT: {"description": {"text": t["sarif.srcroot"]}},
                    OUTDIR: {"description": {"text": "The CDK app's output directory (cloud assembly)."}},
                },
                "artifacts": [
                    {
                        "location": dict(location_of[tp.file]),
                        "mimeType": "application/json",
                        "hashes": {"sha-256": tp.sha256},
                        "roles": ["analysisTarget"],
                        "properties": {"stack": tp.stack, "account": tp.account, "region": tp.region},
                    }
                    for tp in templates
                ],
                "results": results,
                "columnKind": "unicodeCodePoints",
                "language": lang,
                "properties": {
                    "organisation": manifest.organisation,
                    "catalog": f"{cat.name} {cat.version}",
                    "manifestSha256": digest or manifest_digest(manifest),
                },
            }
        ],
    }


def render_sarif(
    manifest: Manifest | Mapping[str, Any],
    lang: str | None = None,
    template_root: Path | None = None,
    *,
    digest: str | None = None,
) -> bytes:
    """The SARIF log as deterministic JSON bytes."""
    return pretty_json_bytes(build_sarif(manifest, lang, template_root, digest=digest))
