"""AI services opt-out policy: AWS may not store or use content of our AI services for its own ends."""

from __future__ import annotations

from landing_zone.organization.policies.common import AI_OPT_OUT, Guardrail, PolicyInputs


def ai_opt_out(inputs: PolicyInputs) -> Guardrail:
    """Opt out of content use by every AWS AI service; child policies cannot opt back in."""
    document = {
        "services": {
            "default": {
                "opt_out_policy": {
                    "@@operators_allowed_for_child_policies": ["@@none"],
                    "@@assign": "optOut",
                }
            }
        }
    }
    return Guardrail(
        key="ai_opt_out",
        title="Opt out of AI service content use",
        policy_type=AI_OPT_OUT,
        document=document,
        measures=(),
        evidence=(
            "AI services opt-out policy: AWS AI services do not store or use the organization's content "
            "to develop or improve their services; no account can opt back in."
        ),
    )
