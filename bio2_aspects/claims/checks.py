"""The claim checks: small, generic, pure functions over a resource of a written template.

A check names the facts a claim relies on and tests them on the synthesized template, after every
escape-hatch override. It never trusts a construct's intent: a Service Control Policy is read for
its Deny statements, their actions, resources and conditions, and for the roots, OUs and accounts
it is attached to; a detector for ``Enable`` and its features; a rule for its ``State``. A value
known only at deploy time (a parameter, an import) never counts as a fact that holds, except
where the template itself bounds it (a root ID parameter whose ``AllowedPattern`` admits only
organization root IDs).

Each check is a frozen dataclass (its parameters are plain JSON data, so a claim travels in the
cloud assembly's metadata) with ``evaluate(ctx) -> (holds, detail)``. The engine knows nothing of
any landing zone: the caller passes the parameters.

A check whose fact holds for *part* of what the claim needs returns :class:`Narrowed` instead: the
scope it covers and the scope it does not (an organization policy attached to some OUs but not to
the root, an aggregator over some of the regions, a conformance pack that excludes accounts). The
claim then counts as narrowed evidence, never as the full fact; a fact that does not hold at all
(an emptied or ``Allow *`` policy, a policy attached to nothing) still fails.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from bio2_aspects.messages import msg

if TYPE_CHECKING:
    from bio2_aspects.assembly import StackTemplate


@dataclass(frozen=True)
class Narrowed:
    """A fact that holds for part of the scope a claim needs: what it ``covers`` and what it does
    not (``missing``), both as names an auditor can check (OU paths, accounts, regions)."""

    covers: tuple[str, ...]
    missing: tuple[str, ...]
    detail: str
    #: what the names are: ``ou`` (organizational units and accounts), ``region`` or ``account``
    unit: str = "ou"


Verdict = tuple[bool, str]
Outcome = Verdict | Narrowed

SCP = "SERVICE_CONTROL_POLICY"
RCP = "RESOURCE_CONTROL_POLICY"
TAG_POLICY = "TAG_POLICY"
ROOT_ID = re.compile(r"^r-[0-9a-z]{4,32}$")
ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
#: Condition operators that exempt principals from a Deny (the deny still holds for all others).
_EXEMPT_OPERATORS = ("arnnotlike", "arnnotequals", "stringnotlike", "stringnotequals")
_PRINCIPAL_ARN = "aws:principalarn"
_USER_ARN = re.compile(r"^arn:aws[a-z-]*:iam::[0-9]{12}:user/[^*?\s]+$")


@dataclass(frozen=True)
class ClaimContext:
    """The resource a claim is made on, its template, and every template of the assembly."""

    stack: StackTemplate
    logical_id: str
    stacks: Sequence[StackTemplate] = ()

    @property
    def resource(self) -> Mapping[str, Any]:
        body = self.stack.resources.get(self.logical_id)
        return body if isinstance(body, Mapping) else {}

    @property
    def type(self) -> str:
        return str(self.resource.get("Type", ""))

    @property
    def props(self) -> Mapping[str, Any]:
        props = self.resource.get("Properties")
        return props if isinstance(props, Mapping) else {}

    def others(self, cfn_type: str) -> Iterable[tuple[str, Mapping[str, Any]]]:
        """Resources of ``cfn_type`` in the same template that certainly exist (Conditions evaluated)."""
        from bio2_aspects.conditions import resource_exists, stack_env

        env = stack_env(self.stack.account, self.stack.region)
        for lid, body in sorted(self.stack.resources.items()):
            if not isinstance(body, Mapping) or body.get("Type") != cfn_type:
                continue
            if resource_exists(self.stack.template, lid, env) is True:
                props = body.get("Properties")
                yield lid, props if isinstance(props, Mapping) else {}


# ------------------------------------------------------------------ registry


CHECKS: dict[str, type[Check]] = {}


@dataclass(frozen=True)
class Check:
    """Base class: a named, parameterised fact test (see the module documentation)."""

    #: resource types the check applies to (empty: any)
    types: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        CHECKS[cls.__name__] = cls

    def to_json(self) -> dict[str, Any]:
        return {"check": type(self).__name__, **json.loads(json.dumps(asdict(self)))}

    def evaluate(self, ctx: ClaimContext) -> Outcome:
        if self.types and ctx.type not in self.types:
            return False, msg(
                "check.wrong_type", check=type(self).__name__, types=list(self.types), type=ctx.type or "?"
            )
        return self.test(ctx)

    def test(self, ctx: ClaimContext) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def facts(self) -> str:
        """One line naming the facts the check relies on (shown with the evidence)."""
        params = ", ".join(f"{k}={v}" for k, v in asdict(self).items() if v not in (None, (), [], {}))
        return f"{type(self).__name__}({params})"


def check_from_json(data: Mapping[str, Any]) -> Check:
    """A check back from its metadata form; unknown checks raise ValueError."""
    params = dict(data)
    name = params.pop("check", None)
    cls = CHECKS.get(str(name))
    if cls is None:
        raise ValueError(f"unknown claim check {name!r}; known: {', '.join(sorted(CHECKS))}")
    fixed = {k: _freeze(v) for k, v in params.items()}
    return cls(**fixed)


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    return value


# ------------------------------------------------------------------ helpers


def _literal_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _document(value: Any) -> Mapping[str, Any] | None:
    """A policy document written as an object or as a JSON string; None when only deploy time knows."""
    if isinstance(value, Mapping):
        return value if not any(k.startswith("Fn::") or k == "Ref" for k in value) else None
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, Mapping) else None
    return None


def _refers(value: Any, logical_id: str) -> bool:
    if isinstance(value, Mapping):
        if value.get("Ref") == logical_id:
            return True
        att = value.get("Fn::GetAtt")
        if isinstance(att, list) and att and att[0] == logical_id:
            return True
        return any(_refers(v, logical_id) for v in value.values())
    if isinstance(value, list):
        return any(_refers(v, logical_id) for v in value)
    return False


def _pattern_covers(pattern: str, wanted: str) -> bool:
    """An IAM pattern (``*``/``?`` wildcards, case-insensitive) matches every value ``wanted`` stands for."""
    return fnmatch.fnmatchcase(wanted.lower(), pattern.lower())


def _pattern_overlaps(pattern: str, wanted: str) -> bool:
    p, w = pattern.lower(), wanted.lower()
    return fnmatch.fnmatchcase(w, p) or fnmatch.fnmatchcase(p, w)


def _statements(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [s for s in _list(doc.get("Statement")) if isinstance(s, Mapping)]


def _covers(statement: Mapping[str, Any], key: str, wanted: str) -> bool:
    """``Action``/``Resource`` covers ``wanted``, or ``NotAction``/``NotResource`` does not spare it."""
    positive = statement.get(key)
    if positive is not None:
        return any(isinstance(p, str) and _pattern_covers(p, wanted) for p in _list(positive))
    negative = statement.get(f"Not{key}")
    if negative is not None:
        return not any(isinstance(p, str) and _pattern_overlaps(p, wanted) for p in _list(negative))
    return False


def _norm_condition(cond: Any) -> dict[tuple[str, str], frozenset[str]] | None:
    if cond is None:
        return {}
    if not isinstance(cond, Mapping):
        return None
    out: dict[tuple[str, str], frozenset[str]] = {}
    for op, body in cond.items():
        if not isinstance(body, Mapping):
            return None
        for key, values in body.items():
            vals = _list(values)
            if not all(isinstance(v, (str, bool, int)) for v in vals):
                return None
            out[(str(op).lower(), str(key).lower())] = frozenset(str(v).lower() for v in vals)
    return out


def _condition_allowed(
    cond: Any, exempt: Sequence[str], when: Mapping[str, Mapping[str, Any]] | None
) -> tuple[bool, str]:
    """A Deny's condition narrows it only by the allowed exemptions and the claimed ``when`` terms."""
    found = _norm_condition(cond)
    if found is None:
        return False, msg("check.condition_deploy_time")
    allowed_when = _norm_condition(when or {}) or {}
    allowed_exempt = {e.lower() for e in exempt}
    for (op, key), values in sorted(found.items()):
        if allowed_when.get((op, key)) == values:
            continue
        if op in _EXEMPT_OPERATORS and key == _PRINCIPAL_ARN:
            extra = sorted(values - allowed_exempt)
            if extra:
                return False, msg("check.exempts_more", principals=extra)
            continue
        return False, msg("check.narrowed", op=op, key=key, values=str(sorted(values)))
    return True, ""


