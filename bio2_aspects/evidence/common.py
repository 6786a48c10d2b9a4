"""Shared helpers of the auditor outputs rendered from the manifest.

This module must stay light: it is imported by the ``bio2`` CLI, so it imports neither the
engine nor the CDK (``manifest.py`` does, through ``engine``). The status set and the headline
come from the status logic (``status.py``, which is as light); the evidence constants are repeated
here on purpose, and a test checks that they equal the manifest's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from bio2_aspects.evidence.i18n import LANGUAGES
from bio2_aspects.evidence.status import HEADLINE as HEADLINE  # re-exported for the outputs
from bio2_aspects.evidence.status import STATUSES as STATUSES

THEMES: tuple[str, ...] = ("organisational", "people", "physical", "technological")
#: The kinds of evidence that a resource can carry (``evidence_kinds`` of a measure).
RESOURCE_KINDS: tuple[str, ...] = ("verified", "preventive", "detective")

#: How good a status is, for ``bio2 diff``: a lower rank is worse. ``excluded`` has no rank: a
#: change to or from it is reported but is neither better nor worse.
STATUS_RANK: dict[str, int] = {
    "implemented": 4,
    "inherited": 4,
    "awaiting_attestation": 3,
    "partially_implemented": 2,
    "unattested": 1,
    "gap": 0,
}

#: The one timestamp every output uses where a format demands one (XLSX document properties
#: and ZIP entries, OSCAL ``last-modified``): the manifest holds no time, and reading the clock
#: would break byte-identical output. 1980-01-01 is the earliest date a ZIP entry can carry.
FIXED_TIMESTAMP = datetime(1980, 1, 1, tzinfo=UTC)


def resolve_lang(manifest: dict[str, Any], lang: str | None) -> str:
    """The output language: ``lang`` if given, else the manifest's, else English."""
    chosen = lang or manifest.get("language") or "en"
    if chosen not in LANGUAGES:
        raise ValueError(f"unknown language {chosen!r}: use one of {', '.join(LANGUAGES)}")
    return chosen


def summary_of(measure: dict[str, Any], lang: str) -> str:
    """The measure summary in ``lang`` (falling back to English when the Dutch text is empty)."""
    if lang == "nl" and measure.get("summary_nl"):
        return str(measure["summary_nl"])
    return str(measure.get("summary") or "")


def title_of(control: dict[str, Any], lang: str) -> str:
    """The control title in ``lang`` (falling back to English)."""
    if lang == "nl" and control.get("title_nl"):
        return str(control["title_nl"])
    return str(control.get("title") or "")


def owner_name(owner: dict[str, Any] | None) -> str | None:
    return None if not owner else owner.get("name")


# ------------------------------------------------------------------ JSON text
#
# The outputs hold JSON in two forms: indented (``manifest.json``, SARIF, OSCAL) as
# ``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"``, and compact (the
# HTML report's data) as ``json.dumps(value, ensure_ascii=False, sort_keys=True,
# separators=(",", ":"))``. With an indent the standard library falls back to its pure-Python
# encoder, which takes most of a second on a large manifest. orjson writes the very same bytes
# for plain data (dicts with string keys, lists, tuples, strings and str subclasses such as
# StrEnum members, integers, booleans, None) in a few milliseconds; checking that the data is
# plain costs a walk over it. Floats (which it formats differently), other types and anything
# orjson refuses (integers beyond 64 bits, non-string keys, lone surrogates) take the standard
# path. tests/evidence/test_json_text.py holds the two to the same bytes.

_PLAIN_SCALARS = frozenset((str, int, bool, type(None)))
#: The orjson module once imported (on first use: the CLI imports this module), None without it.
_orjson: Any = ...


def _fast_json() -> Any:
    global _orjson
    if _orjson is ...:
        try:  # a dependency of compliance-trestle
            import orjson
        except ImportError:  # pragma: no cover - the tests set _orjson to None instead
            orjson = None  # type: ignore[assignment]
        _orjson = orjson
    return _orjson


