"""Deploying the landing zone: the platform's own CDK bootstrap and the CDK Pipelines pipeline.

- :mod:`landing_zone.pipeline.bootstrap`: the bootstrap template (a CDK stack of our own, qualifier
  ``lzbio2``, exact role names from :mod:`landing_zone.naming`), the synthesizer every landing-zone
  stack uses, and the ``cdk bootstrap`` commands per account and region.
- ``python -m landing_zone.pipeline bootstrap [--dry-run] [--config PATH]`` (docs/deploy.md).

This package imports no ``aws_cdk.pipelines`` at import time (the landing zone's stacks import the
synthesizer from here).
"""

from __future__ import annotations

from landing_zone.config import LandingZoneConfig


def deployment_account(config: LandingZoneConfig):
    """The account that deploys the landing zone: ``deployment.account``, else the management account."""
    name = config.deployment.account
    for account in config.organization.accounts:
        if (name is not None and account.name == name) or (name is None and account.role == "management"):
            return account
    raise ValueError(f"no deployment account {name or '(management)'} in organization.accounts")
