"""``bio2 diff OLD NEW``: what changed between two manifests, and whether it is a regression.

Per measure: the status change, the evidence gained and lost, and the accepted risks gained
and lost. Evidence is compared by its identity (kind, rule, stack, logical ID) and only
supporting evidence counts (a passed rule or a backed declaration): a rule that passed and now
fails is evidence lost. Status order: implemented = inherited > awaiting_attestation >
partially_implemented > unattested > gap; a change to or from ``excluded`` is reported as a
change, neither better nor worse. Control (Statement of Applicability) changes are reported too.

Run-time evidence (``bio2 collect``) is compared apart from the design-time evidence: an
observation that is NON_COMPLIANT in NEW and was not in OLD (same monitor, account, region and
resource) "turned red", which is a regression too, even where the measure's status was already as
low as it goes; one that was red and is no longer "turned green". Compliant observations that
come and go (an account left, a rule became not applicable) are neither gained nor lost evidence.

A diff is a **regression** when any measure lost evidence, got a worse status or turned red;
the CLI then exits 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bio2_aspects.evidence.common import STATUS_RANK, evidence_key, is_positive, measure_sort_key
from bio2_aspects.evidence.i18n import labels
from bio2_aspects.evidence.models import Manifest, Measure, as_manifest

EvidenceKey = tuple[str, str, str, str]
RiskKey = tuple[str, str, str]


def direction(old: str | None, new: str | None) -> str:
    """``better``, ``worse``, ``changed`` (to/from excluded, or unknown) or ``same``."""
    if old == new:
        return "same"
    if old in STATUS_RANK and new in STATUS_RANK:
        if STATUS_RANK[new] == STATUS_RANK[old]:
            return "changed"
        return "better" if STATUS_RANK[new] > STATUS_RANK[old] else "worse"
    return "changed"


@dataclass
class MeasureDiff:
    """The changes of one measure."""

    id: str
    old_status: str | None
    new_status: str | None
    evidence_gained: list[EvidenceKey] = field(default_factory=list)
    evidence_lost: list[EvidenceKey] = field(default_factory=list)
    risks_gained: list[dict[str, Any]] = field(default_factory=list)
    risks_lost: list[dict[str, Any]] = field(default_factory=list)
    turned_red: list[dict[str, Any]] = field(default_factory=list)
    turned_green: list[dict[str, Any]] = field(default_factory=list)

    @property
    def direction(self) -> str:
        return direction(self.old_status, self.new_status)

    @property
    def regression(self) -> bool:
        return bool(self.evidence_lost) or self.direction == "worse" or bool(self.turned_red)

    @property
    def changed(self) -> bool:
        return bool(
            self.direction != "same"
            or self.evidence_gained
            or self.evidence_lost
            or self.risks_gained
            or self.risks_lost
            or self.turned_red
            or self.turned_green
        )

    def to_json(self) -> dict[str, Any]:
        def ev(keys: list[EvidenceKey]) -> list[dict[str, str | None]]:
            return [{"kind": k, "rule": r or None, "stack": s, "logical_id": lid} for k, r, s, lid in keys]

        return {
            "id": self.id,
            "old_status": self.old_status,
            "new_status": self.new_status,
            "direction": self.direction,
            "regression": self.regression,
            "evidence_gained": ev(self.evidence_gained),
            "evidence_lost": ev(self.evidence_lost),
            "accepted_risks_gained": self.risks_gained,
            "accepted_risks_lost": self.risks_lost,
            "turned_red": self.turned_red,
            "turned_green": self.turned_green,
        }


@dataclass
class ManifestDiff:
    """Everything that changed between two manifests."""

    measures: list[MeasureDiff]
    controls: list[tuple[str, str | None, str | None]]
    added: list[str]
    removed: list[str]

    @property
    def regression(self) -> bool:
        return any(m.regression for m in self.measures)

    @property
    def exit_code(self) -> int:
        return 1 if self.regression else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "regression": self.regression,
            "measures": [m.to_json() for m in self.measures],
            "controls": [
                {"id": cid, "old_status": o, "new_status": n, "direction": direction(o, n)}
                for cid, o, n in self.controls
            ],
            "measures_added": self.added,
            "measures_removed": self.removed,
        }


def _evidence(measure: Measure) -> set[EvidenceKey]:
    return {evidence_key(i) for i in measure.evidence if is_positive(i) and i.kind != "runtime"}


def _risks(measure: Measure) -> dict[RiskKey, dict[str, Any]]:
    return {
        (r.rule, r.stack, r.logical_id): {
            "rule": r.rule,
            "stack": r.stack,
            "logical_id": r.logical_id,
            "reason": r.reason,
        }
        for r in measure.accepted_risks
    }


def _red(measure: Measure) -> dict[tuple[str, ...], dict[str, Any]]:
    """The measure's NON_COMPLIANT run-time observations by (monitor, account, region, resource)."""
    return {
        (str(i.rule), str(i.account), str(i.region), i.logical_id): {
            "monitor": i.rule,
            "account": i.account,
            "region": i.region,
            "resource": i.logical_id,
            "observed_at": i.observed_at,
            "since": i.first_observed,
        }
        for i in measure.evidence
        if i.kind == "runtime" and i.result == "fail"
    }