def _root_target(ctx: ClaimContext, target: Any) -> bool:
    """A target that is certainly the organization root."""
    if isinstance(target, str):
        return bool(ROOT_ID.match(target))
    if isinstance(target, Mapping) and isinstance(target.get("Ref"), str):
        param = (ctx.stack.template.get("Parameters") or {}).get(target["Ref"])
        if isinstance(param, Mapping):
            pattern = str(param.get("AllowedPattern", ""))
            return pattern.startswith("^r-") and pattern.endswith("$") and "|" not in pattern
    return False


def _ou_path(ctx: ClaimContext, target: Any, depth: int = 0) -> str | None:
    """The OU path (``Workloads/Prod``) of a target that refers to an OU of this template."""
    if depth > 10 or not isinstance(target, Mapping):
        return None
    att = target.get("Fn::GetAtt")
    lid = att[0] if isinstance(att, list) and att else target.get("Ref")
    body = ctx.stack.resources.get(lid) if isinstance(lid, str) else None
    if not isinstance(body, Mapping) or body.get("Type") != "AWS::Organizations::OrganizationalUnit":
        return None
    props = body.get("Properties") or {}
    name = props.get("Name")
    if not isinstance(name, str):
        return None
    parent = props.get("ParentId")
    if _root_target(ctx, parent):
        return name
    above = _ou_path(ctx, parent, depth + 1)
    return f"{above}/{name}" if above else None


def _describe_target(ctx: ClaimContext, target: Any) -> str:
    if _root_target(ctx, target):
        return "Root"
    path = _ou_path(ctx, target)
    if path:
        return path
    return target if isinstance(target, str) else json.dumps(target, sort_keys=True)


# ------------------------------------------------------------------ organization policies


