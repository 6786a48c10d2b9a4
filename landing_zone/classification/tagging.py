"""Classify constructs and make sure every taggable resource carries its classification.

``classify(scope, ...)`` is what app teams call: it adds the classification tags to ``scope``
with CDK's own ``Tags``, so the nearest classification wins (a workload's rating overrides its
account's). CDK's ``Tags`` alone leave gaps, which :class:`ClassificationTagger` closes:

* Aspects, tags included, do not cross a ``Stage`` boundary: ``Tags.of(app)`` never reaches the
  member-account baseline, which lives in a Stage of its own. ``classify`` attaches a tagger to
  the stage of what it classifies, the classification component attaches one (with the default
  rating) to the app and the baseline stage (:func:`attach`), and the tagger looks up
  classifications across stage boundaries.
* The BIO2 engine's measure tagger evaluates a stack when it visits the stack node, before CDK's
  tag aspects have reached the resources below it. The tagger therefore sets every resource's
  classification tags when it visits the stack, as the tag aspects will later, so the engine's
  ``bio2:measures`` tags agree with the final template.
* A plain ``CfnResource`` (CDK's own custom resource providers make their Lambda function and IAM
  role that way) has no tag manager, so ``Tags`` skips it. The tagger writes its tag property
  directly, as a list or a map as the resource type's schema wants, in the property the type
  uses (``Tags``, or e.g. ``BackupVaultTags`` for a backup vault).
* A resource that nothing classified gets the configured default, so no resource ends up
  without the three tags. A value that is not a level is a synth error.

Custom resources themselves (``AWS::CloudFormation::CustomResource``, ``Custom::*``) take no tags
in CloudFormation; the tagging rule treats them as not applicable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

import aws_cdk as cdk
import jsii
from constructs import IConstruct

from bio2_aspects.rules.tagging import TAG_PROPERTIES, supports_tags
from landing_zone.classification._map_tag_types import MAP_TAG_TYPES
from landing_zone.classification.labels import ASPECTS, LEVELS, TAG_KEYS, Rating, check_level, rating_tags

#: Aspect priority of the tagger: after CDK's tag aspects (``AspectPriority.DEFAULT``, 500), before
#: the read-only BIO2 engine (``AspectPriority.READONLY``, 1000), which must see the final tags.
TAGGER_PRIORITY = 600
#: Priority of ``Tags.of(scope).add`` when none is given.
DEFAULT_TAG_PRIORITY = 100
#: Tag priority of the default the tagger fills in: below every ``Tags.of(...).add`` (100) and
#: below tags given to an L1 constructor (50), so it never replaces a classification.
FALLBACK_TAG_PRIORITY = 10

_CLASSIFICATION_KEYS = frozenset(TAG_KEYS.values())


def classify(
    scope: IConstruct,
    *,
    confidentiality: str | None = None,
    integrity: str | None = None,
    availability: str | None = None,
) -> None:
    """Classify everything below ``scope`` (a stack, a construct, one resource).

    Give one, two or all three levels (``low``, ``medium``, ``high``); the others keep the level
    of the enclosing scope (in the end, of the account). The nearest classification wins, so an
    app team can rate a single bucket ``availability="high"`` to put it in the hourly backup plan::

        classify(bucket, availability="high")

    Raises ValueError for a level that does not exist, or when no level is given.
    """
    given = {
        "confidentiality": confidentiality,
        "integrity": integrity,
        "availability": availability,
    }
    levels = {aspect: check_level(aspect, value) for aspect, value in given.items() if value is not None}
    if not levels:
        raise ValueError(f"classify({scope.node.path}): give at least one of {', '.join(ASPECTS)}")
    for aspect, level in levels.items():
        cdk.Tags.of(scope).add(TAG_KEYS[aspect], level)
    stage = scope if isinstance(scope, cdk.Stage) else cdk.Stage.of(scope)
    if stage is not None:
        attach(stage)


def classify_rating(scope: IConstruct, rating: Rating | Mapping[str, str]) -> None:
    """Classify ``scope`` with all three levels of ``rating`` (a Rating or aspect -> level)."""
    tags = rating_tags(rating)
    classify(scope, **{aspect: tags[TAG_KEYS[aspect]] for aspect in ASPECTS})


@dataclass(frozen=True)
class _Candidate:
    """A classification tag some scope adds (through ``Tags.of(scope).add``), and where."""

    key: str
    value: str
    priority: int
    #: position along the path from the root: later (deeper, or added later) wins a tie
    order: tuple[int, int]
    include: tuple[str, ...]
    exclude: tuple[str, ...]

    def applies_to(self, cfn_type: str | None) -> bool:
        if cfn_type is None:
            return True
        if cfn_type in self.exclude:
            return False
        return not self.include or cfn_type in self.include


def _candidates_on(scope: IConstruct, depth: int) -> list[_Candidate]:
    found = []
    for index, aspect in enumerate(cdk.Aspects.of(scope).all):
        if not isinstance(aspect, cdk.Tag) or aspect.key not in _CLASSIFICATION_KEYS:
            continue
        props = aspect._props
        found.append(
            _Candidate(
                key=aspect.key,
                value=aspect.value,
                priority=props.priority if props.priority is not None else DEFAULT_TAG_PRIORITY,
                order=(depth, index),
                include=tuple(props.include_resource_types or ()),
                exclude=tuple(props.exclude_resource_types or ()),
            )
        )
    return found


def _resolve(candidates: Iterable[_Candidate], cfn_type: str | None) -> dict[str, _Candidate]:
    """CDK's rule for competing tags: the highest priority wins; at equal priority the nearest."""
    winners: dict[str, _Candidate] = {}
    for candidate in candidates:
        if not candidate.applies_to(cfn_type):
            continue
        current = winners.get(candidate.key)
        if current is None or (candidate.priority, candidate.order) >= (current.priority, current.order):
            winners[candidate.key] = candidate
    return winners


