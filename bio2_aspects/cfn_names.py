"""CloudFormation property names for CDK-cased L1 properties, in plain Python.

Before synthesis the engine reads each L1 resource's ``_cfn_properties``: the CDK-cased
(camelCase) property tree, e.g. ``bucketEncryption.serverSideEncryptionConfiguration[0]
.serverSideEncryptionByDefault.sseAlgorithm``. The rules look at CloudFormation names
(``BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
.SSEAlgorithm``). CDK maps one to the other in ``_render_properties``, a jsii round trip per
resource; :func:`to_cfn` gives the same result here, from a data file.

A key is renamed when it is exactly the name CDK gives a CloudFormation property known at that
level: the property's camelCase (:func:`cdk_name`: ``SSEAlgorithm`` -> ``sseAlgorithm``,
``KMSMasterKeyID`` -> ``kmsMasterKeyId``) or, for the few names CDK spells otherwise, the data
file's ``aliases`` (``Equals`` -> ``equalTo``, ``VPCs`` -> ``vpcs``...). Matching is exact rather
than case-insensitive because CDK's renderer reads exactly that key: a ``KmsMasterKeyId`` key is
dropped by CDK, not renamed. Values are renamed only where CDK renames them: inside objects with
declared sub-properties, and arrays or maps of those. Free-form JSON (policy documents...), map
keys and intrinsic functions (``{"Ref": ...}``, ``{"Fn::...": ...}``) are kept as they are.

Where the data knows every property CDK's renderer knows at a level (a *complete* object, nearly
all of them), any other key is dropped, as CDK drops it (the CloudFront L2 leaves a
``pathPattern`` in the default behaviour, for one). Anything else the data cannot place (an
unknown type, an unknown key in an incomplete object, a value whose shape differs from the data,
data made for another aws-cdk-lib version) falls back to upper-casing the key's first letter and
is *recorded*, so the caller can use CDK's own ``_render_properties`` for that resource instead.

The data file ``rules/data/cfn_names.json`` is generated (and committed)::

    python -m bio2_aspects.cfn_names          # (re)write the file
    python -m bio2_aspects.cfn_names --check  # exit 1 when it is out of date

The generator reads the property names and structure from cfn-lint's bundled CloudFormation
resource provider schemas (cfn-lint is a dev dependency), then aligns them with aws-cdk-lib's
own L1 renderers (the ``*.generated.js`` files of the jsii bundle inside the aws-cdk-lib Python
package), because the schemas do not say what CDK does: it keeps some values verbatim although
the schema declares their sub-properties (``AWS::EC2::FlowLog.DestinationOptions``, where the L2
writes ``fileFormat``; ``AWS::SQS::Queue.RedrivePolicy``...), renders structures the schema
leaves free-form, and spells a few names its own way. Where the two disagree the data follows
CDK or makes the value fall back; it never takes a CloudFormation name from anywhere but the
schemas.

File format: ``types`` maps a resource type to the node of its properties::

    0              a scalar (string, number, boolean; a date is formatted as CDK does)
    1              kept verbatim (free-form JSON, lists and maps of scalars...)
    2              an EventBridge event pattern: verbatim, but CDK renames a top-level ``detailType``
    {"Name": n}    an object with declared sub-properties (CloudFormation names); with a ``"?"``
                   key it is incomplete: keys the data does not know fall back
    {"*": n}       a map: keys are user data, values are nodes n
    [n]            an array of nodes n
    "#i"           the shared node ``defs[i]`` (recursive and repeated definitions)

``aws_cdk_lib`` is the version whose renderers the data follows; with any other version
installed, every conversion falls back.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import functools
import importlib.util
import json
import re
import sys
import tarfile
from collections import Counter
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "rules" / "data" / "cfn_names.json"

SCALAR = 0
VERBATIM = 1
EVENT_PATTERN = 2
MAP_KEY = "*"
INCOMPLETE = "?"

# ----------------------------------------------------------------------------------------------
# Runtime
# ----------------------------------------------------------------------------------------------


class _Obj:
    """An object with declared sub-properties: CDK name -> (CloudFormation name, node).

    ``complete`` when the names are all those CDK's renderer knows: a key that is none of them is
    dropped, as CDK drops it; otherwise such a key falls back.
    """

    __slots__ = ("complete", "fields")

    def __init__(self) -> None:
        self.fields: dict[str, tuple[str, Any]] = {}
        self.complete = True


class _Arr:
    __slots__ = ("item",)

    def __init__(self) -> None:
        self.item: Any = SCALAR


class _Map:
    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value: Any = SCALAR


class _Names:
    """The loaded data file, compiled lazily per resource type."""

    def __init__(self, data: dict[str, Any], cdk_version: str | None) -> None:
        #: why the data cannot be used (it describes another aws-cdk-lib's renderers), or ""
        self.stale = (
            ""
            if cdk_version == data["aws_cdk_lib"]
            else f"the name data is for aws-cdk-lib {data['aws_cdk_lib']}, not {cdk_version}"
            " (python -m bio2_aspects.cfn_names)"
        )
        self.types: dict[str, Any] = data["types"]
        self._defs: list[Any] = data["defs"]
        self._aliases: dict[str, str] = data["aliases"]
        self._compiled_defs: dict[int, Any] = {}
        self._compiled: dict[str, _Obj | None] = {}

    def node(self, cfn_type: str) -> _Obj | None:
        """The compiled node of a type's properties, or None for a type the data does not know."""
        try:
            return self._compiled[cfn_type]
        except KeyError:
            raw = self.types.get(cfn_type)
            node = None if raw is None else self._compile(raw)
            self._compiled[cfn_type] = node
            return node

    def _compile(self, raw: Any) -> Any:
        if isinstance(raw, int):
            return raw
        if isinstance(raw, str):  # "#i": a shared node, possibly recursive
            index = int(raw[1:])
            done = self._compiled_defs.get(index)
            if done is None:
                shared = self._defs[index]
                if isinstance(shared, int | str):
                    done = self._compiled_defs[index] = self._compile(shared)
                else:
                    # registered before it is filled, so a recursive reference finds it
                    done = self._compiled_defs[index] = self._shell(shared)
                    self._fill(done, shared)
            return done
        node = self._shell(raw)
        self._fill(node, raw)
        return node

    @staticmethod
    def _shell(raw: list[Any] | dict[str, Any]) -> Any:
        if isinstance(raw, list):
            return _Arr()
        return _Map() if MAP_KEY in raw else _Obj()

    def _fill(self, node: Any, raw: list[Any] | dict[str, Any]) -> None:
        if node.__class__ is _Arr:
            node.item = self._compile(raw[0])
        elif node.__class__ is _Map:
            node.value = self._compile(raw[MAP_KEY])  # type: ignore[call-overload]
        else:
            fields = node.fields
            aliases = self._aliases
            for name, child in raw.items():  # type: ignore[union-attr]
                if name == INCOMPLETE:
                    node.complete = False
                else:
                    fields[aliases.get(name) or cdk_name(name)] = (name, self._compile(child))


