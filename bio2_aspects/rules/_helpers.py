"""Shared, pure helpers for the rule modules (internal; not part of the rule API).

Synthesized templates still contain CloudFormation intrinsic functions. A rule may only
call a resource compliant when the template *proves* it, so every helper here that
reads a value needed for a verdict raises :class:`Unverifiable` when it meets an
intrinsic it cannot evaluate (``Fn::If``, a ``Ref`` to a parameter in a boolean...).
The :func:`synth_time` decorator turns that exception into
``(Result.NON_COMPLIANT, "cannot be verified at synth time: ...")``.

Intrinsics that merely *point at* something (``Ref``/``Fn::GetAtt`` to a KMS key for a
``KmsKeyId``) are fine where the rule only needs to know that a value is set:
:func:`is_set` accepts them and only refuses conditional values (``Fn::If``).
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from bio2_aspects.messages import msg

from .base import Outcome, Resource, Result, is_mapping

UNVERIFIABLE = "cannot be verified at synth time"

# Pseudo-value CloudFormation uses to drop a property (inside Fn::If branches).
NO_VALUE = {"Ref": "AWS::NoValue"}

# ``${...}`` placeholders in rendered Fn::Join / Fn::Sub text.
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")


class Unverifiable(Exception):
    """A value needed to decide compliance is a deploy-time intrinsic."""

    def __init__(self, where: str, value: Any) -> None:
        super().__init__(where)
        self.where = where
        self.value = value

    @property
    def detail(self) -> str:
        return msg("rule.unverifiable", where=self.where, value=short(self.value))


def short(value: Any, limit: int = 120) -> str:
    """Compact JSON rendering of a value for finding details."""
    try:
        text = json.dumps(value, sort_keys=True, default=str)
    except (TypeError, ValueError):  # pragma: no cover - defensive
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def synth_time(fn: Callable[[Resource], Outcome]) -> Callable[[Resource], Outcome]:
    """Decorator: report :class:`Unverifiable` as a NON_COMPLIANT outcome with a detail."""

    @functools.wraps(fn)
    def wrapper(resource: Resource) -> Outcome:
        try:
            return fn(resource)
        except Unverifiable as exc:
            return Result.NON_COMPLIANT, exc.detail

    return wrapper


# --------------------------------------------------------------------------- intrinsics


def is_intrinsic(value: Any) -> bool:
    """True for ``{"Ref": ..}`` and ``{"Fn::...": ..}`` (and ``{"Condition": ..}``) values."""
    if is_mapping(value) and len(value) == 1:
        key = next(iter(value))
        return key == "Ref" or key == "Condition" or (isinstance(key, str) and key.startswith("Fn::"))
    return False


def is_no_value(value: Any) -> bool:
    return is_mapping(value) and len(value) == 1 and value.get("Ref") == "AWS::NoValue"


def lookup(obj: Any, *keys: str | int, where: str = "") -> Any:
    """Nested lookup like :func:`base.dig`, but strict about intrinsics.

    Returns ``None`` when a key is absent (or the value is ``AWS::NoValue``); raises
    :class:`Unverifiable` when the path has to pass *through* an intrinsic function
    (for example a whole ``BucketEncryption`` block wrapped in ``Fn::If``). The final
    value is returned as is, intrinsic or not: the caller decides what it needs.
    """
    cur = obj
    path = where
    for key in keys:
        if cur is None or is_no_value(cur):
            return None
        if is_intrinsic(cur):
            raise Unverifiable(path or "value", cur)
        if isinstance(key, int):
            if not isinstance(cur, list) or key >= len(cur):
                return None
            cur = cur[key]
            path = f"{path}[{key}]"
        else:
            if not is_mapping(cur) or key not in cur:
                return None
            cur = cur[key]
            path = f"{path}.{key}" if path else key
    return None if is_no_value(cur) else cur


def to_bool(value: Any, where: str) -> bool | None:
    """A CloudFormation boolean (bool or "true"/"false"); ``None`` when absent."""
    if value is None or is_no_value(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("true", "false"):
            return low == "true"
        return False
    if is_intrinsic(value):
        raise Unverifiable(where, value)
    return False


def to_int(value: Any, where: str) -> int | None:
    """A CloudFormation integer (int or numeric string); ``None`` when absent."""
    if value is None or is_no_value(value):
        return None
    if isinstance(value, bool):
        raise Unverifiable(where, value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            raise Unverifiable(where, value) from None
    raise Unverifiable(where, value)


def to_str(value: Any, where: str) -> str | None:
    """A literal string (numbers are stringified); ``None`` when absent."""
    if value is None or is_no_value(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise Unverifiable(where, value)


def is_set(value: Any, where: str) -> bool:
    """True when a property holds a value (a literal or a reference such as Ref/GetAtt).

    Empty strings, lists and maps and ``AWS::NoValue`` count as not set. A conditional
    value (``Fn::If``) cannot prove presence and raises :class:`Unverifiable`.
    """
    if value is None or is_no_value(value):
        return False
    if isinstance(value, (str, list, Mapping)) and not value:
        return False
    if isinstance(value, Mapping) and "Fn::If" in value:
        raise Unverifiable(where, value)
    return True


def items(value: Any, where: str) -> list[Any]:
    """A list property as a list (a single value becomes a one-element list)."""
    if value is None or is_no_value(value):
        return []
    if is_intrinsic(value):
        raise Unverifiable(where, value)
    if isinstance(value, list):
        return [v for v in value if not is_no_value(v)]
    return [value]


def one_or_many(value: Any) -> list[Any]:
    """A "string or list" policy field (``Resource``, ``Principal.AWS``) as a list.

    Unlike :func:`items`, a single intrinsic is one element, not an unverifiable list.
    """
    if value is None or is_no_value(value):
        return []
    values = value if isinstance(value, list) else [value]
    return [v for v in values if not is_no_value(v)]


def as_text(value: Any, where: str) -> str:
    """One string-valued element (an IAM action, resource ARN, principal...) as text.

    Literal strings come back as they are. ``Fn::GetAtt``, pseudo-parameter ``Ref`` and
    ``Fn::Join``/``Fn::Sub`` with literal text render with ``${...}`` placeholders: they
    can never equal a bare wildcard, which is what callers compare against. Anything
    that could deploy as an arbitrary value (parameter ``Ref``, ``Fn::If``,
    ``Fn::ImportValue``...) raises :class:`Unverifiable`.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, Mapping) and len(value) == 1:
        key, arg = next(iter(value.items()))
        safe = key == "Fn::GetAtt" or (key == "Ref" and isinstance(arg, str) and arg.startswith("AWS::"))
        text = render(value)
        if text is not None:
            if safe:
                return text
            if key in ("Fn::Join", "Fn::Sub") and _PLACEHOLDER.sub("", text).strip("*"):
                return text
    raise Unverifiable(where, value)