@dataclass(frozen=True)
class PolicyDenies(Check):
    """An organization policy (SCP or RCP) denies every one of ``actions`` on ``resources`` (``*`` when
    not given), in a Deny statement whose Condition narrows it only by exempting the principals in
    ``exempt`` (``aws:PrincipalArn`` in an ``Arn/StringNot*`` operator) and by the ``when`` terms."""

    types: ClassVar[tuple[str, ...]] = ("AWS::Organizations::Policy",)
    actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    exempt: tuple[str, ...] = ()
    when: Mapping[str, Mapping[str, Any]] | None = None
    policy_type: str = SCP

    def test(self, ctx: ClaimContext) -> Verdict:
        if ctx.props.get("Type") != self.policy_type:
            return False, msg(
                "check.policy_type", found=repr(ctx.props.get("Type")), expected=self.policy_type
            )
        doc = _document(ctx.props.get("Content"))
        if doc is None:
            return False, msg("check.policy_not_literal")
        if not self.actions:
            return False, msg("check.no_actions")
        resources = self.resources or ("*",)
        reasons: list[str] = []
        for action in self.actions:
            for resource in resources:
                ok = False
                for st in _statements(doc):
                    if st.get("Effect") != "Deny":
                        continue
                    if not _covers(st, "Action", action) or not _covers(st, "Resource", resource):
                        continue
                    allowed, why = _condition_allowed(st.get("Condition"), self.exempt, self.when)
                    if allowed:
                        ok = True
                        break
                    reasons.append(
                        msg("check.statement_but", sid=st.get("Sid") or "?", action=action, why=why)
                    )
                if not ok:
                    if reasons:
                        return False, msg(
                            "check.no_deny_because", action=action, resource=resource, why=reasons[-1]
                        )
                    return False, msg("check.no_deny", action=action, resource=resource)
        return True, f"denies {len(self.actions)} action pattern(s) on {len(resources)} resource pattern(s)"


@dataclass(frozen=True)
class PolicyAttached(Check):
    """An organization policy is attached where the claim needs it: ``scope="organization"`` needs the
    organization root among its targets; otherwise every OU path in ``ous`` must be covered by a target
    (the OU itself, an ancestor, or the root).

    A policy attached to some OUs or accounts but not to all that the claim needs *narrows* the claim
    (:class:`Narrowed`): it names the targets it covers and the OUs of the template it does not (for
    ``scope="organization"`` also the accounts directly under the root, which only the root reaches).
    A policy attached to nothing, or only to targets the template cannot resolve, fails."""

    types: ClassVar[tuple[str, ...]] = ("AWS::Organizations::Policy",)
    scope: str = "organization"
    ous: tuple[str, ...] = ()

    def test(self, ctx: ClaimContext) -> Outcome:
        targets = _list(ctx.props.get("TargetIds"))
        where = [_describe_target(ctx, t) for t in targets]
        if any(_root_target(ctx, t) for t in targets):
            return True, "attached to the organization root"
        if self.scope != "organization" and not self.ous:
            return False, msg("check.no_scope")
        paths = sorted({p for p in (_ou_path(ctx, t) for t in targets) if p})
        accounts = sorted({t for t in targets if isinstance(t, str) and ACCOUNT_ID.match(t)})
        covers = (*paths, *(msg("scope.account", account=a) for a in accounts))
        if not covers:
            return False, msg("check.not_root", where=", ".join(where) or "nothing")
        if self.scope == "organization":
            needed = _all_ou_paths(ctx)
            missing = (*_uncovered(needed, paths), msg("scope.root_accounts"))
        else:
            missing = tuple(ou for ou in self.ous if not _under(ou, paths))
            if not missing:
                return True, f"attached to {', '.join(where)}"
            covers = tuple(ou for ou in self.ous if _under(ou, paths))
            if not covers:
                return False, msg("check.no_ou_covered", ous=list(self.ous), where=", ".join(where))
        return Narrowed(
            covers=covers,
            missing=missing,
            detail=msg("check.not_root", where=", ".join(where)),
        )


def _under(ou: str, paths: Iterable[str]) -> bool:
    return any(ou == p or ou.startswith(p + "/") for p in paths)


def _all_ou_paths(ctx: ClaimContext) -> list[str]:
    """Every OU path the template builds (OUs whose Condition certainly holds), sorted."""
    found = set()
    for lid, _props in ctx.others("AWS::Organizations::OrganizationalUnit"):
        path = _ou_path(ctx, {"Ref": lid})
        if path:
            found.add(path)
    return sorted(found)


def _uncovered(every: Sequence[str], covered: Sequence[str]) -> tuple[str, ...]:
    """The OUs of ``every`` that no covered path reaches, each named at its highest OU whose whole
    subtree is uncovered (``Security``, not ``Security`` and ``Security/Prod``); an uncovered OU with
    covered child OUs is named for the accounts placed in it directly (``accounts directly in
    Workloads``)."""
    bare = [ou for ou in every if not _under(ou, covered)]

    def whole(ou: str) -> bool:
        return all(o in bare for o in every if o == ou or o.startswith(ou + "/"))

    out = []
    for ou in bare:
        parent = ou.rpartition("/")[0]
        if not whole(ou):
            out.append(msg("scope.ou_accounts", ou=ou))
        elif not (parent and parent in bare and whole(parent)):
            out.append(ou)
    return tuple(out)


