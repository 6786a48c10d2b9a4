"""Rule model: a rule is data plus a pure function over one synthesized resource.

A rule never talks to the CDK construct tree. It receives a :class:`Resource`, a plain
view of one CloudFormation resource as it appears in the synthesized template
(``Type``, ``Properties``, ``DeletionPolicy``...), with access to the other resources of
the same template through :attr:`Resource.stack` for relations such as "this bucket has
a bucket policy that denies plain HTTP".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from bio2_aspects.mappings import ControlMapping, MeasureMapping, rule_controls, rule_mappings

RULE_ID_PATTERN = re.compile(r"^BIO2-[A-Za-z0-9]+-[A-Za-z0-9]+$")
MEASURE_ID_PATTERN = re.compile(r"^\d\.\d{2}\.\d{2}$")


class Result(StrEnum):
    """Outcome of one rule on one resource."""

    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    NOT_APPLICABLE = "not_applicable"


class Level(StrEnum):
    """How a violation is reported: errors fail synthesis unless acknowledged."""

    ERROR = "error"
    WARNING = "warning"


Outcome = Result | tuple[Result, str]


@dataclass(frozen=True)
class StackView:
    """All resources of one synthesized template, keyed by logical ID."""

    name: str
    resources: Mapping[str, Resource] = field(default_factory=dict)
    #: The template's ``Conditions`` section (name -> condition expression).
    conditions: Mapping[str, Any] = field(default_factory=dict)
    #: Pseudo parameters whose value is known at synth time (``AWS::Region``, ``AWS::AccountId``).
    pseudo: Mapping[str, str] = field(default_factory=dict)

    def deployed(self, resource: Resource) -> bool | None:
        """Whether CloudFormation creates ``resource``: True without a ``Condition`` or with one that
        is provably true, False when it is provably false, None when synth time cannot tell."""
        if resource.condition is None:
            return True
        return condition_value({"Condition": resource.condition}, self.conditions, self.pseudo)

    def get(self, logical_id: str) -> Resource | None:
        return self.resources.get(logical_id)

    def derived(self, key: str, build: Callable[[StackView], Any]) -> Any:
        """An index over this view that a rule makes once per template instead of once per
        resource (which queue is whose dead-letter queue, say): ``build(view)`` on first use, kept
        under ``key`` (name it after the rule module) until the view is released."""
        made = self.__dict__.setdefault("_derived", {})
        if key not in made:
            made[key] = build(self)
        return made[key]

    def release(self) -> None:
        """Empty the view once its evaluation is done. Each resource refers to its view
        (``Resource.stack``) and the view to its resources: a reference cycle, which only Python's
        cyclic collector frees, and with it the template data the resources refer to. The engine
        releases the views it builds, so reference counting frees them at once (it pauses the
        collector during a synth; see :mod:`bio2_aspects.collector`)."""
        if isinstance(self.resources, dict):
            self.resources.clear()
        self.__dict__.pop("_by_types", None)
        self.__dict__.pop("_derived", None)

    @cached_property
    def _by_types(self) -> dict[tuple[str, ...], list[Resource]]:
        """Resources by type (keyed as one-type queries), built on first use: rules ask for related
        resources of each resource. Queries for several types are added as they are asked."""
        index: dict[tuple[str, ...], list[Resource]] = {}
        for res in self.resources.values():
            index.setdefault((res.type,), []).append(res)
        return index

    def of_type(self, *types: str) -> Iterator[Resource]:
        """The resources of these types, in template order."""
        index = self._by_types
        if types not in index:
            if len(types) == 1:
                return iter(())
            wanted = frozenset(types)
            index[types] = [res for res in self.resources.values() if res.type in wanted]
        return iter(index[types])

    def referrers(self, logical_id: str, key: str, *types: str) -> tuple[Resource, ...]:
        """The resources of these types whose property ``key`` refers to ``logical_id``, in
        template order: ``[r for r in self.of_type(*types) if refers_to(r.properties.get(key),
        logical_id)]``, looked up in an index made once per view and query (``derived``)."""
        return self.derived(f"base.referrers {key} {' '.join(types)}", _referrer_index(key, types)).get(
            logical_id, ()
        )

    def referencing(self, logical_id: str, *types: str) -> Iterator[Resource]:
        """Resources (optionally of the given types) whose properties refer to ``logical_id``."""
        for res in self.resources.values():
            if types and res.type not in types:
                continue
            if res.logical_id != logical_id and refers_to(res.properties, logical_id):
                yield res


def _referrer_index(
    key: str, types: tuple[str, ...]
) -> Callable[[StackView], dict[str, tuple[Resource, ...]]]:
    """Builds, for :meth:`StackView.referrers`, logical ID -> the resources of ``types`` whose
    property ``key`` refers to it (:func:`referenced_ids`, the IDs :func:`refers_to` finds)."""

    def build(view: StackView) -> dict[str, tuple[Resource, ...]]:
        index: dict[str, list[Resource]] = {}
        for res in view.of_type(*types):
            for lid in referenced_ids(res.properties.get(key)):
                index.setdefault(lid, []).append(res)
        return {lid: tuple(found) for lid, found in index.items()}

    return build


@dataclass(frozen=True)
class Resource:
    """One CloudFormation resource in a synthesized template."""

    logical_id: str
    type: str
    properties: Mapping[str, Any]
    stack: StackView
    deletion_policy: str | None = None
    update_replace_policy: str | None = None
    path: str | None = None
    #: The resource's CloudFormation ``Condition`` (a name in the template's ``Conditions``), if any.
    condition: str | None = None

    def prop(self, *keys: str | int, default: Any = None) -> Any:
        """Nested property lookup: ``res.prop("BucketEncryption", "ServerSideEncryptionConfiguration")``."""
        return dig(self.properties, *keys, default=default)

    @property
    def tags(self) -> dict[str, Any]:
        """Tags as a dict, whether the type uses a list of Key/Value pairs or a map."""
        return tags_of(self.properties)


@dataclass(frozen=True)
class Rule:
    """A BIO2 rule: identity, scope, the measures it evidences and its check.

    The mapping table (:mod:`bio2_aspects.mappings`, ``data/rules.json``) is authoritative:
    ``mappings`` are the rule's rows there (strength, facet, rationale), and ``measures`` is
    derived from them. A rule missing from the table keeps the ``measures`` it was given, as
    ``supporting`` mappings without rationale. ``controls`` are its ISO-control-level pairs
    (``data/controls.json``).
    """

    id: str
    resource_types: tuple[str, ...]
    measures: tuple[str, ...]
    finding: str
    fix: str
    check: Callable[[Resource], Outcome] = field(compare=False, repr=False)
    level: Level = Level.ERROR
    description: str = ""
    #: True when the check reads ``deletion_policy`` / ``update_replace_policy``: the tagger then
    #: fetches those options (a jsii round trip) for the rule's resource types only.
    reads_policies: bool = False
    #: The rule's measure mappings (from the table; see the class docstring).
    mappings: tuple[MeasureMapping, ...] = field(default=(), compare=False, repr=False)
    #: The rule's ISO-control-level mappings (controls without BIO2 measures).
    controls: tuple[ControlMapping, ...] = field(default=(), compare=False, repr=False)

    def __hash__(self) -> int:
        # by ID: the engine's caches look a rule up once per result, and the generated hash
        # builds a tuple of every compared field each time (equal rules have equal IDs)
        return hash(self.id)

    def __post_init__(self) -> None:
        if not RULE_ID_PATTERN.match(self.id):
            raise ValueError(f"rule id {self.id!r} does not match BIO2-<Service>-<Name>")
        if not self.resource_types:
            raise ValueError(f"rule {self.id} names no resource types")
        if not self.mappings:
            object.__setattr__(self, "mappings", rule_mappings(self.id, tuple(self.measures)))
        if not self.controls:
            object.__setattr__(self, "controls", rule_controls(self.id))
        object.__setattr__(self, "measures", tuple(sorted({m.measure for m in self.mappings})))
        if not self.measures and not self.controls:
            raise ValueError(f"rule {self.id} evidences no measures and no controls")
        for m in self.measures:
            if not MEASURE_ID_PATTERN.match(m):
                raise ValueError(f"rule {self.id}: measure id {m!r} is not of the form C.CC.NN")

    def mapping(self, measure_id: str) -> MeasureMapping | None:
        """The rule's mapping to ``measure_id`` (strength, facet, rationale), or None."""
        return next((m for m in self.mappings if m.measure == measure_id), None)

    @property
    def service(self) -> str:
        return self.id.split("-")[1]

    def evaluate(self, resource: Resource) -> tuple[Result, str]:
        """Run the check; normalise the outcome to ``(result, detail)``."""
        out = self.check(resource)
        if isinstance(out, tuple):
            result, detail = out
        else:
            result, detail = out, ""
        if not isinstance(result, Result):
            raise TypeError(f"rule {self.id} returned {result!r}, not a Result")
        return result, detail


