"""Messages: every independent problem in one round, no knock-on problems, nothing that points at our code."""

from __future__ import annotations

import pytest

from landing_zone.config import DEFAULT_CONFIG_PATH, ConfigError, load_config_text

EXAMPLE = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")


def _problems(text: str) -> list:
    with pytest.raises(ConfigError) as caught:
        load_config_text(text, "lz.yaml")
    return caught.value.problems


def test_a_home_region_missing_from_the_allowed_regions_is_one_problem() -> None:
    text = EXAMPLE.replace("    - eu-central-1\n    - eu-west-1  ", "    - eu-west-3\n    - eu-west-1  ")
    assert text != EXAMPLE
    problems = _problems(text)
    assert [p.path for p in problems] == ["regions.home"], problems
    fixed = text.replace("    - eu-west-3\n", "    - eu-west-3\n    - eu-central-1\n")
    load_config_text(fixed)


def test_a_region_typo_does_not_hide_the_network_problems() -> None:
    text = (
        EXAMPLE.replace(
            "    - eu-west-1                 # Ireland", "    - eu-wset-1                 # Ireland"
        )
        .replace("      cidr: 10.18.0.0/20", "      cidr: 10.17.0.0/20")
        .replace("      protocol: tcp\n      ports: [443]", "      protocol: tcp\n      ports: []")
    )
    paths = [p.path for p in _problems(text)]
    assert paths == [
        "regions.allowed[1]",
        "network.vpcs[name=app-nonprod].cidr",
        "network.firewall_rules[0].ports",
    ], paths


def test_a_region_typo_fix_never_asks_to_edit_our_source() -> None:
    (problem,) = _problems(
        EXAMPLE.replace("  home: eu-central-1 ", "  home: eu-centrl-1 ").replace(
            "    - eu-central-1\n    - eu-west-1  ", "    - eu-centrl-1\n    - eu-west-1  "
        )
    )[:1]
    assert "did you mean 'eu-central-1'?" in problem.fix
    assert "KNOWN_REGIONS" not in problem.fix and ".py" not in problem.fix


def test_a_dedented_block_is_told_to_indent_not_to_delete() -> None:
    start = EXAMPLE.index("\n  siem:") + 1
    end = EXAMPLE.index("\n\n", start) + 1
    block = EXAMPLE[start:end]
    text = EXAMPLE.replace(block, "".join(line[2:] + "\n" for line in block.splitlines()))
    (problem,) = _problems(text)
    assert problem.path == "siem"
    assert "indent 'siem'" in problem.fix and "logging.siem" in problem.fix
    assert "remove it" not in problem.fix


def test_problems_name_list_items_by_their_name_in_messages_too() -> None:
    (problem,) = _problems(EXAMPLE.replace("      cidr: 10.18.0.0/20", "      cidr: 10.17.0.0/20"))
    assert problem.path == "network.vpcs[name=app-nonprod].cidr"
    assert "network.vpcs[name=app-prod]" in problem.message