def _plain_str(text: str) -> bool:
    """A str subclass both write as its text: any but an enum member whose value is not that text."""
    if isinstance(text, Enum):
        return type(text.value) is str and text.value == str.__str__(text)
    return True


def _plain_json(value: Any) -> bool:
    """True when ``value`` holds only dicts, lists, tuples, str, int, bool and None (exact types,
    and str subclasses such as the catalog's ``StrEnum`` members)."""
    stack = [value]
    pop, extend, scalars = stack.pop, stack.extend, _PLAIN_SCALARS
    while stack:
        item = pop()
        kind = type(item)
        if kind is dict:
            extend(item.values())
        elif kind is list or kind is tuple:
            extend(item)
        elif kind not in scalars and not (isinstance(item, str) and _plain_str(item)):
            return False
    return True


def _orjson_bytes(value: Any, indent: bool) -> bytes | None:
    """orjson's text of ``value`` (sorted keys; indented by two and ending in a newline, or
    compact), or None where it would not be the standard library's."""
    orjson = _fast_json()
    if orjson is None or not _plain_json(value):
        return None
    option = orjson.OPT_SORT_KEYS
    if indent:
        option |= orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
    try:
        return orjson.dumps(value, option=option)
    except TypeError:  # orjson.JSONEncodeError: big integer, non-string key, lone surrogate...
        return None


def pretty_json_bytes(value: Any) -> bytes:
    """``(json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\\n")`` in UTF-8."""
    data = _orjson_bytes(value, indent=True)
    if data is not None:
        return data
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def compact_json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))``."""
    data = _orjson_bytes(value, indent=False)
    if data is not None:
        return data.decode("utf-8")
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The bytes of ``manifest.json``: ``manifest.dumps(manifest)`` in UTF-8."""
    return pretty_json_bytes(manifest)


def manifest_digest(manifest: dict[str, Any]) -> str:
    """SHA-256 of the manifest's canonical JSON text (as ``manifest.json`` is written)."""
    return hashlib.sha256(manifest_bytes(manifest)).hexdigest()


def is_positive(item: dict[str, Any]) -> bool:
    """Evidence that supports a measure: a passed rule or a backed declaration."""
    return item.get("result") in ("pass", "declared")


def evidence_key(item: dict[str, Any]) -> tuple[str, str, str, str]:
    """Identity of an evidence item across manifests: (kind, rule, stack, logical ID)."""
    return (
        str(item.get("kind")),
        str(item.get("rule") or ""),
        str(item.get("stack")),
        str(item.get("logical_id")),
    )


def measure_sort_key(measure_id: str) -> tuple[int, ...]:
    """Numeric order of measure and control IDs (5.9 before 5.10)."""
    try:
        return tuple(int(p) for p in measure_id.split("."))
    except ValueError:
        return (999,)


def rule_measures(manifest: dict[str, Any]) -> dict[str, list[str]]:
    """Per rule ID the measures it evidences: from the rules in force and from the evidence."""
    out: dict[str, set[str]] = {}
    for rule in manifest.get("rules", []):
        out.setdefault(rule["id"], set()).update(rule.get("measures", []))
    for m in manifest.get("measures", []):
        for item in m.get("evidence", []):
            if item.get("rule"):
                out.setdefault(item["rule"], set()).add(m["id"])
    return {k: sorted(v, key=measure_sort_key) for k, v in sorted(out.items())}


# ------------------------------------------------------------------ landing-zone components


@dataclass(frozen=True)
class Component:
    """A part of the landing zone, recognised by the CloudFormation types of its resources."""

    key: str
    prefixes: tuple[str, ...]


