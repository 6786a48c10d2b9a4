"""EC2 declarative policies: account attributes that AWS enforces, whatever an account admin does."""

from __future__ import annotations

from landing_zone.organization.policies.common import Guardrail, PolicyInputs

DECLARATIVE_POLICY_EC2 = "DECLARATIVE_POLICY_EC2"


def vpc_block_public_access(inputs: PolicyInputs) -> Guardrail:
    """VPC Block Public Access, bidirectional, with no exclusions allowed.

    No VPC in the accounts it is attached to can send or receive traffic through an internet gateway
    or egress-only internet gateway, even if someone managed to attach one: a second, independent
    layer under the ``deny_network_escape`` SCP. Attach it to the workload OUs, never to the network
    account (its inspection VPC is the landing zone's one way out).
    """
    document = {
        "ec2_attributes": {
            "vpc_block_public_access": {
                "internet_gateway_block": {
                    "mode": {"@@assign": "block_bidirectional"},
                    "exclusions_allowed": {"@@assign": "disabled"},
                }
            }
        }
    }
    return Guardrail(
        key="vpc_block_public_access",
        title="VPC Block Public Access (bidirectional)",
        policy_type=DECLARATIVE_POLICY_EC2,
        document=document,
        measures=("8.22.01",),
        evidence=(
            "EC2 declarative policy: VPC Block Public Access blocks all traffic through internet and "
            "egress-only internet gateways in both directions, with no exclusions, in every VPC of the "
            "accounts it is attached to; account administrators cannot turn it off."
        ),
    )
