"""Custom resource handler of the network constructs (deployed as inline Lambda code).

Kept free of third-party imports and small, because its source goes into the template as
``ZipFile`` code (no asset, no bootstrap bucket needed). Three resource types:

``Custom::VpcRestrictDefaultSG``
    Revokes every ingress and egress rule of a VPC's default security group, so that nothing
    placed in it by mistake can talk to anything (the same job as the CDK construct of that name).
``Custom::LzDomainListIds``
    Finds the IDs of AWS managed DNS Firewall domain lists by name (they differ per region and
    cannot be known at synth time). Read-only.
``Custom::LzVpnAttachment``
    Finds the Transit Gateway attachment of a Site-to-Site VPN connection (CloudFormation does not
    return it). Read-only.

Deleting any of them changes nothing. Failures are reported to CloudFormation, which rolls back.
"""

import json
import urllib.request


def restrict_default_sg(client, props):
    group_id = props["DefaultSecurityGroupId"]
    ec2 = client("ec2")
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group_id]}])
    ingress = [r["SecurityGroupRuleId"] for r in rules["SecurityGroupRules"] if not r["IsEgress"]]
    egress = [r["SecurityGroupRuleId"] for r in rules["SecurityGroupRules"] if r["IsEgress"]]
    if ingress:
        ec2.revoke_security_group_ingress(GroupId=group_id, SecurityGroupRuleIds=ingress)
    if egress:
        ec2.revoke_security_group_egress(GroupId=group_id, SecurityGroupRuleIds=egress)
    return group_id, {"Revoked": str(len(ingress) + len(egress))}


def domain_list_ids(client, props):
    wanted = list(props["Names"])
    resolver = client("route53resolver")
    found, token = {}, None
    while True:
        page = resolver.list_firewall_domain_lists(**({"NextToken": token} if token else {}))
        for item in page.get("FirewallDomainLists", []):
            if item.get("ManagedOwnerName") and item.get("Name") in wanted:
                found[item["Name"]] = item["Id"]
        token = page.get("NextToken")
        if not token:
            break
    missing = [name for name in wanted if name not in found]
    if missing:
        raise ValueError("no AWS managed domain list named " + ", ".join(missing) + " in this region")
    return "managed-domain-lists", found


def vpn_attachment(client, props):
    vpn_id = props["VpnConnectionId"]
    reply = client("ec2").describe_transit_gateway_attachments(
        Filters=[
            {"Name": "resource-id", "Values": [vpn_id]},
            {"Name": "resource-type", "Values": ["vpn"]},
        ]
    )
    live = [
        a["TransitGatewayAttachmentId"]
        for a in reply.get("TransitGatewayAttachments", [])
        if a.get("State") not in ("deleting", "deleted", "failed", "failing", "rejected")
    ]
    if not live:
        raise ValueError("VPN connection " + vpn_id + " has no Transit Gateway attachment")
    return live[0], {"AttachmentId": live[0]}


HANDLERS = {
    "Custom::VpcRestrictDefaultSG": restrict_default_sg,
    "Custom::LzDomainListIds": domain_list_ids,
    "Custom::LzVpnAttachment": vpn_attachment,
}


def respond(event, status, physical_id, data=None, reason=""):
    body = json.dumps(
        {
            "Status": status,
            "Reason": reason[:800] or status,
            "PhysicalResourceId": physical_id,
            "StackId": event["StackId"],
            "RequestId": event["RequestId"],
            "LogicalResourceId": event["LogicalResourceId"],
            "Data": data or {},
        }
    ).encode("utf-8")
    request = urllib.request.Request(
        event["ResponseURL"],
        data=body,
        method="PUT",
        headers={"Content-Type": "", "Content-Length": str(len(body))},
    )
    urllib.request.urlopen(request, timeout=30)


def run(event, client):
    """(status, physical ID, data, reason) for ``event``; ``client(service)`` makes AWS clients."""
    physical = event.get("PhysicalResourceId") or event["LogicalResourceId"]
    if event["RequestType"] == "Delete":
        return "SUCCESS", physical, {}, ""
    try:
        physical, data = HANDLERS[event["ResourceType"]](client, event["ResourceProperties"])
        return "SUCCESS", physical, data, ""
    except Exception as error:  # reported to CloudFormation, which rolls the stack back
        return "FAILED", physical, {}, type(error).__name__ + ": " + str(error)


def handler(event, context):
    import boto3

    status, physical, data, reason = run(event, boto3.client)
    print(
        json.dumps({"type": event.get("ResourceType"), "request": event.get("RequestType"), "status": status})
    )
    respond(event, status, physical, data, reason)