def classification_of(construct: IConstruct, cfn_type: str | None = None) -> dict[str, str]:
    """Tag key -> level that ``classify``/``Tags`` give ``construct``, looking across stage boundaries.

    Follows CDK's rules for competing tags: the highest tag priority wins, and at equal priority
    the tag nearest to the construct. ``cfn_type`` applies the tags' include/exclude resource type
    filters. Keys that nothing sets are missing from the result.
    """
    candidates = [
        c for depth, scope in enumerate(construct.node.scopes) for c in _candidates_on(scope, depth)
    ]
    return {key: c.value for key, c in sorted(_resolve(candidates, cfn_type).items())}


class _Kind(Enum):
    STACK = "stack"
    STAGE = "stage"
    RESOURCE = "resource"
    OTHER = "other"


_KINDS: dict[type, _Kind] = {}
_CFN_TYPES: dict[type, str] = {}


def _kind_of(node: object) -> _Kind:
    """What ``node`` is, cached per Python class: ``isinstance`` on jsii classes is slow."""
    cls = type(node)
    kind = _KINDS.get(cls)
    if kind is None:
        if issubclass(cls, cdk.Stack):
            kind = _Kind.STACK
        elif issubclass(cls, cdk.Stage):
            kind = _Kind.STAGE
        elif issubclass(cls, cdk.CfnResource):
            kind = _Kind.RESOURCE
        else:
            kind = _Kind.OTHER
        _KINDS[cls] = kind
    return kind


def _ref(node: object) -> str:
    """The jsii object reference: stable for the life of the object, and free to read."""
    ref = getattr(node, "__jsii_ref__", None)
    return ref.ref if ref is not None else str(id(node))


def _cfn_type(node: cdk.CfnResource) -> str:
    """The resource type; an L1 class has one type, a plain CfnResource is asked each time."""
    cls = type(node)
    if cls is cdk.CfnResource:
        return node.cfn_resource_type
    cached = _CFN_TYPES.get(cls)
    if cached is None:
        cached = _CFN_TYPES[cls] = node.cfn_resource_type
    return cached