@dataclass(frozen=True)
class TagPolicyEnforces(Check):
    """A tag policy fixes each key of ``keys`` (exact case) to a non-empty subset of its allowed
    values, and (when ``enforced_for`` is given) enforces it for those resource types."""

    types: ClassVar[tuple[str, ...]] = ("AWS::Organizations::Policy",)
    keys: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    enforced_for: tuple[str, ...] = ()

    def test(self, ctx: ClaimContext) -> Verdict:
        if ctx.props.get("Type") != TAG_POLICY:
            return False, msg("check.policy_type", found=repr(ctx.props.get("Type")), expected=TAG_POLICY)
        doc = _document(ctx.props.get("Content"))
        if doc is None:
            return False, msg("check.policy_not_literal")
        tags = doc.get("tags") if isinstance(doc.get("tags"), Mapping) else {}
        if not self.keys:
            return False, msg("check.no_tag_keys")
        for key, allowed in sorted(self.keys.items()):
            entry = next(
                (
                    e
                    for e in tags.values()
                    if isinstance(e, Mapping) and (e.get("tag_key") or {}).get("@@assign") == key
                ),
                None,
            )
            if entry is None:
                return False, msg("check.tag_not_fixed", key=key)
            values = _list((entry.get("tag_value") or {}).get("@@assign"))
            if not values:
                return False, msg("check.tag_any_value", key=key)
            extra = sorted(str(v) for v in values if v not in allowed)
            if extra:
                return False, msg(
                    "check.tag_values_outside", key=key, allowed=str(list(allowed)), extra=str(extra)
                )
            enforced = _list((entry.get("enforced_for") or {}).get("@@assign"))
            missing = sorted(set(self.enforced_for) - set(enforced))
            if missing:
                return False, msg("check.tag_not_enforced", key=key, types=list(missing))
        return True, f"fixes {len(self.keys)} tag key(s) and their values"


# ------------------------------------------------------------------ monitors


@dataclass(frozen=True)
class GuardDutyEnabled(Check):
    """A GuardDuty detector with ``Enable: true`` and each of ``features`` ENABLED."""

    types: ClassVar[tuple[str, ...]] = ("AWS::GuardDuty::Detector",)
    features: tuple[str, ...] = ()

    def test(self, ctx: ClaimContext) -> Verdict:
        if not _literal_true(ctx.props.get("Enable")):
            return False, msg("check.enable_is", value=repr(ctx.props.get("Enable")))
        status = {
            f.get("Name"): f.get("Status") for f in _list(ctx.props.get("Features")) if isinstance(f, Mapping)
        }
        for name in self.features:
            if status.get(name) != "ENABLED":
                return False, msg(
                    "check.feature_is", feature=name, status=status.get(name) or msg("check.not_configured")
                )
        return True, "detector enabled" + (f" with {', '.join(self.features)}" if self.features else "")


@dataclass(frozen=True)
class EventRuleEnabled(Check):
    """An EventBridge rule with ``State: ENABLED`` (written out), a non-empty event pattern and at
    least one target."""

    types: ClassVar[tuple[str, ...]] = ("AWS::Events::Rule",)

    def test(self, ctx: ClaimContext) -> Verdict:
        state = ctx.props.get("State")
        if state not in ("ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"):
            return False, msg("check.state_is", value=repr(state))
        if not ctx.props.get("EventPattern"):
            return False, msg("check.no_event_pattern")
        if not _list(ctx.props.get("Targets")):
            return False, msg("check.no_targets")
        return True, "rule enabled with a pattern and a target"


@dataclass(frozen=True)
class ConfigRulesInPack(Check):
    """An organization conformance pack whose literal template body holds an AWS managed Config rule
    for each of ``identifiers``, with no excluded accounts."""

    types: ClassVar[tuple[str, ...]] = ("AWS::Config::OrganizationConformancePack",)
    identifiers: tuple[str, ...] = ()

    def test(self, ctx: ClaimContext) -> Outcome:
        excluded = sorted(str(a) for a in _list(ctx.props.get("ExcludedAccounts")))
        if any(not ACCOUNT_ID.match(a) for a in excluded):
            return False, msg("check.pack_excludes_unknown", accounts=str(excluded))
        body = ctx.props.get("TemplateBody")
        doc = _document(body)
        if doc is None and isinstance(body, str):
            try:
                import yaml

                loaded = yaml.safe_load(body)
                doc = loaded if isinstance(loaded, Mapping) else None
            except Exception:
                doc = None
        if doc is None:
            return False, msg("check.pack_no_body")
        found = set()
        for res in (doc.get("Resources") or {}).values():
            if (
                not isinstance(res, Mapping)
                or res.get("Type") != "AWS::Config::ConfigRule"
                or res.get("Condition")
            ):
                continue
            source = (res.get("Properties") or {}).get("Source") or {}
            if source.get("Owner") == "AWS" and isinstance(source.get("SourceIdentifier"), str):
                found.add(source["SourceIdentifier"])
        missing = [i for i in self.identifiers if i not in found]
        if missing or not self.identifiers:
            return False, msg("check.pack_lacks", rules=", ".join(missing) or "(none named)")
        if excluded:
            return Narrowed(
                covers=(msg("scope.other_accounts"),),
                missing=tuple(msg("scope.account", account=a) for a in excluded),
                detail=msg("check.pack_excludes_some", rules=list(self.identifiers), accounts=list(excluded)),
                unit="account",
            )
        return True, f"the pack holds {', '.join(self.identifiers)}"


