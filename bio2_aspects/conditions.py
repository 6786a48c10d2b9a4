"""CloudFormation ``Conditions`` evaluated on a written template, in three-valued logic.

A resource with a ``Condition`` exists only when that condition is true at deploy time. After
synthesis the engine can decide it only from facts in the template: literals, ``Fn::Equals``,
``Fn::And``, ``Fn::Or``, ``Fn::Not``, ``{"Condition": name}``, ``Fn::FindInMap`` over literal
keys, and the pseudo parameters ``AWS::Region`` / ``AWS::AccountId`` when the stack's
environment names them. Anything else (a ``Ref`` to a template parameter, an import, a value
known only at deploy time) is *unknown*, and evidence never counts an unknown condition as met.

One helper for rules and claims: :func:`resource_exists` answers True (no condition, or one that
is always true), False (a condition that is never true) or None (unknown at synthesis).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_UNKNOWN = object()


def _value(template: Mapping[str, Any], node: Any, env: Mapping[str, str], depth: int) -> Any:
    """The literal value of an expression, or ``_UNKNOWN``."""
    if depth > 50:
        return _UNKNOWN
    if isinstance(node, (str, int, float, bool)):
        return str(node).lower() if isinstance(node, bool) else str(node)
    if isinstance(node, Mapping) and len(node) == 1:
        ((fn, arg),) = node.items()
        if fn == "Ref" and isinstance(arg, str):
            return env.get(arg, _UNKNOWN)
        if fn == "Fn::FindInMap" and isinstance(arg, list) and len(arg) == 3:
            keys = [_value(template, a, env, depth + 1) for a in arg]
            if any(k is _UNKNOWN for k in keys):
                return _UNKNOWN
            found = ((template.get("Mappings") or {}).get(keys[0]) or {}).get(keys[1], {})
            found = found.get(keys[2], _UNKNOWN) if isinstance(found, Mapping) else _UNKNOWN
            return _value(template, found, env, depth + 1) if found is not _UNKNOWN else _UNKNOWN
    return _UNKNOWN


def evaluate_condition_expression(
    template: Mapping[str, Any], node: Any, env: Mapping[str, str] | None = None, _depth: int = 0
) -> bool | None:
    """True, False or None (unknown) for one condition expression of ``template``."""
    env = env or {}
    if _depth > 50:
        return None
    if isinstance(node, bool):
        return node
    if not isinstance(node, Mapping) or len(node) != 1:
        return None
    ((fn, arg),) = node.items()
    if fn == "Condition" and isinstance(arg, str):
        return condition_holds(template, arg, env, _depth + 1)
    if fn == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
        a, b = (_value(template, x, env, _depth + 1) for x in arg)
        if a is _UNKNOWN or b is _UNKNOWN:
            return None
        return a == b
    if fn == "Fn::Not" and isinstance(arg, list) and len(arg) == 1:
        inner = evaluate_condition_expression(template, arg[0], env, _depth + 1)
        return None if inner is None else not inner
    if fn in ("Fn::And", "Fn::Or") and isinstance(arg, list) and arg:
        values = [evaluate_condition_expression(template, x, env, _depth + 1) for x in arg]
        if fn == "Fn::And":
            if False in values:
                return False
            return None if None in values else True
        if True in values:
            return True
        return None if None in values else False
    return None


def condition_holds(
    template: Mapping[str, Any], name: str, env: Mapping[str, str] | None = None, _depth: int = 0
) -> bool | None:
    """The value of the named condition of ``template`` (None: unknown or not defined)."""
    conditions = template.get("Conditions")
    if not isinstance(conditions, Mapping) or name not in conditions:
        return None
    return evaluate_condition_expression(template, conditions[name], env, _depth)


def stack_env(account: str | None, region: str | None) -> dict[str, str]:
    """The pseudo parameters a stack's environment fixes at synthesis."""
    env: dict[str, str] = {}
    if account:
        env["AWS::AccountId"] = account
    if region:
        env["AWS::Region"] = region
    return env


def resource_exists(
    template: Mapping[str, Any], logical_id: str, env: Mapping[str, str] | None = None
) -> bool | None:
    """Whether the resource is created: True, False, or None when only the deployment can tell."""
    body = (template.get("Resources") or {}).get(logical_id)
    if not isinstance(body, Mapping):
        return False
    name = body.get("Condition")
    if name is None:
        return True
    if not isinstance(name, str):
        return None
    return condition_holds(template, name, env)
