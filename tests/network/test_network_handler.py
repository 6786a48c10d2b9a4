"""The custom resource handler (inline Lambda code), run against fake AWS clients."""

from __future__ import annotations

import ast
from importlib import resources
from typing import Any

from landing_zone.network import cr_handler


class FakeEc2:
    def __init__(self, rules: list[dict[str, Any]], attachments: list[dict[str, Any]] | None = None) -> None:
        self.rules = rules
        self.attachments = attachments or []
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def describe_security_group_rules(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(("describe_security_group_rules", kwargs))
        return {"SecurityGroupRules": self.rules}

    def revoke_security_group_ingress(self, **kwargs: Any) -> None:
        self.calls.append(("revoke_security_group_ingress", kwargs))

    def revoke_security_group_egress(self, **kwargs: Any) -> None:
        self.calls.append(("revoke_security_group_egress", kwargs))

    def describe_transit_gateway_attachments(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(("describe_transit_gateway_attachments", kwargs))
        return {"TransitGatewayAttachments": self.attachments}


class FakeResolver:
    def __init__(self, pages: list[dict[str, Any]]) -> None:
        self.pages = pages

    def list_firewall_domain_lists(self, **kwargs: Any) -> dict[str, Any]:
        index = int(kwargs.get("NextToken", 0))
        return self.pages[index]


def event(kind: str, request: str = "Create", **props: Any) -> dict[str, Any]:
    return {
        "RequestType": request,
        "ResourceType": kind,
        "ResourceProperties": {"ServiceToken": "arn", **props},
        "StackId": "stack",
        "RequestId": "req",
        "LogicalResourceId": "Res",
        "ResponseURL": "https://example.invalid/",
    }


def test_default_security_group_loses_every_rule() -> None:
    ec2 = FakeEc2(
        [
            {"SecurityGroupRuleId": "sgr-in", "IsEgress": False},
            {"SecurityGroupRuleId": "sgr-out", "IsEgress": True},
        ]
    )
    status, physical, data, _ = cr_handler.run(
        event("Custom::VpcRestrictDefaultSG", DefaultSecurityGroupId="sg-1"), lambda service: ec2
    )
    assert (status, physical, data) == ("SUCCESS", "sg-1", {"Revoked": "2"})
    assert (
        "revoke_security_group_ingress",
        {"GroupId": "sg-1", "SecurityGroupRuleIds": ["sgr-in"]},
    ) in ec2.calls
    assert (
        "revoke_security_group_egress",
        {"GroupId": "sg-1", "SecurityGroupRuleIds": ["sgr-out"]},
    ) in ec2.calls


def test_domain_lists_are_found_by_name_across_pages() -> None:
    resolver = FakeResolver(
        [
            {
                "FirewallDomainLists": [
                    {
                        "Name": "AWSManagedDomainsMalwareDomainList",
                        "Id": "rslvr-fdl-1",
                        "ManagedOwnerName": "R53",
                    },
                    {"Name": "AWSManagedDomainsMalwareDomainList", "Id": "rslvr-fdl-own"},  # not managed
                ],
                "NextToken": "1",
            },
            {
                "FirewallDomainLists": [
                    {
                        "Name": "AWSManagedDomainsAggregateThreatList",
                        "Id": "rslvr-fdl-2",
                        "ManagedOwnerName": "R53",
                    }
                ]
            },
        ]
    )
    names = ["AWSManagedDomainsAggregateThreatList", "AWSManagedDomainsMalwareDomainList"]
    status, _, data, _ = cr_handler.run(
        event("Custom::LzDomainListIds", Names=names), lambda service: resolver
    )
    assert status == "SUCCESS"
    assert data == {
        "AWSManagedDomainsMalwareDomainList": "rslvr-fdl-1",
        "AWSManagedDomainsAggregateThreatList": "rslvr-fdl-2",
    }


def test_a_missing_domain_list_fails_the_deployment() -> None:
    resolver = FakeResolver([{"FirewallDomainLists": []}])
    status, _, _, reason = cr_handler.run(
        event("Custom::LzDomainListIds", Names=["AWSManagedDomainsNope"]), lambda service: resolver
    )
    assert status == "FAILED" and "AWSManagedDomainsNope" in reason


def test_vpn_attachment_is_found_and_deletes_change_nothing() -> None:
    ec2 = FakeEc2([], [{"TransitGatewayAttachmentId": "tgw-attach-1", "State": "available"}])
    status, physical, data, _ = cr_handler.run(
        event("Custom::LzVpnAttachment", VpnConnectionId="vpn-1"), lambda service: ec2
    )
    assert (status, physical, data) == ("SUCCESS", "tgw-attach-1", {"AttachmentId": "tgw-attach-1"})
    calls = len(ec2.calls)
    deleted = event("Custom::VpcRestrictDefaultSG", "Delete", DefaultSecurityGroupId="sg-1")
    assert cr_handler.run(deleted, lambda service: ec2)[0] == "SUCCESS"
    assert len(ec2.calls) == calls


def test_inline_source_has_no_third_party_imports() -> None:
    source = resources.files("landing_zone.network").joinpath("cr_handler.py").read_text(encoding="utf-8")
    modules = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])
    }
    assert modules <= {"json", "urllib", "boto3"}  # boto3 is part of the Lambda runtime