@jsii.implements(cdk.IAspect)
class ClassificationTagger:
    """Aspect: every taggable resource ends up with all three classification tags.

    Register it with :func:`attach` on the app and on every stage (aspects do not cross stages).
    ``default`` is the rating for resources that nothing classified (the configuration's
    ``classification.default``); without one such resources stay unclassified (and the BIO2
    tagging rule reports them).

    Aspects run top-down: on a stack node before its resources. The BIO2 engine's measure tagger
    evaluates a whole stack when it visits the stack node, when CDK's tag aspects have not yet
    reached the resources below. So when the tagger visits a stack it already sets every resource's
    classification tags, with the value and priority the tag aspects will set later; the engine
    then sees the final tags. Visiting each resource it completes what is still missing.
    """

    def __init__(self, default: Rating | Mapping[str, str] | None = None):
        self.default: dict[str, str] = rating_tags(default) if default is not None else {}
        #: Paths of resources whose tag property the tagger wrote itself ("property"), and of
        #: resources it completed after the stack pass ("tag_manager"), for tests and reviews.
        self.completed: dict[str, list[str]] = {"tag_manager": [], "property": []}
        #: jsii references of the resources the stack pass handled
        self._done: set[str] = set()

    def visit(self, node: IConstruct) -> None:
        kind = _kind_of(node)
        if kind is _Kind.STACK:
            self._tag_stack(node)  # type: ignore[arg-type]
            return
        if kind is not _Kind.RESOURCE or _ref(node) in self._done:
            return
        # a resource the stack pass did not see (added after it, e.g. by another aspect)
        cfn_type = _cfn_type(node)  # type: ignore[arg-type]
        if not supports_tags(cfn_type):
            return
        manager = cdk.TagManager.of(node)
        if manager is not None:
            self._complete_manager(node, cfn_type, manager)  # type: ignore[arg-type]
        else:
            candidates = [c for d, scope in enumerate(node.node.scopes) for c in _candidates_on(scope, d)]
            self._complete_property(node, cfn_type, candidates)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ the stack, in advance

    def _tag_stack(self, stack: cdk.Stack) -> None:
        scopes = stack.node.scopes
        inherited = [c for depth, scope in enumerate(scopes[:-1]) for c in _candidates_on(scope, depth)]
        self._walk(stack, inherited, len(scopes) - 1)

    def _walk(self, node: IConstruct, inherited: list[_Candidate], depth: int) -> None:
        candidates = inherited + _candidates_on(node, depth)
        if _kind_of(node) is _Kind.RESOURCE:
            self._tag_resource(node, candidates)  # type: ignore[arg-type]
            return  # resources have no constructs below them
        for child in node.node.children:
            # nested stacks and stages get their own visit
            if _kind_of(child) not in (_Kind.STACK, _Kind.STAGE):
                self._walk(child, candidates, depth + 1)

    def _tag_resource(self, node: cdk.CfnResource, candidates: list[_Candidate]) -> None:
        cfn_type = _cfn_type(node)
        self._done.add(_ref(node))
        if not supports_tags(cfn_type):
            return
        manager = cdk.TagManager.of(node)
        if manager is None:
            self._complete_property(node, cfn_type, candidates)
            return
        winners = _resolve(candidates, cfn_type)
        current = manager.tag_values()
        final = dict(current)
        for key in TAG_KEYS.values():
            if key in winners:
                value, priority = winners[key].value, winners[key].priority
            elif key in self.default:
                value, priority = self.default[key], FALLBACK_TAG_PRIORITY
            else:
                continue
            final.setdefault(key, value)
            if current.get(key) != value:
                manager.set_tag(key, value, priority, True)
        self._check_values(node, {**final, **{k: w.value for k, w in winners.items()}})

    # ------------------------------------------------------------------ resources with a TagManager

    def _complete_manager(self, node: cdk.CfnResource, cfn_type: str, manager: cdk.TagManager) -> None:
        current = manager.tag_values()
        missing = [key for key in TAG_KEYS.values() if key not in current]
        if missing:
            wanted = {**self.default, **classification_of(node, cfn_type)}
            for key in missing:
                if key in wanted:
                    manager.set_tag(key, wanted[key], FALLBACK_TAG_PRIORITY, True)
            self.completed["tag_manager"].append(node.node.path)
            current = manager.tag_values()
        self._check_values(node, current)

    # ------------------------------------------------------------------ plain CfnResource

    def _complete_property(self, node: cdk.CfnResource, cfn_type: str, candidates: list[_Candidate]) -> None:
        prop = TAG_PROPERTIES.get(cfn_type, "Tags")
        existing = (node._cfn_properties or {}).get(prop)
        if cdk.Token.is_unresolved(existing) or not isinstance(existing, list | dict | type(None)):
            cdk.Annotations.of(node).add_error(
                f"{prop} of this {cfn_type} is a token, so the classification tags cannot be added; "
                "give the tags as a literal list"
            )
            return
        tags = _tag_dict(existing)
        wanted = {**self.default, **{k: c.value for k, c in _resolve(candidates, cfn_type).items()}}
        if not wanted:
            return
        for key, value in wanted.items():
            tags.setdefault(key, value)
        self._check_values(node, tags)
        if cfn_type in MAP_TAG_TYPES:
            rendered: Any = dict(sorted(tags.items()))
        else:
            extra = {"PropagateAtLaunch": True} if cfn_type == "AWS::AutoScaling::AutoScalingGroup" else {}
            rendered = [{"Key": key, "Value": value, **extra} for key, value in sorted(tags.items())]
        node.add_property_override(prop, rendered)
        self.completed["property"].append(node.node.path)

    # ------------------------------------------------------------------ values

    @staticmethod
    def _check_values(node: cdk.CfnResource, tags: Mapping[str, Any]) -> None:
        for key in sorted(_CLASSIFICATION_KEYS):
            value = tags.get(key)
            if isinstance(value, str) and not cdk.Token.is_unresolved(value) and value not in LEVELS:
                cdk.Annotations.of(node).add_error(
                    f"tag {key}={value!r} is not a classification level; use one of: {', '.join(LEVELS)} "
                    "(landing_zone.classification.classify)"
                )


def _tag_dict(existing: Any) -> dict[str, Any]:
    if isinstance(existing, dict):
        return dict(existing)
    out: dict[str, Any] = {}
    for entry in existing or []:
        if isinstance(entry, dict) and "Key" in entry:
            out[entry["Key"]] = entry.get("Value")
    return out


def attach(scope: cdk.Stage, default: Rating | Mapping[str, str] | None = None) -> ClassificationTagger:
    """The :class:`ClassificationTagger` of ``scope`` (an app or a stage); added if there is none.

    :func:`classify` attaches one to the stage of what it classifies, so app teams rarely need to
    call this. The landing zone calls it with ``default`` (``classification.default``) for the app
    and the member-baseline stage; given a default, an existing tagger takes it over.
    """
    for aspect in cdk.Aspects.of(scope).all:
        if isinstance(aspect, ClassificationTagger):
            if default is not None:
                aspect.default = rating_tags(default)
            return aspect
    tagger = ClassificationTagger(default)
    cdk.Aspects.of(scope).add(tagger, priority=TAGGER_PRIORITY)
    return tagger
