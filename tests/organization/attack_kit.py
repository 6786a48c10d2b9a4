"""Helpers of the attack suite: the synthesized policies of the default landing zone, as documents
the project's evaluator reads (CloudFormation intrinsics resolved for one account and region)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

PSEUDO = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com", "AWS::NoValue": None}


def resolve(value: Any, account: str, region: str) -> Any:
    """``value`` with Ref/Fn::Join/Fn::Sub of pseudo parameters replaced (account, region, partition);
    any other reference becomes a ``<ref:...>`` placeholder that matches nothing."""
    pseudo = {**PSEUDO, "AWS::AccountId": account, "AWS::Region": region}
    if isinstance(value, list):
        return [resolve(v, account, region) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((key, arg),) = value.items()
        if key == "Ref":
            return pseudo.get(arg, f"<ref:{arg}>")
        if key == "Fn::Join":
            sep, parts = arg
            return sep.join(str(resolve(p, account, region)) for p in parts)
        if key == "Fn::Sub":
            text, names = (arg, {}) if isinstance(arg, str) else arg
            names = {k: resolve(v, account, region) for k, v in names.items()}

            def sub(match: re.Match[str]) -> str:
                name = match.group(1)
                if name in names:
                    return str(names[name])
                return str(pseudo.get(name, f"<ref:{name}>"))

            return re.sub(r"\$\{([^!}][^}]*)\}", sub, text)
        if key == "Fn::GetAtt":
            return f"<getatt:{arg}>"
    return {k: resolve(v, account, region) for k, v in value.items()}


def stack_resources(templates: dict[str, dict[str, Any]]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(stack, logical ID, resource) of every resource, the inline StackSet templates included."""
    for stack, template in sorted(templates.items()):
        for lid, resource in sorted(template.get("Resources", {}).items()):
            yield stack, lid, resource
            body = resource.get("Properties", {}).get("TemplateBody")
            if resource.get("Type") == "AWS::CloudFormation::StackSet" and isinstance(body, str):
                inner = json.loads(body)
                for ilid, iresource in sorted(inner.get("Resources", {}).items()):
                    yield f"{stack}/StackSet", ilid, iresource


def find(templates, cfn_type: str, stack: str | None = None, **properties: Any) -> list[dict[str, Any]]:
    """Properties of every resource of ``cfn_type`` (in ``stack``) whose given properties match."""
    out = []
    for name, _, resource in stack_resources(templates):
        if resource.get("Type") != cfn_type or (stack is not None and name != stack):
            continue
        props = resource.get("Properties", {})
        if all(props.get(k) == v for k, v in properties.items()):
            out.append(props)
    return out


#: (resource type, property) of every policy document a template can carry.
POLICY_PROPERTIES: tuple[tuple[str, str], ...] = (
    ("AWS::Organizations::Policy", "Content"),
    ("AWS::KMS::Key", "KeyPolicy"),
    ("AWS::S3::BucketPolicy", "PolicyDocument"),
    ("AWS::Backup::BackupVault", "AccessPolicy"),
    ("AWS::IAM::Role", "AssumeRolePolicyDocument"),
    ("AWS::IAM::ManagedPolicy", "PolicyDocument"),
    ("AWS::IAM::Policy", "PolicyDocument"),
    ("AWS::SNS::TopicPolicy", "PolicyDocument"),
    ("AWS::SQS::QueuePolicy", "PolicyDocument"),
    ("AWS::Events::EventBusPolicy", "Statement"),
    ("AWS::SSO::PermissionSet", "InlinePolicy"),
)


def policy_documents(templates) -> Iterator[tuple[str, str, str, Any]]:
    """(stack, logical ID, resource type, document) of every policy in every template: the listed
    properties, inline role policies, and any other property value that holds a ``Statement``."""
    for stack, lid, resource in stack_resources(templates):
        props = resource.get("Properties", {})
        for key, value in _statement_holders(props):
            yield stack, f"{lid}.{key}", resource.get("Type", ""), value


def _statement_holders(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, str) and '"Statement"' in value:
        try:
            value = json.loads(value)
        except ValueError:
            return
    if isinstance(value, dict):
        if "Statement" in value or ("Effect" in value and ("Action" in value or "NotAction" in value)):
            yield path or "(root)", value
            return
        for k, v in value.items():
            yield from _statement_holders(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _statement_holders(v, f"{path}[{i}]")
