"""Dutch outputs are Dutch: our own texts (labels, rule findings and fixes, the sentences behind a
status, the SoA justifications) come from per-language data with the same keys, and no English
text of ours appears in a Dutch output. Texts the organisation wrote are shown as written."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from bio2_aspects.claims import CLAIM_FAILED_RULE, CLAIM_NARROWED_RULE
from bio2_aspects.evidence.exporters import ALL_FORMATS, render_files
from bio2_aspects.evidence.i18n import LABELS, locale_table
from bio2_aspects.evidence.manifest import EXPIRED_ACCEPTANCE_RULE, EXPIRED_EXCLUSION_RULE
from bio2_aspects.rules import ALL_RULES, RULES_IN_FORCE

ENGINE_RULES = {
    "BIO2-Engine-TagMismatch",
    EXPIRED_ACCEPTANCE_RULE,
    EXPIRED_EXCLUSION_RULE,
    CLAIM_FAILED_RULE,
    CLAIM_NARROWED_RULE,
}
#: English label values that are the same word in Dutch usage or a technical name
SAME_IN_BOTH = {"Status", "Template", "Templates", "Stack", "Resources", "Resource type"}


def test_labels_have_the_same_keys_in_both_languages() -> None:
    assert set(LABELS["en"]) == set(LABELS["nl"])
    assert all(v.strip() for lang in LABELS for v in LABELS[lang].values())


def test_every_rule_has_a_dutch_finding_and_fix() -> None:
    nl = locale_table("nl", "rules")
    rule_ids = {r.id for r in RULES_IN_FORCE} | ENGINE_RULES
    assert set(nl) == rule_ids, (sorted(rule_ids - set(nl)), sorted(set(nl) - rule_ids))
    english = {r.id: r for r in RULES_IN_FORCE}
    for rid, texts in nl.items():
        assert set(texts) == {"finding", "fix"}, rid
        assert texts["finding"].strip() and texts["fix"].strip(), rid
        if rid in english:
            assert texts["finding"] != english[rid].finding and texts["fix"] != english[rid].fix, rid


def _english_texts(manifest: dict[str, Any]) -> set[str]:
    """Our English texts: rule findings and fixes (the rules' and the manifest's), label phrases."""
    texts = {t for r in ALL_RULES for t in (r.finding, r.fix)}
    ours = set(locale_table("nl", "rules"))  # a rule an app brings itself keeps its own texts
    texts |= {
        r[k]
        for r in (*manifest["rules"], *manifest["violations"])
        for k in ("finding", "fix")
        if r[k] and r.get("id", r.get("rule")) in ours
    }
    for key, value in LABELS["en"].items():
        # phrases only: single words double as identifiers in the data (themes, responsibilities)
        if value != LABELS["nl"][key] and value not in SAME_IN_BOTH and " " in value and len(value) >= 14:
            texts.add(value)
    return texts


def _text_of(name: str, data: bytes) -> str:
    if name.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    return data.decode("utf-8-sig")


def test_dutch_outputs_hold_no_english_text_of_ours(manifest_nl: dict[str, Any]) -> None:
    english = _english_texts(manifest_nl)
    found: dict[str, list[str]] = {}
    for name, data in sorted(render_files(manifest_nl, ALL_FORMATS, "nl").items()):
        text = _text_of(name, data)
        hits = sorted(e for e in english if e in text)
        if hits:
            found[name] = hits
    assert not found, found


def test_user_written_texts_are_shown_as_written(manifest_nl: dict[str, Any]) -> None:
    files = render_files(manifest_nl, ["csv"], "nl")
    register = files["control-register.csv"].decode("utf-8-sig")
    exclusion = next(m["exclusion"]["justification"] for m in manifest_nl["measures"] if m["exclusion"])
    assert exclusion in register
    assert "Gedragen door AWS" in register  # the default inherited basis is ours: translated


def test_the_scan_catches_an_untranslated_rule(manifest_nl: dict[str, Any], monkeypatch: Any) -> None:
    from bio2_aspects.evidence import i18n

    monkeypatch.setattr(i18n, "locale_table", lambda lang, name: {})
    english = _english_texts(manifest_nl)
    text = _text_of(
        "control-register.xlsx", render_files(manifest_nl, ["xlsx"], "nl")["control-register.xlsx"]
    )
    assert any(e in text for e in english)
