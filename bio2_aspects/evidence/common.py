"""Shared helpers of the auditor outputs rendered from the manifest.

This module must stay light: it is imported by the ``bio2`` CLI, so it imports neither the
engine nor the CDK (``manifest.py`` does, through ``engine``). The status set and the headline
come from the status logic (``status.py``, which is as light); the evidence constants are repeated
here on purpose, and a test checks that they equal the manifest's.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bio2_aspects.evidence.i18n import LANGUAGES
from bio2_aspects.evidence.status import HEADLINE as HEADLINE  # re-exported for the outputs
from bio2_aspects.evidence.status import STATUSES as STATUSES

if TYPE_CHECKING:  # the pydantic models are imported by the outputs that read them, not on every synth
    from bio2_aspects.evidence.models import Control, EvidenceItem, Manifest, Measure, Owner

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


def resolve_lang(manifest: Manifest, lang: str | None) -> str:
    """The output language: ``lang`` if given, else the manifest's."""
    chosen = lang or manifest.language
    if chosen not in LANGUAGES:
        raise ValueError(f"unknown language {chosen!r}: use one of {', '.join(LANGUAGES)}")
    return chosen


def summary_of(measure: Measure, lang: str) -> str:
    """The measure summary in ``lang`` (falling back to English when the Dutch text is empty)."""
    if lang == "nl" and measure.summary_nl:
        return measure.summary_nl
    return measure.summary


def title_of(control: Control, lang: str) -> str:
    """The control title in ``lang`` (falling back to English)."""
    if lang == "nl" and control.title_nl:
        return control.title_nl
    return control.title


def owner_name(owner: Owner | None) -> str | None:
    return None if owner is None else owner.name


# ------------------------------------------------------------------ JSON text
#
# The outputs hold JSON in two forms: indented (``manifest.json``, SARIF, OSCAL), with sorted keys,
# an indent of two and a final newline, and compact (the HTML report's data), with sorted keys and
# no spaces. orjson writes both in a few milliseconds where the standard library's indented
# encoder, pure Python, takes most of a second on a large manifest. orjson's text is the text of
# record: for strings (str subclasses such as StrEnum members included), integers, booleans,
# None, dicts with string keys, lists and tuples it is byte for byte
# ``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"`` (compact:
# ``separators=(",", ":")``), which tests/evidence/test_json_text.py holds it to; a float is
# written in its shortest form (``1e-7``, ``0.00001`` where the standard library writes ``1e-07``,
# ``1e-05``), and NaN and the infinities, which JSON cannot hold, as ``null``. The manifest holds
# no floats today; should one appear, every writer and reader of the manifest (the synth,
# ``bio2 report``, the digest in each report) still writes the same text for it, as each uses
# these functions. The standard library writes what orjson refuses (integers beyond 64 bits,
# non-string keys, lone surrogates, objects such as dataclasses and datetimes, which it refuses
# in turn) and everything when orjson is missing; a text with a lone surrogate is written with
# every character beyond ASCII escaped. Subclasses of str, int, dict and list are written as the
# standard library writes them (their text, integer, ``items()``, items). Plain enum members,
# UUIDs and ``orjson.Fragment``, which orjson writes and the standard library refuses, do not
# occur in the manifest: a message's parameters reach it as strings, integers and booleans.

#: The orjson module once imported (on first use: the CLI imports this module), None without it.
_orjson: Any = ...


def _fast_json() -> Any:
    global _orjson
    if _orjson is ...:
        try:  # pinned in pyproject.toml (and a dependency of compliance-trestle)
            import orjson
        except ImportError:  # pragma: no cover - the tests set _orjson to None instead
            orjson = None  # type: ignore[assignment]
        _orjson = orjson
    return _orjson


def load_json_bytes(data: bytes) -> Any:
    """The JSON value of ``data``, read by the standard library (``json.loads``).

    Not by orjson, although it reads a large manifest about 30% faster: orjson reads an integer
    beyond 64 bits as a float, without an error (``123456789012345678901234567890`` becomes
    ``1.2345678901234568e+29``), so a manifest read back and written again would not keep its
    bytes. The standard library reads every integer exactly."""
    return json.loads(data)


def _orjson_dumps(orjson: Any, value: Any, option: int) -> bytes | None:
    """``orjson.dumps(value)`` with ``option`` and the options every call here adds, or None where
    orjson refuses the value. Dataclasses and datetimes are refused (and then refused by the
    standard library too), not written as orjson would; subclasses of str, int, dict and list go
    through :func:`_as_base` (as the standard library writes them)."""
    option |= orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
    option |= orjson.OPT_PASSTHROUGH_SUBCLASS
    try:
        return orjson.dumps(value, default=_as_base, option=option)
    except TypeError:  # orjson.JSONEncodeError: big integer, non-string key, lone surrogate...
        return None


