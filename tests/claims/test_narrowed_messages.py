"""Narrowed claims speak Dutch: the claim's detail, the BIO2-Engine-ClaimNarrowed warning and the
uncovered-scope names (``accounts directly under Root``, ``account 123456789012``) are messages with
English and Dutch templates; the Dutch outputs hold none of their English texts."""

from __future__ import annotations

import io
import zipfile

import pytest

from bio2_aspects.evidence.common import scope_name
from bio2_aspects.evidence.exporters import ALL_FORMATS, render_files
from bio2_aspects.messages import render
from tests.claims.conftest import Evidence, mutate
from tests.claims.test_removal import CASES

NARROWING = ("scp-attached-to-one-ou", "conformance-pack-excludes-accounts")


def _text(name: str, data: bytes) -> str:
    if name.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    return data.decode("utf-8-sig")


@pytest.mark.synth
@pytest.mark.parametrize("case_id", NARROWING)
def test_a_narrowed_claim_reads_as_dutch_in_the_dutch_outputs(base_evidence: Evidence, case_id: str) -> None:
    case = next(c for c in CASES if c.id == case_id)
    new = mutate(base_evidence, case.mutation)
    manifest = new.manifest
    partial = [c for c in new.claims(case.claim) if c["result"] == "partial"]
    warnings = [
        v
        for v in manifest["violations"]
        if v["rule"] == "BIO2-Engine-ClaimNarrowed" and case.claim in v["detail"]
    ]
    assert partial and warnings
    own = manifest.get("messages") or {}
    for item in (*partial, *warnings):
        assert item["message"], item["detail"]
        assert render(item["message"], "en", own) == item["detail"]
        assert render(item["message"], "nl", own) != item["detail"]
    english = {c["detail"] for c in partial} | {v["detail"] for v in warnings}
    # the scope names we made up whose Dutch differs (OU paths and "account <id>" read the same)
    english |= {n for n in case.not_covered if scope_name(n, "nl") != n}
    assert case_id != "scp-attached-to-one-ou" or "accounts directly under Root" in english
    dutch = {render(v["message"], "nl", own) for v in warnings}
    files = render_files(manifest, ALL_FORMATS, "nl")
    found = {name: sorted(e for e in english if e in _text(name, data)) for name, data in files.items()}
    assert not {k: v for k, v in found.items() if v}, found
    everything = "\n".join(_text(n, d) for n, d in files.items())
    assert any(d in everything for d in dutch), "the Dutch warning detail is in the outputs"
    register = _text("control-register.csv", files["control-register.csv"])
    assert f"Beperkt: {case.claim} dekt" in register
