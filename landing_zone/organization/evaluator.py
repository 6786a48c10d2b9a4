"""A small evaluator of IAM policy semantics, to prove what the guardrails deny and allow.

It answers "would this request be allowed?" for a set of policy documents, with the rules of the
IAM policy language that the landing zone's policies use:

* an explicit ``Deny`` in any statement wins over every ``Allow``; without a matching ``Allow``
  the request is implicitly denied;
* ``Action`` / ``NotAction`` (case-insensitive, ``*`` and ``?`` wildcards), ``Resource`` /
  ``NotResource`` (case-sensitive wildcards), ``Principal`` / ``NotPrincipal`` (``"*"`` or
  ``{"AWS": [...]}``, as in resource control policies);
* condition operators: ``String{Equals,NotEquals,Like,NotLike}`` and their ``IgnoreCase`` forms,
  ``Arn{Equals,NotEquals,Like,NotLike}`` (matched per ARN component), ``Bool``, ``Null``,
  ``Numeric{Equals,NotEquals,LessThan,LessThanEquals,GreaterThan,GreaterThanEquals}``, each with
  ``...IfExists``, and the set qualifiers ``ForAnyValue:`` / ``ForAllValues:``;
* several operators, and several keys under one operator, are ANDed; several values for one key are
  ORed, except under a negated operator (``StringNotEquals``...), where they are NORed;
* a key missing from the request makes a condition false, except for negated operators (true),
  ``...IfExists`` (true), ``Null`` (tests presence) and ``ForAllValues`` (true);
* policy variables (``${aws:PrincipalAccount}``) in condition values and resources are replaced
  from the request context.

It is not AWS's evaluation engine: it knows no service's authorization logic (which condition keys a
service puts in the request is up to the caller of :func:`evaluate`), no permission boundaries or
session policies, and it treats a multi-valued key under a plain (non-set) operator as an error.
That is enough for the guardrail tests, which state every context key explicitly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any

ContextValue = str | bool | int | float | Sequence[str]


class Decision(StrEnum):
    ALLOW = "Allow"
    EXPLICIT_DENY = "ExplicitDeny"
    IMPLICIT_DENY = "ImplicitDeny"

    @property
    def allowed(self) -> bool:
        return self is Decision.ALLOW


@dataclass(frozen=True)
class Request:
    """One API request: the action, the resource and the request context (condition keys)."""

    action: str
    resource: str = "*"
    #: condition keys (case-insensitive names) and their values; lists for multi-valued keys
    context: Mapping[str, ContextValue] = field(default_factory=dict)

    def value(self, key: str) -> ContextValue | None:
        return _lower_keys(self.context).get(key.lower())

    @property
    def principal_arn(self) -> str | None:
        value = self.value("aws:PrincipalArn")
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class Result:
    decision: Decision
    #: (policy index, statement Sid or index) of the statements that matched, by effect
    denied_by: tuple[str, ...] = ()
    allowed_by: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        return self.decision.allowed


class PolicyError(ValueError):
    """The policy uses syntax this evaluator does not support (it never guesses)."""


FULL_ACCESS: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
"""``FullAWSAccess``: the AWS-managed SCP attached to every root, OU and account by default."""

RCP_FULL_ACCESS: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
}
"""``RCPFullAWSAccess``: the AWS-managed RCP attached everywhere by default."""


def evaluate(policies: Iterable[Mapping[str, Any]], request: Request) -> Result:
    """The decision of ``policies`` (together, as one set) on ``request``."""
    denied: list[str] = []
    allowed: list[str] = []
    for p_index, policy in enumerate(policies):
        statements = policy.get("Statement")
        if isinstance(statements, Mapping):
            statements = [statements]
        if not isinstance(statements, list):
            raise PolicyError(f"policy {p_index} has no Statement list")
        for s_index, statement in enumerate(statements):
            if not statement_matches(statement, request):
                continue
            label = f"{p_index}:{statement.get('Sid', s_index)}"
            effect = statement.get("Effect")
            if effect == "Deny":
                denied.append(label)
            elif effect == "Allow":
                allowed.append(label)
            else:
                raise PolicyError(f"statement {label}: Effect must be Allow or Deny, not {effect!r}")
    if denied:
        decision = Decision.EXPLICIT_DENY
    elif allowed:
        decision = Decision.ALLOW
    else:
        decision = Decision.IMPLICIT_DENY
    return Result(decision, tuple(denied), tuple(allowed))


def evaluate_scps(scps: Iterable[Mapping[str, Any]], request: Request) -> Result:
    """Service control policies at one level, with ``FullAWSAccess`` attached as AWS does by default."""
    return evaluate([FULL_ACCESS, *scps], request)


def evaluate_rcps(rcps: Iterable[Mapping[str, Any]], request: Request) -> Result:
    """Resource control policies at one level, with ``RCPFullAWSAccess`` attached as AWS does."""
    return evaluate([RCP_FULL_ACCESS, *rcps], request)


# ------------------------------------------------------------------ statement matching


def statement_matches(statement: Mapping[str, Any], request: Request) -> bool:
    """Whether ``statement`` applies to ``request`` (action, resource, principal and condition)."""
    if not _element_matches(statement, "Action", "NotAction", request.action, _action_match):
        return False
    if not _element_matches(
        statement,
        "Resource",
        "NotResource",
        request.resource,
        lambda pattern, value: _resource_match(_substitute(pattern, request), value),
    ):
        return False
    if ("Principal" in statement or "NotPrincipal" in statement) and not _principal_matches(
        statement, request
    ):
        return False
    return condition_matches(statement.get("Condition") or {}, request)


def _element_matches(statement, positive: str, negative: str, value: str, match) -> bool:
    if positive in statement and negative in statement:
        raise PolicyError(f"a statement has both {positive} and {negative}")
    if positive in statement:
        return any(match(p, value) for p in _strings(statement[positive], positive))
    if negative in statement:
        return not any(match(p, value) for p in _strings(statement[negative], negative))
    raise PolicyError(f"a statement has neither {positive} nor {negative}")


def _principal_matches(statement: Mapping[str, Any], request: Request) -> bool:
    key = "Principal" if "Principal" in statement else "NotPrincipal"
    principal = statement[key]
    arn = request.principal_arn or ""
    if principal == "*":
        found = True
    elif isinstance(principal, Mapping):
        found = False
        for kind, values in principal.items():
            for value in _strings(values, f"{key}.{kind}"):
                aws = kind == "AWS" and _wildcard(value, arn, ignore_case=False)
                service = kind == "Service" and request.value("aws:PrincipalServiceName") == value
                found = found or value == "*" or aws or service
    else:
        raise PolicyError(f"unsupported {key}: {principal!r}")
    return found if key == "Principal" else not found


def _action_match(pattern: str, action: str) -> bool:
    return _wildcard(pattern, action, ignore_case=True)


def _resource_match(pattern: str, resource: str) -> bool:
    if pattern == "*":
        return True
    return _wildcard(pattern, resource, ignore_case=False)


# ------------------------------------------------------------------ conditions

_BASE_OPERATORS = {
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "ArnEquals",
    "ArnNotEquals",
    "ArnLike",
    "ArnNotLike",
    "Bool",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
}
_NEGATED = {
    "StringNotEquals",
    "StringNotEqualsIgnoreCase",
    "StringNotLike",
    "ArnNotEquals",
    "ArnNotLike",
    "NumericNotEquals",
}


def condition_matches(condition: Mapping[str, Any], request: Request) -> bool:
    """Whether every operator of a ``Condition`` block holds (AND over operators and keys)."""
    for operator, keys in condition.items():
        if not isinstance(keys, Mapping):
            raise PolicyError(f"condition operator {operator} needs a map of keys to values")
        for key, values in keys.items():
            if not _operator_holds(operator, key, _strings(values, f"{operator}.{key}"), request):
                return False
    return True


def _operator_holds(operator: str, key: str, policy_values: list[str], request: Request) -> bool:
    qualifier, _, base = operator.rpartition(":")
    if qualifier not in ("", "ForAnyValue", "ForAllValues"):
        raise PolicyError(f"unknown set qualifier {qualifier!r} in {operator}")
    if base == "Null":
        if qualifier:
            raise PolicyError(f"{operator} is not supported")
        wants_missing = _bool_value(policy_values, operator)
        return (request.value(key) is None) == wants_missing
    if_exists = base.endswith("IfExists")
    base = base.removesuffix("IfExists")
    if base not in _BASE_OPERATORS:
        raise PolicyError(f"unsupported condition operator {operator}")
    negated = base in _NEGATED
    positive = _POSITIVE_OF.get(base, base)
    values = [_substitute(v, request) for v in policy_values]
    actual = request.value(key)

    def matches_one(context_value: Any) -> bool:
        hit = any(_compare(positive, context_value, v) for v in values)
        return not hit if negated else hit

    if qualifier == "ForAllValues":
        items = _context_list(actual)
        return all(matches_one(item) for item in items)  # missing or empty: true
    if qualifier == "ForAnyValue":
        items = _context_list(actual)
        return any(matches_one(item) for item in items)  # missing or empty: false
    if actual is None:
        return if_exists or negated
    if isinstance(actual, (list, tuple)):
        raise PolicyError(
            f"context key {key} has several values; a policy must use ForAnyValue/ForAllValues with it"
        )
    return matches_one(actual)


_POSITIVE_OF = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "NumericNotEquals": "NumericEquals",
}


def _compare(operator: str, actual: Any, expected: str) -> bool:
    if operator == "StringEquals":
        return isinstance(actual, str) and actual == expected
    if operator == "StringEqualsIgnoreCase":
        return isinstance(actual, str) and actual.lower() == expected.lower()
    if operator == "StringLike":
        return isinstance(actual, str) and _wildcard(expected, actual, ignore_case=False)
    if operator in ("ArnEquals", "ArnLike"):
        return isinstance(actual, str) and _arn_like(expected, actual)
    if operator == "Bool":
        if isinstance(actual, str):
            actual = actual.lower() == "true"
        return bool(actual) == (expected.lower() == "true")
    if operator.startswith("Numeric"):
        try:
            left, right = float(actual), float(expected)
        except (TypeError, ValueError):
            return False
        return {
            "NumericEquals": left == right,
            "NumericLessThan": left < right,
            "NumericLessThanEquals": left <= right,
            "NumericGreaterThan": left > right,
            "NumericGreaterThanEquals": left >= right,
        }[operator]
    raise PolicyError(f"unsupported condition operator {operator}")


def _arn_like(pattern: str, arn: str) -> bool:
    """ArnLike: each of the six colon-separated components matches on its own (with wildcards)."""
    if pattern == "*":
        return True
    want = pattern.split(":", 5)
    have = arn.split(":", 5)
    if len(want) != 6 or len(have) != 6:
        return False
    return all(_wildcard(w, h, ignore_case=False) for w, h in zip(want, have, strict=True))


def _bool_value(values: list[str], operator: str) -> bool:
    if len(values) != 1 or values[0].lower() not in ("true", "false"):
        raise PolicyError(f"{operator} takes one value, true or false")
    return values[0].lower() == "true"


def _context_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


# ------------------------------------------------------------------ helpers

_VARIABLE = re.compile(r"\$\{([^}]+)\}")


def _substitute(text: str, request: Request) -> str:
    """Replace ``${key}`` policy variables from the request context (missing: left as is)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in ("*", "?", "$"):
            return name
        value = request.value(name)
        if value is None or isinstance(value, (list, tuple)):
            raise PolicyError(f"policy variable ${{{name}}} has no single value in the request context")
        return str(value).lower() if isinstance(value, bool) else str(value)

    return _VARIABLE.sub(replace, text)


@cache
def _pattern(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    parts = (".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def _wildcard(pattern: str, value: str, *, ignore_case: bool) -> bool:
    return _pattern(pattern, ignore_case).fullmatch(value) is not None


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, (int, float)):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(v, (str, bool, int, float)) for v in value):
        return [_strings(v, where)[0] for v in value]
    raise PolicyError(f"{where}: expected a string or a list of strings, got {value!r}")


def _lower_keys(context: Mapping[str, ContextValue]) -> dict[str, ContextValue]:
    return {key.lower(): value for key, value in context.items()}
