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
from bio2_aspects.messages import placeholders, render, templates
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


def _message_texts(manifest: dict[str, Any]) -> set[str]:
    """The English text of every per-resource message in the manifest (rule and claim details,
    engine findings) whose Dutch text differs: none of them may appear in a Dutch output."""
    items = [
        *manifest["violations"],
        *(manifest.get("claims") or []),
        *(i for m in manifest["measures"] for i in m["evidence"]),
        *(v for r in manifest["resources"] for v in r["violations"]),
    ]
    own = {k: dict(v) for k, v in (manifest.get("messages") or {}).items()}
    return {
        i["detail"]
        for i in items
        if i.get("message") and render(i["message"], "nl", own) != i["detail"] and len(i["detail"]) >= 14
    }


def _english_texts(manifest: dict[str, Any]) -> set[str]:
    """Our English texts: rule findings and fixes (the rules' and the manifest's), label phrases,
    and the per-resource messages."""
    texts = {t for r in ALL_RULES for t in (r.finding, r.fix)}
    texts |= _message_texts(manifest)
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


#: Message templates whose Dutch reads the same (a property name and its value, or an ID and a text).
SAME_TEMPLATES = {
    "{check}: {why}",
    "{findings_list}",
    "claim {claim} ({measures}): {detail}",
    "Enable is {value}",
    "State is {value}",
    "ServiceEnabled is {value}",
    "VersioningConfiguration.Status is {status}",
    "{where} is AdministratorAccess",
    "{where}.ObjectLockEnabled is {value}",
    "{where} is {value}",
    "{policy}: {note}",
    "account {account}",
}


def test_messages_have_the_same_ids_and_placeholders_in_both_languages() -> None:
    en, nl = templates("en"), templates("nl")
    assert en and set(en) == set(nl), (sorted(set(en) - set(nl)), sorted(set(nl) - set(en)))
    for key in en:
        assert placeholders(en[key]) == placeholders(nl[key]), key
        assert nl[key].strip(), key
        if en[key] == nl[key]:
            assert en[key] in SAME_TEMPLATES, key


def _message_ids_in_code() -> set[tuple[str, str]]:
    """(file, message ID) of every ``msg("id", ...)`` in the engine's code."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "bio2_aspects"
    out = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "msg"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                out.add((path.name, str(node.args[0].value)))
    return out


def test_every_message_in_the_code_has_templates() -> None:
    used = _message_ids_in_code()
    assert len(used) > 50
    missing = sorted((f, i) for f, i in used if i not in templates("en") or i not in templates("nl"))
    assert not missing, missing
    unused = sorted(set(templates("en")) - {i for _f, i in used})
    assert not unused, f"templates no code uses: {unused}"


def test_the_scan_catches_an_untranslated_detail(manifest_nl: dict[str, Any]) -> None:
    """The fixture's failures carry messages; rendered without their Dutch templates, the English
    detail shows in the Dutch outputs, and the scan finds it."""
    from bio2_aspects import messages

    english = _message_texts(manifest_nl)
    assert english, "the fixture has translated per-resource details"
    text = _text_of("summary.md", render_files(manifest_nl, ["md"], "nl")["summary.md"])
    assert not any(e in text for e in english)
    real = messages.templates

    def english_only(lang: str) -> dict[str, str]:
        return real("en")

    try:
        messages.templates = english_only  # type: ignore[assignment]
        text = _text_of("summary.md", render_files(manifest_nl, ["md"], "nl")["summary.md"])
    finally:
        messages.templates = real  # type: ignore[assignment]
    assert any(e in text for e in english)


def test_no_rule_or_claim_check_returns_a_plain_english_detail() -> None:
    """An AST scan: a rule's ``return Result.X, "..."`` and a claim check's ``return False, "..."``
    give a message (``msg(...)``), never a literal or f-string, so every detail has its Dutch text."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "bio2_aspects"
    found = []
    for path in [*sorted((root / "rules").glob("*.py")), root / "claims" / "checks.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple)):
                continue
            elts = node.value.elts
            if len(elts) != 2:
                continue
            first, detail = elts
            # NOT_APPLICABLE details never reach the manifest
            is_result = ast.unparse(first) in ("Result.COMPLIANT", "Result.NON_COMPLIANT")
            is_failed_check = (
                path.name == "checks.py" and isinstance(first, ast.Constant) and first.value is False
            )
            literal = isinstance(detail, ast.JoinedStr) or (
                isinstance(detail, ast.Constant) and isinstance(detail.value, str) and detail.value
            )
            if (is_result or is_failed_check) and literal:
                found.append(f"{path.name}:{node.lineno}: {ast.unparse(detail)[:80]}")
    assert not found, "\n".join(found)


def test_narrowed_claims_name_their_scope_in_messages() -> None:
    """An AST scan of the claim checks: a ``Narrowed(...)`` gives its detail and the scope names it
    makes up (``accounts directly under Root``) as messages; OU paths and regions come from the
    template as data, never as an English literal or f-string of ours."""
    import ast
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bio2_aspects" / "claims" / "checks.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Narrowed"
        ):
            continue
        for kw in node.keywords:
            if any(_english_literal(sub) for sub in _outside_messages(kw.value)):
                found.append(f"checks.py:{node.lineno}: {kw.arg}={ast.unparse(kw.value)[:80]}")
    assert not found, "\n".join(found)


def _outside_messages(node: Any) -> Any:
    """The AST nodes under ``node`` that are not inside a ``msg(...)`` call (whose arguments are
    parameters: names, separators)."""
    import ast

    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "msg":
        return
    yield node
    for child in ast.iter_child_nodes(node):
        yield from _outside_messages(child)


def _english_literal(node: Any) -> bool:
    import ast

    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value
    )
