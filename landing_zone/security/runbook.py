"""One-time set-up that CloudFormation cannot express: trusted access and delegated administrators.

AWS offers no CloudFormation resource to enable trusted access for a service in AWS Organizations,
to register a delegated administrator for AWS Config, IAM Access Analyzer, GuardDuty, Inspector
or Macie, to associate existing GuardDuty and Macie accounts as members, or to enable Inspector at
all. (Security Hub is the exception: ``AWS::SecurityHub::DelegatedAdmin`` in the management
stack.) The platform team runs the management account's commands once before the first deploy
and the security account's after the security stack and the member baseline exist (``--phase``,
docs/deploy.md); a new region needs its regional commands again.

Print them for a configuration::

    python -m landing_zone.security.runbook [landing-zone.yaml]
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from landing_zone import naming
from landing_zone.config import LandingZoneConfig, load_config

#: API limits per call.
GUARDDUTY_MEMBERS_PER_CALL = 50


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@dataclass(frozen=True)
class Step:
    account: str  # the account the command runs in ("management" or "security")
    region: str | None  # None: global (AWS Organizations)
    command: str
    why: str


def trusted_services(config: LandingZoneConfig) -> list[str]:
    """Service principals that need trusted access in AWS Organizations."""
    security = config.security
    services = ["config-multiaccountsetup.amazonaws.com", "config.amazonaws.com"]
    if security.inspector.enabled:
        services.append("inspector2.amazonaws.com")
    if security.access_analyzer:
        services.append("access-analyzer.amazonaws.com")
    if security.guardduty.enabled:
        services += ["guardduty.amazonaws.com", "malware-protection.guardduty.amazonaws.com"]
    if security.security_hub.enabled:
        services.append("securityhub.amazonaws.com")
    if security.macie:
        services.append("macie.amazonaws.com")
    return sorted(services)


def steps(config: LandingZoneConfig) -> list[Step]:
    """Every command, in the order to run them."""
    security = config.security
    security_id = naming.security_account_id(config)
    regions = sorted(config.regions.allowed, key=lambda r: (r != config.regions.home, r))
    out: list[Step] = []
    for service in trusted_services(config):
        out.append(
            Step(
                "management",
                None,
                f"aws organizations enable-aws-service-access --service-principal {service}",
                "trusted access, so the service can work across the organization",
            )
        )
    registered = ["config-multiaccountsetup.amazonaws.com", "config.amazonaws.com"]
    if security.access_analyzer:
        registered.append("access-analyzer.amazonaws.com")
    for service in registered:
        out.append(
            Step(
                "management",
                None,
                f"aws organizations register-delegated-administrator --account-id {security_id} "
                f"--service-principal {service}",
                "the security account deploys the conformance pack and aggregator, and runs the "
                "organization analyzer",
            )
        )
    for region in regions:
        if security.guardduty.enabled:
            out.append(
                Step(
                    "management",
                    region,
                    f"aws guardduty enable-organization-admin-account --admin-account-id {security_id} "
                    f"--region {region}",
                    "GuardDuty findings of all accounts become visible in the security account",
                )
            )
        # Inspector: the delegated administrator, scanning and auto-enable are custom resources of the
        # management and security stacks (landing_zone/security/inspector.py), not runbook steps
        if security.macie:
            out.append(
                Step(
                    "management",
                    region,
                    f"aws macie2 enable-organization-admin-account --admin-account-id {security_id} "
                    f"--region {region}",
                    "Macie findings of all accounts become visible in the security account",
                )
            )
    members = [a for a in config.organization.accounts if a.id != security_id]
    for region in regions:
        if security.guardduty.enabled:
            for chunk in _chunks(members, GUARDDUTY_MEMBERS_PER_CALL):
                details = " ".join(f"AccountId={a.id},Email={a.email}" for a in chunk)
                out.append(
                    Step(
                        "security",
                        region,
                        f'aws guardduty create-members --region {region} --detector-id "$(aws guardduty '
                        f'list-detectors --region {region} --query "DetectorIds[0]" --output text)" '
                        f"--account-details {details}",
                        "associate the accounts whose detectors the member baseline created (auto-enable "
                        "stays off: it would race the StackSet for new accounts)",
                    )
                )
    return out


#: When each account's steps run (docs/deploy.md): the management account's before the first deploy
#: (trusted access, delegated administrators); the security account's after the security stack and
#: the member baseline exist (they need the GuardDuty detectors those create).
PHASES: dict[str, str] = {"before-deploy": "management", "after-security": "security"}


def render(config: LandingZoneConfig, phase: str | None = None) -> str:
    when = {
        None: "Run the management block before the first deploy and the security block after the security "
        "stack is deployed (docs/deploy.md)",
        "before-deploy": "Run before the first deploy (docs/deploy.md, step 3)",
        "after-security": "Run after the security stack and the member baseline are deployed "
        "(docs/deploy.md, step 6)",
    }[phase]
    lines = [
        f"# One-time security set-up for {config.organization.name}",
        f"# {when}, with administrator credentials of the account named above each block.",
        "# Commands that are already done fail harmlessly with 'already' in the message.",
    ]
    account = None
    for step in steps(config):
        if phase is not None and step.account != PHASES[phase]:
            continue
        if step.account != account:
            account = step.account
            lines += ["", f"# --- in the {account} account"]
        lines += [f"# {step.why}", step.command]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    import argparse

    from landing_zone.config import ConfigError

    parser = argparse.ArgumentParser(
        prog="python -m landing_zone.security.runbook",
        description=(
            "Print the one-time security set-up commands (trusted access, delegated administrators) "
            "for a configuration; docs/deploy.md says when to run them."
        ),
    )
    parser.add_argument("config", nargs="?", help="landing-zone.yaml (default: the embedded example)")
    parser.add_argument(
        "--phase",
        choices=sorted(PHASES),
        help="only the steps of one phase: before-deploy (management) or after-security (security)",
    )
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as error:
        print(error.format(), file=sys.stderr)
        return 2
    sys.stdout.write(render(config, args.phase))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
