"""``classification``: BIV ratings (beschikbaarheid, integriteit, vertrouwelijkheid).

Every account gets a rating for confidentiality, integrity and availability, each ``low``,
``medium`` or ``high``. The rating of an account is, in this order: its entry in ``accounts``,
the entry of its OU or of the nearest parent OU in ``ous``, or ``default``. Resources are
tagged with it and the availability level picks the backup tier. App teams override the rating of
their own resources in code (``landing_zone.classification.classify``).

The member-account baseline is one template for every member account, so its own resources get one
rating: ``baseline``, or else the highest level per aspect over all member accounts (a backup vault
holds the data of its account, so it is never rated lower than that account).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from landing_zone.config.base import ConfigModel
from landing_zone.config.errors import Problem, path_of
from landing_zone.config.sections.organization import unknown_account, unknown_ou

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig
    from landing_zone.config.sections.organization import Account

Level = Literal["low", "medium", "high"]
LEVELS: tuple[Level, ...] = ("low", "medium", "high")
"""The fixed classification levels, lowest first."""
ASPECTS: tuple[str, ...] = ("confidentiality", "integrity", "availability")
"""The three aspects of a BIV rating, in the order BIO2 names them in English (C, I, A)."""


class Rating(ConfigModel):
    """A BIV rating: a level for each of confidentiality, integrity and availability."""

    confidentiality: Level = Field(description="Vertrouwelijkheid: harm if the data is disclosed.")
    integrity: Level = Field(description="Integriteit: harm if the data is wrong or altered.")
    availability: Level = Field(description="Beschikbaarheid: harm if the service is unavailable.")


def highest(ratings: Iterable[Rating]) -> Rating | None:
    """Per aspect the highest level of ``ratings`` (None when there are none)."""
    found = list(ratings)
    if not found:
        return None
    return Rating(
        **{aspect: max((getattr(r, aspect) for r in found), key=LEVELS.index) for aspect in ASPECTS}
    )


class ClassificationSection(ConfigModel):
    """Default BIV ratings for the whole organization, per OU and per account."""

    levels: ClassVar[tuple[Level, ...]] = LEVELS

    default: Rating = Field(
        default=Rating(confidentiality="medium", integrity="medium", availability="medium"),
        description="Rating of every account that no OU or account entry covers.",
    )
    ous: dict[str, Rating] = Field(
        default={},
        description="Ratings by OU path (`Workloads/Prod`); they apply to the OU's accounts and nested OUs.",
    )
    accounts: dict[str, Rating] = Field(
        default={}, description="Ratings by account name; they take precedence over OU ratings."
    )
    baseline: Rating | None = Field(
        default=None,
        description=(
            "Rating of the member-account baseline's own resources (backup vault, key, role...), which "
            "are the same in every member account. Default: per aspect the highest rating of any "
            "member account."
        ),
    )

    def rating_for(self, account_name: str, ou_path: str) -> Rating:
        """The rating of the account ``account_name`` in OU ``ou_path`` (``Root`` for the
        management account)."""
        if account_name in self.accounts:
            return self.accounts[account_name]
        parts = ou_path.split("/")
        for depth in range(len(parts), 0, -1):
            rating = self.ous.get("/".join(parts[:depth]))
            if rating is not None:
                return rating
        return self.default

    def baseline_rating(self, accounts: Iterable[Account]) -> Rating:
        """``baseline``, or else per aspect the highest rating of the member ``accounts``.

        ``accounts`` are ``organization.accounts``; the management account is left out (the
        member-account baseline is not deployed there).
        """
        if self.baseline is not None:
            return self.baseline
        found = highest(self.rating_for(a.name, a.ou) for a in accounts if a.role != "management")
        return found or self.default


def check(cfg: LandingZoneConfig) -> list[Problem]:
    """Classification checks:

    - Every OU path in `ous` exists in organization.ous.
    - Every account name in `accounts` exists in organization.accounts.
    """
    classification = cfg.classification
    problems: list[Problem] = []
    for ou_path in classification.ous:
        problems += unknown_ou(cfg, ou_path, path_of("classification", "ous", ou_path))
    for name in classification.accounts:
        problems += unknown_account(cfg, name, path_of("classification", "accounts", name))
    return problems
