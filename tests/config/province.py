"""A province-sized configuration of our own, built from the embedded example (for scale tests).

``province(accounts=40, regions=3, vpcs=20)``: the five core accounts plus workload and sandbox
accounts up to ``accounts``; ``regions`` EU regions (home first); per region an inspection VPC and
a shared VPC for the central endpoints in the network account, the rest of the ``vpcs`` are spokes
of workload accounts spread over the regions, each with its attachment ID.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from landing_zone.config import DEFAULT_CONFIG_PATH
from landing_zone.config.yaml12 import dump as dump_yaml
from landing_zone.config.yaml12 import load

REGIONS = ("eu-central-1", "eu-west-1", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2")


def example() -> dict[str, Any]:
    return load(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))


def province(
    accounts: int = 40,
    regions: int = 3,
    vpcs: int = 20,
    spokes_per_region: int | Sequence[int] | None = None,
) -> dict[str, Any]:
    """The configuration as data; ``spokes_per_region`` overrides ``vpcs`` (spokes in each region, or
    a count per region, home first)."""
    data = example()
    org = data["organization"]
    core = [a for a in org["accounts"] if a["role"] != "workload"]
    workloads = []
    for number in range(accounts - len(core)):
        environment = ("prod", "nonprod", "sandbox")[number % 3]
        ou = {"prod": "Workloads/Prod", "nonprod": "Workloads/NonProd", "sandbox": "Sandbox"}[environment]
        workloads.append(
            {
                "name": f"app-{number:03d}-{environment}",
                "id": f"{600000000000 + number:012d}",
                "email": f"aws-app-{number:03d}@voorbeeldstad.example",
                "ou": ou,
                "role": "sandbox" if environment == "sandbox" else "workload",
                "environment": environment,
            }
        )
    org["accounts"] = core + workloads
    allowed = list(REGIONS[:regions])
    data["regions"]["allowed"] = allowed
    data["backup"]["copy_region"] = allowed[1] if len(allowed) > 1 else allowed[0]
    attachable = [a for a in workloads if a["environment"] != "sandbox"]
    network_vpcs: list[dict[str, Any]] = []
    blocks = ipaddress.IPv4Network("10.64.0.0/10").subnets(new_prefix=22)
    for region in allowed:
        network_vpcs.append(
            {"name": f"inspection-{region}", "account": "network", "region": region,
             "cidr": str(next(blocks)), "segment": "inspection"}
        )  # fmt: skip
        network_vpcs.append(
            {"name": f"endpoints-{region}", "account": "network", "region": region,
             "cidr": str(next(blocks)), "segment": "shared"}
        )  # fmt: skip
    if spokes_per_region is None:
        spoke_count = max(vpcs - len(network_vpcs), 0)
        placement = [allowed[n % len(allowed)] for n in range(spoke_count)]
    else:
        counts = (
            [spokes_per_region] * len(allowed) if isinstance(spokes_per_region, int) else spokes_per_region
        )
        placement = [region for region, count in zip(allowed, counts, strict=True) for _ in range(count)]
    for number, region in enumerate(placement):
        account = attachable[number % len(attachable)]
        network_vpcs.append(
            {
                "name": f"spoke-{number:03d}",
                "account": account["name"],
                "region": region,
                "cidr": str(next(blocks)),
                "segment": "production" if account["environment"] == "prod" else "nonproduction",
                "availability_zones": 2,
                "transit_gateway_attachment_id": f"tgw-attach-{number + 1:017x}",
            }
        )
    data["network"]["vpcs"] = network_vpcs
    return data


def dump(data: dict[str, Any]) -> str:
    return dump_yaml(data)