#: In order: the first component whose prefix matches a resource type takes the resource.
COMPONENTS: tuple[Component, ...] = (
    Component("organization", ("AWS::Organizations::", "AWS::ControlTower::")),
    Component("baseline", ("AWS::CloudFormation::StackSet",)),
    Component("identity", ("AWS::SSO::", "AWS::IdentityStore::", "AWS::IAM::")),
    Component("logging", ("AWS::CloudTrail::", "AWS::Config::", "AWS::Logs::", "AWS::KinesisFirehose::")),
    Component(
        "security",
        (
            "AWS::GuardDuty::",
            "AWS::SecurityHub::",
            "AWS::AccessAnalyzer::",
            "AWS::InspectorV2::",
            "AWS::Inspector::",
            "AWS::Macie::",
            "AWS::Detective::",
            "AWS::CloudWatch::",
            "AWS::SNS::",
            "AWS::Events::",
        ),
    ),
    Component(
        "network",
        (
            "AWS::EC2::",
            "AWS::NetworkFirewall::",
            "AWS::Route53Resolver::",
            "AWS::Route53::",
            "AWS::RAM::",
            "AWS::NetworkManager::",
        ),
    ),
    Component("backup", ("AWS::Backup::",)),
    Component("keys", ("AWS::KMS::",)),
    Component("other", ()),
)
COMPONENT_KEYS: tuple[str, ...] = tuple(c.key for c in COMPONENTS)
_LOG_HINTS = ("log", "trail", "archive", "audit")


def component_of(resource_type: str, stack: str = "", path: str | None = None, logical_id: str = "") -> str:
    """The landing-zone component a resource belongs to.

    S3 buckets and bucket policies count as logging when their stack, construct path or
    logical ID names logs, a trail, an archive or an audit; other buckets are ``other``.
    """
    rtype = resource_type or ""
    if rtype.startswith("AWS::S3::"):
        where = f"{stack} {path or ''} {logical_id}".lower()
        return "logging" if any(h in where for h in _LOG_HINTS) else "other"
    for component in COMPONENTS:
        if component.prefixes and rtype.startswith(component.prefixes):
            return component.key
    return "other"


def sorted_unique(values: Iterable[str]) -> list[str]:
    return sorted(set(values))