@dataclass(frozen=True)
class SecurityHubEnabled(Check):
    """A Security Hub configuration policy with ``ServiceEnabled: true``, each of ``standards``
    (a fragment of the standard's ARN) enabled, associated with the organization root, or (when
    ``accounts`` is given) with each of those accounts."""

    types: ClassVar[tuple[str, ...]] = ("AWS::SecurityHub::ConfigurationPolicy",)
    standards: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()

    def test(self, ctx: ClaimContext) -> Verdict:
        hub = (ctx.props.get("ConfigurationPolicy") or {}).get("SecurityHub") or {}
        if not _literal_true(hub.get("ServiceEnabled")):
            return False, msg("check.service_enabled_is", value=repr(hub.get("ServiceEnabled")))
        enabled = [s for s in _list(hub.get("EnabledStandardIdentifiers")) if isinstance(s, str)]
        for standard in self.standards:
            if not any(standard in s for s in enabled):
                return False, msg("check.standard_off", standard=standard)
        targets: set[tuple[str, str]] = set()
        for _lid, props in ctx.others("AWS::SecurityHub::PolicyAssociation"):
            if _refers(props.get("ConfigurationPolicyId"), ctx.logical_id):
                targets.add((str(props.get("TargetType")), str(props.get("TargetId"))))
        if any(t == "ROOT" for t, _ in targets):
            return True, "enabled for the organization root"
        if self.accounts:
            missing = [a for a in self.accounts if ("ACCOUNT", a) not in targets]
            covered = [a for a in self.accounts if ("ACCOUNT", a) in targets]
            if missing and covered:
                return Narrowed(
                    covers=tuple(msg("scope.account", account=a) for a in covered),
                    missing=tuple(msg("scope.account", account=a) for a in missing),
                    detail=msg("check.policy_not_associated", accounts=list(missing)),
                    unit="account",
                )
            if missing:
                return False, msg("check.policy_not_associated", accounts=list(missing))
            return True, f"enabled for {len(self.accounts)} account(s)"
        return False, msg("check.policy_not_root")


@dataclass(frozen=True)
class AnalyzerActive(Check):
    """An IAM Access Analyzer of ``type`` with no archive rules (which would hide findings)."""

    types: ClassVar[tuple[str, ...]] = ("AWS::AccessAnalyzer::Analyzer",)
    type: str = "ORGANIZATION"

    def test(self, ctx: ClaimContext) -> Verdict:
        if ctx.props.get("Type") != self.type:
            return False, msg("check.analyzer_type", found=repr(ctx.props.get("Type")), expected=self.type)
        if _list(ctx.props.get("ArchiveRules")):
            return False, msg("check.archive_rules")
        return True, f"{self.type} analyzer without archive rules"


@dataclass(frozen=True)
class AggregatorCovers(Check):
    """A Config aggregator over the organization covering all regions or each of ``regions``."""

    types: ClassVar[tuple[str, ...]] = ("AWS::Config::ConfigurationAggregator",)
    regions: tuple[str, ...] = ()

    def test(self, ctx: ClaimContext) -> Outcome:
        source = ctx.props.get("OrganizationAggregationSource")
        if not isinstance(source, Mapping):
            return False, msg("check.not_org_aggregator")
        if _literal_true(source.get("AllAwsRegions")):
            return True, "aggregates every region of the organization"
        covered = set(_list(source.get("AwsRegions")))
        missing = [r for r in self.regions if r not in covered]
        present = [r for r in self.regions if r in covered]
        if missing and present:
            return Narrowed(
                covers=tuple(present),
                missing=tuple(missing),
                detail=msg("check.regions_not_aggregated", regions=", ".join(missing)),
                unit="region",
            )
        if missing or not self.regions:
            return False, msg("check.regions_not_aggregated", regions=", ".join(missing) or "(none named)")
        return True, f"aggregates {', '.join(self.regions)}"


@dataclass(frozen=True)
class FirewallDropsByDefault(Check):
    """A Network Firewall policy that hands all stateless traffic to the stateful engine in strict
    order and drops whatever no rule passes."""

    types: ClassVar[tuple[str, ...]] = ("AWS::NetworkFirewall::FirewallPolicy",)

    def test(self, ctx: ClaimContext) -> Verdict:
        policy = ctx.props.get("FirewallPolicy") or {}
        stateless = _list(policy.get("StatelessDefaultActions"))
        if stateless != ["aws:forward_to_sfe"]:
            return False, msg("check.stateless_defaults", actions=str(stateless))
        fragments = _list(policy.get("StatelessFragmentDefaultActions"))
        if fragments not in (["aws:forward_to_sfe"], ["aws:drop"]):
            return False, msg("check.fragment_defaults", actions=str(fragments))
        order = (policy.get("StatefulEngineOptions") or {}).get("RuleOrder")
        if order != "STRICT_ORDER":
            return False, msg("check.rule_order", order=repr(order))
        defaults = set(_list(policy.get("StatefulDefaultActions")))
        if not defaults & {"aws:drop_strict", "aws:drop_established"}:
            return False, msg("check.defaults_no_drop", actions=str(sorted(defaults)))
        return True, "strict order, default drop"