@functools.cache
def cdk_name(cfn_name: str) -> str:
    """The name CDK gives a CloudFormation property: its camelCase, as the ``camelcase`` npm package
    (v6) computes it (``SSEAlgorithm`` -> ``sseAlgorithm``, ``KMSMasterKeyID`` -> ``kmsMasterKeyId``).

    The few names CDK spells otherwise are in the data file's ``aliases``.
    """
    text = cfn_name.strip()
    if len(text) < 2:
        return text.lower()
    if text != text.lower():
        text = _split_camel(text)
    text = re.sub(r"^[_.\- ]+", "", text).lower()
    text = re.sub(r"[_.\- ]+([^\W_]|_|$)", lambda m: m.group(1).upper(), text)
    return re.sub(r"\d+([^\W_]|_|$)", lambda m: m.group(0).upper(), text)


def _split_camel(text: str) -> str:
    """camelcase's ``preserveCamelCase``: a ``-`` at each word boundary of a mixed-case name."""
    last_lower = last_upper = last_last_upper = False
    i = 0
    while i < len(text):
        ch = text[i]
        if last_lower and ch.isupper():
            text = f"{text[:i]}-{text[i:]}"
            last_lower, last_last_upper, last_upper = False, last_upper, True
            i += 1
        elif last_upper and last_last_upper and ch.islower():
            text = f"{text[: i - 1]}-{text[i - 1 :]}"
            last_last_upper, last_upper, last_lower = last_upper, False, True
        else:
            last_lower = ch.lower() == ch and ch.upper() != ch
            last_last_upper = last_upper
            last_upper = ch.upper() == ch and ch.lower() != ch
        i += 1
    return text


@functools.cache
def _names() -> _Names:
    data = resources.files(__package__).joinpath("rules", "data", "cfn_names.json")
    try:
        installed: str | None = _cdk_version(_cdk_bundle())
    except CdkRendererError:
        installed = None
    return _Names(json.loads(data.read_text(encoding="utf-8")), installed)


