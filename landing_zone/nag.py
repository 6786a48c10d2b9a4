"""Acknowledgements of cdk-nag findings (AwsSolutions, NIST 800-53 R5) on the landing zone's constructs.

cdk-nag 3 runs as a CDK validation plugin. CDK core suppresses a plugin finding whose ID matches
``<plugin name>::<rule>``; cdk-nag's own tree walk matches the bare rule ID (stored by CDK as
``Annotation::<rule>``). :func:`acknowledge_nag` records both forms, so either path sees it.

Use it at the construct that causes the finding (it also covers that construct's children), with a
reason an auditor can check: why the finding is inherent or by design, not merely that it is accepted.
"""

from __future__ import annotations

from collections.abc import Iterable

import aws_cdk as cdk
import jsii
from constructs import IConstruct, IValidation

#: Rule-ID prefix -> cdk-nag plugin name (the pack's ``readPackName``).
PLUGINS = {"AwsSolutions-": "AwsSolutions", "NIST.800.53.R5-": "NIST.800.53.R5"}

MIN_REASON = 20


def plugin_of(rule_id: str) -> str:
    for prefix, plugin in PLUGINS.items():
        if rule_id.startswith(prefix):
            return plugin
    raise ValueError(f"{rule_id}: not an AwsSolutions or NIST 800-53 R5 rule (BIO2 rules use bio2_aspects)")


#: Rules whose findings cdk-nag reports one by one, as ``<rule>[<finding>]`` (``Policy::<arn>``,
#: ``Action::<action>``, ``Resource::<arn>``): CDK matches acknowledgements exactly, so a plain
#: ``<rule>`` acknowledgement does not cover them.
GRANULAR_RULES = frozenset({"AwsSolutions-IAM4", "AwsSolutions-IAM5"})


def acknowledge_nag(scope: IConstruct, rule_id: str, reason: str, *, findings: Iterable[str] = ()) -> None:
    """Accept cdk-nag's ``rule_id`` on ``scope`` (and below) for ``reason``.

    ``findings``: the granular finding IDs of rules that report them (``Policy::<arn>`` of
    AwsSolutions-IAM4, ``Resource::<arn>`` / ``Action::<action>`` of AwsSolutions-IAM5); each is
    acknowledged as ``<rule>[<finding>]``. Without findings the whole rule is acknowledged: for
    AwsSolutions-IAM4/IAM5 every finding the pack reports below ``scope`` when the app is
    synthesized (found by running the pack on ``scope`` during CDK's validation phase, after all
    grants are in place), each listed with ``reason`` in the validation report. Name the findings
    when you can: an acknowledgement without them also covers wildcards added later.
    """
    if len(reason.strip()) < MIN_REASON:
        raise ValueError(
            f"acknowledging {rule_id} on {scope.node.path}: give a specific reason of at least "
            f"{MIN_REASON} characters"
        )
    plugin = plugin_of(rule_id)
    given = list(findings)
    ids = [f"{rule_id}[{finding}]" for finding in given] or [rule_id]
    # Only the qualified "<plugin>::<rule>" form: CDK core then lists each accepted finding, with
    # its reason, under suppressedViolations in cdk.out/validation-report.json (the audit trail).
    # The bare form would make cdk-nag drop the finding before CDK ever sees it.
    cdk.Validations.of(scope).acknowledge(
        *(cdk.Acknowledgment(id=f"{plugin}::{ack_id}", reason=reason) for ack_id in ids)
    )
    if not given and rule_id in GRANULAR_RULES:
        scope.node.add_validation(_AcknowledgeFindings(scope, rule_id, reason))


@jsii.implements(IValidation)
class _AcknowledgeFindings:
    """At validation time: acknowledge every granular finding of ``rule_id`` below ``scope``."""

    def __init__(self, scope: IConstruct, rule_id: str, reason: str) -> None:
        self._scope = scope
        self._rule_id = rule_id
        self._reason = reason

    def validate(self) -> list[str]:
        from cdk_nag import AwsSolutionsChecks

        report = AwsSolutionsChecks().validate_scope(self._scope)
        prefix = f"{self._rule_id}["
        names = sorted({v.rule_name for v in report.violations if v.rule_name.startswith(prefix)})
        if names:
            cdk.Validations.of(self._scope).acknowledge(
                *(cdk.Acknowledgment(id=f"AwsSolutions::{name}", reason=self._reason) for name in names)
            )
        return []


def acknowledge_custom_resource_function(scope: IConstruct, what: str) -> None:
    """The NIST Lambda findings of a small inline-code custom-resource handler (``what`` names it)."""
    invoked = (
        f"{what} is a CloudFormation custom-resource handler: CloudFormation invokes it asynchronously, "
        "a few times per stack deployment, and waits for the function to report success or failure to "
        "the stack's pre-signed response URL"
    )
    acknowledge_nag(
        scope,
        "NIST.800.53.R5-LambdaConcurrency",
        f"{invoked}, so it cannot run away. Reserving concurrency would take capacity from the account's "
        "unreserved pool (new member accounts may have a concurrency quota of 10, below which a "
        "reservation is refused) for no protection.",
    )
    acknowledge_nag(
        scope,
        "NIST.800.53.R5-LambdaDLQ",
        f"{invoked}. An invocation that fails after Lambda's asynchronous retries never reports, so "
        "CloudFormation fails (and rolls back) the stack operation at its timeout and the error is in the "
        "function's log group; a dead-letter queue would hold a copy of the request that no one replays "
        "(a new deployment sends a new one).",
    )
    acknowledge_nag(
        scope,
        "NIST.800.53.R5-LambdaInsideVPC",
        f"{invoked}. It only calls AWS control-plane APIs and the CloudFormation response URL and reads no "
        "workload data; in a VPC it would depend on NAT or interface endpoints of the very network the "
        "landing zone is still building in that account.",
    )
