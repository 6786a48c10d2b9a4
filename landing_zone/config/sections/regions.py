"""``regions``: where the landing zone may run, and the data-residency guard.

Data residency here means *inside the European Union*: a region counts as EU only when it is
in an EU member state. London (eu-west-2, United Kingdom since Brexit) and Zurich
(eu-central-2, Switzerland) have "eu-" names and GDPR adequacy decisions, but they are not in
the EU, so they need the same explicit ``allow_non_eu: true`` as any other non-EU region.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, Field

from landing_zone.config.base import ConfigModel, invalid
from landing_zone.config.errors import Problem, did_you_mean, duplicates, path_of

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig

KNOWN_REGIONS: dict[str, str] = {
    "af-south-1": "Cape Town",
    "ap-east-1": "Hong Kong",
    "ap-east-2": "Taipei",
    "ap-northeast-1": "Tokyo",
    "ap-northeast-2": "Seoul",
    "ap-northeast-3": "Osaka",
    "ap-south-1": "Mumbai",
    "ap-south-2": "Hyderabad",
    "ap-southeast-1": "Singapore",
    "ap-southeast-2": "Sydney",
    "ap-southeast-3": "Jakarta",
    "ap-southeast-4": "Melbourne",
    "ap-southeast-5": "Malaysia",
    "ap-southeast-6": "New Zealand",
    "ap-southeast-7": "Thailand",
    "ca-central-1": "Canada Central",
    "ca-west-1": "Calgary",
    "eu-central-1": "Frankfurt",
    "eu-central-2": "Zurich",
    "eu-north-1": "Stockholm",
    "eu-south-1": "Milan",
    "eu-south-2": "Spain",
    "eu-west-1": "Ireland",
    "eu-west-2": "London",
    "eu-west-3": "Paris",
    "il-central-1": "Tel Aviv",
    "me-central-1": "UAE",
    "me-south-1": "Bahrain",
    "mx-central-1": "Mexico Central",
    "sa-east-1": "Sao Paulo",
    "us-east-1": "N. Virginia",
    "us-east-2": "Ohio",
    "us-west-1": "N. California",
    "us-west-2": "Oregon",
}
"""Regions of the commercial AWS partition (``aws``), with their location. A landing zone
cannot span partitions, so China, GovCloud, ISO and European Sovereign Cloud regions are not here."""

EU_REGIONS: frozenset[str] = frozenset(
    {"eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3"}
)
"""Regions located in an EU member state (Germany, Sweden, Italy, Spain, Ireland, France)."""

OTHER_PARTITIONS: dict[str, str] = {"eusc-": "aws-eusc", "cn-": "aws-cn", "us-gov-": "aws-us-gov"}
"""Region name prefixes of partitions the landing zone cannot use."""

REGION_PATTERN = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-[0-9]$")


def describe(region: str) -> str:
    """``eu-west-2 (London)``."""
    location = KNOWN_REGIONS.get(region)
    return f"{region} ({location})" if location else region


def _known_region(value: str) -> str:
    if value in KNOWN_REGIONS:
        return value
    suggestion = did_you_mean(value.strip().lower(), KNOWN_REGIONS)
    partition = next((name for prefix, name in OTHER_PARTITIONS.items() if value.startswith(prefix)), None)
    if partition:
        raise invalid(
            f"'{value}' is in the {partition} partition; this landing zone runs in the commercial 'aws' "
            "partition",
            "use a commercial region such as eu-central-1; an organization cannot span partitions",
        )
    if not REGION_PATTERN.match(value):
        raise invalid(
            f"'{value}' is not an AWS region name",
            f"{suggestion}write a region code in lowercase, such as eu-central-1",
        )
    if value not in KNOWN_REGIONS:
        raise invalid(
            f"'{value}' is not a known AWS region",
            f"{suggestion}use a region code of the commercial partition, such as eu-central-1 (a region "
            "AWS opened after this version of the landing zone needs a newer version)",
        )
    return value


Region = Annotated[
    str,
    AfterValidator(_known_region),
    Field(json_schema_extra={"enum": sorted(KNOWN_REGIONS)}),
]
"""The code of a region of the commercial AWS partition, such as ``eu-central-1``."""


class RegionsSection(ConfigModel):
    """Regions the landing zone deploys to; all others are denied by SCP."""

    home: Region = Field(
        default="eu-central-1",
        description=(
            "Home region: Organizations, Identity Center, the organization trail and the log archive "
            "live here."
        ),
    )
    allowed: tuple[Region, ...] = Field(
        default=("eu-central-1", "eu-west-1"),
        min_length=1,
        description="Every region that may be used, including the home region. An SCP denies all others.",
    )
    allow_non_eu: bool = Field(
        default=False,
        description=(
            "Allow regions outside the EU (including London and Zurich). Only set this after a documented "
            "risk assessment of data residency."
        ),
    )


def unlisted_region(cfg: LandingZoneConfig, region: str, path: str) -> list[Problem]:
    """A problem at ``path`` when ``region`` is not in regions.allowed; for sections that name regions."""
    if region in cfg.regions.allowed:
        return []
    return [
        Problem(
            path,
            f"{region} is not in regions.allowed ({', '.join(cfg.regions.allowed)})",
            f"use an allowed region, or add {region} to regions.allowed",
        )
    ]


def check(cfg: LandingZoneConfig) -> list[Problem]:
    """Region checks:

    - The home region is one of the allowed regions.
    - No region is listed twice.
    - Regions outside the EU (London eu-west-2 and Zurich eu-central-2 included) need
      `allow_non_eu: true`.
    """
    regions = cfg.regions
    problems = unlisted_region(cfg, regions.home, "regions.home")
    for index, first in duplicates(regions.allowed):
        problems.append(
            Problem(
                path_of("regions", "allowed", index),
                f"{regions.allowed[index]} is listed twice (also at regions.allowed[{first}])",
                "remove the duplicate",
            )
        )
    if not regions.allow_non_eu:
        for index, region in enumerate(regions.allowed):
            if region not in EU_REGIONS:
                problems.append(
                    Problem(
                        path_of("regions", "allowed", index),
                        f"{describe(region)} is outside the European Union; data residency keeps "
                        "government data in EU member states",
                        "remove it and use an EU region (eu-central-1, eu-west-1, eu-west-3, eu-north-1, "
                        "eu-south-1, eu-south-2), or set regions.allow_non_eu: true after a documented "
                        "risk assessment",
                    )
                )
    return problems