def strings(value: Any, where: str) -> list[str]:
    """A string-or-list-of-strings property (IAM ``Action``, ``Resource``...) as texts.

    A single value (literal or intrinsic) counts as a one-element list; see
    :func:`as_text` for how intrinsic elements are treated.
    """
    return [as_text(v, f"{where}[{i}]") for i, v in enumerate(one_or_many(value))]


def render(value: Any) -> str | None:
    """Best-effort string rendering of a value for *pattern* checks (ARN suffixes...).

    Literal strings render as themselves; ``Fn::Join`` and ``Fn::Sub`` render with
    ``${...}`` placeholders for their unknown parts; ``Ref``/``Fn::GetAtt`` render as a
    placeholder. Anything else (``Fn::If``, ``Fn::ImportValue``...) gives ``None``.
    """
    if isinstance(value, str):
        return value
    if not isinstance(value, Mapping) or len(value) != 1:
        return None
    key, arg = next(iter(value.items()))
    if key == "Ref":
        return "${" + str(arg) + "}"
    if key == "Fn::GetAtt":
        return "${" + (".".join(map(str, arg)) if isinstance(arg, list) else str(arg)) + "}"
    if key == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
        sep = arg[0] if isinstance(arg[0], str) else None
        if sep is None:
            return None
        parts = []
        for part in arg[1]:
            rendered = render(part)
            if rendered is None:
                return None
            parts.append(rendered)
        return sep.join(parts)
    if key == "Fn::Sub":
        if isinstance(arg, str):
            return arg
        if isinstance(arg, list) and arg and isinstance(arg[0], str):
            return arg[0]
    return None