def _as_base(value: Any) -> Any:
    """orjson's ``default``: a subclass of str, int, dict or list as the standard library writes it
    (its text, its integer, its ``items()``, its items); anything else is refused."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, dict):
        return dict(value.items())
    if isinstance(value, list):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _orjson_bytes(value: Any, indent: bool) -> bytes | None:
    """orjson's text of ``value`` (sorted keys; indented by two and ending in a newline, or
    compact), or None where orjson refuses it (or is missing)."""
    orjson = _fast_json()
    if orjson is None:
        return None
    option = orjson.OPT_SORT_KEYS
    if indent:
        option |= orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
    return _orjson_dumps(orjson, value, option)


def pretty_json_bytes(value: Any) -> bytes:
    """The indented text of ``value`` in UTF-8: sorted keys, an indent of two, a final newline
    (see "JSON text" above)."""
    return _pretty_json(value)[0]


def _pretty_json(value: Any) -> tuple[bytes, bool]:
    """:func:`pretty_json_bytes`, and whether orjson wrote it (False: the standard library did)."""
    data = _orjson_bytes(value, indent=True)
    if data is not None:
        return data, True
    return (_stdlib_text(value, indent=2, sort_keys=True) + "\n").encode("utf-8"), False


def compact_json(value: Any) -> str:
    """The compact text of ``value``: sorted keys, no spaces (see "JSON text" above)."""
    data = _orjson_bytes(value, indent=False)
    if data is not None:
        return data.decode("utf-8")
    return _stdlib_text(value, sort_keys=True, separators=(",", ":"))


def _stdlib_text(value: Any, **options: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, **options)``; where that text holds a lone surrogate
    (which UTF-8 cannot hold), the same with every character beyond ASCII escaped: the same JSON
    value, which reads back and is written again as the same text. (A construct ID or a template
    value with a lone surrogate is thus written escaped instead of failing the synth.)"""
    text = json.dumps(value, ensure_ascii=False, **options)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, ensure_ascii=True, **options)
    return text