def diff_manifests(old: Manifest | Mapping[str, Any], new: Manifest | Mapping[str, Any]) -> ManifestDiff:
    """Compare two manifests measure by measure."""
    old, new = as_manifest(old), as_manifest(new)
    old_m = {m.id: m for m in old.measures}
    new_m = {m.id: m for m in new.measures}
    out: list[MeasureDiff] = []
    for mid in sorted(set(old_m) & set(new_m), key=measure_sort_key):
        a, b = old_m[mid], new_m[mid]
        ea, eb = _evidence(a), _evidence(b)
        ra, rb = _risks(a), _risks(b)
        d = MeasureDiff(
            id=mid,
            old_status=a.status,
            new_status=b.status,
            evidence_gained=sorted(eb - ea),
            evidence_lost=sorted(ea - eb),
            risks_gained=[rb[k] for k in sorted(set(rb) - set(ra))],
            risks_lost=[ra[k] for k in sorted(set(ra) - set(rb))],
        )
        red_a, red_b = _red(a), _red(b)
        d.turned_red = [red_b[k] for k in sorted(set(red_b) - set(red_a))]
        d.turned_green = [red_a[k] for k in sorted(set(red_a) - set(red_b))]
        if d.changed:
            out.append(d)
    old_c = {c.id: c.status for c in old.controls}
    new_c = {c.id: c.status for c in new.controls}
    controls = [
        (cid, old_c.get(cid), new_c.get(cid))
        for cid in sorted(set(old_c) | set(new_c), key=measure_sort_key)
        if old_c.get(cid) != new_c.get(cid)
    ]
    return ManifestDiff(
        measures=out,
        controls=controls,
        added=sorted(set(new_m) - set(old_m), key=measure_sort_key),
        removed=sorted(set(old_m) - set(new_m), key=measure_sort_key),
    )


def render_diff_text(
    diff: ManifestDiff, lang: str = "en", old_name: str = "OLD", new_name: str = "NEW"
) -> str:
    """The diff as Markdown text (fit for a terminal or a pull-request comment)."""
    t = labels(lang)

    def st(status: str | None) -> str:
        return t.get(status or "", "-") if status else "-"

    def ev(key: EvidenceKey) -> str:
        kind, rule, stack, lid = key
        return f"{t.get(kind, kind)} {rule + ' ' if rule else ''}`{stack}/{lid}`"

    lines = [f"# {t['diff.title']}", "", f"`{old_name}` \u2192 `{new_name}`", ""]
    changed = [m for m in diff.measures if m.direction != "same"]
    lines += [f"## {t['diff.status_changes']} ({len(changed)})", ""]
    lines += [
        f"- {m.id}: {st(m.old_status)} \u2192 {st(m.new_status)} ({t['diff.' + m.direction]})"
        for m in changed
    ] or [t["none"]]

    def block(title: str, attr: str, fmt: Any) -> None:
        rows = [(m.id, getattr(m, attr)) for m in diff.measures if getattr(m, attr)]
        lines.extend(["", f"## {title} ({sum(len(x) for _, x in rows)})", ""])
        if not rows:
            lines.append(t["none"])
        for mid, items in rows:
            lines.extend(f"- {mid}: {fmt(i)}" for i in items)

    def red(r: dict[str, Any]) -> str:
        where = f"{r['monitor']} {r['account']}/{r['region']} `{r['resource']}`"
        return f"{where} ({r['observed_at']}; {t['runtime.non_compliant_since']} {r['since']})"

    # run-time sections only when there is something to say (design-time diffs look as before)
    for key in ("turned_red", "turned_green"):
        if any(getattr(m, key) for m in diff.measures):
            block(t[f"diff.{key}"], key, red)
    block(t["diff.evidence_lost"], "evidence_lost", ev)
    block(t["diff.evidence_gained"], "evidence_gained", ev)

    def risk(r: dict[str, Any]) -> str:
        return f"{r['rule']} `{r['stack']}/{r['logical_id']}`: {r.get('reason') or ''}"

    block(t["diff.risks_gained"], "risks_gained", risk)
    block(t["diff.risks_lost"], "risks_lost", risk)
    if diff.controls:
        lines += ["", f"## {t['diff.controls']} ({len(diff.controls)})", ""]
        lines += [
            f"- {cid}: {st(o)} \u2192 {st(n)} ({t['diff.' + direction(o, n)]})" for cid, o, n in diff.controls
        ]
    if diff.added or diff.removed:
        lines += ["", f"## {t['diff.catalog']}", ""]
        if diff.added:
            lines.append(f"- {t['diff.added']}: {', '.join(diff.added)}")
        if diff.removed:
            lines.append(f"- {t['diff.removed']}: {', '.join(diff.removed)}")
    lines += ["", f"**{t['diff.regression'] if diff.regression else t['diff.no_regression']}**"]
    return "\n".join(lines) + "\n"
