"""Pure helpers to read IAM-style policy documents in synthesized templates (internal).

Used by the S3, KMS, IAM and messaging rules: statements, public principals,
restricting conditions, "deny insecure transport" statements and admin statements.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Callable, Mapping
from typing import Any

from bio2_aspects.messages import msg

from ._helpers import (
    Unverifiable,
    as_text,
    covers_internet,
    is_intrinsic,
    items,
    one_or_many,
    parse_cidr,
    render,
    strings,
    to_str,
)

# Condition keys that pin a statement with a wildcard principal to a known account,
# organisation, network or source resource. Lower-cased: IAM keys are case-insensitive.
RESTRICTING_CONDITION_KEYS = frozenset(
    {
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:sourceowner",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceip",
        "aws:userid",
        "kms:calleraccount",
    }
)

#: A sample of IAM actions: an action pattern that matches all of them grants all of IAM, which is
#: administrator access by another name (a principal with iam:* can grant itself anything).
_IAM_ACTIONS = (
    "iam:attachrolepolicy",
    "iam:createaccesskey",
    "iam:createpolicyversion",
    "iam:passrole",
    "iam:putrolepolicy",
    "iam:updateassumerolepolicy",
)


#: Condition operators that never narrow who a statement applies to: negations allow everyone
#: except the listed values, ``...IfExists`` passes when the key is absent (anonymous callers,
#: calls through AWS services), ``Null`` only tests presence.
def _narrowing_operator(operator: str) -> bool:
    op = operator.lower()
    if op.endswith("ifexists") or op == "null" or op.startswith("forallvalues:"):
        return False
    return "not" not in op.split(":")[-1]


def statements(document: Any, where: str) -> list[Mapping[str, Any]]:
    """The statements of a policy document (an object or a JSON string); strict about intrinsics."""
    found, pending = split_statements(document, where)
    if pending is not None:
        raise pending
    return [st for _, st in found]


def split_statements(
    document: Any, where: str
) -> tuple[list[tuple[int, Mapping[str, Any]]], Unverifiable | None]:
    """(index, statement) pairs of the literal statements, and the first unverifiable one.

    Lets a caller decide: a literal Deny still proves something next to a conditional
    statement (Deny always wins), while a conditional statement may hide an Allow.
    """
    if document is None:
        return [], None
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            raise Unverifiable(where, document) from None
    if is_intrinsic(document) or not isinstance(document, Mapping):
        raise Unverifiable(where, document)
    out: list[tuple[int, Mapping[str, Any]]] = []
    pending: Unverifiable | None = None
    for i, st in enumerate(items(document.get("Statement"), f"{where}.Statement")):
        if not isinstance(st, Mapping) or is_intrinsic(st):
            pending = pending or Unverifiable(f"{where}.Statement[{i}]", st)
            continue
        out.append((i, st))
    return out, pending


def label(st: Mapping[str, Any], index: int) -> str:
    sid = st.get("Sid")
    return f"statement {sid!r}" if isinstance(sid, str) and sid else f"statement #{index}"


def effect(st: Mapping[str, Any], where: str) -> str:
    return (to_str(st.get("Effect"), f"{where}.Effect") or "").capitalize()


def is_public_principal(principal: Any, where: str) -> bool:
    """``"*"``, ``{"AWS": "*"}`` or a list that contains ``"*"``."""
    if principal is None:
        return False
    if isinstance(principal, str):
        return principal == "*"
    if is_intrinsic(principal):
        raise Unverifiable(where, principal)
    if isinstance(principal, Mapping):
        for key in ("AWS", "CanonicalUser"):
            if key not in principal:
                continue
            # A single intrinsic (e.g. a Fn::Join building an account ARN) is one principal.
            for i, value in enumerate(one_or_many(principal[key])):
                if as_text(value, f"{where}.{key}[{i}]") == "*":
                    return True
    return False


def has_restricting_condition(st: Mapping[str, Any], where: str) -> bool:
    """True when the statement's Condition narrows the principal (account, org, VPC, network...).

    Only a positive operator on a restricting key with a real value narrows: ``StringNotEquals``,
    ``...IfExists``, ``Null``, a value of ``*`` and an ``aws:SourceIp`` that admits the internet
    (``0.0.0.0/0``, or ``0.0.0.0/1`` with ``128.0.0.0/1``) do not.
    """
    condition = st.get("Condition")
    if condition is None:
        return False
    if is_intrinsic(condition) or not isinstance(condition, Mapping):
        raise Unverifiable(f"{where}.Condition", condition)
    for operator, clauses in condition.items():
        if not isinstance(clauses, Mapping):
            raise Unverifiable(f"{where}.Condition.{operator}", clauses)
        if not _narrowing_operator(str(operator)):
            continue
        for key, value in clauses.items():
            name = str(key).lower()
            if name not in RESTRICTING_CONDITION_KEYS:
                continue
            cwhere = f"{where}.Condition.{operator}.{key}"
            values = strings(value, cwhere)
            if not values or any(v.strip("*?") == "" for v in values):
                continue  # a wildcard value matches everyone
            if name == "aws:sourceip" and covers_internet([parse_cidr(v, cwhere) for v in values]):
                continue
            return True
    return False


def _scan(document: Any, where: str, check: Callable[[Mapping[str, Any], int, str], str | None]) -> list[str]:
    """Run ``check`` on every statement; definite findings win over unverifiable statements."""
    found: list[str] = []
    literal, pending = split_statements(document, where)
    for i, st in literal:
        try:
            hit = check(st, i, f"{where}.Statement[{i}]")
        except Unverifiable as exc:
            pending = pending or exc
            continue
        if hit:
            found.append(hit)
    if not found and pending is not None:
        raise pending
    return found


def _public_allow(st: Mapping[str, Any], i: int, swhere: str) -> str | None:
    if effect(st, swhere) != "Allow":
        return None
    if "NotPrincipal" in st:
        return msg("rule.policy.not_principal", statement=label(st, i))
    if is_public_principal(st.get("Principal"), f"{swhere}.Principal") and not has_restricting_condition(
        st, swhere
    ):
        return msg("rule.policy.public", statement=label(st, i))
    return None


def public_allows(document: Any, where: str) -> list[str]:
    """Labels of Allow statements open to any principal without a restricting condition.

    ``NotPrincipal`` with ``Allow`` grants to everyone except the listed principals and
    is reported as well.
    """
    return _scan(document, where, _public_allow)


def _grants_all_of_a_service(pattern: str) -> bool:
    """True when an action pattern matches every action of some service (``*``, ``s3:*``, ``s3:**``;
    ``s3:Get*`` or ``ec2:*e*`` do not)."""
    _service, sep, action = pattern.lower().partition(":")
    if not sep:
        return pattern.strip("*") == ""
    return action.strip("*") == "" and action != ""


def _grants_all_of_iam(pattern: str) -> bool:
    pattern = pattern.lower()
    return all(fnmatch.fnmatchcase(a, pattern) for a in _IAM_ACTIONS)


def _on_every_resource(st: Mapping[str, Any], swhere: str) -> bool:
    return "NotResource" in st or "*" in strings(st.get("Resource"), f"{swhere}.Resource")


def _admin(st: Mapping[str, Any], i: int, swhere: str) -> str | None:
    if effect(st, swhere) != "Allow":
        return None
    if "NotAction" in st:
        if not _on_every_resource(st, swhere):
            return None
        excluded = strings(st.get("NotAction"), f"{swhere}.NotAction")
        return msg("rule.policy.admin_notaction", statement=label(st, i), excluded=str(excluded))
    actions = strings(st.get("Action"), f"{swhere}.Action")
    every = [a for a in actions if a.strip("*") == "" or a.replace("*", "").strip(":") == ""]
    iam = [a for a in actions if a not in every and _grants_all_of_iam(a)]
    if not (every or iam) or not _on_every_resource(st, swhere):
        return None
    if every:
        return msg("rule.policy.admin_action", statement=label(st, i), action=every[0])
    return msg("rule.policy.admin_iam", statement=label(st, i), action=iam[0])


def admin_statements(document: Any, where: str) -> list[str]:
    """Labels of statements that amount to administrator access: Allow on every resource of every
    action (``*``, ``*:*``), of every action but a few (``NotAction``), or of all of IAM (``iam:*``)."""
    return _scan(document, where, _admin)


def _service_wildcard(st: Mapping[str, Any], i: int, swhere: str) -> str | None:
    if effect(st, swhere) != "Allow" or "NotAction" in st:
        return None
    wild = [
        a for a in strings(st.get("Action"), f"{swhere}.Action") if ":" in a and _grants_all_of_a_service(a)
    ]
    if not wild or not _on_every_resource(st, swhere):
        return None
    return msg("rule.policy.service_wildcard", statement=label(st, i), actions=list(wild))


def service_wildcard_statements(document: Any, where: str) -> list[str]:
    """Labels of statements that Allow every action of a service (``s3:*``) on every resource."""
    return _scan(document, where, _service_wildcard)


def _condition_is_insecure_transport(st: Mapping[str, Any], where: str) -> bool:
    condition = st.get("Condition")
    if not isinstance(condition, Mapping) or is_intrinsic(condition):
        return False
    for operator, clauses in condition.items():
        if str(operator).lower() not in ("bool", "boolifexists") or not isinstance(clauses, Mapping):
            continue
        for key, value in clauses.items():
            if str(key).lower() != "aws:securetransport":
                continue
            values = value if isinstance(value, list) else [value]
            if any(v is False or (isinstance(v, str) and v.lower() == "false") for v in values):
                return True
    return False


def find_tls_deny(
    document: Any,
    where: str,
    action_ok: Callable[[str], bool],
    resource_ok: Callable[[list[Any]], bool] | None = None,
) -> tuple[bool, str]:
    """Look for a Deny-all-principals statement conditioned on ``aws:SecureTransport=false``.

    Returns ``(found, note)``; ``note`` explains a near miss (e.g. a deny that only
    covers the bucket, not its objects).
    """
    note = ""
    literal, pending = split_statements(document, where)
    for i, st in literal:
        swhere = f"{where}.Statement[{i}]"
        try:
            if effect(st, swhere) != "Deny" or not _condition_is_insecure_transport(st, swhere):
                continue
            public = is_public_principal(st.get("Principal"), f"{swhere}.Principal")
            actions = strings(st.get("Action"), f"{swhere}.Action")
        except Unverifiable as exc:
            pending = pending or exc
            continue
        if not public:
            note = msg("rule.policy.tls_some_principals", statement=label(st, i))
            continue
        if not any(action_ok(a) for a in actions):
            note = msg("rule.policy.tls_some_actions", statement=label(st, i), actions=str(actions))
            continue
        if resource_ok is not None and not resource_ok(one_or_many(st.get("Resource"))):
            note = msg("rule.policy.tls_no_objects", statement=label(st, i))
            continue
        return True, ""
    if pending is not None and not note:
        raise pending
    return False, note


def covers_objects(resources: list[Any]) -> bool:
    """True when a resource list covers S3 objects: ``*`` or an ARN ending in ``/*``."""
    for r in resources:
        text = render(r)
        if text is not None and (text == "*" or text.endswith("/*")):
            return True
    return False