def rule(
    id: str,
    *,
    types: Iterable[str],
    measures: Iterable[str] = (),
    finding: str,
    fix: str,
    level: Level = Level.ERROR,
    description: str = "",
    reads_policies: bool = False,
) -> Callable[[Callable[[Resource], Outcome]], Rule]:
    """Decorator that turns a check function into a :class:`Rule`.

    ``measures`` is only a fallback for a rule not (yet) in the mapping table; the table's rows
    decide a rule's measures.
    """

    def wrap(fn: Callable[[Resource], Outcome]) -> Rule:
        return Rule(
            id=id,
            resource_types=tuple(types),
            measures=tuple(sorted(set(measures))),
            finding=finding,
            fix=fix,
            check=fn,
            level=level,
            description=description or (fn.__doc__ or "").strip(),
            reads_policies=reads_policies,
        )

    return wrap


# --------------------------------------------------------------------------- helpers


def dig(obj: Any, *keys: str | int, default: Any = None) -> Any:
    cur = obj
    for key in keys:
        if isinstance(key, int):
            if not isinstance(cur, list) or key >= len(cur):
                return default
            cur = cur[key]
        else:
            if not is_mapping(cur) or key not in cur:
                return default
            cur = cur[key]
    return cur


def is_true(value: Any) -> bool:
    """CloudFormation booleans arrive as bools or as the strings "true"/"false"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.lower() == "true"
    return False


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


#: Types that are never a mapping: checked before the (slower) abstract ``Mapping`` check.
_NOT_MAPPINGS = frozenset((str, list, int, float, bool, type(None)))


def is_mapping(value: Any) -> bool:
    """``isinstance(value, Mapping)``, fast for the JSON types a template is made of."""
    return isinstance(value, dict) or (type(value) not in _NOT_MAPPINGS and isinstance(value, Mapping))


def refers_to(value: Any, logical_id: str) -> bool:
    """True when ``value`` contains ``{"Ref": id}`` or ``{"Fn::GetAtt": [id, ...]}``."""
    if is_mapping(value):
        if len(value) == 1:
            if value.get("Ref") == logical_id:
                return True
            att = value.get("Fn::GetAtt")
            if isinstance(att, list) and att and att[0] == logical_id:
                return True
            if isinstance(att, str) and att.split(".", 1)[0] == logical_id:
                return True
        return any(refers_to(v, logical_id) for v in value.values())
    if isinstance(value, list):
        return any(refers_to(v, logical_id) for v in value)
    return False


def referenced_ids(value: Any) -> set[str]:
    """Every logical ID that ``value`` refers to: the IDs for which :func:`refers_to` is True."""
    out: set[str] = set()
    todo = [value]
    while todo:
        item = todo.pop()
        if is_mapping(item):
            if len(item) == 1:
                ref = item.get("Ref")
                if isinstance(ref, str):
                    out.add(ref)
                att = item.get("Fn::GetAtt")
                if isinstance(att, list) and att and isinstance(att[0], str):
                    out.add(att[0])
                elif isinstance(att, str):
                    out.add(att.split(".", 1)[0])
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return out


def _literal(value: Any, pseudo: Mapping[str, str]) -> str | None:
    """A value CloudFormation compares in ``Fn::Equals``, when it is known at synth time."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, Mapping) and len(value) == 1 and isinstance(value.get("Ref"), str):
        return pseudo.get(value["Ref"])
    return None


