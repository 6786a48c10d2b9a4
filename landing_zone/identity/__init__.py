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
    from landing_zone.config import LandingZoneConfig
    from landing_zone.core.contracts import IdentityOutputs, Placement, SecurityOutputs


def build(config: LandingZoneConfig, placement: Placement, *, security: SecurityOutputs) -> IdentityOutputs:
    """Add the identity resources to the landing zone.

    Needs the member baseline's home-region condition of the security component
    (``security.baseline_home_region``): IAM resources exist in the home region only, and one
    condition serves the whole baseline.
    """
    from landing_zone.identity._build import build_identity

    return build_identity(config, placement, security=security)
