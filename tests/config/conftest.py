"""Shared fixtures of the configuration tests."""

from __future__ import annotations

import pytest

_MINIMAL = """\
version: 1
organization:
  name: Gemeente Klein
  ous: [{name: Security}, {name: Infrastructure}]
  accounts:
    - {name: management, id: "111111111111", email: a@klein.example, ou: Root, role: management}
    - {name: log-archive, id: "222222222222", email: b@klein.example, ou: Security, role: log-archive}
    - {name: security, id: "333333333333", email: c@klein.example, ou: Security, role: security}
    - {name: network, id: "444444444444", email: d@klein.example, ou: Infrastructure, role: network}
"""


@pytest.fixture
def minimal_yaml() -> str:
    """The smallest valid landing-zone.yaml: the four required accounts, everything else default."""
    return _MINIMAL