def condition_value(
    expr: Any,
    conditions: Mapping[str, Any],
    pseudo: Mapping[str, str] | None = None,
    _seen: frozenset = frozenset(),
) -> bool | None:
    """Three-valued evaluation of a CloudFormation condition expression.

    True or False when synth time proves it (``Fn::Equals`` of two known strings, and ``Fn::Not``,
    ``Fn::And``, ``Fn::Or`` over such), None when it depends on a parameter, an unknown pseudo
    parameter, a mapping or anything else only known at deploy time.
    """
    pseudo = pseudo or {}
    if not isinstance(expr, Mapping) or len(expr) != 1:
        return None
    key, arg = next(iter(expr.items()))
    if key == "Condition":
        if not isinstance(arg, str) or arg in _seen or arg not in conditions:
            return None
        return condition_value(conditions[arg], conditions, pseudo, _seen | {arg})
    if key == "Fn::Equals":
        if not isinstance(arg, list) or len(arg) != 2:
            return None
        left, right = (_literal(v, pseudo) for v in arg)
        if left is None or right is None:
            return None
        return left == right
    if key == "Fn::Not":
        if not isinstance(arg, list) or len(arg) != 1:
            return None
        inner = condition_value(arg[0], conditions, pseudo, _seen)
        return None if inner is None else not inner
    if key in ("Fn::And", "Fn::Or") and isinstance(arg, list) and arg:
        values = [condition_value(v, conditions, pseudo, _seen) for v in arg]
        decisive = key == "Fn::Or"  # True decides an Or, False decides an And
        if decisive in values:
            return decisive
        if None in values:
            return None
        return not decisive
    return None


def tags_of(properties: Mapping[str, Any], prop: str = "Tags") -> dict[str, Any]:
    """The tags in ``properties[prop]`` as a dict, from a list of ``Key``/``Value`` pairs or a map."""
    raw = properties.get(prop)
    if isinstance(raw, list):
        return {t.get("Key"): t.get("Value") for t in raw if isinstance(t, Mapping) and "Key" in t}
    if isinstance(raw, Mapping):
        return dict(raw)
    return {}
