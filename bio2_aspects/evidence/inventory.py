"""Inventories the engine computes from the written templates: log sources and internet-facing resources.

Two registers an auditor asks for, generic over CloudFormation types (the engine knows no
landing-zone component, so an app team's stacks get them too):

* **log sources** (BIO2 8.15.03, an overview of the log files that are generated): every resource
  that generates logs (CloudTrail trails, AWS Config delivery, VPC flow logs, S3 server access logs,
  load balancer and CloudFront access logs, WAF and Network Firewall logging, API Gateway access
  logs, Route 53 Resolver query logs, RDS log exports, Lambda functions, ECS containers, Step
  Functions, EKS control plane, GuardDuty finding exports, vended-log deliveries, subscription
  filters) with where its logs go and, for a CloudWatch Logs group of the same template, the
  retention; log groups no source of their template writes to are listed on their own;
* **internet-facing resources** (BIO2 5.14.04, a register of internet-facing systems, IP addresses
  and APIs): internet gateways, Elastic IPs, public NAT gateways, internet-facing load balancers,
  CloudFront distributions, API Gateway REST APIs that are not PRIVATE, HTTP/WebSocket APIs, Lambda
  function URLs, publicly accessible databases, instances and subnets that give public IPs, Global
  Accelerator, public Transfer Family servers, Client VPN and site-to-site VPN endpoints, public
  AppSync, OpenSearch and EKS endpoints and S3 website endpoints, each with why.

Resource ``Condition``s are evaluated: a resource that is never created is not listed; one whose
Condition only the deployment decides is listed as ``conditional``. A property whose value is known
only at deploy time (a parameter, an import) makes an internet-facing entry ``undetermined``: the
register then cannot say it is complete, and its evidence does not count (``unknown``).

Each inventory is also an evidence item (kind ``verified``) for the measures the mapping table
(``mappings/data/inventories.json``) gives it. Row keys (``log``, ``reason``) are stable IDs; the
reports translate them (``i18n`` labels ``inventory.log.*`` and ``inventory.reason.*``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bio2_aspects.conditions import resource_exists, stack_env
from bio2_aspects.evidence.design import show
from bio2_aspects.messages import Message, msg

LOG_SOURCES_ID = "BIO2-Inventory-LogSources"
INTERNET_FACING_ID = "BIO2-Inventory-InternetFacing"
INVENTORY_TYPE = "BIO2::Inventory"

Props = Mapping[str, Any]


class Undetermined(Exception):
    """A property that decides the entry is known only at deploy time."""

    def __init__(self, where: str, value: Any) -> None:
        super().__init__(f"{where} = {show(value)}")


def _intrinsic(value: Any) -> bool:
    return isinstance(value, Mapping) and len(value) == 1 and next(iter(value)).startswith(("Ref", "Fn::"))


def _literal(props: Props, key: str, default: Any = None) -> Any:
    """A property's literal value; ``default`` when absent; Undetermined when an intrinsic."""
    value = props.get(key, default)
    if _intrinsic(value):
        raise Undetermined(key, value)
    return value


