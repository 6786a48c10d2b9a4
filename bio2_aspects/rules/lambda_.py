"""AWS Lambda rules.

Measures: (strength, facet and rationale per rule in bio2_aspects/mappings/data/rules.json)
5.15.01 (function URLs only for authenticated callers),
8.24.02 (environment variables encrypted with an inventoried KMS key), 8.08.01 (hygiene:
runtimes still receive security patches, so vulnerabilities can be fixed at all).
"""

from __future__ import annotations

from collections.abc import Mapping

from bio2_aspects.messages import msg

from ._helpers import Unverifiable, customer_managed_key, is_intrinsic, lookup, synth_time, to_str
from .base import Level, Outcome, Resource, Result, rule

FUNCTION = "AWS::Lambda::Function"
URL = "AWS::Lambda::Url"

#: Runtime identifiers that AWS Lambda has deprecated (no more security patches), as of
#: November 2026, per the Lambda runtime deprecation schedule. Update when AWS deprecates
#: more (e.g. python3.10, java8.al2, java11, provided.al2 are scheduled after AL2's end of
#: life; check the AWS table before adding them).
DEPRECATED_RUNTIMES = frozenset(
    {
        "dotnet5.0",
        "dotnet6",
        "dotnet7",
        "dotnetcore1.0",
        "dotnetcore2.0",
        "dotnetcore2.1",
        "dotnetcore3.1",
        "go1.x",
        "java8",
        "nodejs",
        "nodejs4.3",
        "nodejs4.3-edge",
        "nodejs6.10",
        "nodejs8.10",
        "nodejs10.x",
        "nodejs12.x",
        "nodejs14.x",
        "nodejs16.x",
        "nodejs18.x",
        "nodejs20.x",
        "provided",
        "python2.7",
        "python3.6",
        "python3.7",
        "python3.8",
        "python3.9",
        "ruby2.5",
        "ruby2.7",
        "ruby3.2",
    }
)


@rule(
    "BIO2-Lambda-UrlAuth",
    types=[URL],
    finding="Lambda function URL is open to unauthenticated callers (AuthType NONE)",
    fix="Set AuthType to AWS_IAM, or put the function behind API Gateway/CloudFront with authentication",
)
@synth_time
def lambda_url_auth(res: Resource) -> Outcome:
    """Function URLs require IAM authentication."""
    auth = to_str(res.properties.get("AuthType"), "AuthType")
    if auth == "AWS_IAM":
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.is", where="AuthType", value=repr(auth))


@rule(
    "BIO2-Lambda-EnvironmentKms",
    types=[FUNCTION],
    level=Level.WARNING,
    finding="Lambda environment variables are not encrypted with a customer managed KMS key",
    fix="Set KmsKeyArn (CDK: environment_encryption=key); keep secrets in Secrets Manager, not in variables",
)
@synth_time
def lambda_env_kms(res: Resource) -> Outcome:
    """Functions with environment variables set KmsKeyArn. No variables: NOT_APPLICABLE."""
    variables = lookup(res.properties, "Environment", "Variables")
    if variables is None:
        return Result.NOT_APPLICABLE, "no environment variables"
    if is_intrinsic(variables):
        raise Unverifiable("Environment.Variables", variables)
    if isinstance(variables, Mapping) and not variables:
        return Result.NOT_APPLICABLE, "no environment variables"
    ok, why = customer_managed_key(res.properties.get("KmsKeyArn"), res, "KmsKeyArn")
    if ok:
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.lambda.aws_managed_key", why=why) if why.endswith(
        "not set"
    ) else why


@rule(
    "BIO2-Lambda-SupportedRuntime",
    types=[FUNCTION],
    finding="Lambda function uses a deprecated runtime that no longer receives security patches",
    fix="Move to a supported runtime (e.g. python3.13, nodejs22.x, java21)",
)
@synth_time
def lambda_runtime(res: Resource) -> Outcome:
    """The runtime is not deprecated. Container-image functions: NOT_APPLICABLE."""
    package = to_str(res.properties.get("PackageType"), "PackageType")
    if package == "Image":
        return Result.NOT_APPLICABLE, "container image function (runtime is in the image)"
    runtime = to_str(res.properties.get("Runtime"), "Runtime")
    if runtime is None:
        return Result.NON_COMPLIANT, msg("rule.not_set", where="Runtime")
    if runtime in DEPRECATED_RUNTIMES:
        return Result.NON_COMPLIANT, msg("rule.lambda.deprecated", runtime=runtime)
    return Result.COMPLIANT
