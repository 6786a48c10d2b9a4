"""Amazon ECS rules: container hardening in task definitions and Container Insights on clusters.

Measures: 8.18.01 (powerful host-level privileges only where strictly necessary: no privileged
containers), 8.19.01 (no unauthorised software is installed at run time: the root filesystem
is read-only), 8.27.01 (secure-by-default design: containers run as a non-root user, clusters
collect the metrics and performance logs needed to notice abnormal behaviour).

Windows containers (``RuntimePlatform.OperatingSystemFamily`` WINDOWS_*) do not support the
``User``/``ReadonlyRootFilesystem``/``Privileged`` settings: those rules are NOT_APPLICABLE.
"""

from __future__ import annotations

from collections.abc import Callable

from bio2_aspects.messages import msg

from ._helpers import items, lookup, synth_time, to_bool, to_str
from .base import Level, Outcome, Resource, Result, rule

TASK_DEFINITION = "AWS::ECS::TaskDefinition"
CLUSTER = "AWS::ECS::Cluster"

_ROOT_USERS = frozenset({"root", "0"})


def _windows(res: Resource) -> bool:
    family = to_str(
        lookup(res.properties, "RuntimePlatform", "OperatingSystemFamily"),
        "RuntimePlatform.OperatingSystemFamily",
    )
    return bool(family) and family.upper().startswith("WINDOWS")


def _each_container(res: Resource, check: Callable[[object, str], str | None]) -> Outcome:
    if _windows(res):
        return Result.NOT_APPLICABLE, "Windows containers do not support this setting"
    containers = items(res.properties.get("ContainerDefinitions"), "ContainerDefinitions")
    if not containers:
        return Result.NOT_APPLICABLE, "no container definitions"
    problems = []
    for i, container in enumerate(containers):
        where = f"ContainerDefinitions[{i}]"
        name = lookup(container, "Name", where=where)
        problem = check(container, where)
        if problem:
            problems.append(
                f"{where} ({name}): {problem}" if isinstance(name, str) else f"{where}: {problem}"
            )
    if problems:
        return Result.NON_COMPLIANT, msg("rule.findings", findings_list=problems)
    return Result.COMPLIANT


def _non_root(container: object, where: str) -> str | None:
    user = to_str(lookup(container, "User", where=where), f"{where}.User")
    if user is None:
        return "User is not set (the image's user, root by default)"
    if user.split(":", 1)[0].strip().lower() in _ROOT_USERS:
        return f"User is {user}"
    return None


def _read_only(container: object, where: str) -> str | None:
    flag = to_bool(
        lookup(container, "ReadonlyRootFilesystem", where=where), f"{where}.ReadonlyRootFilesystem"
    )
    return None if flag is True else "ReadonlyRootFilesystem is not true"


def _not_privileged(container: object, where: str) -> str | None:
    flag = to_bool(lookup(container, "Privileged", where=where), f"{where}.Privileged")
    return "Privileged is true" if flag is True else None


@rule(
    "BIO2-ECS-NonRootUser",
    types=[TASK_DEFINITION],
    finding="ECS container runs as root (or as the image's default user)",
    fix="Set User on every container definition to a non-root UID (e.g. '1000:1000')",
)
@synth_time
def ecs_non_root(res: Resource) -> Outcome:
    """Every container sets User, and not to root or UID 0."""
    return _each_container(res, _non_root)


@rule(
    "BIO2-ECS-ReadOnlyRootFilesystem",
    types=[TASK_DEFINITION],
    finding="ECS container has a writable root filesystem",
    fix="Set ReadonlyRootFilesystem to true on every container definition; mount a volume for "
    "the paths the application must write",
)
@synth_time
def ecs_read_only(res: Resource) -> Outcome:
    """Every container sets ReadonlyRootFilesystem true."""
    return _each_container(res, _read_only)


@rule(
    "BIO2-ECS-NoPrivileged",
    types=[TASK_DEFINITION],
    finding="ECS container runs privileged (root on the host)",
    fix="Remove Privileged (or set it to false); grant specific Linux capabilities instead",
)
@synth_time
def ecs_not_privileged(res: Resource) -> Outcome:
    """No container sets Privileged true."""
    return _each_container(res, _not_privileged)


@rule(
    "BIO2-ECS-ContainerInsights",
    types=[CLUSTER],
    level=Level.WARNING,
    finding="ECS cluster does not collect Container Insights",
    fix="Set ClusterSettings [{Name: containerInsights, Value: enhanced}] (or enabled) "
    "(CDK: container_insights_v2=ContainerInsights.ENHANCED)",
)
@synth_time
def ecs_container_insights(res: Resource) -> Outcome:
    """ClusterSettings has containerInsights set to enabled or enhanced."""
    for i, setting in enumerate(items(res.properties.get("ClusterSettings"), "ClusterSettings")):
        where = f"ClusterSettings[{i}]"
        if to_str(lookup(setting, "Name", where=where), f"{where}.Name") == "containerInsights":
            value = to_str(lookup(setting, "Value", where=where), f"{where}.Value")
            if value in ("enabled", "enhanced"):
                return Result.COMPLIANT
            return Result.NON_COMPLIANT, msg("rule.is", where=f"{where}.Value", value=repr(value))
    return Result.NON_COMPLIANT, msg("rule.ecs.no_insights")