def refers_to_any(value: Any, logical_ids: set[str]) -> bool:
    """``base.refers_to`` for several logical IDs at once."""
    if isinstance(value, Mapping):
        if len(value) == 1:
            if value.get("Ref") in logical_ids:
                return True
            att = value.get("Fn::GetAtt")
            if isinstance(att, list) and att and att[0] in logical_ids:
                return True
            if isinstance(att, str) and att.split(".", 1)[0] in logical_ids:
                return True
        return any(refers_to_any(v, logical_ids) for v in value.values())
    if isinstance(value, list):
        return any(refers_to_any(v, logical_ids) for v in value)
    return False


def is_cluster_member(resource: Resource) -> bool:
    """An RDS DB instance that belongs to an Aurora/Multi-AZ cluster (``DBClusterIdentifier``)."""
    return is_set(resource.properties.get("DBClusterIdentifier"), "DBClusterIdentifier")


# --------------------------------------------------------------------------- KMS keys

#: KMS key resource types whose ``Ref``/``Fn::GetAtt`` is a customer managed key.
KMS_KEY_TYPES = frozenset({"AWS::KMS::Key", "AWS::KMS::ReplicaKey"})
KMS_ALIAS = "AWS::KMS::Alias"
#: Aliases under ``alias/aws/`` name AWS managed keys (``alias/aws/sns``, ``alias/aws/s3``...).
AWS_MANAGED_ALIAS = "alias/aws/"

_SUB_NAME = re.compile(r"\$\{([^}!][^}]*)\}")


def _reference_targets(value: Any) -> list[str]:
    """Every name a value points at: ``Ref`` and ``Fn::GetAtt`` targets and ``Fn::Sub`` placeholders."""
    found: list[str] = []
    if isinstance(value, Mapping):
        if len(value) == 1:
            key, arg = next(iter(value.items()))
            if key == "Ref" and isinstance(arg, str):
                return [arg]
            if key == "Fn::GetAtt":
                target = arg[0] if isinstance(arg, list) and arg else arg
                return [str(target).split(".", 1)[0]]
            if key == "Fn::Sub":
                text, variables = (
                    (arg, {}) if isinstance(arg, str) else (arg[0], arg[1] if len(arg) > 1 else {})
                )
                if isinstance(text, str):
                    names = [m.split(".", 1)[0] for m in _SUB_NAME.findall(text)]
                    local = variables if isinstance(variables, Mapping) else {}
                    found += [n for n in names if n not in local]
                    for v in local.values():
                        found += _reference_targets(v)
                return found
        for v in value.values():
            found += _reference_targets(v)
    elif isinstance(value, list):
        for v in value:
            found += _reference_targets(v)
    return found


