"""AWS Config rules.

Measures: (strength, facet and rationale per rule in bio2_aspects/mappings/data/rules.json)
5.09.01 (a complete, current inventory of assets),
8.24.02 (keys and certificates are in that inventory), 5.18.01 (the history of privileged IAM
identities: global types).
"""

from __future__ import annotations

from bio2_aspects.messages import msg

from ._helpers import lookup, strings, synth_time, to_bool, to_str
from .base import Level, Outcome, Resource, Result, rule

RECORDER = "AWS::Config::ConfigurationRecorder"
DELIVERY_CHANNEL = "AWS::Config::DeliveryChannel"


@rule(
    "BIO2-Config-RecordAllTypes",
    types=[RECORDER],
    finding="AWS Config recorder does not record all supported resource types",
    fix="Set RecordingGroup.AllSupported to true (or RecordingStrategy.UseOnly ALL_SUPPORTED_RESOURCE_TYPES)",
)
@synth_time
def config_record_all(res: Resource) -> Outcome:
    """The recorder records every supported resource type, declared explicitly.

    An absent RecordingGroup is not accepted as proof: state the scope in the template.
    """
    group = lookup(res.properties, "RecordingGroup")
    if group is None:
        return Result.NON_COMPLIANT, msg("rule.config.no_recording_group")
    where = "RecordingGroup"
    strategy = to_str(
        lookup(group, "RecordingStrategy", "UseOnly", where=where), f"{where}.RecordingStrategy.UseOnly"
    )
    if strategy == "ALL_SUPPORTED_RESOURCE_TYPES":
        return Result.COMPLIANT
    if strategy == "EXCLUSION_BY_RESOURCE_TYPES":
        excluded = strings(
            lookup(group, "ExclusionByResourceTypes", "ResourceTypes", where=where),
            f"{where}.ExclusionByResourceTypes.ResourceTypes",
        )
        return Result.NON_COMPLIANT, msg("rule.config.excluded", types=", ".join(excluded) or "?")
    if (
        strategy is None
        and to_bool(lookup(group, "AllSupported", where=where), f"{where}.AllSupported") is True
    ):
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.config.selected_only", strategy=repr(strategy))


@rule(
    "BIO2-Config-DeliveryChannel",
    types=[RECORDER],
    finding="AWS Config recorder has no delivery channel in the same template",
    fix="Add an AWS::Config::DeliveryChannel (S3 bucket, optionally SNS topic) next to the recorder",
)
def config_delivery_channel(res: Resource) -> Outcome:
    """A delivery channel exists, so configuration history and snapshots are kept."""
    channels = [c.logical_id for c in res.stack.of_type(DELIVERY_CHANNEL)]
    if channels:
        return Result.COMPLIANT, msg("rule.config.delivery_channel", channel=channels[0])
    return Result.NON_COMPLIANT, msg("rule.config.no_channel")


@rule(
    "BIO2-Config-GlobalResources",
    types=[RECORDER],
    level=Level.WARNING,
    finding="AWS Config recorder does not record global resource types (IAM users, roles, policies)",
    fix="Set RecordingGroup.IncludeGlobalResourceTypes to true in the home region's recorder; "
    "acknowledge this warning in the other regions",
)
@synth_time
def config_global(res: Resource) -> Outcome:
    """Global (IAM) resource types are recorded, so privileged identity changes are visible."""
    value = lookup(res.properties, "RecordingGroup", "IncludeGlobalResourceTypes")
    if to_bool(value, "RecordingGroup.IncludeGlobalResourceTypes") is True:
        return Result.COMPLIANT
    return Result.NON_COMPLIANT, msg("rule.not_true", where="RecordingGroup.IncludeGlobalResourceTypes")
