"""``hld.md``: one section per landing-zone component, with resources and measures."""

from __future__ import annotations

import re
from typing import Any

from bio2_aspects.evidence.hld import collect_components, md_cell, render_hld


def test_sections_per_component(manifest: dict[str, Any]) -> None:
    text = render_hld(manifest)
    headings = re.findall(r"^### \d+\. (.+)$", text, flags=re.MULTILINE)
    assert headings == [
        "Organization and guardrails",
        "Account baseline",
        "Identity and access",
        "Logging",
        "Security monitoring",
        "Network",
        "Backup",
        "Key management",
        "Other resources",
    ]
    assert text.startswith("# High-level design: BIO2 landing zone \u2013 Gemeente Voorbeeld\n")
    for tp in manifest["templates"]:
        assert f"`{tp['stack']}`" in text


def test_resources_and_measures_per_component(manifest: dict[str, Any]) -> None:
    facts = collect_components(manifest)
    assert facts["network"].types == {
        "AWS::EC2::VPC": 2,
        "AWS::EC2::TransitGateway": 1,
        "AWS::NetworkFirewall::Firewall": 1,
        "AWS::EC2::SecurityGroup": 1,
    }
    # Verified measures come from the resources, declared ones from the evidence.
    assert set(facts["organization"].measures) == {"5.16.02", "8.03.01", "8.18.01"}
    assert dict(facts["organization"].measures["8.03.01"]) == {
        "preventive": {("lz-management-eu-central-1", "OrgRegionScp4D5E6F")}
    }
    assert "8.15.05" in facts["logging"].measures
    assert set(facts["logging"].measures["8.15.05"]) == {"verified", "detective"}
    assert [v.rule for v in facts["network"].open_violations] == ["BIO2-EC2-VpcFlowLogs"]
    assert [v.rule for v in facts["network"].accepted] == ["BIO2-EC2-SgNoPublicAdminPorts"]
    assert sum(sum(f.types.values()) for f in facts.values()) == len(manifest["resources"])


def test_markdown_tables_are_well_formed(manifest: dict[str, Any]) -> None:
    text = render_hld(manifest)
    for block in re.split(r"\n\n", text):
        lines = block.splitlines()
        if lines and lines[0].startswith("| "):
            widths = {line.count(" | ") for line in lines if not line.startswith("|---")}
            assert len(widths) == 1, block
    # Text from the manifest cannot break a table or inject HTML.
    assert "<script>" not in text and "</b>" not in text
    assert md_cell("a|b\nc <x>") == "a\\|b c &lt;x&gt;"


def test_dutch(manifest: dict[str, Any]) -> None:
    text = render_hld(manifest, "nl")
    assert "### 1. Organisatie en vangrails" in text
    assert "## Uitrol" in text
    assert "Stel beveiligingsbeleid" not in text or "Bestuur stelt beveiligingsbeleid" in text


def test_empty_landing_zone(manifest: dict[str, Any]) -> None:
    manifest["resources"] = []
    manifest["violations"] = []
    for m in manifest["measures"]:
        m["evidence"] = []
    text = render_hld(manifest)
    assert "### " not in text
    assert "## Coverage of the baseline" in text
