"""The default landing zone synthesizes; every stack lands in the account and region it belongs to."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.synth


def test_default_landing_zone_synthesizes_every_stack(default_synth):
    names = set(default_synth.templates)
    for expected in (
        "lz-management-eu-central-1",
        "lz-log-archive-eu-central-1",
        "lz-security-eu-central-1",
        "lz-security-eu-west-1",
        "lz-network-eu-central-1",
        "lz-network-eu-west-1",
        "lz-member-baseline",
    ):
        assert expected in names, sorted(names)


def test_stacks_are_bound_to_their_account_and_region(default_synth):
    accounts = {t["stack"]: (t["account"], t["region"]) for t in default_synth.manifest["templates"]}
    assert accounts["lz-log-archive-eu-central-1"] == ("222222222222", "eu-central-1")
    assert accounts["lz-network-eu-west-1"] == ("444444444444", "eu-west-1")
    # the member baseline is environment-agnostic: the StackSet deploys it everywhere
    assert accounts["lz-member-baseline"] == (None, None)