def ordered_json_bytes(value: Any, indent: int | None) -> bytes:
    """``value`` as JSON in UTF-8 with its keys in their own order: indented by ``indent``, or
    compact (``separators=(",", ":")``) when ``indent`` is None: how CDK lays out a template.

    Written by orjson (floats as in "JSON text" above). orjson indents by two only, so for an
    indent of one its lines are re-indented (a JSON string never holds a raw line break, so every
    line starts with its indentation). Where orjson refuses the value, the standard library writes
    it (a lone surrogate, which node writes as an escape, escaped: :func:`_stdlib_text`).
    """
    orjson = _fast_json()
    data = None
    if orjson is not None and indent in (None, 1, 2):
        data = _orjson_dumps(orjson, value, orjson.OPT_INDENT_2 if indent else 0)
    if data is not None:
        if indent == 1:
            data = b"\n".join(
                [line[(len(line) - len(line.lstrip(b" "))) // 2 :] for line in data.split(b"\n")]
            )
        return data
    separators = (",", ":") if indent is None else None
    return _stdlib_text(value, indent=indent, separators=separators).encode("utf-8")


# ------------------------------------------------------------------ files

#: The largest single ``write(2)`` of :func:`write_file`.
WRITE_CHUNK = 64 * 1024


def write_file(path: str | os.PathLike[str], data: bytes | str, *, chunk: int | None = None) -> None:
    """Write ``data`` (a ``str``: in UTF-8, encoded before the file is opened, its line ends kept
    as they are on every platform) to ``path``, created or truncated, in ``write(2)`` calls of at
    most ``chunk`` bytes (None: :data:`WRITE_CHUNK`; ``benchmarks.write_chunks`` compares sizes).
    The file is the one ``Path.write_bytes`` makes.

    The file is opened unbuffered, so that no buffer (sized by the file system's block size, 1 MiB
    on some network file systems) joins the chunks into one larger call. Every evidence file goes
    through here because the kernel's cost of one large write into new pages of the page cache
    depends on the state of the machine: on the benchmark VM (Firecracker, Linux 6.18, ext4;
    ``python -m benchmarks.write_chunks``) the 23.6 MB ``manifest.json`` of the 2,000-resource app
    took about 6 ms in some runs and about 55 ms in others when written in one call, and writes of
    256 KiB and 1 MiB were slow in one run and fast in another; in writes of 64 KiB it took 6-8 ms
    in every run. The smaller calls cost about 1 ms more per 23.6 MB where one call is fast.
    """
    view = memoryview(data.encode("utf-8") if isinstance(data, str) else data).cast("B")
    step = WRITE_CHUNK if chunk is None else chunk
    with open(path, "wb", buffering=0) as fh:
        while view:
            view = view[fh.write(view[:step]) :]


def manifest_bytes(manifest: Manifest | Mapping[str, Any]) -> bytes:
    """The bytes of ``manifest.json``: ``manifest.dumps(manifest)`` in UTF-8 (of a model: of the
    data it was validated from)."""
    return manifest_json(manifest)[0]


def manifest_json(manifest: Manifest | Mapping[str, Any]) -> tuple[bytes, bool]:
    """:func:`manifest_bytes`, and whether orjson wrote them: then every string of the manifest is
    text UTF-8 can hold (no lone surrogate, see :func:`text_safe`). False where the standard
    library wrote them: a lone surrogate, an integer beyond 64 bits, or no orjson."""
    if isinstance(manifest, Mapping):
        value: Any = manifest
    else:
        from bio2_aspects.evidence.models import manifest_data

        value = manifest_data(manifest)
    return _pretty_json(value)


def text_safe(value: Any) -> Any:
    """``value`` with every string that holds a lone surrogate (half of a UTF-16 pair, which UTF-8
    cannot hold: a construct ID or a name made from undecodable bytes, say) written with that
    surrogate as a backslash escape (``"Bucket\\udcff"``): text every report can write and every
    JSON reader reads. Dict keys are treated alike. The same object, not a copy, where no string
    changes (the common case, which costs a walk of the value)."""
    if isinstance(value, str):
        if value.isascii():
            return value
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
        return value
    if isinstance(value, dict):
        items = [(text_safe(k), text_safe(v)) for k, v in value.items()]
        if all(k is k0 and v is v0 for (k, v), (k0, v0) in zip(items, value.items(), strict=True)):
            return value
        return dict(items)
    if isinstance(value, (list, tuple)):
        out = [text_safe(v) for v in value]
        if all(v is v0 for v, v0 in zip(out, value, strict=True)):
            return value
        return out if isinstance(value, list) else tuple(out)
    return value


def manifest_digest(manifest: Manifest | Mapping[str, Any]) -> str:
    """SHA-256 of the manifest's canonical JSON text (as ``manifest.json`` is written)."""
    return hashlib.sha256(manifest_bytes(manifest)).hexdigest()


def is_positive(item: EvidenceItem) -> bool:
    """Evidence that supports a measure: a passed rule or a backed declaration."""
    return item.result in ("pass", "declared")


def evidence_key(item: EvidenceItem) -> tuple[str, str, str, str]:
    """Identity of an evidence item across manifests: (kind, rule, stack, logical ID)."""
    return (item.kind, item.rule or "", item.stack, item.logical_id)


def measure_sort_key(measure_id: str) -> tuple[int, ...]:
    """Numeric order of measure and control IDs (5.9 before 5.10)."""
    try:
        return tuple(int(p) for p in measure_id.split("."))
    except ValueError:
        return (999,)


def rule_measures(manifest: Manifest) -> dict[str, list[str]]:
    """Per rule ID the measures it evidences: from the rules in force and from the evidence."""
    from bio2_aspects.evidence.models import evidence_rule_ids

    out: dict[str, set[str]] = {}
    for rule in manifest.rules:
        out.setdefault(rule.id, set()).update(rule.measures)
    for m in manifest.measures:
        for rule_id in evidence_rule_ids(m.evidence):
            out.setdefault(rule_id, set()).add(m.id)
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


def generated_at(manifest: Manifest) -> datetime:
    """The manifest's generation time (``audit.generated_at``: SOURCE_DATE_EPOCH or the commit
    time), never before :data:`FIXED_TIMESTAMP`. Never the clock."""
    when = datetime.strptime(manifest.audit.generated_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return max(when, FIXED_TIMESTAMP)


def audit_lines(manifest: Manifest, t: Mapping[str, str]) -> list[tuple[str, str]]:
    """(label, value) pairs of the audit metadata, for every report's header."""
    audit = manifest.audit
    commit = audit.git.commit or "-"
    if audit.git.dirty:
        commit += f" ({t['audit.dirty']})"
    cfg = audit.config
    config = f"{cfg.name}: {cfg.sha256}" if cfg else "-"
    v = audit.versions
    versions = f"{v.tool or '-'}, {v.catalog or '-'}, {v.aws_cdk_lib or '-'}"
    return [
        (t["audit.generated_at"], f"{audit.generated_at} ({audit.generated_at_source})"),
        (t["audit.commit"], commit),
        (t["audit.config"], config),
        (t["audit.versions"], versions),
    ]


def basis_of(measure: Measure, t: Mapping[str, str], lang: str) -> str:
    """What a measure's status rests on, in the output language: texts the organisation wrote
    (exclusion justification, owner's process, its own inherited basis) as written, our own
    sentences from the labels. The manifest's ``basis`` holds the English form."""
    if measure.status == "excluded" and measure.exclusion is not None:
        return measure.exclusion.justification
    basis = measure.basis or ""
    if measure.status == "inherited":
        return t["basis.inherited"] if basis.startswith("Carried by AWS") or not basis else basis
    parts = []
    owner = measure.owner
    if owner is not None and owner.process:
        parts.append(f"{owner.name}: {owner.process}")
    if measure.status != "implemented":
        unattested = [f.id for f in measure.facets if f.state in ("unattested", "overdue")]
        missing = [f for f in measure.missing_facets if f not in unattested]
        if unattested:
            parts.append(f"{t['basis.not_attested']}: {', '.join(unattested)}.")
        if missing:
            parts.append(f"{t['basis.not_covered']}: {', '.join(missing)}.")
    parts.extend(narrowed_texts(measure, t, lang))
    return " ".join(parts)


#: The messages (``bio2_aspects.messages``) that name a narrowed claim's scope; other names (OU
#: paths, regions) are shown as written.
SCOPE_MESSAGES = ("scope.ou_accounts", "scope.root_accounts", "scope.other_accounts", "scope.account")


def scope_name(name: str, lang: str) -> str:
    """A name of a narrowed claim's scope in ``lang``: the manifest keeps the English text of the
    scope messages (``accounts directly under Root``), rendered here from the templates of ``lang``;
    OU paths, regions and IDs as written."""
    if lang == "en":
        return name
    from bio2_aspects.messages import match, render, templates

    english = templates("en")
    for msg_id in SCOPE_MESSAGES:
        params = match(english[msg_id], name)
        if params is not None:
            return render({"id": msg_id, "params": params}, lang)
    return name


def narrowed_texts(measure: Measure, t: Mapping[str, str], lang: str) -> list[str]:
    """One sentence per narrowed claim of a measure: what it covers and what it does not."""
    out = []
    for n in measure.narrowed or []:
        covers = ", ".join(scope_name(c, lang) for c in n.covers)
        missing = ", ".join(scope_name(c, lang) for c in n.not_covered)
        scope = f"{t['narrowed.covers']} {covers}; {t['narrowed.not']} {missing}"
        out.append(f"{t['basis.narrowed']}: {n.claim} {scope}.")
    return out


def justification_of(control: Control, t: Mapping[str, str]) -> str:
    """A control's applicability justification in the output language (an exclusion's own text
    as written)."""
    if not control.applicable:
        return control.justification
    if control.measures:
        return t["soa.baseline"]
    return t["soa.control_evidence"] if control.technical else t["soa.no_measure"]


def control_evidence_text(control: Control, t: Mapping[str, str]) -> str:
    """A control's control-level evidence in one line: its technical part, then per source (rule or
    claim) the strength and the results (``BIO2-Config-RecordAllTypes (supporting): 4 pass``)."""
    items = control.evidence or []
    if not items:
        return ""
    per_source: dict[tuple[str, str], dict[str, int]] = {}
    for i in items:
        key = (str(i.rule or i.claim or ""), str(i.strength))
        counts = per_source.setdefault(key, {})
        result = "accepted" if i.result == "fail" and i.acknowledgement_reason else i.result
        counts[result] = counts.get(result, 0) + 1
    parts = []
    for (source, strength), counts in sorted(per_source.items()):
        accepted = f"{t['result.fail']} ({t['accepted_risk'].lower()})"
        results = ", ".join(
            f"{n} {accepted if r == 'accepted' else t['result.' + r]}" for r, n in sorted(counts.items())
        )
        parts.append(f"{source} ({t['strength.' + strength]}): {results}")
    head = f"{t['control_technical']}: {t['technical.' + control.technical]}" if control.technical else ""
    return "; ".join(p for p in [head, *parts] if p)