def generated_at(manifest: dict[str, Any]) -> datetime:
    """The manifest's generation time (``audit.generated_at``: SOURCE_DATE_EPOCH or the commit
    time), or :data:`FIXED_TIMESTAMP` for a manifest without one. Never the clock."""
    raw = (manifest.get("audit") or {}).get("generated_at")
    if not raw:
        return FIXED_TIMESTAMP
    try:
        when = datetime.strptime(str(raw), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return FIXED_TIMESTAMP
    return max(when, FIXED_TIMESTAMP)


def audit_lines(manifest: dict[str, Any], t: dict[str, str]) -> list[tuple[str, str]]:
    """(label, value) pairs of the audit metadata, for every report's header."""
    audit = manifest.get("audit") or {}
    if not audit:
        return []
    git = audit.get("git") or {}
    commit = git.get("commit") or "-"
    if git.get("dirty"):
        commit += f" ({t['audit.dirty']})"
    cfg = audit.get("config") or {}
    config = f"{cfg.get('name')}: {cfg.get('sha256')}" if cfg else "-"
    v = audit.get("versions") or {}
    versions = f"{v.get('tool') or '-'}, {v.get('catalog') or '-'}, {v.get('aws_cdk_lib') or '-'}"
    return [
        (t["audit.generated_at"], f"{audit.get('generated_at')} ({audit.get('generated_at_source')})"),
        (t["audit.commit"], commit),
        (t["audit.config"], config),
        (t["audit.versions"], versions),
    ]


def basis_of(measure: dict[str, Any], t: dict[str, str]) -> str:
    """What a measure's status rests on, in the output language: texts the organisation wrote
    (exclusion justification, owner's process, its own inherited basis) as written, our own
    sentences from the labels. The manifest's ``basis`` holds the English form."""
    exclusion = measure.get("exclusion") or {}
    if measure.get("status") == "excluded" and exclusion:
        return str(exclusion.get("justification") or "")
    basis = str(measure.get("basis") or "")
    if measure.get("status") == "inherited":
        return t["basis.inherited"] if basis.startswith("Carried by AWS") or not basis else basis
    parts = []
    owner = measure.get("owner") or {}
    if owner.get("process"):
        parts.append(f"{owner.get('name')}: {owner['process']}")
    if measure.get("status") != "implemented":
        facets = measure.get("facets") or []
        unattested = [f["id"] for f in facets if f.get("state") in ("unattested", "overdue")]
        missing = [f for f in measure.get("missing_facets") or [] if f not in unattested]
        if unattested:
            parts.append(f"{t['basis.not_attested']}: {', '.join(unattested)}.")
        if missing:
            parts.append(f"{t['basis.not_covered']}: {', '.join(missing)}.")
    parts.extend(narrowed_texts(measure, t))
    if not facets_known(measure) and basis and not parts:
        return basis
    return " ".join(parts)


def scope_name(name: str, t: dict[str, str]) -> str:
    """A name of a narrowed claim's scope in the output language (OU paths and IDs as written)."""
    fixed = {
        "accounts directly under Root": t["scope.root_accounts"],
        "every other member account": t["scope.other_accounts"],
    }
    if name in fixed:
        return fixed[name]
    if name.startswith("account "):
        return f"{t['scope.account']} {name.removeprefix('account ')}"
    if name.startswith("accounts directly in "):
        return f"{t['scope.ou_accounts']} {name.removeprefix('accounts directly in ')}"
    return name


def narrowed_texts(measure: dict[str, Any], t: dict[str, str]) -> list[str]:
    """One sentence per narrowed claim of a measure: what it covers and what it does not."""
    out = []
    for n in measure.get("narrowed") or []:
        covers = ", ".join(scope_name(c, t) for c in n.get("covers") or [])
        missing = ", ".join(scope_name(c, t) for c in n.get("not_covered") or [])
        out.append(
            f"{t['basis.narrowed']}: {n.get('claim')} {t['narrowed.covers']} {covers}; "
            f"{t['narrowed.not']} {missing}."
        )
    return out


def facets_known(measure: dict[str, Any]) -> bool:
    return "facets" in measure


def justification_of(control: dict[str, Any], t: dict[str, str]) -> str:
    """A control's applicability justification in the output language (an exclusion's own text
    as written)."""
    if not control.get("applicable", True):
        return str(control.get("justification") or "")
    if control.get("measures"):
        return t["soa.baseline"]
    return t["soa.control_evidence"] if control.get("technical") else t["soa.no_measure"]


def control_evidence_text(control: dict[str, Any], t: dict[str, str]) -> str:
    """A control's control-level evidence in one line: its technical part, then per source (rule or
    claim) the strength and the results (``BIO2-Config-RecordAllTypes (supporting): 4 pass``)."""
    items = control.get("evidence") or []
    if not items:
        return ""
    per_source: dict[tuple[str, str], dict[str, int]] = {}
    for i in items:
        key = (str(i.get("rule") or i.get("claim") or ""), str(i.get("strength")))
        counts = per_source.setdefault(key, {})
        result = "accepted" if i["result"] == "fail" and i.get("acknowledgement_reason") else i["result"]
        counts[result] = counts.get(result, 0) + 1
    parts = []
    for (source, strength), counts in sorted(per_source.items()):
        accepted = f"{t['result.fail']} ({t['accepted_risk'].lower()})"
        results = ", ".join(
            f"{n} {accepted if r == 'accepted' else t['result.' + r]}" for r, n in sorted(counts.items())
        )
        parts.append(f"{source} ({t['strength.' + strength]}): {results}")
    head = (
        f"{t['control_technical']}: {t['technical.' + control['technical']]}"
        if control.get("technical")
        else ""
    )
    return "; ".join(p for p in [head, *parts] if p)
