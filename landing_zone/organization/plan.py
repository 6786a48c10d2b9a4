"""Which organization policies to create, with what content, attached where (plain Python, no CDK).

* The guardrails the configuration attaches are packed: guardrails of one IAM-language type (SCP or
  RCP) attached to exactly the same targets share a policy document as long as it stays within the
  size quota, so a target does not run out of its five attachment slots. The other types (tag, AI
  opt-out, backup policies) have their own syntax and stay one policy each.
* Policies that other components registered (:class:`~landing_zone.core.contracts.OrgPolicySpec`) are
  added as they are.
* Every document is checked against its size quota and every target against the number of policies
  of a type AWS lets one root, OU or account have, counting the AWS-managed ``FullAWSAccess`` and
  ``RCPFullAWSAccess`` that stay attached. A failure names the policy or the target.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from landing_zone.config.errors import did_you_mean
from landing_zone.config.sections.organization import ROOT
from landing_zone.organization.policies import LIMITS, RCP, SCP, Guardrail, PolicyTooLarge, size_of
from landing_zone.organization.policies.common import TYPE_WORDS, VERSION

PREFIX = "lz"
MERGEABLE = (SCP, RCP)
_TYPE_SHORT = {SCP: "scp", RCP: "rcp"}
MAX_DESCRIPTION = 512


class GuardrailError(ValueError):
    """The organization policies cannot be deployed as configured; the message says why and where."""


@dataclass(frozen=True)
class Evidence:
    """One preventive declaration: the measures a policy enforces and the honest description."""

    measures: tuple[str, ...]
    description: str


@dataclass
class PlannedPolicy:
    """One ``AWS::Organizations::Policy`` to create."""

    name: str
    policy_type: str
    content: dict[str, Any]
    targets: tuple[str, ...]
    description: str
    evidence: list[Evidence] = field(default_factory=list)
    #: keys of the library guardrails in it (empty for registered policies)
    guardrails: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return size_of(self.content)


def pack(guardrails: Sequence[tuple[Guardrail, tuple[str, ...]]]) -> list[PlannedPolicy]:
    """The library's guardrails as policies (see the module documentation)."""
    groups: dict[tuple[str, tuple[str, ...]], list[Guardrail]] = {}
    for guardrail, targets in guardrails:
        groups.setdefault((guardrail.policy_type, tuple(targets)), []).append(guardrail)
    planned: list[PlannedPolicy] = []
    for (policy_type, targets), members in groups.items():
        if policy_type not in MERGEABLE:
            for guardrail in members:
                planned.append(_single(guardrail, targets))
            continue
        limit = LIMITS[policy_type].max_size
        bins: list[list[Guardrail]] = []
        for guardrail in members:
            if guardrail.size > limit:
                raise GuardrailError(str(PolicyTooLarge(guardrail.key, policy_type, guardrail.size)))
            for existing in bins:
                if size_of(_merged([*existing, guardrail])) <= limit:
                    existing.append(guardrail)
                    break
            else:
                bins.append([guardrail])
        base = f"{PREFIX}-{_TYPE_SHORT[policy_type]}-{_slug(targets)}"
        for index, members_of_bin in enumerate(bins, start=1):
            name = base if len(bins) == 1 else f"{base}-{index}"
            planned.append(
                PlannedPolicy(
                    name=name,
                    policy_type=policy_type,
                    content=_merged(members_of_bin),
                    targets=targets,
                    description=_describe(members_of_bin),
                    evidence=[Evidence(g.measures, g.evidence) for g in members_of_bin if g.measures],
                    guardrails=tuple(g.key for g in members_of_bin),
                )
            )
    return planned


def registered(specs: Iterable[Any]) -> list[PlannedPolicy]:
    """Policies registered by other components (``OrgPolicySpec``), one policy each."""
    out = []
    for spec in specs:
        evidence = (
            [Evidence(tuple(spec.measures), spec.evidence or spec.description)] if spec.measures else []
        )
        out.append(
            PlannedPolicy(
                name=spec.name,
                policy_type=spec.policy_type,
                content=dict(spec.content),
                targets=tuple(spec.targets),
                description=spec.description[:MAX_DESCRIPTION],
                evidence=evidence,
            )
        )
    return out