def known_types() -> frozenset[str]:
    """The resource types the data file describes."""
    return frozenset(_names().types)


def _upper_first(key: str) -> str:
    return key[:1].upper() + key[1:]


def _is_intrinsic(value: dict[str, Any]) -> bool:
    """CDK's ``isCloudFormationIntrinsic``: exactly one key, ``Ref`` or ``Fn::...``."""
    if len(value) != 1:
        return False
    key = next(iter(value))
    return key == "Ref" or key[:4] == "Fn::"


def _js_date(value: _dt.datetime) -> str:
    """CDK's ``dateToCloudFormation``: UTC, whole seconds."""
    utc = value.astimezone(_dt.UTC)
    return f"{utc.year}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"


def _convert(node: Any, value: Any, path: str, fallbacks: list[str]) -> Any:
    cls = value.__class__
    if node.__class__ is int:
        if node == EVENT_PATTERN:
            if cls is dict and "detailType" in value:  # CDK's eventPatternToCloudFormation
                value = dict(value)
                value["detail-type"] = value["detailType"]
                del value["detailType"]
            return value
        if node == SCALAR and isinstance(value, _dt.datetime):
            if value.tzinfo is None:
                fallbacks.append(f"{path}: naive datetime")
                return value
            return _js_date(value)
        return value
    if cls is dict:
        if _is_intrinsic(value):
            return value
        if node.__class__ is _Obj:
            return _convert_object(node, value, path, fallbacks)
        if node.__class__ is _Map:
            item = node.value
            return {k: _convert(item, v, f"{path}.{k}", fallbacks) for k, v in value.items()}
        fallbacks.append(f"{path}: an object where an array is expected")
        return value
    if cls is list:
        if node.__class__ is _Arr:
            item = node.item
            return [_convert(item, v, f"{path}[{i}]", fallbacks) for i, v in enumerate(value)]
        fallbacks.append(f"{path}: an array where an object is expected")
        return value
    if isinstance(value, _dt.datetime):
        fallbacks.append(f"{path}: a datetime where a structure is expected")
    return value  # a string (token, dynamic reference), number or boolean: CDK keeps it


def _convert_object(node: _Obj, value: dict[str, Any], path: str, fallbacks: list[str]) -> dict[str, Any]:
    fields = node.fields
    out: dict[str, Any] = {}
    for key, item in value.items():
        entry = fields.get(key)
        if entry is None:
            if node.complete:
                continue  # not a property CDK's renderer knows: it drops the key too
            fallbacks.append(f"{path}.{key}: unknown property")
            out[_upper_first(key)] = item
            continue
        name, child = entry
        if child.__class__ is int and (
            child == VERBATIM or (child == SCALAR and not isinstance(item, _dt.datetime))
        ):
            out[name] = item
        else:
            out[name] = _convert(child, item, f"{path}.{name}", fallbacks)
    return out


def convert(cfn_type: str, props: dict[str, Any] | None) -> tuple[dict[str, Any], list[str]]:
    """``props`` (resolved CDK-cased L1 properties) in CloudFormation casing, plus the fallbacks.

    The second item lists where the data could not place a key or value, each as
    ``"<path>: <reason>"``; the result is exact when it is empty.
    """
    fallbacks: list[str] = []
    if not props:
        return {}, fallbacks
    names = _names()
    node = None if names.stale else names.node(cfn_type)
    if node is None:
        fallbacks.append(f"{cfn_type}: {names.stale or 'unknown resource type'}")
        return {_upper_first(k): v for k, v in props.items()}, fallbacks
    return _convert_object(node, props, cfn_type, fallbacks), fallbacks


def to_cfn(cfn_type: str, props: dict[str, Any] | None, fallbacks: list[str] | None = None) -> dict[str, Any]:
    """``props`` in CloudFormation casing; where it fell back (see :func:`convert`) goes to ``fallbacks``."""
    result, found = convert(cfn_type, props)
    if fallbacks is not None:
        fallbacks.extend(found)
    return result


# ----------------------------------------------------------------------------------------------
# Generator: cfn-lint's schemas (names, structure) aligned with aws-cdk-lib's renderers
# ----------------------------------------------------------------------------------------------
#
# Generator nodes: SCALAR / VERBATIM / EVENT_PATTERN, None (the schema says nothing),
# ("obj", {name: node}) (with an INCOMPLETE key unless it holds every property CDK's renderer
# knows there), ("arr", node), ("map", node), ("ref", definition name).

