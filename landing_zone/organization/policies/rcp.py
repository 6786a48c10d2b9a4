"""Resource control policies (RCPs): who, from where, can reach the organization's resources.

An RCP caps the permissions that resource policies (bucket policies, key policies, trust policies...)
can grant, whoever the caller is. Together with ``RCPFullAWSAccess``, which stays attached, the data
perimeter below makes S3, KMS, STS, SQS and Secrets Manager resources unreachable for principals
outside the organization, whatever a resource policy says.
"""

from __future__ import annotations

from landing_zone.organization.policies.common import RCP, Guardrail, PolicyInputs, statement_document

#: The actions of the data perimeter. For STS only the calls made by an existing identity: federation
#: (AssumeRoleWithSAML/WebIdentity, TagSession, SetSourceIdentity) comes from outside by design.
PERIMETER_ACTIONS: tuple[str, ...] = (
    "s3:*",
    "kms:*",
    "sqs:*",
    "secretsmanager:*",
    "sts:AssumeRole",
    "sts:DecodeAuthorizationMessage",
    "sts:GetAccessKeyInfo",
    "sts:GetFederationToken",
    "sts:GetServiceBearerToken",
    "sts:GetSessionToken",
    "sts:SetContext",
)


def data_perimeter(inputs: PolicyInputs) -> Guardrail:
    """Deny access from principals outside the organization, and AWS services acting for others.

    ``EnforceOrgIdentities``: principals outside the organization are denied; AWS service principals
    are left to the next statement. ``EnforceConfusedDeputyProtection``: an AWS service principal
    acting on behalf of an account outside the organization (``aws:SourceOrgID``, present whenever
    ``aws:SourceAccount`` is) is denied, so a service cannot be tricked into writing to or reading
    from our resources for someone else.

    The organization is the literal ``logging.organization_id`` when the configuration gives it; only
    without it the policy falls back to the ``${aws:ResourceOrgID}`` variable (the organization
    that owns the resource).
    """
    org = inputs.organization_id or "${aws:ResourceOrgID}"
    statements = [
        {
            "Sid": "EnforceOrgIdentities",
            "Effect": "Deny",
            "Principal": "*",
            "Action": list(PERIMETER_ACTIONS),
            "Resource": "*",
            "Condition": {
                "StringNotEqualsIfExists": {"aws:PrincipalOrgID": org},
                "BoolIfExists": {"aws:PrincipalIsAWSService": "false"},
            },
        },
        {
            "Sid": "EnforceConfusedDeputyProtection",
            "Effect": "Deny",
            "Principal": "*",
            "Action": list(PERIMETER_ACTIONS),
            "Resource": "*",
            "Condition": {
                "StringNotEqualsIfExists": {"aws:SourceOrgID": org},
                "Null": {"aws:SourceAccount": "false"},
                "Bool": {"aws:PrincipalIsAWSService": "true"},
            },
        },
    ]
    named = f"organization {inputs.organization_id}" if inputs.organization_id else "organization"
    return Guardrail(
        key="data_perimeter",
        title="Data perimeter: only the organization's identities",
        policy_type=RCP,
        document=statement_document(statements),
        measures=("5.15.01", "8.03.02"),
        evidence=(
            f"RCP denies access to S3, KMS, SQS and Secrets Manager resources and role assumption (STS) "
            f"to every principal outside the {named}, and to AWS service principals acting on behalf of "
            "an account outside it (confused deputy), whatever the resource policies grant. Resources of "
            "the management account are not covered."
        ),
    )
