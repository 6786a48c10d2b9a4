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
    """Deny access from principals outside the organization; AWS services acting for us are exempt.

    The organization is matched through the ``${aws:ResourceOrgID}`` policy variable (the
    organization that owns the resource), so the policy needs no organization ID in the
    configuration. ``aws:PrincipalIsAWSService`` exempts AWS service principals (CloudTrail writing to
    the log bucket, CloudFront reading a bucket through origin access control...).
    """
    statement = {
        "Sid": "EnforceOrgIdentities",
        "Effect": "Deny",
        "Principal": "*",
        "Action": list(PERIMETER_ACTIONS),
        "Resource": "*",
        "Condition": {
            "StringNotEqualsIfExists": {"aws:PrincipalOrgID": "${aws:ResourceOrgID}"},
            "BoolIfExists": {"aws:PrincipalIsAWSService": "false"},
        },
    }
    return Guardrail(
        key="data_perimeter",
        title="Data perimeter: only the organization's identities",
        policy_type=RCP,
        document=statement_document([statement]),
        measures=("5.15.01", "8.03.02"),
        evidence=(
            "RCP denies access to S3, KMS, SQS and Secrets Manager resources and role assumption (STS) "
            "to every principal outside the organization, except AWS service principals, whatever the "
            "resource policies grant. Resources of the management account are not covered."
        ),
    )
