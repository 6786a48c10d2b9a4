"""AWS Secrets Manager rules.

Measures: 5.17.03 (password requirements are enforced automatically: the secret is rotated by a
schedule, not by hand), 8.24.02 (the secret is encrypted with a customer managed KMS key, listed in
the key inventory, whose policy the organisation controls).
"""

from __future__ import annotations

from bio2_aspects.messages import msg

from ._helpers import is_set, lookup, refers_to_any, synth_time
from .base import Outcome, Resource, Result, refers_to, rule

SECRET = "AWS::SecretsManager::Secret"
ROTATION = "AWS::SecretsManager::RotationSchedule"
ATTACHMENT = "AWS::SecretsManager::SecretTargetAttachment"


@rule(
    "BIO2-SecretsManager-Rotation",
    types=[SECRET],
    finding="Secrets Manager secret has no automatic rotation",
    fix="Add an AWS::SecretsManager::RotationSchedule for the secret "
    "(CDK: secret.add_rotation_schedule(...), for RDS: database.add_rotation_single_user())",
)
@synth_time
def secret_rotation(res: Resource) -> Outcome:
    """A RotationSchedule that refers to the secret (directly or through its SecretTargetAttachment)
    sets a rotation rule."""
    ids = {res.logical_id} | {
        a.logical_id
        for a in res.stack.of_type(ATTACHMENT)
        if refers_to(a.properties.get("SecretId"), res.logical_id)
    }
    for schedule in res.stack.of_type(ROTATION):
        if refers_to_any(schedule.properties.get("SecretId"), ids):
            rules = lookup(schedule.properties, "RotationRules")
            if rules is None:
                return Result.NON_COMPLIANT, msg("rule.secrets.no_rules", schedule=schedule.logical_id)
            return Result.COMPLIANT, msg("rule.secrets.rotated_by", schedule=schedule.logical_id)
    return Result.NON_COMPLIANT, msg("rule.secrets.no_schedule")


@rule(
    "BIO2-SecretsManager-Cmk",
    types=[SECRET],
    finding="Secrets Manager secret is encrypted with the AWS managed key",
    fix="Set KmsKeyId to a customer managed KMS key (CDK: encryption_key=key)",
)
@synth_time
def secret_cmk(res: Resource) -> Outcome:
    """KmsKeyId is set (and is not the alias/aws/secretsmanager AWS managed key)."""
    key = res.properties.get("KmsKeyId")
    if not is_set(key, "KmsKeyId"):
        return Result.NON_COMPLIANT, msg("rule.secrets.default_key")
    if isinstance(key, str) and key.endswith("alias/aws/secretsmanager"):
        return Result.NON_COMPLIANT, msg("rule.secrets.aws_key", key=key)
    return Result.COMPLIANT