def kms_key(value: Any, resource: Resource, where: str) -> str | None:
    """What a KMS key property names: ``"customer"`` (a customer managed key), ``"aws"`` (an AWS
    managed key, ``alias/aws/...``) or ``None`` when it is not set.

    A key counts as customer managed when it is a ``Ref``/``Fn::GetAtt`` of an ``AWS::KMS::Key`` (or
    an alias of one) in the same template, or a literal key ID, key ARN or alias outside
    ``alias/aws/``. A ``Ref`` to a template parameter, ``Fn::ImportValue``, ``Fn::If`` or any other
    value only known at deploy time raises :class:`Unverifiable`: it may name any key, or none.
    """
    if not is_set(value, where):
        return None
    if isinstance(value, str):
        return "aws" if AWS_MANAGED_ALIAS in value else "customer"
    text = render(value)
    if text is None:
        raise Unverifiable(where, value)
    if AWS_MANAGED_ALIAS in text:
        return "aws"
    for name in _reference_targets(value):
        if name.startswith("AWS::"):
            continue
        target = resource.stack.get(name)
        if target is None:
            raise Unverifiable(where, value)  # a template parameter or an unknown name
        if target.type == KMS_ALIAS:
            alias = target.properties.get("AliasName")
            if not isinstance(alias, str) or alias.startswith(AWS_MANAGED_ALIAS):
                raise Unverifiable(f"{where} (alias {target.logical_id})", alias)
            continue
        if target.type not in KMS_KEY_TYPES:
            raise Unverifiable(f"{where} (points at {target.type} {target.logical_id})", value)
    if ":key/" not in text and ":alias/" not in text and not _reference_targets(value):
        raise Unverifiable(where, value)  # joined text that names no key
    return "customer"


def customer_managed_key(value: Any, resource: Resource, where: str) -> tuple[bool, str]:
    """(True, "") when ``value`` names a customer managed KMS key; else (False, why). See :func:`kms_key`."""
    kind = kms_key(value, resource, where)
    if kind == "customer":
        return True, ""
    if kind == "aws":
        return False, msg("rule.aws_managed_key", where=where, value=short(value))
    return False, msg("rule.not_set", where=where)


# --------------------------------------------------------------------------- network ranges

#: Address blocks that are not reachable from the internet (private, shared, loopback, link-local,
#: multicast, reserved). They are disjoint, which keeps the arithmetic below simple.
_NON_PUBLIC_V4 = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
)
#: IPv6 global unicast space: everything else is local, multicast or reserved.
_GLOBAL_V6 = ipaddress.ip_network("2000::/3")
#: A source range counts as "the internet" when it admits more public addresses than this:
#: an IPv4 /16 (65,536 addresses) or an IPv6 /48 (one site).
MAX_PUBLIC_V4 = 2**16
MAX_PUBLIC_V6 = 2**80


def public_addresses(networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> tuple[int, int]:
    """(IPv4, IPv6) count of internet-routable addresses that ``networks`` together admit."""
    v4 = ipaddress.collapse_addresses(n for n in networks if n.version == 4)
    v6 = ipaddress.collapse_addresses(n for n in networks if n.version == 6)
    count4 = 0
    for net in v4:
        count4 += net.num_addresses
        for block in _NON_PUBLIC_V4:
            if block.subnet_of(net):
                count4 -= block.num_addresses
            elif net.subnet_of(block):
                count4 -= net.num_addresses
    count6 = 0
    for net in v6:
        if net.subnet_of(_GLOBAL_V6):
            count6 += net.num_addresses
        elif _GLOBAL_V6.subnet_of(net):
            count6 += _GLOBAL_V6.num_addresses
    return count4, count6


def covers_internet(networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    """True when ``networks`` together admit an internet-sized share of public addresses.

    Catches ``0.0.0.0/0`` and ``::/0`` but also the split forms (``0.0.0.0/1`` + ``128.0.0.0/1``,
    ``::/1`` + ``8000::/1``) and any other broad public range.
    """
    count4, count6 = public_addresses(networks)
    return count4 > MAX_PUBLIC_V4 or count6 > MAX_PUBLIC_V6


def parse_cidr(text: str, where: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """A CIDR (host bits allowed, as AWS accepts them); an unparsable one cannot be judged."""
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        raise Unverifiable(where, text) from None