@dataclass(frozen=True)
class FirewallLogs(Check):
    """A Network Firewall whose logging configuration (in the same template) sends each of
    ``log_types`` somewhere."""

    types: ClassVar[tuple[str, ...]] = ("AWS::NetworkFirewall::Firewall",)
    log_types: tuple[str, ...] = ("ALERT",)

    def test(self, ctx: ClaimContext) -> Verdict:
        logged: set[str] = set()
        for _lid, props in ctx.others("AWS::NetworkFirewall::LoggingConfiguration"):
            if not _refers(props.get("FirewallArn"), ctx.logical_id):
                continue
            for cfg in _list((props.get("LoggingConfiguration") or {}).get("LogDestinationConfigs")):
                if isinstance(cfg, Mapping) and cfg.get("LogDestination"):
                    logged.add(str(cfg.get("LogType")))
        missing = [t for t in self.log_types if t not in logged]
        if missing:
            return False, msg("check.logs_not_sent", types=list(missing))
        return True, f"logs {', '.join(self.log_types)}"


# ------------------------------------------------------------------ protection of data


@dataclass(frozen=True)
class ObjectLock(Check):
    """An S3 bucket with Object Lock on and a default retention in ``mode`` of at least ``min_days``."""

    types: ClassVar[tuple[str, ...]] = ("AWS::S3::Bucket",)
    mode: str = "COMPLIANCE"
    min_days: int = 1

    def test(self, ctx: ClaimContext) -> Verdict:
        if not _literal_true(ctx.props.get("ObjectLockEnabled")):
            return False, msg("check.object_lock_off")
        config = ctx.props.get("ObjectLockConfiguration") or {}
        if config.get("ObjectLockEnabled") != "Enabled":
            return False, msg("check.object_lock_config_off")
        retention = (config.get("Rule") or {}).get("DefaultRetention") or {}
        if retention.get("Mode") != self.mode:
            return False, msg("check.retention_mode", found=repr(retention.get("Mode")), expected=self.mode)
        days = _int(retention.get("Days"))
        years = _int(retention.get("Years"))
        total = days if days is not None else (years * 365 if years is not None else None)
        if total is None or total < self.min_days:
            return (
                False,
                msg(
                    "check.retention_days",
                    days=msg("check.unset") if total is None else total,
                    minimum=self.min_days,
                ),
            )
        return True, f"{self.mode} retention of {total} days"


@dataclass(frozen=True)
class VaultLock(Check):
    """A backup vault lock in compliance mode (a grace period is set) whose minimum retention is at
    least ``min_retention_days`` and whose grace period is at most ``max_grace_days``."""

    types: ClassVar[tuple[str, ...]] = ("AWS::Backup::BackupVault",)
    min_retention_days: int = 1
    max_grace_days: int = 3

    def test(self, ctx: ClaimContext) -> Verdict:
        lock = ctx.props.get("LockConfiguration")
        if not isinstance(lock, Mapping):
            return False, msg("check.vault_no_lock")
        minimum = _int(lock.get("MinRetentionDays"))
        if minimum is None or minimum < self.min_retention_days:
            return (
                False,
                msg(
                    "check.min_retention",
                    found=repr(lock.get("MinRetentionDays")),
                    minimum=self.min_retention_days,
                ),
            )
        grace = _int(lock.get("ChangeableForDays"))
        if grace is None:
            return False, msg("check.vault_governance")
        if grace > self.max_grace_days:
            return False, msg("check.vault_grace", grace=grace, maximum=self.max_grace_days)
        return True, f"compliance lock, minimum {minimum} days, grace {grace} days"


@dataclass(frozen=True)
class RestoreTestingSelects(Check):
    """An AWS Backup restore testing plan that draws on at least one vault and, in the same template,
    selects protected resources of each of ``resource_types`` (a selection with resource ARNs)."""

    types: ClassVar[tuple[str, ...]] = ("AWS::Backup::RestoreTestingPlan",)
    resource_types: tuple[str, ...] = ()

    def test(self, ctx: ClaimContext) -> Verdict:
        selection = ctx.props.get("RecoveryPointSelection") or {}
        if not _list(selection.get("IncludeVaults")):
            return False, msg("check.plan_no_vault")
        if not ctx.props.get("ScheduleExpression"):
            return False, msg("check.plan_no_schedule")
        name = ctx.props.get("RestoreTestingPlanName")
        selected: set[str] = set()
        for lid, props in ctx.others("AWS::Backup::RestoreTestingSelection"):
            plan = props.get("RestoreTestingPlanName")
            if not (plan == name and isinstance(name, str)) and not _refers(plan, ctx.logical_id):
                continue
            body = ctx.stack.resources.get(lid) or {}
            if body.get("Condition"):
                continue
            if not [a for a in _list(props.get("ProtectedResourceArns")) if a]:
                continue
            selected.add(str(props.get("ProtectedResourceType")))
        missing = [t for t in self.resource_types if t not in selected]
        if missing or not self.resource_types:
            return False, msg("check.plan_selects_none", types=", ".join(missing) or "resource type")
        return True, f"selects {', '.join(self.resource_types)}"


# ------------------------------------------------------------------ identity


