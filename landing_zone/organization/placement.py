"""Account placement: the script that moves existing accounts into the OUs of the configuration.

CloudFormation creates the OUs (and exports their IDs as outputs of the management stack) but does
not move existing accounts: see :mod:`landing_zone.organization.component`. This script does, with
the AWS CLI and management-account credentials, after the management stack is deployed. It is
idempotent: an account already in its OU is left alone, so it can run after every change.
"""

from __future__ import annotations

import re
import shlex

from landing_zone.config import LandingZoneConfig
from landing_zone.config.sections.organization import ROOT

#: The management stack's name (``landing_zone.stacks.stack_name("management", home)``, which this
#: module does not import so that it runs without loading the CDK).
MANAGEMENT_STACK = "lz-management-{region}"


def output_key(path: str, taken: set[str]) -> str:
    """``OuWorkloadsProd``: the stack output key of an OU (unique; letters and digits only)."""
    base = "Ou" + "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", path) if part)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}{n}", n + 1
    taken.add(key)
    return key


def placement_script(config: LandingZoneConfig) -> str:
    keys: set[str] = set()
    output_of = {path: output_key(path, keys) for path in config.organization.ou_paths()}
    stack = MANAGEMENT_STACK.format(region=config.regions.home)
    lines = [
        "#!/usr/bin/env bash",
        f"# Move the accounts of {config.organization.name} into their OUs (landing-zone.yaml).",
        f"# Needs management-account credentials and the deployed stack {stack}. Idempotent.",
        "set -euo pipefail",
        f"STACK={shlex.quote(stack)}",
        f"REGION={shlex.quote(config.regions.home)}",
        "declare -A OU",
        "while read -r key value; do OU[$key]=$value; done < <(aws cloudformation describe-stacks \\",
        '  --region "$REGION" --stack-name "$STACK" \\',
        "  --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text)",
        "place() {  # account-id output-key",
        '  local target="${OU[$2]:?no output $2 in $STACK: deploy the management stack first}" current',
        '  current=$(aws organizations list-parents --child-id "$1" --query "Parents[0].Id" --output text)',
        '  if [ "$current" != "$target" ]; then',
        '    aws organizations move-account --account-id "$1" --source-parent-id "$current" \\',
        '      --destination-parent-id "$target"',
        '    echo "moved $1 to $2"',
        "  fi",
        "}",
    ]
    for account in config.organization.accounts:
        if account.ou == ROOT:
            continue  # the management account stays at the root
        lines.append(f"place {account.id} {output_of[account.ou]}  # {account.name} -> {account.ou}")
    return "\n".join(lines) + "\n"