_REF = "ref"
_COMBINATORS = ("oneOf", "anyOf", "allOf")
# an object whose every key falls back (CDK renders a structure the schema does not name)
_FALLBACK = ("obj", {INCOMPLETE: SCALAR})


class _Conflict(Exception):
    pass


def _merge(a: Any, b: Any) -> Any:
    """Two schema alternatives as one node: the richer structure wins; scalars and JSON give way."""
    if a is None or a == b:
        return b
    if b is None:
        return a
    if isinstance(a, int) and isinstance(b, int):
        return max(a, b)
    if isinstance(a, int):
        return b
    if isinstance(b, int):
        return a
    if a[0] != b[0] or a[0] == _REF:
        raise _Conflict(f"{a[0]} vs {b[0]}")
    if a[0] == "obj":
        fields = dict(a[1])
        for name, child in b[1].items():
            fields[name] = _merge(fields.get(name), child)
        return ("obj", fields)
    return (a[0], _merge(a[1], b[1]))


class _SchemaReader:
    """One resource provider schema as generator nodes."""

    def __init__(self, schema: dict[str, Any], type_name: str) -> None:
        self.schema = schema
        self.type_name = type_name
        self.definitions: dict[str, Any] = schema.get("definitions") or {}
        self.recursive: set[str] = set()
        self._stack: list[str] = []
        self.bodies: dict[str, Any] = {}

    def properties(self) -> Any:
        """The node of the resource's top-level properties (always an object)."""
        node = self.node({"type": "object", "properties": self.schema.get("properties") or {}})
        return node if isinstance(node, tuple) and node[0] == "obj" else _FALLBACK

    def definition(self, name: str) -> Any:
        """A definition's node, or a reference to it when it is (part of) a cycle."""
        if name in self._stack or name in self.recursive:
            self.recursive.add(name)
            return (_REF, name)
        return self.body(name)

    def body(self, name: str) -> Any:
        """A definition's own node (references to recursive definitions stay references)."""
        if name not in self.bodies:
            self._stack.append(name)
            try:
                self.bodies[name] = self.node(self.definitions[name])
            finally:
                self._stack.pop()
        return self.bodies[name]

    def _ref(self, pointer: str) -> Any:
        if pointer.startswith("#/definitions/") and pointer.count("/") == 2:
            return self.definition(pointer.removeprefix("#/definitions/"))
        target: Any = self.schema
        for part in pointer.removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return self.node(target)

    def node(self, s: Any) -> Any:
        if not isinstance(s, dict):
            return SCALAR
        node: Any = None
        try:
            if "$ref" in s:
                node = _merge(node, self._ref(s["$ref"]))
            for combinator in _COMBINATORS:
                for alternative in s.get(combinator) or ():
                    node = _merge(node, self.node(alternative))
            node = _merge(node, self._own(s))
        except _Conflict:
            node = VERBATIM  # ambiguous in the schema; the alignment with CDK decides
        return node

    def _own(self, s: dict[str, Any]) -> Any:
        """The node from the keywords of ``s`` itself (not its ``$ref`` or combinators).

        As in JSON Schema, object keywords only count where the fragment may be an object and
        array keywords where it may be an array (cfn-lint's schemas mix them on arrays).
        """
        types = s.get("type")
        types = set(types) if isinstance(types, list) else {types} if types else set()
        node: Any = None
        if not types or "object" in types:
            properties = s.get("properties")
            values = list((s.get("patternProperties") or {}).values())
            if isinstance(s.get("additionalProperties"), dict):
                values.append(s["additionalProperties"])
            if isinstance(properties, dict) and properties:
                fields = {k: self.node(v) for k, v in properties.items()}
                fields[INCOMPLETE] = SCALAR  # until aligned with CDK's renderer
                node = ("obj", fields)
            elif values:
                item = None
                for v in values:
                    item = _merge(item, self.node(v))
                node = ("map", item)
            elif "object" in types:
                node = VERBATIM
        if not types or "array" in types:
            items = s.get("items")
            prefix = s.get("prefixItems")
            if isinstance(items, dict) or isinstance(prefix, list) or "array" in types:
                item = None
                if isinstance(items, dict):
                    item = self.node(items)
                for p in prefix or ():
                    item = _merge(item, self.node(p))
                node = _merge(node, ("arr", VERBATIM if item is None else item))
        if node is None and types:
            node = SCALAR
        return node