def check(policies: Sequence[PlannedPolicy], known_targets: Iterable[str]) -> None:
    """Names unique per type, targets known, sizes and per-target counts within the quotas."""
    known = set(known_targets)
    seen: dict[tuple[str, str], PlannedPolicy] = {}
    for policy in policies:
        key = (policy.policy_type, policy.name)
        if key in seen:
            raise GuardrailError(
                f"two {_plural(policy.policy_type)} are named '{policy.name}': "
                "give the registered OrgPolicySpec another name"
            )
        seen[key] = policy
        if not policy.targets:
            raise GuardrailError(f"organization policy '{policy.name}' has no targets: attach it somewhere")
        for target in policy.targets:
            if target not in known:
                raise GuardrailError(
                    f"organization policy '{policy.name}' is attached to unknown target '{target}': "
                    f"{did_you_mean(target, known)}use Root, an OU path from organization.ous or an "
                    "account name from organization.accounts"
                )
        limits = LIMITS.get(policy.policy_type)
        if limits is not None and policy.size > limits.max_size:
            raise GuardrailError(str(PolicyTooLarge(policy.name, policy.policy_type, policy.size)))
    attached: dict[tuple[str, str], list[str]] = {}
    for policy in policies:
        for target in policy.targets:
            attached.setdefault((policy.policy_type, target), []).append(policy.name)
    for (policy_type, target), names in sorted(attached.items()):
        limits = LIMITS.get(policy_type)
        if limits is None:
            continue
        every = [*limits.default_attached, *names]
        if len(every) > limits.max_per_target:
            raise GuardrailError(
                f"'{target}' would have {len(every)} {_plural(policy_type)} attached "
                f"({', '.join(every)}); AWS "
                f"Organizations allows {limits.max_per_target} per root, OU or account: attach fewer "
                "guardrails there, or attach them to the same targets as others so they can share a policy"
            )


def plan(
    guardrails: Sequence[tuple[Guardrail, tuple[str, ...]]],
    specs: Iterable[Any],
    known_targets: Iterable[str],
):
    """Pack the guardrails, add the registered policies and check them all."""
    policies = pack(guardrails) + registered(specs)
    check(policies, known_targets)
    return policies


def known_targets(ou_paths: Iterable[str], account_names: Iterable[str]) -> list[str]:
    return [ROOT, *ou_paths, *account_names]


# ------------------------------------------------------------------ helpers


def _plural(policy_type: str) -> str:
    words = TYPE_WORDS.get(policy_type, policy_type)
    return words[: -len("policy")] + "policies" if words.endswith("policy") else words


def _merged(guardrails: Sequence[Guardrail]) -> dict[str, Any]:
    return {"Version": VERSION, "Statement": [s for g in guardrails for s in g.statements]}


def _single(guardrail: Guardrail, targets: tuple[str, ...]) -> PlannedPolicy:
    return PlannedPolicy(
        name=f"{PREFIX}-{guardrail.key.replace('_', '-')}",
        policy_type=guardrail.policy_type,
        content=guardrail.document,
        targets=targets,
        description=_describe([guardrail]),
        evidence=[Evidence(guardrail.measures, guardrail.evidence)] if guardrail.measures else [],
        guardrails=(guardrail.key,),
    )


def _describe(guardrails: Sequence[Guardrail]) -> str:
    text = "BIO2 landing zone guardrails: " + "; ".join(g.title for g in guardrails)
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 3] + "..."


def _slug(targets: Sequence[str]) -> str:
    text = "-".join(re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-") for t in targets)
    if len(text) <= 60:
        return text
    digest = hashlib.sha256("|".join(targets).encode()).hexdigest()[:8]
    return f"{text[:51]}-{digest}"
