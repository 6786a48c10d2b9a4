"""The root model of ``landing-zone.yaml``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from landing_zone.config.base import ConfigModel
from landing_zone.config.sections.backup import BackupSection
from landing_zone.config.sections.bio2 import Bio2Section
from landing_zone.config.sections.classification import ClassificationSection
from landing_zone.config.sections.decisions import ScopeDecision
from landing_zone.config.sections.deployment import DeploymentSection
from landing_zone.config.sections.identity import IdentitySection
from landing_zone.config.sections.logging import LoggingSection
from landing_zone.config.sections.network import NetworkSection
from landing_zone.config.sections.organization import OrganizationSection
from landing_zone.config.sections.regions import RegionsSection
from landing_zone.config.sections.security import SecuritySection


class LandingZoneConfig(ConfigModel):
    """The whole landing zone: one organization, described in one file."""

    version: Literal[1] = Field(description="Version of this file format; always `1`.")
    organization: OrganizationSection = Field(description="OUs and accounts of the AWS Organization.")
    regions: RegionsSection = Field(default=RegionsSection(), description="Home and allowed regions.")
    identity: IdentitySection = Field(default=IdentitySection(), description="Workforce sign-in.")
    logging: LoggingSection = Field(
        default=LoggingSection(), description="Organization trail and log archive."
    )
    security: SecuritySection = Field(
        default=SecuritySection(), description="Security monitoring, findings and alerts."
    )
    network: NetworkSection = Field(
        default=NetworkSection(), description="VPCs, on-premises ranges and egress."
    )
    backup: BackupSection = Field(default=BackupSection(), description="Backup tiers per availability level.")
    classification: ClassificationSection = Field(
        default=ClassificationSection(), description="BIV ratings per OU and account."
    )
    bio2: Bio2Section = Field(default=Bio2Section(), description="BIO2 owners and scope decisions.")
    scope_decisions: tuple[ScopeDecision, ...] = Field(
        default=(),
        description=(
            "Named, explicit opt-ins for a set-up that the whole-model checks would otherwise refuse as "
            "weaker than its parts suggest; each is recorded in the BIO2 manifest with the measures it "
            "affects."
        ),
    )

    def scope_decision(self, name: str) -> ScopeDecision | None:
        """The recorded opt-in ``name`` (:mod:`landing_zone.config.sections.decisions`), or None."""
        return next((decision for decision in self.scope_decisions if decision.name == name), None)

    deployment: DeploymentSection = Field(
        default=DeploymentSection(), description="Deployment account, pipeline, Control Tower coexistence."
    )

    @property
    def organisation_name(self) -> str:
        """Name for BIO2 reports: ``bio2.organisation_name``, else ``organization.name``."""
        return self.bio2.organisation_name or self.organization.name