def _schemas() -> Iterator[tuple[str, dict[str, Any]]]:
    """cfn-lint's resource provider schemas: (type, schema) for every type of every region and SAM."""
    root = resources.files("cfnlint.data.schemas")
    digests: dict[str, str] = {}
    for entry in sorted(root.joinpath("providers").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            for cfn_type, digest in json.loads(entry.read_text(encoding="utf-8")).items():
                digests.setdefault(cfn_type, digest)
    for cfn_type in sorted(digests):
        text = root.joinpath("resources", f"{digests[cfn_type]}.json").read_text(encoding="utf-8")
        yield cfn_type, json.loads(text)


# --- aws-cdk-lib's L1 renderers ---------------------------------------------------------------
#
# Every L1 class renders its properties with a generated converter, minified in the bundle as
#   function convertCfnXPropsToCloudFormation(properties){return cdk().canInspect(properties)?
#     (CfnXPropsValidator(properties).assertSuccess(),{Name:MAPPER(properties.name),...}):properties}
# where MAPPER is cdk().stringToCloudFormation (and the other identities), another converter,
# cdk().listMapper(M), cdk().hashMapper(M), cdk().unionMapper([validators],[mappers]),
# cdk().cfnTagToCloudFormation, cdk().dateToCloudFormation or cdk().eventPatternToCloudFormation.
# Mappers parse to: "s" (identity on scalars), "j" (identity on JSON), "date", "ep", "tag",
# ("fn", key), ("list", m), ("map", m), ("union", m, ...).

_CONVERTER = re.compile(
    r"function (\w+)\(properties\)\{return cdk\(\)\.canInspect\(properties\)\?"
    r"\(\w+\(properties\)\.assertSuccess\(\),\{"
)
_TYPE_NAME = re.compile(r'static CFN_RESOURCE_TYPE_NAME="([^"]+)"')
# deprecated classes print a warning first: renderProperties(props){try{...}catch(error){...}return ...
_RENDER = re.compile(
    r"renderProperties\(props\)\{(?:try\{[^{}]*\}catch\(error\)\{[^{}]*\})?return (\w+)\(props\)\}"
)
_ENTRY = re.compile(r'("?)([\w-]+)\1:(.*)\(properties\.(\w+)\)', re.S)
_LEAVES = {
    "stringToCloudFormation": "s",
    "numberToCloudFormation": "s",
    "booleanToCloudFormation": "s",
    "objectToCloudFormation": "j",
    "dateToCloudFormation": "date",
    "eventPatternToCloudFormation": "ep",
    "cfnTagToCloudFormation": "tag",
}


class CdkRendererError(RuntimeError):
    """aws-cdk-lib's bundle does not look as expected (a new minifier or code generator)."""


def _split_top(text: str) -> list[str]:
    """``text`` split at commas outside brackets and strings."""
    parts: list[str] = []
    depth = 0
    start = 0
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = ""
        elif ch in "\"'`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if text[start:]:
        parts.append(text[start:])
    return parts


def _object_end(text: str, start: int) -> int:
    """Index just after the ``{...}`` literal that opens at ``text[start]``."""
    depth = 0
    quote = ""
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = ""
        elif ch in "\"'`":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    raise CdkRendererError("unbalanced object literal")


def _parse_mapper(expr: str, module: str) -> Any:
    expr = expr.strip()
    if not expr.startswith("cdk()."):
        if not re.fullmatch(r"\w+", expr):
            raise CdkRendererError(f"unexpected mapper {expr[:80]!r} in {module}")
        return ("fn", (module, expr))
    name, paren, args = expr.removeprefix("cdk().").partition("(")
    if not paren:
        if name not in _LEAVES:
            raise CdkRendererError(f"unexpected mapper cdk().{name} in {module}")
        return _LEAVES[name]
    if not args.endswith(")"):
        raise CdkRendererError(f"unexpected mapper {expr[:80]!r} in {module}")
    args = args[:-1]
    if name == "listMapper":
        return ("list", _parse_mapper(args, module))
    if name == "hashMapper":
        return ("map", _parse_mapper(args, module))
    if name == "unionMapper":
        _validators, mappers = _split_top(args)
        return ("union", *(_parse_mapper(m, module) for m in _split_top(mappers.strip()[1:-1])))
    raise CdkRendererError(f"unexpected mapper cdk().{name} in {module}")


def _parse_renderers(text: str, module: str) -> tuple[dict[Any, dict[str, Any]], dict[str, Any]]:
    """One ``*.generated.js``: converters ((module, name) -> {CFN name: (CDK name, mapper)}) and
    the L1 types it defines (type -> mapper of their properties)."""
    converters: dict[Any, dict[str, Any]] = {}
    for match in _CONVERTER.finditer(text):
        start = match.end() - 1
        fields: dict[str, Any] = {}
        for entry in _split_top(text[start + 1 : _object_end(text, start) - 1]):
            parsed = _ENTRY.fullmatch(entry)
            if parsed is None:
                raise CdkRendererError(f"unexpected renderer entry {entry[:80]!r} in {module}")
            fields[parsed.group(2)] = (parsed.group(4), _parse_mapper(parsed.group(3), module))
        converters[(module, match.group(1))] = fields
    types: dict[str, list[Any]] = {}
    for match in _TYPE_NAME.finditer(text):
        render = _RENDER.search(text, match.end())
        following = _TYPE_NAME.search(text, match.end())
        if render is None or (following is not None and following.start() < render.start()):
            raise CdkRendererError(f"no renderProperties for {match.group(1)} in {module}")
        types.setdefault(match.group(1), []).append(("fn", (module, render.group(1))))
    return converters, types


def _cdk_bundle() -> Path:
    """aws-cdk-lib's jsii bundle, shipped inside the aws-cdk-lib Python package."""
    spec = importlib.util.find_spec("aws_cdk")  # found, not imported (that would start jsii)
    if spec is None or not spec.submodule_search_locations:
        raise CdkRendererError("aws-cdk-lib is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "_jsii"
    bundles = sorted(folder.glob("aws-cdk-lib@*.jsii.tgz"))
    if len(bundles) != 1:
        raise CdkRendererError(f"expected one aws-cdk-lib bundle in {folder}, found {len(bundles)}")
    return bundles[0]


def _cdk_version(bundle: Path) -> str:
    return bundle.name.removeprefix("aws-cdk-lib@").removesuffix(".jsii.tgz")


@functools.cache
def cdk_renderers() -> tuple[str, dict[Any, dict[str, Any]], dict[str, Any]]:
    """aws-cdk-lib's L1 renderers: (version, converters, type -> mapper of the type's properties)."""
    bundle = _cdk_bundle()
    converters: dict[Any, dict[str, Any]] = {}
    types: dict[str, list[Any]] = {}
    with tarfile.open(bundle) as archive:
        for member in archive:
            if member.isfile() and member.name.endswith(".generated.js"):
                source = archive.extractfile(member)
                assert source is not None
                found, defined = _parse_renderers(source.read().decode("utf-8"), member.name)
                converters.update(found)
                for cfn_type, mappers in defined.items():
                    types.setdefault(cfn_type, []).extend(mappers)
    if len(types) < 1000:
        raise CdkRendererError(f"only {len(types)} L1 types found in {bundle.name}")

    def check(mapper: Any) -> None:
        if isinstance(mapper, tuple):
            if mapper[0] == "fn":
                if mapper[1] not in converters:
                    raise CdkRendererError(f"missing converter {mapper[1]}")
            else:
                for inner in mapper[1:]:
                    check(inner)

    for mappers in types.values():
        for mapper in mappers:
            check(mapper)
    for fields in converters.values():
        for _, mapper in fields.values():
            check(mapper)
    version = _cdk_version(bundle)
    single: dict[str, Any] = {}
    for cfn_type, mappers in sorted(types.items()):
        # a type with several L1 classes (deprecated copies: aws_eks and aws_eks_v2...) is kept
        # when they all render alike; otherwise None: the data leaves the type out
        shapes = {json.dumps(_shape(m, converters)) for m in mappers}
        single[cfn_type] = mappers[0] if len(shapes) == 1 else None
    return version, converters, single


def _shape(mapper: Any, converters: dict[Any, dict[str, Any]], stack: tuple[Any, ...] = ()) -> Any:
    """A mapper with converters expanded (cycles cut), comparable across modules."""
    if isinstance(mapper, str):
        return mapper
    if mapper[0] == "fn":
        if mapper[1] in stack:
            return ["cycle", stack.index(mapper[1])]
        inner = (*stack, mapper[1])
        return {k: [n, _shape(m, converters, inner)] for k, (n, m) in converters[mapper[1]].items()}
    return [mapper[0], *(_shape(m, converters, stack) for m in mapper[1:])]


def cdk_verbatim(mapper: Any) -> bool:
    """Whether a CDK mapper returns every value unchanged (identities, and lists/maps of them)."""
    if isinstance(mapper, str):
        return mapper in ("s", "j")
    if mapper[0] in ("list", "map"):
        return cdk_verbatim(mapper[1])
    if mapper[0] == "union":
        return all(cdk_verbatim(m) for m in mapper[1:])
    return False


class _Aligner:
    """A schema's nodes reshaped to what CDK's renderers do (see the module docstring)."""

    def __init__(
        self,
        reader: _SchemaReader,
        converters: dict[Any, dict[str, Any]],
        aliases: dict[str, str],
        plain_names: set[str],
    ):
        self.reader = reader
        self.converters = converters
        self.aliases = aliases  # CloudFormation name -> CDK name, where it is not cdk_name()
        self.plain_names = plain_names  # CloudFormation names CDK spells as cdk_name() does
        self._refs_in_progress: set[tuple[str, Any]] = set()

    def align(self, node: Any, mapper: Any) -> Any:
        if isinstance(mapper, str):
            if mapper == "s":
                return SCALAR
            if mapper == "j":
                return VERBATIM
            if mapper == "date":
                return SCALAR  # the runtime formats a datetime the way CDK does
            if mapper == "ep":
                return EVENT_PATTERN
            return ("obj", {"Key": SCALAR, "Value": SCALAR})  # "tag": {key, value} -> {Key, Value}
        kind = mapper[0]
        if kind != "fn" and cdk_verbatim(mapper):
            return VERBATIM
        if isinstance(node, tuple) and node[0] == _REF:
            key = (node[1], mapper)
            if key not in self._refs_in_progress:
                self._refs_in_progress.add(key)
                self.reader.bodies[node[1]] = self.align(self.reader.bodies[node[1]], mapper)
                self._refs_in_progress.discard(key)
            return node
        if kind == "fn":
            return self._object(node, self.converters[mapper[1]])
        if kind == "list":
            item = node[1] if isinstance(node, tuple) and node[0] == "arr" else None
            return ("arr", self.align(item, mapper[1]))
        if kind == "map":
            value = None
            if isinstance(node, tuple) and node[0] == "map":
                value = node[1]
            elif isinstance(node, tuple) and node[0] == "obj":  # the schema lists the keys
                try:
                    for name, child in node[1].items():
                        if name != INCOMPLETE:
                            value = _merge(value, child)
                except _Conflict:
                    value = None
            return ("map", self.align(value, mapper[1]))
        # a union: CDK picks the first alternative whose validator accepts the value. With one
        # structure and nothing else that takes an object, an object value goes to the structure
        # (and a string, say, through unchanged, which the object node does too)
        structured = [m for m in mapper[1:] if not cdk_verbatim(m)]
        takes_objects = [m for m in mapper[1:] if m not in ("s", "date") and not _is_list_mapper(m)]
        if len(structured) == 1 and structured[0][0] == "fn" and takes_objects == structured:
            return self.align(node, structured[0])
        return _FALLBACK

    def _object(self, node: Any, cdk_fields: dict[str, Any]) -> Any:
        if not (isinstance(node, tuple) and node[0] == "obj"):
            return _FALLBACK  # CDK renders a structure the schema leaves free-form
        fields: dict[str, Any] = {}
        complete = True
        spellings: set[str] = set()
        for cfn_name, (cdk_spelling, mapper) in cdk_fields.items():
            if cfn_name not in node[1] or cfn_name == INCOMPLETE:
                complete = False  # not in the schema: the key falls back
                continue
            derived = cdk_name(cfn_name)
            if cdk_spelling == derived:
                self.plain_names.add(cfn_name)
            else:
                known = self.aliases.setdefault(cfn_name, cdk_spelling)
                if known != cdk_spelling:
                    raise CdkRendererError(f"CDK names {cfn_name} both {known} and {cdk_spelling}")
            if cdk_spelling in spellings:
                raise CdkRendererError(f"{self.reader.type_name}: two properties named {cdk_spelling}")
            spellings.add(cdk_spelling)
            fields[cfn_name] = self.align(node[1][cfn_name], mapper)
        if not complete:
            fields[INCOMPLETE] = SCALAR
        return ("obj", fields)


def _is_list_mapper(mapper: Any) -> bool:
    return isinstance(mapper, tuple) and mapper[0] == "list"


# --- the data file --------------------------------------------------------------------------


def _finish(node: Any) -> Any:
    """A generator node with None (a fragment that says nothing) made scalar."""
    if node is None:
        return SCALAR
    if isinstance(node, int) or node[0] == _REF:
        return node
    if node[0] == "obj":
        return ("obj", {k: _finish(v) for k, v in node[1].items()})
    return (node[0], _finish(node[1]))


def collect() -> dict[str, Any]:
    """Read the schemas and the renderers into the data file's structure."""
    from cfnlint.version import __version__ as cfn_lint_version

    cdk_version, converters, cdk_types = cdk_renderers()
    aliases: dict[str, str] = {}
    plain_names: set[str] = set()
    readers: dict[str, _SchemaReader] = {}
    types: dict[str, Any] = {}
    for cfn_type, schema in _schemas():
        reader = readers[cfn_type] = _SchemaReader(schema, cfn_type)
        node = reader.properties()
        if cfn_type in cdk_types:
            mapper = cdk_types[cfn_type]
            if mapper is None:
                continue  # CDK's L1 classes for this type disagree: leave it to _render_properties
            node = _Aligner(reader, converters, aliases, plain_names).align(node, mapper)
        types[cfn_type] = node
    if plain_names & aliases.keys():
        raise CdkRendererError(f"CDK spells these names two ways: {sorted(plain_names & aliases.keys())}")
    data = _encode(readers, types)
    return {
        "source": (
            f"cfn-lint {cfn_lint_version} schemas aligned with aws-cdk-lib {cdk_version} renderers"
            " (python -m bio2_aspects.cfn_names)"
        ),
        "aws_cdk_lib": cdk_version,
        "aliases": dict(sorted(aliases.items())),
        **data,
    }


def _encode(readers: dict[str, _SchemaReader], types: dict[str, Any]) -> dict[str, Any]:
    """JSON nodes: recursive definitions and repeated objects become shared ``defs``."""
    ref_ids: dict[tuple[str, str], int] = {}
    refs: list[tuple[str, str]] = []

    def plain(node: Any, cfn_type: str) -> Any:
        node = _finish(node)
        if isinstance(node, int):
            return node
        kind, body = node
        if kind == _REF:
            key = (cfn_type, body)
            if key not in ref_ids:
                ref_ids[key] = len(refs)
                refs.append(key)
            return f"#{ref_ids[key]}"
        if kind == "obj":
            return {k: plain(v, cfn_type) for k, v in sorted(body.items())}
        if kind == "arr":
            return [plain(body, cfn_type)]
        return {MAP_KEY: plain(body, cfn_type)}

    out_types = {t: plain(n, t) for t, n in sorted(types.items())}
    defs: list[Any] = []
    i = 0
    while i < len(refs):  # bodies may reference further cycles
        cfn_type, name = refs[i]
        defs.append(plain(readers[cfn_type].bodies[name], cfn_type))
        i += 1

    # objects repeated anywhere in the file (by content) become shared nodes
    def key(node: Any) -> str:
        return json.dumps(node, sort_keys=True, separators=(",", ":"))

    counts: Counter[str] = Counter()

    def count(node: Any) -> None:
        if isinstance(node, dict):
            k = key(node)
            counts[k] += 1
            if counts[k] == 1:
                for child in node.values():
                    count(child)
        elif isinstance(node, list):
            count(node[0])

    for node in [*out_types.values(), *defs]:
        count(node)
    shared: dict[str, str] = {}

    def share(node: Any, top: bool = False) -> Any:
        if isinstance(node, list):
            return [share(node[0])]
        if not isinstance(node, dict):
            return node
        inner = {k: share(v) for k, v in node.items()}
        k = key(node)
        if top or counts[k] < 2 or len(k) <= 40:
            return inner
        if k not in shared:
            shared[k] = f"#{len(defs)}"
            defs.append(inner)
        return shared[k]

    out_types = {t: share(n, top=True) for t, n in out_types.items()}
    for index in range(len(refs)):
        defs[index] = share(defs[index], top=True)
    return {"defs": defs, "types": out_types}


def render() -> str:
    """The exact content of the data file."""
    return json.dumps(collect(), separators=(",", ":")) + "\n"


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is out of date")
    args = parser.parse_args(None if argv is None else list(argv))
    content = render()
    current = DATA_FILE.read_text(encoding="utf-8") if DATA_FILE.exists() else None
    if current == content:
        return 0
    if args.check:
        print(f"out of date: {DATA_FILE} (run python -m bio2_aspects.cfn_names)")
        return 1
    DATA_FILE.write_text(content, encoding="utf-8")
    print(f"wrote {DATA_FILE} ({len(content):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
