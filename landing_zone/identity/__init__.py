"""identity component: human access through the organisation's identity provider, least privilege.

What it builds (see docs/identity.md and docs/break-glass.md):

- management stack: IAM Identity Center permission sets and account assignments (when
  ``identity.identity_center_instance_arn`` is set), the break-glass role of the management
  account, the alert forwarder role, the break-glass and Identity Center change alerts, and the
  workload permissions boundary;
- member baseline (every member account): the break-glass role and the boundary (home region
  only: IAM is global), the forwarder role, the break-glass alert (every region), and the optional
  direct SAML federation;
- security stacks (every allowed region): the KMS-encrypted topic that receives the alerts.

Modules import the CDK lazily, so the configuration can use :mod:`.policies` and :mod:`.names`
without starting the jsii runtime.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from landing_zone.stacks import LandingZone


def build(lz: LandingZone) -> None:
    """Add the identity resources to the landing zone."""
    from landing_zone.identity._build import build_identity

    build_identity(lz)