@dataclass(frozen=True)
class TrustRequiresMfa(Check):
    """Every Allow statement of a role's trust policy requires MFA (``aws:MultiFactorAuthPresent``
    true) no older than ``max_age_seconds`` (``aws:MultiFactorAuthAge``)."""

    types: ClassVar[tuple[str, ...]] = ("AWS::IAM::Role",)
    max_age_seconds: int = 3600
    #: every trusted principal must be a named IAM user (no account, role, wildcard or service)
    named_users_only: bool = True

    def test(self, ctx: ClaimContext) -> Verdict:
        doc = _document(ctx.props.get("AssumeRolePolicyDocument"))
        if doc is None:
            return False, msg("check.trust_not_literal")
        allows = [s for s in _statements(doc) if s.get("Effect") == "Allow"]
        if not allows:
            return False, msg("check.trust_nobody")
        for st in allows:
            if self.named_users_only:
                principal = st.get("Principal")
                aws = (
                    _list(principal.get("AWS"))
                    if isinstance(principal, Mapping) and set(principal) == {"AWS"}
                    else []
                )
                if (
                    "NotPrincipal" in st
                    or not aws
                    or not all(isinstance(u, str) and _USER_ARN.match(u) for u in aws)
                ):
                    return (
                        False,
                        msg("check.trusts_more", sid=st.get("Sid") or "?", principal=repr(principal)),
                    )
            cond = _norm_condition(st.get("Condition")) or {}
            if cond.get(("bool", "aws:multifactorauthpresent")) != frozenset({"true"}):
                return False, msg("check.statement_no_mfa", sid=st.get("Sid") or "?")
            ages = [
                v
                for (op, key), vals in cond.items()
                if key == "aws:multifactorauthage" and op in ("numericlessthan", "numericlessthanequals")
                for v in vals
            ]
            if not ages or any(_int(a) is None or _int(a) > self.max_age_seconds for a in ages):
                return (
                    False,
                    msg("check.mfa_age", sid=st.get("Sid") or "?", seconds=self.max_age_seconds),
                )
        return True, f"every trust statement requires MFA of at most {self.max_age_seconds} s"


# ------------------------------------------------------------------ generic


@dataclass(frozen=True)
class PropertyEquals(Check):
    """The property at ``path`` (CloudFormation names) equals ``value`` (compared as text)."""

    path: tuple[str, ...] = ()
    value: Any = None

    def test(self, ctx: ClaimContext) -> Verdict:
        cur: Any = ctx.props
        for key in self.path:
            cur = cur.get(key) if isinstance(cur, Mapping) else None
        if cur is None or str(cur).lower() != str(self.value).lower():
            return False, msg(
                "check.value_not", path=".".join(self.path), found=repr(cur), expected=repr(self.value)
            )
        return True, f"{'.'.join(self.path)} is {self.value!r}"


@dataclass(frozen=True)
class PropertyAtLeast(Check):
    """The numeric property at ``path`` is a literal of at least ``minimum``."""

    path: tuple[str, ...] = ()
    minimum: int = 0

    def test(self, ctx: ClaimContext) -> Verdict:
        cur: Any = ctx.props
        for key in self.path:
            cur = cur.get(key) if isinstance(cur, Mapping) else None
        number = _int(cur)
        if number is None or number < self.minimum:
            return False, msg(
                "check.value_under", path=".".join(self.path), found=repr(cur), minimum=self.minimum
            )
        return True, f"{'.'.join(self.path)} is {number}"


# ------------------------------------------------------------------ deployment by a StackSet


def stackset_coverage(ctx: ClaimContext) -> Verdict | Narrowed | None:
    """Where a region- and account-agnostic template (a StackSet's, e.g. a member-account baseline)
    is deployed, from the ``AWS::CloudFormation::StackSet`` of the assembly whose ``TemplateBody``
    holds the same resources: every claim in it covers only the StackSet's targets and regions.

    The needed scope is the organization root (every member account) in every region the assembly's
    own regional stacks use. None when the template is regional or no StackSet of the assembly
    deploys it (nothing to narrow); a fact that fails when the StackSet deploys it nowhere."""
    if ctx.stack.region is not None:
        return None
    shape = {lid: body.get("Type") for lid, body in ctx.stack.resources.items() if isinstance(body, Mapping)}
    found = []
    for st in ctx.stacks:
        if st is ctx.stack:
            continue
        for lid, body in sorted(st.resources.items()):
            if not isinstance(body, Mapping) or body.get("Type") != "AWS::CloudFormation::StackSet":
                continue
            template = _document((body.get("Properties") or {}).get("TemplateBody"))
            resources = (template or {}).get("Resources")
            if (
                isinstance(resources, Mapping)
                and {k: v.get("Type") for k, v in resources.items() if isinstance(v, Mapping)} == shape
            ):
                found.append(ClaimContext(st, lid, ctx.stacks))
    if not found:
        return None
    needed = sorted({s.region for s in ctx.stacks if s.region})
    root_regions: set[str] = set()
    paths: set[str] = set()
    ou_regions: set[str] = set()
    for ss in found:
        for group in _list(ss.props.get("StackInstancesGroup")):
            if not isinstance(group, Mapping):
                continue
            regions = {r for r in _list(group.get("Regions")) if isinstance(r, str)}
            targets = _list((group.get("DeploymentTargets") or {}).get("OrganizationalUnitIds"))
            if any(_root_target(ss, t) for t in targets):
                root_regions |= regions
            else:
                found_paths = {p for p in (_ou_path(ss, t) for t in targets) if p}
                if found_paths and regions:
                    paths |= found_paths
                    ou_regions |= regions
    if not root_regions and not paths:
        return False, msg("check.stackset_nowhere")
    missing_regions = tuple(r for r in needed if r not in (root_regions or ou_regions))
    if root_regions and not missing_regions:
        return True, f"deployed by a StackSet to the organization root in {', '.join(sorted(root_regions))}"
    if root_regions:
        return Narrowed(
            covers=tuple(sorted(root_regions)),
            missing=missing_regions,
            detail=msg("check.stackset_regions_only", regions=sorted(root_regions)),
            unit="region",
        )
    every = _all_ou_paths(found[0])
    missing = (*_uncovered(every, sorted(paths)), msg("scope.root_accounts"), *missing_regions)
    return Narrowed(
        covers=tuple(sorted(paths)),
        missing=missing,
        detail=msg("check.stackset_ous_only", ous=sorted(paths)),
    )


