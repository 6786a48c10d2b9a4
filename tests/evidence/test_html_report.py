"""``report.html`` without a browser: self-contained, escaped, data block intact."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

from bio2_aspects.evidence.html_report import build_view, json_for_script, render_html


def _data_block(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="bio2-data">(.*?)</script>', html, flags=re.DOTALL)
    assert match, "no data block"
    return json.loads(match.group(1))


def test_self_contained(manifest: dict[str, Any]) -> None:
    html = render_html(manifest)
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    # No external resource of any kind: no URL schemes, no src/href leaving the page.
    assert not re.search(r"(?:src|href)\s*=\s*[\"'](?!#)", html)
    # a URL may appear as text (an attestation's document reference), never outside the data block
    start, end = html.index('id="bio2-data"'), html.index("</script>", html.index('id="bio2-data"'))
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", html[:start] + html[end:])
    assert "Content-Security-Policy" in html and "default-src 'none'" in unescape(html)
    assert "@import" not in html and "url(" not in html


def test_data_block_round_trips(manifest: dict[str, Any]) -> None:
    html = render_html(manifest)
    data = _data_block(html)
    assert data == json.loads(json.dumps(build_view(manifest, "en")))
    assert len(data["measures"]) == 117 and len(data["controls"]) == 93


def test_script_end_tags_in_data_cannot_break_out(manifest: dict[str, Any]) -> None:
    manifest["organisation"] = "Gemeente </script><script>alert(1)</script> & <b>Co</b>"
    html = render_html(manifest)
    # Exactly the page's own two scripts end, nothing from the data.
    assert html.count("</script>") == 2
    assert "<script>alert(1)" not in html
    assert "Gemeente &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;" in html
    data = _data_block(html)
    hostile = [r for m in data["measures"] for r in m["risks"] if "window.__bio2_xss" in r["reason"]]
    assert hostile, "the hostile reason is in the data, escaped as JSON"
    assert json_for_script("</script><!--\u2028") == '"\\u003c/script\\u003e\\u003c!--\\u2028"'


def test_header_has_hashes(manifest: dict[str, Any]) -> None:
    html = render_html(manifest, digest="ab" * 32)
    assert "ab" * 32 in html
    for tp in manifest["templates"]:
        assert tp["sha256"] in html


def test_view_is_compact(make_manifest: Any) -> None:
    big = make_manifest(scale=50)
    view = build_view(big, "en")
    refs = {e[3] for m in view["measures"] for e in m["ev"]}
    assert refs == set(range(len(view["resources"]))), "each resource listed once and referenced by index"


def test_dutch(manifest: dict[str, Any]) -> None:
    html = render_html(manifest, "nl")
    assert '<html lang="nl">' in html and "BIO2-nalevingsrapport" in html
    data = _data_block(html)
    assert data["labels"]["gap"] == "tekortkoming"
    assert data["measures"][0]["summary"] == manifest["measures"][0]["summary_nl"]
