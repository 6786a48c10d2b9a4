"""Tag policies: the BIV classification tags take only the fixed levels."""

from __future__ import annotations

from bio2_aspects.rules.tagging import CLASSIFICATION_TAGS
from landing_zone.config.sections.classification import LEVELS
from landing_zone.organization.policies.common import TAG_POLICY, Guardrail, PolicyInputs

#: Resource types for which AWS rejects a non-compliant tag value (tag policy enforcement). Other
#: types are reported as non-compliant in the tag policy compliance report, not blocked.
ENFORCED_FOR: tuple[str, ...] = (
    "dynamodb:table",
    "ec2:instance",
    "ec2:volume",
    "s3:bucket",
    "secretsmanager:ALL_SUPPORTED",
)


def classification_tags(inputs: PolicyInputs) -> Guardrail:
    """The keys ``bio2:confidentiality``, ``bio2:integrity``, ``bio2:availability``: exact case, and
    the values ``low``, ``medium`` or ``high``."""
    document = {
        "tags": {
            key.lower(): {
                "tag_key": {"@@assign": key},
                "tag_value": {"@@assign": list(LEVELS)},
                "enforced_for": {"@@assign": list(ENFORCED_FOR)},
            }
            for key in CLASSIFICATION_TAGS
        }
    }
    return Guardrail(
        key="classification_tags",
        title="Classification tag keys and values",
        policy_type=TAG_POLICY,
        document=document,
        measures=("5.12.01",),
        evidence=(
            f"Tag policy fixes the classification tag keys ({', '.join(CLASSIFICATION_TAGS)}) and their "
            f"values ({', '.join(LEVELS)}); AWS rejects other values on {', '.join(ENFORCED_FOR)} and "
            "reports them elsewhere. It does not make the tags mandatory: the BIO2-Tagging-Classification "
            "rule checks that at synthesis."
        ),
    )
