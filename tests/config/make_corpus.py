# ruff: noqa: E501  (test data: YAML fragments are clearer on one line)
"""Write ``tests/config/corpus/``: realistic single mistakes in the embedded example, with their fix.

Run ``.venv/bin/python -m tests.config.make_corpus`` after changing the example; the files are
committed. Each file is the example with one mistake (``mutate``: text replacements) and a header:

- ``# class:`` the kind of mistake (issue 16);
- ``# expect:`` a substring of the path of a reported problem;
- ``# expect-fix:`` a substring of that problem's fix;
- ``# fix-replace: OLD => NEW`` (repeatable): applying the fix the message gives, as text edits;
  ``\\n`` in OLD or NEW stands for a line break.

``tests/config/test_config_corpus.py`` checks every file: exit code 2 without a traceback, the
path, the fix, nothing written, and that the fixed file validates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from landing_zone.config import DEFAULT_CONFIG_PATH

CORPUS = Path(__file__).parent / "corpus"
EXAMPLE = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")

DECISION = (
    "\nscope_decisions:\n  - name: {name}\n    items: [{item}]\n"
    "    reason: Assessed in RA-2026-031; compensating controls are in place.\n    approved_by: CISO\n"
)


@dataclass
class Case:
    name: str
    kind: str
    mutate: list[tuple[str, str]]
    expect: str
    expect_fix: str
    fix: list[tuple[str, str]]


def _swap(old: str, new: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    return [(old, new)], [(new, old)]


def cases() -> list[Case]:
    out: list[Case] = []

    def add(name, kind, mutate, expect, expect_fix, fix=None):
        if fix is None:
            fix = [(new, old) for old, new in reversed(mutate)]
        out.append(Case(name, kind, mutate, expect, expect_fix, fix))

    # ------------------------------------------------------------------ YAML 1.1 type traps
    ids = {
        "app-prod": "666666666666",
        "log-archive": "222222222222",
        "security": "333333333333",
        "network": "444444444444",
    }
    for account, digits in ids.items():
        add(
            f"yaml-octal-account-id-{account}",
            "yaml-types",
            [(f'id: "{digits}"', f"id: 0{digits[1:]}")],
            f"organization.accounts[name={account}].id",
            f'"0{digits[1:]}"',
            [(f"id: 0{digits[1:]}", f'id: "0{digits[1:]}"')],
        )
    add(
        "yaml-float-measure-id-8-30",
        "yaml-types",
        [('- id: "8.30"', "- id: 8.30")],
        "bio2.exclusions[0].id",
        '"8.30"',
        [("- id: 8.30", '- id: "8.30"')],
    )
    add(
        "yaml-float-owner-scope-5-30-01-as-5-10",
        "yaml-types",
        [('- scope: "5.23"', "- scope: 5.10")],
        "bio2.owners",
        '"5.10"',
        [("- scope: 5.10", '- scope: "5.10"')],
    )
    add(
        "yaml-sexagesimal-rto",
        "yaml-types",
        [("rto_hours: 72", "rto_hours: 72:00")],
        "backup.tiers.low.rto_hours",
        "whole number",
        [("rto_hours: 72:00", "rto_hours: 72")],
    )
    add(
        "yaml-sexagesimal-retention",
        "yaml-types",
        [("retention_days: 1095", "retention_days: 18:15")],
        "logging.retention_days",
        "whole number",
        [("retention_days: 18:15", "retention_days: 1095")],
    )
    for field, word in (
        ("data_events: true", "data_events: yes"),
        ("insights: false", "insights: no"),
        ("macie: false", "macie: off"),
        ("access_analyzer: true", "access_analyzer: on"),
        ("cloudwatch_delivery: true", "cloudwatch_delivery: Y"),
    ):
        key = field.split(":")[0]
        value = field.split(": ")[1]
        section = {
            "data_events": "logging",
            "insights": "logging",
            "cloudwatch_delivery": "logging",
            "macie": "security",
            "access_analyzer": "security",
        }[key]
        add(
            f"yaml-bool-{key}-{word.split(': ')[1].lower()}",
            "yaml-types",
            [(field, word)],
            f"{section}.{key}",
            f"{key}: true or {key}: false",
            [(word, f"{key}: {value}")],
        )
    add(
        "yaml-unquoted-group-id-number",
        "yaml-types",
        [('id: "555555555555"', "id: 555555555555")],
        "organization.accounts[name=shared-services].id",
        'quotes: "555555555555"',
    )
    add(
        "yaml-bgp-asn-as-text",
        "yaml-types",
        [("bgp_asn: 65010", "bgp_asn: 65010:00")],
        "network.vpn[name=town-hall].bgp_asn",
        "whole number",
    )

    # ------------------------------------------------------------------ firewall order vs allowlist
    rule = "      destination: production\n      protocol: tcp\n      ports: [443]"
    for cidr in ("0.0.0.0/0", "8.8.8.0/24", "52.0.0.0/8", "1.1.1.1/32"):
        add(
            f"firewall-rule-to-internet-{cidr.replace('/', '-').replace('.', '-')}",
            "firewall-order",
            [(rule, rule.replace("destination: production", f'destination: "{cidr}"'))],
            "network.firewall_rules[0].destination",
            "egress_allowlist",
            [
                (
                    "  firewall_rules:               # everything else between segments and on-premises is "
                    "dropped\n    - description: town hall users reach the production web applications\n"
                    "      source: on-premises\n"
                    + rule.replace("destination: production", f'destination: "{cidr}"')
                    + "\n",
                    "",
                )
            ],
        )
    add(
        "firewall-rule-from-internet",
        "firewall-order",
        [
            (
                "      source: on-premises\n      destination: production",
                '      source: "0.0.0.0/0"\n      destination: production',
            )
        ],
        "network.firewall_rules[0].source",
        "private CIDR block",
        [('source: "0.0.0.0/0"', "source: on-premises")],
    )
    add(
        "firewall-rule-cidr-spans-segments",
        "firewall-order",
        [(rule, rule.replace("destination: production", 'destination: "10.16.0.0/12"'))],
        "network.firewall_rules[0].destination",
        "one segment",
        [('destination: "10.16.0.0/12"', "destination: production")],
    )
    add(
        "firewall-rule-cidr-covers-inspection",
        "firewall-order",
        [(rule, rule.replace("destination: production", 'destination: "10.16.0.0/22"'))],
        "network.firewall_rules[0].destination",
        "one segment",
        [('destination: "10.16.0.0/22"', "destination: production")],
    )

    # ------------------------------------------------------------------ segment isolation
    sandbox_account = '    - name: app-nonprod\n      id: "777777777777"\n'
    lab_account = (
        '    - name: lab\n      id: "888888888888"\n      email: aws-lab@voorbeeldstad.example\n'
        "      ou: Sandbox\n      role: sandbox\n      environment: sandbox\n"
    )
    lab_vpc = (
        "    - name: lab\n      account: lab\n      region: eu-central-1\n      cidr: 10.19.0.0/20\n"
        "      segment: {segment}\n      transit_gateway_attachment_id: tgw-attach-0a19000000000000a\n"
    )
    anchor = "  on_premises_cidrs:\n"
    for segment in ("nonproduction", "shared"):
        add(
            f"sandbox-vpc-on-{segment}-segment",
            "segment-isolation",
            [
                (sandbox_account, lab_account + sandbox_account),
                (anchor, lab_vpc.format(segment=segment) + anchor),
            ],
            "network.vpcs[name=lab]",
            "remove 'lab' from network.vpcs",
            [(lab_vpc.format(segment=segment), "")],
        )
    add(
        "sandbox-vpc-accepted-needs-decision-name",
        "segment-isolation",
        [
            (sandbox_account, lab_account + sandbox_account),
            (anchor, lab_vpc.format(segment="nonproduction") + anchor),
        ],
        "network.vpcs[name=lab]",
        "sandbox-on-internal-network",
        [("", "")],
    )
    out[-1].fix = [
        (
            EXAMPLE.rstrip("\n")[-40:],
            EXAMPLE.rstrip("\n")[-40:]
            + DECISION.format(name="sandbox-on-internal-network", item="lab").rstrip("\n"),
        )
    ]
    for source, destination in (("nonproduction", "production"), ("production", "nonproduction")):
        add(
            f"flow-{source}-to-{destination}",
            "segment-isolation",
            [
                (
                    "      source: on-premises\n      destination: production",
                    f"      source: {source}\n      destination: {destination}",
                )
            ],
            "network.firewall_rules[0]",
            "production and non-production stay apart",
            [
                (
                    f"      source: {source}\n      destination: {destination}",
                    "      source: on-premises\n      destination: production",
                )
            ],
        )
    add(
        "flow-cidr-of-nonprod-to-production",
        "segment-isolation",
        [
            (
                "      source: on-premises\n      destination: production",
                '      source: "10.18.0.0/20"\n      destination: production',
            )
        ],
        "network.firewall_rules[0]",
        "production-nonproduction-flow",
    )
    add(
        "production-vpc-in-nonprod-account",
        "segment-isolation",
        [
            (
                "      cidr: 10.18.0.0/20\n      segment: nonproduction",
                "      cidr: 10.18.0.0/20\n      segment: production",
            )
        ],
        "network.vpcs[name=app-nonprod].segment",
        "matching environment",
    )

    # ------------------------------------------------------------------ baseline coverage
    for targets, missing in (
        ("[Workloads, Sandbox]", "Security"),
        ("[Workloads, Sandbox, Security]", "Infrastructure"),
        ("[Workloads/Prod, Sandbox, Security, Infrastructure]", "Workloads"),
        ("[Workloads]", "Security"),
        ("[Security, Infrastructure]", "Workloads"),
    ):
        add(
            f"baseline-leaves-out-{targets.strip('[]').replace(', ', '-').replace('/', '-').lower()}",
            "baseline-coverage",
            [("    targets: [Root]", f"    targets: {targets}")],
            "organization.baseline.targets",
            missing,
            [(f"    targets: {targets}", "    targets: [Root]")],
        )

    # ------------------------------------------------------------------ region and protective guardrails
    attach = (
        "      approved_services: [Workloads, Sandbox]   # the allow-list applies to application accounts\n"
    )
    for key in (
        "deny_outside_regions",
        "deny_leave_organization",
        "deny_root_user",
        "protect_platform_roles",
        "protect_logging",
        "protect_security_services",
        "protect_backup",
    ):
        add(
            f"guardrail-{key.replace('_', '-')}-nowhere",
            "region-guardrails",
            [(attach, attach + f"      {key}: []\n")],
            f"organization.guardrails.attach.{key}",
            f"{key}: [Root]",
            [(f"      {key}: []\n", f"      {key}: [Root]\n")],
        )
    for key, targets in (
        ("deny_outside_regions", "[Workloads]"),
        ("protect_logging", "[Workloads, Sandbox]"),
    ):
        add(
            f"guardrail-{key.replace('_', '-')}-partial",
            "region-guardrails",
            [(attach, attach + f"      {key}: {targets}\n")],
            f"organization.guardrails.attach.{key}",
            "attach it at Root",
            [(f"      {key}: {targets}\n", "")],
        )
    add(
        "guardrail-region-opt-in-recorded-elsewhere",
        "region-guardrails",
        [(attach, attach + "      deny_outside_regions: []\n")],
        "organization.guardrails.attach.deny_outside_regions",
        "guardrail-partial-coverage",
        [],
    )
    out[-1].fix = [
        (
            EXAMPLE.rstrip("\n")[-40:],
            EXAMPLE.rstrip("\n")[-40:]
            + DECISION.format(name="guardrail-partial-coverage", item="deny_outside_regions").rstrip("\n"),
        )
    ]

    # ------------------------------------------------------------------ routing completeness
    west_spoke = (
        "    - name: app-west\n      account: app-prod\n      region: eu-west-1\n      cidr: 10.20.0.0/20\n"
        "      segment: production\n      transit_gateway_attachment_id: tgw-attach-0a20000000000000a\n"
    )
    west_inspection = (
        "    - name: inspection-west\n      account: network\n      region: eu-west-1\n      cidr: 10.21.0.0/22\n"
        "      segment: inspection\n"
    )
    west_endpoints = (
        "    - name: endpoints-west\n      account: network\n      region: eu-west-1\n      cidr: 10.22.0.0/22\n"
        "      segment: shared\n"
    )
    add(
        "spoke-in-region-without-inspection",
        "routing",
        [(anchor, west_spoke + anchor)],
        "network.vpcs[name=app-west].region",
        "add an inspection VPC in eu-west-1",
        [(anchor, west_inspection + west_endpoints + anchor)],
    )
    add(
        "spoke-in-region-without-inspection-move",
        "routing",
        [(anchor, west_spoke.replace("app-west", "app-west2") + anchor)],
        "network.vpcs[name=app-west2].region",
        "put this VPC in a region that has one",
        [
            (
                "      region: eu-west-1\n      cidr: 10.20.0.0/20",
                "      region: eu-central-1\n      cidr: 10.20.0.0/20",
            )
        ],
    )
    add(
        "shared-vpc-in-region-without-inspection",
        "routing",
        [
            (
                anchor,
                west_spoke.replace("app-west", "west-endpoints")
                .replace("account: app-prod", "account: network")
                .replace("segment: production", "segment: shared")
                .replace("      transit_gateway_attachment_id: tgw-attach-0a20000000000000a\n", "")
                + anchor,
            )
        ],
        "network.vpcs[name=west-endpoints].region",
        "inspection VPC",
        [(anchor, west_inspection + anchor)],
    )
    vpn = "    - name: town-hall\n      region: eu-central-1"
    add(
        "vpn-in-region-without-inspection",
        "routing",
        [(vpn, vpn.replace("eu-central-1", "eu-west-1"))],
        "network.vpn[name=town-hall].region",
        "inspection VPC",
    )
    add(
        "vpn-in-region-without-spokes",
        "routing",
        [(vpn, vpn.replace("eu-central-1", "eu-west-1")), (anchor, west_inspection + anchor)],
        "network.vpn[name=town-hall].region",
        "region with spoke VPCs",
        [(vpn.replace("eu-central-1", "eu-west-1"), vpn)],
    )
    add(
        "central-endpoints-without-shared-vpc-west",
        "routing",
        [(anchor, west_inspection + west_spoke + anchor)],
        "network.endpoints.mode",
        "segment: shared",
        [
            (
                anchor,
                "    - name: endpoints-west\n      account: network\n      region: eu-west-1\n      cidr: 10.22.0.0/22\n      segment: shared\n"
                + anchor,
            )
        ],
    )

    # ------------------------------------------------------------------ identity in suspended OUs
    sandbox_ou = "    - name: Sandbox             # experiments; no connection to the internal network\n"
    suspended_ou = "    - name: Suspended\n"
    old_account = (
        '    - name: old-app\n      id: "999999999999"\n      email: aws-old-app@voorbeeldstad.example\n'
        "      ou: Suspended\n      role: workload\n"
    )
    assignment = "    - {group: aws-finance, permission_set: billing, accounts: [management]}\n"
    add(
        "assignment-to-suspended-ou",
        "identity",
        [
            (sandbox_ou, sandbox_ou + suspended_ou),
            (
                assignment,
                assignment
                + "    - {group: aws-security-auditors, permission_set: security-audit, ous: [Suspended]}\n",
            ),
        ],
        "identity.assignments[6].ous[0]",
        "remove 'Suspended' from the assignment",
        [("    - {group: aws-security-auditors, permission_set: security-audit, ous: [Suspended]}\n", "")],
    )
    add(
        "assignment-to-account-in-suspended-ou",
        "identity",
        [
            (sandbox_ou, sandbox_ou + suspended_ou),
            (sandbox_account, old_account + sandbox_account),
            (
                assignment,
                assignment
                + "    - {group: aws-app-developers, permission_set: workload-readonly, accounts: [old-app]}\n",
            ),
        ],
        "identity.assignments[6].accounts[0]",
        "remove 'old-app' from the assignment",
        [("    - {group: aws-app-developers, permission_set: workload-readonly, accounts: [old-app]}\n", "")],
    )

    unwatched_admin = "    - {group: aws-network-admins, permission_set: network-admin, ous: [Sandbox]}\n"
    add(
        "privileged-assignment-in-sandbox-without-baseline",
        "identity",
        [
            (sandbox_account, lab_account + sandbox_account),
            ("    targets: [Root]", "    targets: [Workloads, Security, Infrastructure]"),
            (
                "permission_set: workload-developer, ous: [Workloads/NonProd, Sandbox]}",
                "permission_set: workload-developer, ous: [Workloads/NonProd]}",
            ),
            (assignment, assignment + unwatched_admin),
            (
                EXAMPLE.rstrip("\n")[-40:],
                EXAMPLE.rstrip("\n")[-40:]
                + DECISION.format(name="baseline-partial-coverage", item="Sandbox").rstrip("\n"),
            ),
        ],
        "identity.assignments[6]",
        "assign a permission set without administrator access there",
        [
            (
                unwatched_admin,
                unwatched_admin.replace(
                    "aws-network-admins, permission_set: network-admin",
                    "aws-app-developers, permission_set: workload-readonly",
                ),
            )
        ],
    )

    # ------------------------------------------------------------------ conflicting options
    add(
        "macie-denied-by-approved-services",
        "conflict",
        [("macie: false", "macie: true")],
        "security.macie",
        "add macie2 to organization.guardrails.approved_services",
        [
            (
                "    # approved_services: [...]  # the allow-list",
                "    approved_services: [access-analyzer, cloudformation, cloudtrail, config, ec2, iam, kms, lambda, logs, organizations, s3, ssm, sts, backup, guardduty, securityhub, macie2, inspector2, ec2messages, ssmmessages, network-firewall, route53resolver, ram, sns, sqs, events, cloudwatch]  # the allow-list",
            )
        ],
    )
    add(
        "macie-denied-switch-off",
        "conflict",
        [("macie: false", "macie: true")],
        "security.macie",
        "switch security.macie off",
    )

    # ------------------------------------------------------------------ capacity
    many = "".join(
        f"      {key}: [{target}]\n"
        for key, target in (
            ("deny_iam_users", "Workloads"),
            ("require_imdsv2", "Workloads, Sandbox, Security"),
            ("data_perimeter", "Workloads, Infrastructure"),
            ("classification_tags", "Workloads, Security"),
            ("protect_account_defaults", "Workloads, Sandbox, Infrastructure"),
            ("protect_backup", "Root, Workloads"),
        )
    )
    add(
        "scp-count-per-target",
        "capacity",
        [(attach, attach + many)],
        "organization.guardrails.attach",
        "same target list",
        [(many, "")],
    )
    big = "".join(
        f"    - name: spoke-{n:03d}\n      account: app-prod\n      region: eu-central-1\n"
        f"      cidr: 10.{80 + n // 16}.{(n % 16) * 16}.0/20\n      segment: production\n      availability_zones: 2\n"
        f"      transit_gateway_attachment_id: tgw-attach-{n + 256:017x}\n"
        for n in range(240)
    )
    add(  # 240 spokes in one region: the region's spoke stacks are full (the split holds about 218)
        "network-stack-over-500-resources",
        "capacity",
        [(anchor, big + anchor)],
        "network.vpcs",
        "give the VPCs that do not fit another region",
        [(big, big[: big.index("    - name: spoke-200\n")])],
    )

    # ------------------------------------------------------------------ messages
    for key in ("siem", "vpn", "alerts", "restore_testing"):
        start = EXAMPLE.index(f"\n  {key}:") + 1
        end = EXAMPLE.index("\n\n", start) + 1
        block = EXAMPLE[start:end]
        dedented = "".join(line[2:] + "\n" for line in block.splitlines())
        add(
            f"dedented-{key.replace('_', '-')}-block", "messages", [(block, dedented)], key, f"indent '{key}'"
        )
    add(
        "vpc-region-typo-names-the-vpc",
        "messages",
        [
            ("      cidr: 10.17.0.0/20", "      cidr: 10.17.0.0/20"),
            (
                "    - name: app-prod              # built by the app team with landing_zone.workloads.WorkloadVpc\n      account: app-prod\n      region: eu-central-1",
                "    - name: app-prod              # built by the app team with landing_zone.workloads.WorkloadVpc\n      account: app-prod\n      region: eu-centrl-1",
            ),
        ],
        "network.vpcs[name=app-prod].region",
        "did you mean 'eu-central-1'",
    )
    add(
        "allowed-region-typo-keeps-other-checks",
        "messages",
        [("    - eu-west-1                 # Ireland", "    - eu-wset-1                 # Ireland")],
        "regions.allowed[1]",
        "did you mean 'eu-west-1'",
    )
    add(
        "home-region-not-allowed",
        "messages",
        [("  home: eu-central-1 ", "  home: eu-west-3 ")],
        "regions.home",
        "add eu-west-3 to regions.allowed",
        [
            (
                "    - eu-west-1                 # Ireland: second region for backup copies\n",
                "    - eu-west-1                 # Ireland: second region for backup copies\n    - eu-west-3\n",
            )
        ],
    )
    add(
        "vpc-cidr-overlap-named",
        "messages",
        [("      cidr: 10.18.0.0/20", "      cidr: 10.17.0.0/20")],
        "network.vpcs[name=app-nonprod].cidr",
        "overlaps no other VPC",
        [
            (
                "      cidr: 10.17.0.0/20\n      segment: nonproduction",
                "      cidr: 10.18.0.0/20\n      segment: nonproduction",
            )
        ],
    )
    add(
        "vpc-account-typo-named",
        "messages",
        [("      account: app-nonprod\n", "      account: app-nonprd\n")],
        "network.vpcs[name=app-nonprod].account",
        "app-nonprod",
    )
    add(
        "account-email-duplicate-named",
        "messages",
        [("email: aws-app-nonprod@voorbeeldstad.example", "email: aws-app-prod@voorbeeldstad.example")],
        "organization.accounts[name=app-nonprod].email",
        "",
        [
            (
                "email: aws-app-prod@voorbeeldstad.example\n      ou: Workloads/NonProd",
                "email: aws-app-nonprod@voorbeeldstad.example\n      ou: Workloads/NonProd",
            )
        ],
    )
    add(
        "permission-set-typo-named",
        "messages",
        [("permission_set: workload-readonly, ous", "permission_set: workload-read-only, ous")],
        "identity.assignments[4]",
        "workload-readonly",
    )
    add(
        "unknown-top-level-key-typo",
        "messages",
        [("\nnetwork:\n", "\nnetwrok:\n")],
        "netwrok",
        "did you mean 'network'",
    )
    add(
        "unknown-nested-key-typo",
        "messages",
        [("  retention_days: 1095 ", "  retention_day: 1095 ")],
        "logging.retention_day",
        "did you mean 'retention_days'",
    )
    add(
        "scope-decision-unknown-name",
        "messages",
        [
            (
                EXAMPLE.rstrip("\n")[-40:],
                EXAMPLE.rstrip("\n")[-40:]
                + DECISION.format(name="baseline-partial", item="Sandbox").rstrip("\n"),
            )
        ],
        "scope_decisions[name=baseline-partial].name",
        "baseline-partial-coverage",
        [("name: baseline-partial\n", "name: baseline-partial-coverage\n")],
    )
    add(
        "scope-decision-short-reason",
        "messages",
        [
            (
                EXAMPLE.rstrip("\n")[-40:],
                EXAMPLE.rstrip("\n")[-40:]
                + "\nscope_decisions:\n  - {name: spoke-not-attached, reason: ok, approved_by: CISO}",
            )
        ],
        "scope_decisions[name=spoke-not-attached].reason",
        "",
        [("reason: ok,", "reason: Attachment follows next sprint (RA-2026-040),")],
    )

    # ------------------------------------------------------------------ more single-field mistakes
    for old, new, expect, fix_hint in (
        (
            "amazon_side_asn: 64512",
            "amazon_side_asn: 65535",
            "network.transit_gateway.amazon_side_asn",
            "private ASN",
        ),
        (
            "customer_gateway_ip: 203.0.113.10",
            "customer_gateway_ip: 10.0.0.1",
            "network.vpn[name=town-hall].customer_gateway_ip",
            "public IPv4",
        ),
        (
            "      bgp_asn: 65010 ",
            "      bgp_asn: 64512 ",
            "network.vpn[name=town-hall].bgp_asn",
            "two different ASNs",
        ),
        ("  retention_days: 1095 ", "  retention_days: 30 ", "logging.retention_days", ""),
        ("rpo_hours: 2 ", "rpo_hours: 1 ", "backup.tiers.high.rpo_hours", "rpo_hours to 2"),
        ("  copy_region: eu-west-1 ", "  copy_region: eu-west-3 ", "backup.copy_region", ""),
        ("    - 10.0.0.0/12 ", "    - 10.16.0.0/12 ", "network", "overlap"),
        (
            "      cidr: 10.16.4.0/22",
            "      cidr: 10.16.4.0/30",
            "network.vpcs[name=endpoints].cidr",
            "/16 to /28",
        ),
        (
            "      subnet_prefix: 22 ",
            "      subnet_prefix: 19 ",
            "network.vpcs[name=app-nonprod].subnet_prefix",
            "",
        ),
        ("  max_session_hours: 8\n", "  max_session_hours: 0\n", "identity.max_session_hours", ""),
        (
            "  admin_max_session_hours: 1 ",
            "  admin_max_session_hours: 12 ",
            "identity.admin_max_session_hours",
            "",
        ),
        (
            "    mfa_max_age_minutes: 15\n",
            "    mfa_max_age_minutes: 600\n",
            "identity.break_glass.mfa_max_age_minutes",
            "",
        ),
        (
            "  organization_id: o-voorbeeld001 ",
            "  organization_id: voorbeeld001 ",
            "logging.organization_id",
            "",
        ),
        (
            "    guardduty_min_severity: 7 ",
            "    guardduty_min_severity: 11 ",
            "security.alerts.guardduty_min_severity",
            "",
        ),
        ("    mode: central ", "    mode: centralised ", "network.endpoints.mode", "central"),
        (
            "  block_response: NODATA",
            "  block_response: DROP",
            "network.dns_firewall.block_response",
            "NODATA",
        ),
        (
            "      protocol: tcp\n      ports: [443]",
            "      protocol: tcp\n      ports: []",
            "network.firewall_rules[0].ports",
            "[443]",
        ),
        (
            "      protocol: tcp\n      ports: [443]",
            "      protocol: icmp\n      ports: [443]",
            "network.firewall_rules[0].ports",
            "remove ports",
        ),
        (
            "    - .ubuntu.com\n",
            "    - .ubuntu.com\n    - .ubuntu.com\n",
            "network.egress_allowlist[1]",
            "duplicate",
        ),
        ("    - pypi.org\n", "    - https://pypi.org\n", "network.egress_allowlist[1]", ""),
        ("  language: nl\n", "  language: de\n", "bio2.language", ""),
        (
            "      ou: Workloads/NonProd\n      role: workload\n      environment: nonprod",
            "      ou: Workloads/Nonprod\n      role: workload\n      environment: nonprod",
            "organization.accounts[name=app-nonprod].ou",
            "Workloads/NonProd",
        ),
        (
            "      environment: nonprod\n",
            "      environment: test\n",
            "organization.accounts[name=app-nonprod].environment",
            "",
        ),
        ("    level: [high]", "    level: [high]", "", ""),
        ("    levels: [high]\n", "    levels: [critical]\n", "backup.restore_testing.levels[0]", ""),
        ("  allow_non_eu: false\n", "  allow_non_eu: false\n  extra: 1\n", "regions.extra", ""),
        (
            "    - scope: technological\n      owner: Platform team",
            "    - scope: technologic\n      owner: Platform team",
            "bio2.owners[3].scope",
            "",
        ),
        ("    aggregator: true ", "    aggregator: maybe ", "security.aws_config.aggregator", "true or"),
        ("  root_id: r-a1b2 ", "  root_id: a1b2 ", "organization.root_id", "r-a1b2"),
        ("  glacier_after_days: 90 ", "  glacier_after_days: 900 ", "logging", ""),
    ):
        if not expect:
            continue
        add(
            "field-"
            + expect.replace("[name=", "-")
            .replace("]", "")
            .replace("[", "-")
            .replace(".", "-")
            .replace("_", "-")
            + (
                "-"
                + new.strip()
                .split(":")[-1]
                .strip()
                .replace(" ", "")
                .replace("/", "-")
                .replace("[", "")
                .replace("]", "")
                .replace(".", "")[:12]
                if ":" in new
                else ""
            ),
            "field",
            [(old, new)],
            expect,
            fix_hint,
        )
    return out


def render(case: Case) -> str:
    text = EXAMPLE
    for old, new in case.mutate:
        assert text.count(old) == 1, (case.name, old)
        text = text.replace(old, new)
    header = [f"# class: {case.kind}", f"# expect: {case.expect}"]
    if case.expect_fix:
        header.append(f"# expect-fix: {case.expect_fix}")
    for old, new in case.fix:
        header.append(f"# fix-replace: {_escape(old)} => {_escape(new)}")
    return "\n".join(header) + "\n" + text


def _escape(text: str) -> str:
    return text.replace("\n", "\\n")


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for old in CORPUS.glob("*.yaml"):
        old.unlink()
    for case in cases():
        (CORPUS / f"{case.name}.yaml").write_text(render(case), encoding="utf-8")
    print(f"wrote {len(cases())} files to {CORPUS}")


if __name__ == "__main__":
    main()
