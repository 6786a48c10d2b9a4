"""The BIO2 engine: runs every applicable rule once per resource and records every result.

Two entry points share one evaluation function (:func:`evaluate_stack`):

* :func:`evaluate_templates` runs after synthesis on the templates as written to disk. It is the
  authoritative evaluation: it sees the final template, escape-hatch overrides included, and its
  results are what the manifest, the report and the cdk-nag pack show.
* :class:`~bio2_aspects.tagger.MeasureTagger` runs before the templates are rendered (after every
  aspect) and tags each taggable resource with the measures it satisfies
  (``bio2:measures``). It renders each resource's properties once (a few calls across the jsii
  bridge per resource), evaluates the rules in plain Python and sets the tags. Because an escape
  hatch could still change a resource after this point, the post-synthesis evaluation compares
  every tag with its own results and reports a ``BIO2-Engine-TagMismatch`` error where they
  differ: a tag never claims a measure that the final template does not prove.

A stack synthesizer that writes the tags into the template JSON (:mod:`bio2_aspects.synthesizer`)
evaluates the template it tags with the same rules, conditions and environment as the check after
synthesis. It offers that evaluation (:class:`TaggingEvaluations`), keyed by the SHA-256 of the
bytes it wrote. The check after synthesis still reads every template from disk and hashes it;
where the bytes are the very bytes that were tagged, the rules are all the library's own (tested
to give the same results with and without measure tags, under any construct path and stack name)
and the environment is the same, it takes that evaluation instead of evaluating the template a
second time. Any other template (changed after tagging, tagged through the construct tree, an
app's own rules) is evaluated from disk as before.

Two principles hold in both: a resource that synth time cannot prove is created (a CloudFormation
``Condition`` on a parameter, on an unknown region...) is never evidence (:func:`evaluate_stack`),
and a resource claims only the measures its own passing rules evidence, never one that a rule of
it sharing a measure fails (:func:`satisfied_measures`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from bio2_aspects.assembly import StackTemplate
from bio2_aspects.mappings import rule_mappings
from bio2_aspects.messages import msg
from bio2_aspects.rules import RULES_IN_FORCE, rules_in_force_for_type
from bio2_aspects.rules.base import Resource, Result, Rule, StackView, tags_of
from bio2_aspects.rules.tagging import tag_property

MEASURES_TAG = "bio2:measures"
TAG_VALUE_LIMIT = 256
#: AWS allows 50 tags per resource; the measure tags may use at most this many of them.
MAX_MEASURE_TAGS = 8
TAG_MISMATCH_RULE = "BIO2-Engine-TagMismatch"


@dataclass(frozen=True)
class RuleResult:
    """One rule evaluated on one resource."""

    rule: Rule
    stack: str
    logical_id: str
    resource_type: str
    result: Result
    detail: str
    path: str | None = None

    @property
    def is_violation(self) -> bool:
        return self.result is Result.NON_COMPLIANT


#: The library's rules by ID: the rules an evaluation made while tagging may be reused for.
_LIBRARY_RULES: dict[str, Rule] = {r.id: r for r in RULES_IN_FORCE}


class RuleSet:
    """The rules in force, indexed by resource type. By default every rule of the library: the rules
    per BIO2 measure and the control-only rules (whose results evidence ISO controls only)."""

    def __init__(self, rules: Sequence[Rule] | None = None, exclude: Iterable[str] = ()):
        excluded = set(exclude)
        if rules is None:
            self.rules = tuple(r for r in RULES_IN_FORCE if r.id not in excluded)
            self._by_type = None
        else:
            self.rules = tuple(sorted((r for r in rules if r.id not in excluded), key=lambda r: r.id))
            by_type: dict[str, list[Rule]] = {}
            for r in self.rules:
                for t in r.resource_types:
                    by_type.setdefault(t, []).append(r)
            self._by_type = {t: tuple(v) for t, v in by_type.items()}
        self._excluded = excluded
        #: True when every rule is one of the library's own rule objects (see ``TaggingEvaluations``)
        self.library_only = rules is None or all(_LIBRARY_RULES.get(r.id) is r for r in self.rules)

    @property
    def policy_types(self) -> frozenset[str]:
        """Resource types with a rule that reads DeletionPolicy / UpdateReplacePolicy."""
        return frozenset(t for r in self.rules if r.reads_policies for t in r.resource_types)

    def for_type(self, cfn_type: str) -> tuple[Rule, ...]:
        if self._by_type is None:
            found = rules_in_force_for_type(cfn_type)
            if self._excluded:
                found = tuple(r for r in found if r.id not in self._excluded)
            return found
        return self._by_type.get(cfn_type, ())

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}


def build_view(
    name: str,
    resources: Mapping[str, Any],
    paths: Mapping[str, str] | None = None,
    *,
    conditions: Mapping[str, Any] | None = None,
    pseudo: Mapping[str, str] | None = None,
) -> StackView:
    """A :class:`StackView` over template-shaped resources (``{"Type":..., "Properties":...}``).

    ``conditions`` is the template's ``Conditions`` section and ``pseudo`` the pseudo parameters
    known at synth time (the stack's region and account); together they decide which resources
    with a ``Condition`` are provably created (:meth:`StackView.deployed`).
    """
    view_resources: dict[str, Resource] = {}
    view = StackView(
        name=name,
        resources=view_resources,
        conditions=dict(conditions) if isinstance(conditions, Mapping) else {},
        pseudo={k: v for k, v in (pseudo or {}).items() if isinstance(v, str)},
    )
    for lid, body, props in _resource_bodies(resources):
        condition = body.get("Condition")
        view_resources[lid] = Resource(
            logical_id=lid,
            type=body["Type"],
            properties=props,
            stack=view,
            deletion_policy=body.get("DeletionPolicy"),
            update_replace_policy=body.get("UpdateReplacePolicy"),
            path=(paths or {}).get(lid),
            condition=condition if isinstance(condition, str) else None,
        )
    return view


def _resource_bodies(
    resources: Mapping[str, Any],
) -> Iterator[tuple[str, Mapping[str, Any], Mapping[str, Any]]]:
    """``(logical ID, body, properties)`` of each resource with a string ``Type``, by logical ID."""
    for lid in sorted(resources):
        body = resources[lid]
        if not isinstance(body, Mapping) or not isinstance(body.get("Type"), str):
            continue
        props = body.get("Properties")
        yield lid, body, props if isinstance(props, Mapping) else {}


def _subview(view: StackView, keep: Iterable[str]) -> StackView:
    """``view`` restricted to the logical IDs in ``keep`` (resources rebound to the new view)."""
    resources: dict[str, Resource] = {}
    sub = StackView(name=view.name, resources=resources, conditions=view.conditions, pseudo=view.pseudo)
    for lid in keep:
        resources[lid] = replace(view.resources[lid], stack=sub)
    return sub


def _run(rule: Rule, res: Resource) -> tuple[Result, str]:
    try:
        return rule.evaluate(res)
    except Exception as exc:  # a rule bug must never pass silently as compliant
        return Result.NON_COMPLIANT, f"rule raised {type(exc).__name__}: {exc}"


#: Which of two outcomes of one rule counts, when the outcome depends on resources whose
#: ``Condition`` is unknown at synth time: a failure anywhere fails, a pass must hold everywhere.
_WEIGHT = {Result.COMPLIANT: 0, Result.NOT_APPLICABLE: 1, Result.NON_COMPLIANT: 2}


def evaluate_stack(view: StackView, rules: RuleSet) -> list[RuleResult]:
    """Every applicable rule on every resource of one stack, in a stable order.

    Resource ``Condition``s are taken into account (see :meth:`StackView.deployed`):

    * a resource whose Condition is provably false is never created: its results are NOT_APPLICABLE;
    * a resource whose Condition is unknown at synth time may exist: its failures stand, but a pass
      proves nothing and becomes NOT_APPLICABLE;
    * a rule that reads other resources (a flow log for a VPC, a bucket policy for a bucket) must
      hold both with and without the resources whose Condition is unknown: it is evaluated on both
      views, and the weaker outcome counts.
    """
    state = {lid: view.deployed(res) for lid, res in view.resources.items()}
    maybe = [lid for lid, s in state.items() if s is not False]
    certain = [lid for lid, s in state.items() if s is True]
    full = view if len(maybe) == len(state) else _subview(view, maybe)
    sure = full if len(certain) == len(maybe) else _subview(view, certain)
    try:
        return _evaluate(view, rules, state, full, sure)
    finally:
        for sub in (full, sure):
            if sub is not view:
                sub.release()  # emptying an already emptied view is a no-op


def _evaluate(
    view: StackView, rules: RuleSet, state: dict[str, bool | None], full: StackView, sure: StackView
) -> list[RuleResult]:
    out: list[RuleResult] = []
    for lid, res in view.resources.items():
        applicable = rules.for_type(res.type)
        if not applicable:
            continue
        deployed = state[lid]
        for rule in applicable:
            if deployed is False:
                result, detail = (
                    Result.NOT_APPLICABLE,
                    msg("engine.condition_false", condition=str(res.condition)),
                )
            else:
                result, detail = _run(rule, full.resources[lid])
                if deployed is None:
                    if result is Result.COMPLIANT:
                        result, detail = (
                            Result.NOT_APPLICABLE,
                            msg("engine.condition_unknown", condition=str(res.condition)),
                        )
                elif sure is not full:
                    other, other_detail = _run(rule, sure.resources[lid])
                    if _WEIGHT[other] > _WEIGHT[result]:
                        result = other
                        detail = (
                            msg("engine.sure_only", detail=other_detail)
                            if other_detail.strip()
                            else msg("engine.sure_only_bare")
                        )
            out.append(RuleResult(rule, view.name, lid, res.type, result, detail, res.path))
    return out


@cache
def rule_measures(rule: Rule) -> frozenset[str]:
    """The measures a rule evidences: its pairs in the mapping table (its ``measures`` when absent)."""
    return frozenset(m.measure for m in rule_mappings(rule.id, rule.measures))


def satisfied_measures(results: Iterable[RuleResult]) -> dict[str, tuple[str, ...]]:
    """Per logical ID, the measures its own rules evidence: what its tags may claim.

    A measure counts for a resource when a rule for it passed *on that resource* (a neighbour's
    result never counts) and no rule failed on it for that measure. Rules that share a measure on
    one resource stand or fall together: a failing rule also withdraws every measure of the passing
    rules it shares a measure with, transitively. So a security group open to the world on SSH
    (which fails the admin-port rule) claims nothing its all-traffic rule evidences either: both
    speak for the group's part in keeping zones apart.
    """
    passed: dict[str, list[frozenset[str]]] = {}
    failed: dict[str, set[str]] = {}
    for r in results:
        if r.result is Result.COMPLIANT:
            passed.setdefault(r.logical_id, []).append(rule_measures(r.rule))
        elif r.result is Result.NON_COMPLIANT:
            failed.setdefault(r.logical_id, set()).update(rule_measures(r.rule))
    out: dict[str, tuple[str, ...]] = {}
    for lid, groups in passed.items():
        withdrawn = set(failed.get(lid, ()))
        changed = bool(withdrawn)
        while changed:
            changed = False
            for ms in groups:
                if ms & withdrawn and not ms <= withdrawn:
                    withdrawn |= ms
                    changed = True
        claimed = set().union(*groups) - withdrawn
        if claimed:
            out[lid] = tuple(sorted(claimed, key=measure_sort_key))
    return out


def measure_sort_key(measure_id: str) -> tuple[int, ...]:
    return tuple(int(p) for p in measure_id.split(".") if p.isdigit())


def measure_tag_values(measures: Sequence[str]) -> dict[str, str]:
    """Split sorted measure IDs over ``bio2:measures``, ``bio2:measures:2``... (256 characters each)."""
    tags: dict[str, str] = {}
    current: list[str] = []
    length = 0
    for m in measures:
        extra = len(m) + (1 if current else 0)
        if current and length + extra > TAG_VALUE_LIMIT:
            tags[_tag_key(len(tags))] = " ".join(current)
            current, length = [], 0
            extra = len(m)
        current.append(m)
        length += extra
    if current:
        tags[_tag_key(len(tags))] = " ".join(current)
    if len(tags) > MAX_MEASURE_TAGS:
        raise ValueError(f"{len(measures)} measures need {len(tags)} tags, more than {MAX_MEASURE_TAGS}")
    return tags


def _tag_key(index: int) -> str:
    return MEASURES_TAG if index == 0 else f"{MEASURES_TAG}:{index + 1}"


def measures_from_tags(tags: Mapping[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for key, value in tags.items():
        if isinstance(key, str) and (key == MEASURES_TAG or key.startswith(MEASURES_TAG + ":")):
            found.extend(str(value).split())
    return tuple(sorted(set(found), key=measure_sort_key))


# ------------------------------------------------------------------ after synthesis


@dataclass
class StackEvaluation:
    stack: StackTemplate
    results: list[RuleResult]
    satisfied: dict[str, tuple[str, ...]]
    tag_mismatches: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]


def known_pseudo(account: str | None, region: str | None) -> dict[str, str]:
    """The pseudo parameters a stack's environment fixes at synth time (none for an
    environment-agnostic stack)."""
    pseudo = {"AWS::Region": region, "AWS::AccountId": account}
    return {k: v for k, v in pseudo.items() if v}


@dataclass(frozen=True)
class TaggedEvaluation:
    """The evaluation of one template made by its stack synthesizer while tagging it."""

    #: SHA-256 of the bytes the synthesizer wrote (the tagged template)
    sha256: str
    #: the pseudo parameters it was evaluated with (``known_pseudo`` of the stack's environment)
    pseudo: Mapping[str, str]
    rules: RuleSet
    #: the results on the template before its measure tags were added (no stack name or paths)
    results: tuple[RuleResult, ...]
    satisfied: Mapping[str, tuple[str, ...]]


class TaggingEvaluations:
    """Evaluations the stack synthesizers of one app made while tagging, for the check after
    synthesis (see the module documentation). ``Bio2`` gives one instance to its synthesizers and
    to its plugin; the plugin empties it after each check."""

    def __init__(self) -> None:
        self._by_digest: dict[tuple[str, tuple[tuple[str, str], ...]], TaggedEvaluation] = {}

    def offer(self, evaluation: TaggedEvaluation) -> None:
        self._by_digest[(evaluation.sha256, tuple(sorted(evaluation.pseudo.items())))] = evaluation

    def find(self, sha256: str, pseudo: Mapping[str, str], rules: RuleSet) -> TaggedEvaluation | None:
        """The evaluation of the template with these bytes, made with this very rule set (all of
        them the library's own) and these pseudo parameters; None when there is none."""
        if not rules.library_only:
            return None
        found = self._by_digest.get((sha256, tuple(sorted(pseudo.items()))))
        return found if found is not None and found.rules is rules else None

    def clear(self) -> None:
        self._by_digest.clear()

    def __len__(self) -> int:
        return len(self._by_digest)


def evaluate_templates(
    stacks: Sequence[StackTemplate], rules: RuleSet, offered: TaggingEvaluations | None = None
) -> list[StackEvaluation]:
    """The authoritative evaluation of the synthesized templates, as read from disk.

    ``offered``: the evaluations made while tagging; a template whose bytes (SHA-256) were tagged
    with these rules and this environment takes the evaluation made then, relabelled with the
    stack's template file and construct paths, instead of being evaluated again."""
    evaluations: list[StackEvaluation] = []
    for st in stacks:
        pseudo = known_pseudo(st.account, st.region)
        earlier = offered.find(st.sha256, pseudo, rules) if offered is not None else None
        if earlier is not None:
            paths = st.paths
            results = [
                RuleResult(
                    r.rule,
                    st.template_file,
                    r.logical_id,
                    r.resource_type,
                    r.result,
                    r.detail,
                    paths.get(r.logical_id),
                )
                for r in earlier.results
            ]
            satisfied = dict(earlier.satisfied)
            mismatches = _tag_mismatches(
                ((lid, body["Type"], props) for lid, body, props in _resource_bodies(st.resources)), satisfied
            )
            evaluations.append(StackEvaluation(st, results, satisfied, mismatches))
            continue
        view = build_view(
            st.template_file, st.resources, st.paths, conditions=st.template.get("Conditions"), pseudo=pseudo
        )
        try:
            results = evaluate_stack(view, rules)
            satisfied = satisfied_measures(results)
            mismatches = _tag_mismatches(
                ((lid, res.type, res.properties) for lid, res in view.resources.items()), satisfied
            )
        finally:
            view.release()
        evaluations.append(StackEvaluation(st, results, satisfied, mismatches))
    return evaluations


def _tag_mismatches(
    resources: Iterable[tuple[str, str, Mapping[str, Any]]], satisfied: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per logical ID, (measures its tags claim, measures it proves) where they differ. The tags
    are read from the type's tag property (``BackupVaultTags``, ``FileSystemTags``... where the
    type keeps them there), where the measure tags are written."""
    mismatches: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for lid, cfn_type, properties in resources:
        tagged = measures_from_tags(tags_of(properties, tag_property(cfn_type)))
        if tagged and tagged != satisfied.get(lid, ()):
            mismatches[lid] = (tagged, satisfied.get(lid, ()))
    return mismatches
