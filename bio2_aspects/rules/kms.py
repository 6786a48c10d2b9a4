"""AWS KMS key rules.

Measures: (strength, facet and rationale per rule in bio2_aspects/mappings/data/rules.json)
8.24.02 (key rotation keeps keys current; it is not
cryptographic strength), 5.15.01 and 8.03.02 (key policies grant no access to anyone
outside the trusted principals).
"""

from __future__ import annotations

from bio2_aspects.messages import msg

from ._helpers import synth_time, to_bool, to_str
from ._policy import public_allows
from .base import Outcome, Resource, Result, rule

KEY = "AWS::KMS::Key"


@rule(
    "BIO2-KMS-KeyRotation",
    types=[KEY],
    finding="Symmetric KMS key does not have automatic key rotation enabled",
    fix="Set EnableKeyRotation to true (CDK: enable_key_rotation=True)",
)
@synth_time
def kms_key_rotation(res: Resource) -> Outcome:
    """Symmetric encryption keys with AWS-generated material rotate automatically.

    Asymmetric and HMAC keys and keys with imported material (Origin EXTERNAL) cannot
    rotate automatically: NOT_APPLICABLE.
    """
    spec = to_str(res.properties.get("KeySpec"), "KeySpec") or "SYMMETRIC_DEFAULT"
    if spec != "SYMMETRIC_DEFAULT":
        return Result.NOT_APPLICABLE, f"KeySpec {spec} does not support automatic rotation"
    origin = to_str(res.properties.get("Origin"), "Origin") or "AWS_KMS"
    if origin == "EXTERNAL":
        return Result.NOT_APPLICABLE, "imported key material (Origin EXTERNAL) cannot rotate automatically"
    if to_bool(res.properties.get("EnableKeyRotation"), "EnableKeyRotation") is True:
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg(
        "rule.is", where="EnableKeyRotation", value=repr(res.properties.get("EnableKeyRotation"))
    )


@rule(
    "BIO2-KMS-NoPublicKeyPolicy",
    types=[KEY],
    finding="KMS key policy allows any principal without a restricting condition",
    fix="Grant the key to named principals, or restrict '*' with kms:CallerAccount, aws:PrincipalOrgID "
    "or aws:SourceAccount",
)
@synth_time
def kms_no_public_policy(res: Resource) -> Outcome:
    """No Allow statement in the key policy is open to Principal '*' without a restricting condition.

    Without a KeyPolicy, KMS applies its default policy (the owning account only): compliant.
    """
    policy = res.properties.get("KeyPolicy")
    if policy is None:
        return Result.COMPLIANT, msg("rule.kms.default_policy")
    found = public_allows(policy, "KeyPolicy")
    if found:
        return Result.NON_COMPLIANT, msg("rule.findings", findings_list=found)
    return Result.COMPLIANT
