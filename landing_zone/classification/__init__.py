"""Classification component: every resource carries its BIV rating (BIO2 5.12, 5.13).

What the component does (``build``, the first component to run):

* every stack of the landing zone is classified with its account's rating (:func:`classify_rating`);
* the member-account baseline is classified with ``classification.baseline_rating`` (the highest
  rating of any member account, unless the configuration names one);
* a :class:`ClassificationTagger` on the app and on the baseline's stage completes what CDK's
  ``Tags`` cannot reach, so every taggable resource of every template carries the three tags.

App teams classify their own resources with :func:`classify`. The tag policy that fixes the tag
keys and values organisation-wide is the organization component's; :func:`tag_policy_content`
gives it the document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from landing_zone.classification.labels import (
    BBN_LEVELS,
    DUTCH_ASPECTS,
    DUTCH_LEVELS,
    TAG_KEYS,
    allowed_tag_values,
    rating_tags,
    tag_policy_content,
)
from landing_zone.classification.tagging import (
    ClassificationTagger,
    attach,
    classification_of,
    classify,
    classify_rating,
)
from landing_zone.core.contracts import ClassificationOutputs, Placement

if TYPE_CHECKING:
    from landing_zone.config import LandingZoneConfig

__all__ = [
    "BBN_LEVELS",
    "DUTCH_ASPECTS",
    "DUTCH_LEVELS",
    "TAG_KEYS",
    "ClassificationTagger",
    "allowed_tag_values",
    "attach",
    "build",
    "classification_of",
    "classify",
    "classify_rating",
    "rating_tags",
    "tag_policy_content",
]


def build(config: LandingZoneConfig, placement: Placement) -> ClassificationOutputs:
    """Classify every stack with its account's rating and the member-account baseline with the
    baseline rating; attach the tagger to the landing zone's root and to the baseline's stage."""
    classification = config.classification
    accounts = {account.role: account for account in config.organization.accounts}
    for key, stack in placement.stacks.items():
        account = accounts[key.role]
        classify_rating(stack, classification.rating_for(account.name, account.ou))
    classify_rating(placement.baseline.stack, classification.baseline_rating(config.organization.accounts))
    return ClassificationOutputs(
        taggers=(
            attach(placement.root, classification.default),
            attach(placement.baseline.stage, classification.default),
        )
    )