def _get(value: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(k)
    return value


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _false(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.lower() == "false")


# ------------------------------------------------------------------ log sources

#: (log key, destination type, destination value, detail)
LogRow = tuple[str, str, Any, str]


def _dest_type(value: Any, default: str = "unknown") -> str:
    text = show(value)
    if "arn:aws:s3" in text or ":s3:::" in text:
        return "s3"
    if ":logs:" in text or "log-group:" in text:
        return "cloudwatch-logs"
    if ":firehose:" in text or "deliverystream" in text.lower():
        return "firehose"
    return default


def _trail(p: Props) -> list[LogRow]:
    if _false(p.get("IsLogging")):
        return []
    facts = [f"TrailName {show(p.get('TrailName')) or '-'}"]
    facts += [k for k in ("IsOrganizationTrail", "IsMultiRegionTrail") if _true(p.get(k))]
    facts += [k for k in ("EventSelectors", "AdvancedEventSelectors") if p.get(k)]
    detail = ", ".join(facts)
    rows: list[LogRow] = [("cloudtrail", "s3", p.get("S3BucketName"), detail)]
    if p.get("CloudWatchLogsLogGroupArn") is not None:
        rows.append(("cloudtrail", "cloudwatch-logs", p.get("CloudWatchLogsLogGroupArn"), detail))
    return rows


def _flow_log(p: Props) -> list[LogRow]:
    kind = str(p.get("LogDestinationType") or "cloud-watch-logs")
    dest = p.get("LogDestination") or p.get("LogGroupName")
    dtype = {"s3": "s3", "cloud-watch-logs": "cloudwatch-logs", "kinesis-data-firehose": "firehose"}.get(
        kind, "unknown"
    )
    detail = ", ".join(f"{k} {show(p.get(k))}" for k in ("ResourceType", "ResourceId", "TrafficType"))
    return [("vpc-flow-logs", dtype, dest, detail)]


def _bucket(p: Props) -> list[LogRow]:
    cfg = p.get("LoggingConfiguration")
    if not isinstance(cfg, Mapping):
        return []
    dest = cfg.get("DestinationBucketName") or "(self)"
    return [("s3-access-logs", "s3", dest, f"LogFilePrefix {show(cfg.get('LogFilePrefix')) or '-'}")]


def _attributes(p: Props) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for a in _list(p.get("LoadBalancerAttributes")):
        if isinstance(a, Mapping) and isinstance(a.get("Key"), str):
            out[a["Key"]] = a.get("Value")
    return out


def _load_balancer(p: Props) -> list[LogRow]:
    attrs = _attributes(p)
    rows: list[LogRow] = []
    for key, log in (
        ("access_logs.s3", "elb-access-logs"),
        ("connection_logs.s3", "elb-connection-logs"),
        ("health_check_logs.s3", "elb-health-check-logs"),
    ):
        if _true(attrs.get(f"{key}.enabled")):
            rows.append(
                (
                    log,
                    "s3",
                    attrs.get(f"{key}.bucket"),
                    f"{key}.prefix {show(attrs.get(f'{key}.prefix')) or '-'}",
                )
            )
    return rows


def _distribution(p: Props) -> list[LogRow]:
    logging = _get(p, "DistributionConfig", "Logging")
    if not isinstance(logging, Mapping) or logging.get("Bucket") is None:
        return []
    return [
        (
            "cloudfront-access-logs",
            "s3",
            logging.get("Bucket"),
            f"Logging.Prefix {show(logging.get('Prefix')) or '-'}",
        )
    ]


def _waf_logging(p: Props) -> list[LogRow]:
    detail = f"ResourceArn {show(p.get('ResourceArn'))}"
    return [("waf-logs", _dest_type(d), d, detail) for d in _list(p.get("LogDestinationConfigs"))]


_NFW_TYPES = {"S3": "s3", "CloudWatchLogs": "cloudwatch-logs", "KinesisDataFirehose": "firehose"}


def _firewall_logging(p: Props) -> list[LogRow]:
    rows: list[LogRow] = []
    for c in _list(_get(p, "LoggingConfiguration", "LogDestinationConfigs")):
        if not isinstance(c, Mapping):
            continue
        dest = c.get("LogDestination") or {}
        value = (
            dest.get("bucketName") or dest.get("logGroup") or dest.get("deliveryStream")
            if isinstance(dest, Mapping)
            else dest
        )
        log = f"network-firewall-{str(c.get('LogType') or 'unknown').lower()}-logs"
        rows.append(
            (
                log,
                _NFW_TYPES.get(str(c.get("LogDestinationType")), "unknown"),
                value,
                f"FirewallArn {show(p.get('FirewallArn'))}",
            )
        )
    return rows


def _stage(p: Props) -> list[LogRow]:
    return _api_access_logs(p.get("AccessLogSetting") or p.get("AccessLogSettings"), p)


def _deployment(p: Props) -> list[LogRow]:
    return _api_access_logs(_get(p, "StageDescription", "AccessLogSetting"), p)


def _api_access_logs(setting: Any, p: Props) -> list[LogRow]:
    """The access logs of an API stage (a stage, or the stage a deployment describes)."""
    if not isinstance(setting, Mapping) or setting.get("DestinationArn") is None:
        return []
    dest = setting["DestinationArn"]
    return [
        (
            "api-access-logs",
            _dest_type(dest, "cloudwatch-logs"),
            dest,
            f"StageName {show(p.get('StageName'))}",
        )
    ]


def _resolver_logging(p: Props) -> list[LogRow]:
    dest = p.get("DestinationArn")
    return [("dns-query-logs", _dest_type(dest), dest, show(p.get("Name")))]


def _rds_logs(kind: str) -> Callable[[Props], list[LogRow]]:
    def extract(p: Props) -> list[LogRow]:
        name = show(p.get("DBInstanceIdentifier") or p.get("DBClusterIdentifier")) or "(generated name)"
        return [
            ("rds-log-exports", "cloudwatch-logs", f"/aws/rds/{kind}/{name}/{show(t)}", show(t))
            for t in _list(p.get("EnableCloudwatchLogsExports"))
        ]

    return extract


def _function(p: Props) -> list[LogRow]:
    group = _get(p, "LoggingConfig", "LogGroup")
    if group is None:
        name = p.get("FunctionName")
        group = f"/aws/lambda/{show(name)}" if name is not None else "/aws/lambda/(generated name)"
    fmt = show(_get(p, "LoggingConfig", "LogFormat")) or "Text"
    return [("lambda-logs", "cloudwatch-logs", group, f"LogFormat {fmt}")]


def _task_definition(p: Props) -> list[LogRow]:
    rows: list[LogRow] = []
    for c in _list(p.get("ContainerDefinitions")):
        if not isinstance(c, Mapping):
            continue
        cfg = c.get("LogConfiguration")
        if not isinstance(cfg, Mapping):
            continue
        driver = show(cfg.get("LogDriver"))
        options = cfg.get("Options") if isinstance(cfg.get("Options"), Mapping) else {}
        if driver == "awslogs":
            rows.append(
                (
                    "container-logs",
                    "cloudwatch-logs",
                    options.get("awslogs-group"),
                    f"Name {show(c.get('Name'))}",
                )
            )
        else:
            rows.append(("container-logs", "unknown", f"LogDriver {driver}", f"Name {show(c.get('Name'))}"))
    return rows


def _state_machine(p: Props) -> list[LogRow]:
    cfg = p.get("LoggingConfiguration")
    if not isinstance(cfg, Mapping) or str(cfg.get("Level") or "OFF") == "OFF":
        return []
    return [
        (
            "step-functions-logs",
            "cloudwatch-logs",
            _get(d, "CloudWatchLogsLogGroup", "LogGroupArn"),
            f"Level {show(cfg.get('Level'))}",
        )
        for d in _list(cfg.get("Destinations"))
    ]


def _eks(p: Props) -> list[LogRow]:
    types = [
        show(t.get("Type"))
        for t in _list(_get(p, "Logging", "ClusterLogging", "EnabledTypes"))
        if isinstance(t, Mapping)
    ]
    if not types:
        return []
    return [
        (
            "eks-control-plane-logs",
            "cloudwatch-logs",
            f"/aws/eks/{show(p.get('Name')) or '(generated name)'}/cluster",
            ", ".join(types),
        )
    ]


def _config_channel(p: Props) -> list[LogRow]:
    return [
        ("config-history", "s3", p.get("S3BucketName"), f"S3KeyPrefix {show(p.get('S3KeyPrefix')) or '-'}")
    ]


def _guardduty_export(p: Props) -> list[LogRow]:
    dest = _get(p, "DestinationProperties", "DestinationArn")
    return [("guardduty-findings-export", "s3", dest, f"DetectorId {show(p.get('DetectorId'))}")]


def _delivery(p: Props) -> list[LogRow]:
    dest = p.get("DeliveryDestinationArn")
    return [
        ("vended-logs", _dest_type(dest), dest, f"DeliverySourceName {show(p.get('DeliverySourceName'))}")
    ]


def _subscription(p: Props) -> list[LogRow]:
    dest = p.get("DestinationArn")
    return [("log-forwarding", _dest_type(dest), dest, f"LogGroupName {show(p.get('LogGroupName'))}")]


LOG_EXTRACTORS: dict[str, Callable[[Props], list[LogRow]]] = {
    "AWS::CloudTrail::Trail": _trail,
    "AWS::Config::DeliveryChannel": _config_channel,
    "AWS::EC2::FlowLog": _flow_log,
    "AWS::S3::Bucket": _bucket,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": _load_balancer,
    "AWS::CloudFront::Distribution": _distribution,
    "AWS::WAFv2::LoggingConfiguration": _waf_logging,
    "AWS::NetworkFirewall::LoggingConfiguration": _firewall_logging,
    "AWS::ApiGateway::Stage": _stage,
    "AWS::ApiGateway::Deployment": _deployment,
    "AWS::ApiGatewayV2::Stage": _stage,
    "AWS::Route53Resolver::ResolverQueryLoggingConfig": _resolver_logging,
    "AWS::RDS::DBInstance": _rds_logs("instance"),
    "AWS::RDS::DBCluster": _rds_logs("cluster"),
    "AWS::Lambda::Function": _function,
    "AWS::ECS::TaskDefinition": _task_definition,
    "AWS::StepFunctions::StateMachine": _state_machine,
    "AWS::EKS::Cluster": _eks,
    "AWS::GuardDuty::PublishingDestination": _guardduty_export,
    "AWS::Logs::Delivery": _delivery,
    "AWS::Logs::SubscriptionFilter": _subscription,
}
LOG_GROUP = "AWS::Logs::LogGroup"


# ------------------------------------------------------------------ internet-facing resources

#: (reason key, detail); None: not internet-facing
FacingRow = tuple[str, str]


def _always(
    reason: str, detail: Callable[[Props], str] = lambda p: ""
) -> Callable[[Props], FacingRow | None]:
    return lambda p: (reason, detail(p))


def _nat(p: Props) -> FacingRow | None:
    kind = _literal(p, "ConnectivityType", "public")
    return None if str(kind) == "private" else ("nat-gateway", f"ConnectivityType {kind}")


def _elbv2(p: Props) -> FacingRow | None:
    if str(_literal(p, "Type", "application")) == "gateway":
        return None
    scheme = _literal(p, "Scheme", "internet-facing")
    if str(scheme) == "internal":
        return None
    how = "Scheme internet-facing" if "Scheme" in p else "Scheme (default) internet-facing"
    return "load-balancer", f"Type {show(p.get('Type')) or 'application'}, {how}"


def _classic_elb(p: Props) -> FacingRow | None:
    scheme = _literal(p, "Scheme", "internet-facing")
    return None if str(scheme) == "internal" else ("load-balancer", f"Scheme {scheme}")


def _rest_api(p: Props) -> FacingRow | None:
    types = _get(p, "EndpointConfiguration", "Types")
    if _intrinsic(types):
        raise Undetermined("EndpointConfiguration.Types", types)
    types = [str(t) for t in _list(types)] or ["EDGE"]
    if types == ["PRIVATE"]:
        return None
    return "rest-api", f"EndpointConfiguration.Types {', '.join(types)}"


def _http_api(p: Props) -> FacingRow | None:
    if _true(_literal(p, "DisableExecuteApiEndpoint", False)):
        return "http-api", f"ProtocolType {show(p.get('ProtocolType'))}, DisableExecuteApiEndpoint true"
    return "http-api", f"ProtocolType {show(p.get('ProtocolType'))}"


def _function_url(p: Props) -> FacingRow | None:
    auth = _literal(p, "AuthType")
    return "function-url", f"AuthType {show(auth)}"


def _rds_public(p: Props) -> FacingRow | None:
    return (
        ("database-public", "PubliclyAccessible true")
        if _true(_literal(p, "PubliclyAccessible", False))
        else None
    )


def _instance(p: Props) -> FacingRow | None:
    for i, ni in enumerate(_list(p.get("NetworkInterfaces"))):
        value = _get(ni, "AssociatePublicIpAddress")
        if _intrinsic(value):
            raise Undetermined(f"NetworkInterfaces[{i}].AssociatePublicIpAddress", value)
        if _true(value):
            return "public-ip", f"NetworkInterfaces[{i}].AssociatePublicIpAddress true"
    return None


def _launch_template(p: Props) -> FacingRow | None:
    return _instance(_get(p, "LaunchTemplateData") or {})


def _subnet(p: Props) -> FacingRow | None:
    if _true(_literal(p, "MapPublicIpOnLaunch", False)):
        return (
            "public-ip",
            f"MapPublicIpOnLaunch true, CidrBlock {show(p.get('CidrBlock'))}",
        )
    return None


def _transfer(p: Props) -> FacingRow | None:
    kind = str(_literal(p, "EndpointType", "PUBLIC"))
    if kind == "PUBLIC":
        return "transfer-server", f"EndpointType PUBLIC, Protocols {show(p.get('Protocols')) or 'SFTP'}"
    if kind == "VPC" and _get(p, "EndpointDetails", "AddressAllocationIds"):
        return "transfer-server", "EndpointType VPC, EndpointDetails.AddressAllocationIds"
    return None


def _appsync(p: Props) -> FacingRow | None:
    return (
        None
        if str(_literal(p, "Visibility", "GLOBAL")) == "PRIVATE"
        else ("graphql-api", "Visibility GLOBAL")
    )


def _opensearch(p: Props) -> FacingRow | None:
    return None if p.get("VPCOptions") else ("search-domain", "no VPCOptions")


def _eks_endpoint(p: Props) -> FacingRow | None:
    value = _get(p, "ResourcesVpcConfig", "EndpointPublicAccess")
    if _intrinsic(value):
        raise Undetermined("ResourcesVpcConfig.EndpointPublicAccess", value)
    return None if _false(value) else ("kubernetes-api", "EndpointPublicAccess true")


def _website(p: Props) -> FacingRow | None:
    return ("s3-website", "WebsiteConfiguration") if p.get("WebsiteConfiguration") else None


FACING_EXTRACTORS: dict[str, Callable[[Props], FacingRow | None]] = {
    "AWS::EC2::InternetGateway": _always("internet-gateway"),
    "AWS::EC2::EIP": _always("elastic-ip", lambda p: f"Domain {show(p.get('Domain')) or 'vpc'}"),
    "AWS::EC2::NatGateway": _nat,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": _elbv2,
    "AWS::ElasticLoadBalancing::LoadBalancer": _classic_elb,
    "AWS::CloudFront::Distribution": _always("cloudfront"),
    "AWS::ApiGateway::RestApi": _rest_api,
    "AWS::ApiGatewayV2::Api": _http_api,
    "AWS::Lambda::Url": _function_url,
    "AWS::RDS::DBInstance": _rds_public,
    "AWS::RDS::DBCluster": _rds_public,
    "AWS::EC2::Instance": _instance,
    "AWS::EC2::LaunchTemplate": _launch_template,
    "AWS::EC2::Subnet": _subnet,
    "AWS::GlobalAccelerator::Accelerator": _always(
        "global-accelerator", lambda p: f"Enabled {show(p.get('Enabled')) or 'true'}"
    ),
    "AWS::Transfer::Server": _transfer,
    "AWS::EC2::ClientVpnEndpoint": _always("client-vpn"),
    "AWS::EC2::VPNConnection": _always("site-to-site-vpn", lambda p: f"Type {show(p.get('Type'))}"),
    "AWS::AppSync::GraphQLApi": _appsync,
    "AWS::OpenSearchService::Domain": _opensearch,
    "AWS::EKS::Cluster": _eks_endpoint,
    "AWS::S3::Bucket": _website,
}


# ------------------------------------------------------------------ the inventories


@dataclass(frozen=True)
class Inventories:
    log_sources: list[dict[str, Any]]
    internet_facing: list[dict[str, Any]]
    templates: int


def _base(st: Any, lid: str, rtype: str, deployed: bool | None) -> dict[str, Any]:
    return {
        "stack": st.stack_name,
        "template": st.template_file,
        "account": st.account,
        "region": st.region,
        "path": st.path_of(lid),
        "logical_id": lid,
        "resource_type": rtype,
        "conditional": deployed is None,
    }


def _log_group_index(resources: Mapping[str, Any]) -> dict[str, tuple[str, Any]]:
    """Log group logical ID -> (name as shown, RetentionInDays)."""
    out = {}
    for lid, body in resources.items():
        if isinstance(body, Mapping) and body.get("Type") == LOG_GROUP:
            props = body.get("Properties") if isinstance(body.get("Properties"), Mapping) else {}
            out[lid] = (
                show(props.get("LogGroupName")) or f"(generated name, {lid})",
                props.get("RetentionInDays"),
            )
    return out


def _refers(value: Any, lid: str) -> bool:
    from bio2_aspects.rules.base import refers_to

    return refers_to(value, lid)


def _names_group(value: str, name: str) -> bool:
    """``value`` is the log group's literal name or ARN (``...:log-group:<name>`` or ``...:<name>:*``)."""
    if name.startswith("("):
        return False
    marker = f":log-group:{name}"
    return value == name or value.endswith(marker) or f"{marker}:" in value


def _group_of(value: Any, groups: Mapping[str, tuple[str, Any]]) -> str | None:
    for glid, (name, _r) in groups.items():
        if _refers(value, glid) or (isinstance(value, str) and _names_group(value, name)):
            return glid
    return None


def _resources(stacks: Iterable[Any]) -> Iterable[tuple[Any, str, str, Props, bool | None]]:
    for st in stacks:
        env = stack_env(st.account, st.region)
        for lid in sorted(st.resources):
            body = st.resources[lid]
            if not isinstance(body, Mapping) or not isinstance(body.get("Type"), str):
                continue
            deployed = resource_exists(st.template, lid, env)
            if deployed is False:
                continue
            props = body.get("Properties") if isinstance(body.get("Properties"), Mapping) else {}
            yield st, lid, body["Type"], props, deployed


def log_sources(stacks: Sequence[Any]) -> list[dict[str, Any]]:
    """Every log source of the templates with its destination (see the module docstring)."""
    rows: list[dict[str, Any]] = []
    written: dict[str, set[str]] = {}
    groups_by_template: dict[str, dict[str, tuple[str, Any]]] = {}
    group_rows: list[tuple[Any, str, bool | None]] = []
    for st, lid, rtype, props, deployed in _resources(stacks):
        groups = groups_by_template.get(st.template_file)
        if groups is None:  # once per template (not once per resource)
            groups = groups_by_template[st.template_file] = _log_group_index(st.resources)
        if rtype == LOG_GROUP:
            group_rows.append((st, lid, deployed))
            continue
        extract = LOG_EXTRACTORS.get(rtype)
        if extract is None:
            continue
        for log, dtype, dest, detail in extract(props):
            glid = _group_of(dest, groups) if dest is not None else None
            retention = None
            if glid is not None:
                written.setdefault(st.template_file, set()).add(glid)
                retention = groups[glid][1]
                dest = groups[glid][0]
                dtype = "cloudwatch-logs"
            rows.append(
                {
                    **_base(st, lid, rtype, deployed),
                    "log": log,
                    "detail": detail,
                    "destination_type": dtype,
                    "destination": show(dest) if dest is not None else "",
                    "retention_days": show(retention) or None,
                }
            )
    for st, lid, deployed in group_rows:
        if lid in written.get(st.template_file, set()):
            continue
        name, retention = groups_by_template[st.template_file][lid]
        rows.append(
            {
                **_base(st, lid, LOG_GROUP, deployed),
                "log": "log-group",
                "detail": "",
                "destination_type": "cloudwatch-logs",
                "destination": name,
                "retention_days": show(retention) or None,
            }
        )
    rows.sort(key=lambda r: (r["template"], r["logical_id"], r["log"], r["destination"]))
    return rows


def internet_facing(stacks: Sequence[Any]) -> list[dict[str, Any]]:
    """Every internet-facing resource of the templates and why (see the module docstring)."""
    rows: list[dict[str, Any]] = []
    for st, lid, rtype, props, deployed in _resources(stacks):
        extract = FACING_EXTRACTORS.get(rtype)
        if extract is None:
            continue
        try:
            found = extract(props)
        except Undetermined as exc:
            rows.append({**_base(st, lid, rtype, deployed), "reason": "undetermined", "detail": str(exc)})
            continue
        if found is not None:
            reason, detail = found
            rows.append({**_base(st, lid, rtype, deployed), "reason": reason, "detail": detail})
    rows.sort(key=lambda r: (r["template"], r["logical_id"], r["reason"]))
    return rows


def inventories(stacks: Sequence[Any]) -> Inventories:
    return Inventories(log_sources(stacks), internet_facing(stacks), len(stacks))


def inventory_evidence(inv: Inventories) -> list[tuple[str, dict[str, Any]]]:
    """(measure, evidence item) per mapping of each inventory (``mappings/data/inventories.json``).

    * log sources: ``pass`` when the templates generate logs (the overview lists them); no item when
      there is no log source at all (an empty overview evidences nothing);
    * internet-facing register: ``pass`` when every entry is determined at synth time (an empty
      register says the templates define nothing internet-facing); ``unknown`` (never counts) when
      a property that decides an entry is known only at deploy time.
    """
    from bio2_aspects.mappings import inventory_mappings

    items: list[tuple[str, str, str, Message]] = []
    if inv.log_sources:
        stacks = len({r["template"] for r in inv.log_sources})
        items.append(
            (
                LOG_SOURCES_ID,
                "log_sources",
                "pass",
                msg(
                    "inventory.log_sources",
                    sources=len(inv.log_sources),
                    used=stacks,
                    templates=inv.templates,
                ),
            )
        )
    undetermined = [r for r in inv.internet_facing if r["reason"] == "undetermined"]
    if undetermined:
        names = ", ".join(f"{r['stack']}/{r['logical_id']}" for r in undetermined[:5])
        items.append(
            (
                INTERNET_FACING_ID,
                "internet_facing",
                "unknown",
                msg("inventory.internet_facing_undetermined", count=len(undetermined), resources=names),
            )
        )
    else:
        items.append(
            (
                INTERNET_FACING_ID,
                "internet_facing",
                "pass",
                msg("inventory.internet_facing", count=len(inv.internet_facing), templates=inv.templates),
            )
        )
    out: list[tuple[str, dict[str, Any]]] = []
    for source, section, result, detail in items:
        for m in inventory_mappings(source):
            out.append(
                (
                    m.measure,
                    {
                        "kind": "verified",
                        "rule": source,
                        "mechanism": source,
                        "result": result,
                        "stack": "",
                        "template": "",
                        "account": None,
                        "region": None,
                        "path": f"manifest.json#/{section}",
                        "logical_id": section,
                        "resource_type": INVENTORY_TYPE,
                        "detail": str(detail),
                        "message": detail.to_json(),
                        "acknowledgement_reason": None,
                        "strength": m.strength,
                        "facet": m.facet,
                        "rationale": {"en": m.rationale_en, "nl": m.rationale_nl},
                    },
                )
            )
    return out