#: Prefix of the ARN of a CloudWatch Logs managed data identifier.
DATA_IDENTIFIER_ARN = "arn:aws:dataprotection::aws:data-identifier/"


def _data_protection_document(ctx: ClaimContext) -> tuple[Mapping[str, Any] | None, str]:
    """The data protection policy document of an account policy or a log group, or (None, why)."""
    if ctx.type == "AWS::Logs::AccountPolicy":
        if ctx.props.get("PolicyType") != "DATA_PROTECTION_POLICY":
            return None, msg("check.dp_policy_type", found=repr(ctx.props.get("PolicyType")))
        if ctx.props.get("Scope", "ALL") != "ALL":
            return None, msg("check.dp_scope", found=repr(ctx.props.get("Scope")))
        if ctx.props.get("SelectionCriteria") not in (None, ""):
            return None, msg("check.dp_selection")
        document: Any = ctx.props.get("PolicyDocument")
    else:
        document = ctx.props.get("DataProtectionPolicy")
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return None, msg("check.dp_not_json")
    if not isinstance(document, Mapping) or any(k.startswith(("Ref", "Fn::")) for k in document):
        return None, msg("check.dp_deploy_time")
    return document, ""


def _identifier_names(value: Any) -> set[str]:
    """Managed data identifier names of a statement's DataIdentifier (literal ARNs only)."""
    names = set()
    for item in value if isinstance(value, list) else []:
        if isinstance(item, str) and item.startswith(DATA_IDENTIFIER_ARN):
            names.add(item[len(DATA_IDENTIFIER_ARN) :])
    return names


@dataclass(frozen=True)
class DataProtectionPolicy(Check):
    """A CloudWatch Logs data protection policy (account-wide, or on a log group) whose Audit statement
    and whose Deidentify (MaskConfig) statement both name every one of ``identifiers`` (managed data
    identifier names such as ``AwsSecretKey``); with ``findings`` the Audit statement sends its findings
    to a destination. An account policy must cover every log group (Scope ALL, no selection)."""

    types: ClassVar[tuple[str, ...]] = ("AWS::Logs::AccountPolicy", "AWS::Logs::LogGroup")
    identifiers: tuple[str, ...] = ()
    findings: bool = True

    def test(self, ctx: ClaimContext) -> Verdict:
        if not self.identifiers:
            return False, msg("check.dp_no_identifiers")
        document, why = _data_protection_document(ctx)
        if document is None:
            return False, why
        audited: set[str] = set()
        masked: set[str] = set()
        destination = False
        for st in document.get("Statement") or []:
            if not isinstance(st, Mapping) or not isinstance(st.get("Operation"), Mapping):
                continue
            names = _identifier_names(st.get("DataIdentifier"))
            operation = st["Operation"]
            audit = operation.get("Audit")
            if isinstance(audit, Mapping):
                audited |= names
                target = audit.get("FindingsDestination")
                destination = destination or (isinstance(target, Mapping) and any(target.values()))
            mask = operation.get("Deidentify")
            if isinstance(mask, Mapping) and isinstance(mask.get("MaskConfig"), Mapping):
                masked |= names
        wanted = set(self.identifiers)
        if wanted - audited:
            return False, msg("check.dp_not_audited", identifiers=sorted(wanted - audited))
        if wanted - masked:
            return False, msg("check.dp_not_masked", identifiers=sorted(wanted - masked))
        if self.findings and not destination:
            return False, msg("check.dp_no_destination")
        return True, msg("check.dp_ok", identifiers=sorted(wanted))


@dataclass(frozen=True)
class PropertyIncludes(Check):
    """The list property at ``path`` (CloudFormation names) holds every one of ``values`` as literals
    (compared as text); a value known only at deploy time never counts."""

    path: tuple[str, ...] = ()
    values: tuple[Any, ...] = ()

    def test(self, ctx: ClaimContext) -> Verdict:
        if not self.values:
            return False, msg("check.no_values")
        cur: Any = ctx.props
        for key in self.path:
            cur = cur.get(key) if isinstance(cur, Mapping) else None
        where = ".".join(self.path)
        if not isinstance(cur, list):
            return False, msg("check.not_a_list", path=where, found=repr(cur))
        present = {str(v) for v in cur if isinstance(v, (str, int, float, bool))}
        missing = [str(v) for v in self.values if str(v) not in present]
        if missing:
            return False, msg("check.list_lacks", path=where, values=missing)
        return True, msg("check.list_holds", path=where, values=[str(v) for v in self.values])
