"""Generate ``docs/landing-zone.schema.json`` and ``docs/config-reference.md`` from the models.

Both outputs are deterministic: the same models always give the same bytes, so a test can
compare them with the files in ``docs/``.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

from landing_zone.config.model import LandingZoneConfig
from landing_zone.config.sections.regions import EU_REGIONS, KNOWN_REGIONS
from landing_zone.config.validate import CHECKS

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"
SCHEMA_FILE = "landing-zone.schema.json"
REFERENCE_FILE = "config-reference.md"
REGENERATE = "python -m landing_zone.config docs"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``landing-zone.yaml``."""
    schema = LandingZoneConfig.model_json_schema()
    schema["title"] = "landing-zone.yaml"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    """:func:`json_schema` as file content: sorted keys, 2-space indent, trailing newline."""
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(value: Any) -> str:
    return f"`{json.dumps(value, ensure_ascii=False)}`"


class _Reference:
    """Renders the schema as Markdown: one table per model, each model once, in the order of first use."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.defs: dict[str, Any] = schema.get("$defs", {})
        self.checks = {section: _check_doc(check) for section, check, _ in CHECKS}
        self.paths: dict[str, list[str]] = {}
        self.lines: list[str] = []

    def render(self) -> str:
        self.walk("LandingZoneConfig", self.schema, "")
        for name, paths in self.paths.items():
            self.model(name, self.defs.get(name, self.schema), paths)
        return "\n".join(self.lines)

    def walk(self, name: str, definition: dict[str, Any], path: str) -> None:
        """Record every path of every model, depth-first (a model nested in itself is not entered again)."""
        first_visit = name not in self.paths
        self.paths.setdefault(name, []).append(path)
        if first_visit:
            for key, prop in definition["properties"].items():
                for ref, suffix in self.refs(prop):
                    self.walk(ref, self.defs[ref], f"{path}.{key}{suffix}" if path else key)

    def model(self, name: str, definition: dict[str, Any], paths: list[str]) -> None:
        """Render one model: heading (its first path), description, table of keys, checks."""
        path = paths[0]
        is_top = path == "" or path in self.schema["properties"]
        self.lines += [f'<a id="{name.lower()}"></a>', ""]
        self.lines += [f"{'##' if is_top else '###'} {f'`{path}`' if path else 'Top level'}", ""]
        self.lines += [f"*{name}.* {definition.get('description', '')}".rstrip(), ""]
        if len(paths) > 1:
            self.lines += ["Also at: " + ", ".join(f"`{other}`" for other in paths[1:]) + ".", ""]
        self.lines += ["| Key | Type | Default | Description | Constraints |", "|---|---|---|---|---|"]
        required = set(definition.get("required", ()))
        for key, prop in definition["properties"].items():
            cells = (
                f"`{key}`",
                self.type_of(prop),
                self.default_of(prop, key in required),
                prop.get("description", ""),
                self.constraints(prop),
            )
            self.lines.append("| " + " | ".join(_cell(text) for text in cells) + " |")
        self.lines.append("")
        if self.checks.get(path):
            self.lines += ["Checks across fields:", "", self.checks[path], ""]

    def refs(self, prop: dict[str, Any]) -> list[tuple[str, str]]:
        """``(model name, path suffix)`` of every model a property uses."""
        members = [(prop, ""), *((member, "") for member in prop.get("anyOf", ()))]
        members += [(prop.get("items"), "[]"), (prop.get("additionalProperties"), ".<name>")]
        return [
            (name, suffix)
            for member, suffix in members
            if isinstance(member, dict) and (name := _ref(member))
        ]

    def type_of(self, prop: dict[str, Any]) -> str:
        if name := _ref(prop):
            return f"[{name}](#{name.lower()})"
        if "anyOf" in prop:
            return " or ".join(self.type_of(member) for member in prop["anyOf"])
        if "const" in prop:
            return _code(prop["const"])
        if "enum" in prop:
            if set(prop["enum"]) == set(KNOWN_REGIONS):
                return "AWS region"
            return " or ".join(_code(value) for value in prop["enum"])
        if prop.get("type") == "array":
            return f"list of {self.type_of(prop.get('items', {}))}"
        if isinstance(prop.get("additionalProperties"), dict):
            return f"mapping of name to {self.type_of(prop['additionalProperties'])}"
        return str(prop.get("type", "any"))

    def constraints(self, prop: dict[str, Any]) -> str:
        found: list[str] = []
        for member in [prop, *prop.get("anyOf", ()), prop.get("items", {})]:
            found += [_constraint(key, member[key]) for key in _CONSTRAINT_WORDS if key in member]
            if set(member.get("enum", ())) == set(KNOWN_REGIONS):
                found.append("a region of the commercial AWS partition ([list](#known-aws-regions))")
        return "; ".join(found)

    def default_of(self, prop: dict[str, Any], required: bool) -> str:
        if required:
            return "required"
        default = prop.get("default")
        if default in (None, [], {}):
            return "empty" if "default" not in prop or default is not None else "`null`"
        name = _ref(prop)
        if name and isinstance(default, dict):
            own = {
                key: value["default"]
                for key, value in self.defs[name]["properties"].items()
                if "default" in value
            }
            if default == own:
                return "defaults of its keys"
        return _code(default)


_CONSTRAINT_WORDS = {
    "minimum": "≥ {}",
    "maximum": "≤ {}",
    "minLength": "at least {} characters",
    "maxLength": "at most {} characters",
    "minItems": "at least {} items",
    "maxItems": "at most {} items",
    "pattern": "pattern `{}`",
}


def _constraint(key: str, value: Any) -> str:
    """One JSON Schema constraint in words."""
    if key in ("minLength", "minItems") and value == 1:
        return "not empty"
    return _CONSTRAINT_WORDS[key].format(value)


def _ref(prop: dict[str, Any]) -> str | None:
    """The model name a ``$ref`` property points to, or None."""
    ref = prop.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _check_doc(check: Any) -> str:
    """The bullet list of a section's ``check`` docstring."""
    doc = inspect.getdoc(check) or ""
    return "\n".join(line for line in doc.splitlines()[1:] if line.strip()).strip()


_INTRO = f"""\
# `landing-zone.yaml` reference

<!-- Generated from the models in landing_zone/config/ by `{REGENERATE}`. Do not edit by hand. -->

A platform team describes its whole landing zone in one YAML file. Start from the example
(`python -m landing_zone.config example > landing-zone.yaml`, a fictional municipality) and
check it with `python -m landing_zone.config validate landing-zone.yaml`: it prints every
problem at once, each with its path and a fix, and exits with status 2.

```text
landing-zone.yaml: 2 problems
error: organization.accounts[1].id: '22222222222' is not an AWS account ID of exactly 12 digits, in quotes
  fix: write an AWS account ID of exactly 12 digits, in quotes, such as "111111111111"
error: network.vpcs[2].cidr: 10.16.2.0/24 overlaps network.vpcs[0] (10.16.0.0/22)
  fix: choose a CIDR block that overlaps no other VPC and no on-premises range; ...
```

Unknown keys are errors (with a suggestion for typos). In paths, list items are written
`key[i]` and named entries `key.name` (`key["Workloads/Prod"]` when the name is not a plain word).

Editors can validate and complete the file with the JSON Schema
[`landing-zone.schema.json`](landing-zone.schema.json), for example with the YAML language
server: put `# yaml-language-server: $schema=<path to landing-zone.schema.json>` on the first line.
"""


def _regions_appendix() -> str:
    rows = [
        f"| `{code}` | {location} | {'yes' if code in EU_REGIONS else 'no'} |"
        for code, location in sorted(KNOWN_REGIONS.items())
    ]
    return "\n".join(
        [
            '<a id="known-aws-regions"></a>',
            "",
            "## Known AWS regions",
            "",
            "Regions of the commercial `aws` partition. Only regions in an EU member state count as EU:",
            "London (`eu-west-2`, United Kingdom) and Zurich (`eu-central-2`, Switzerland) do not, so",
            "they need `regions.allow_non_eu: true` like any other non-EU region.",
            "",
            "| Region | Location | In the EU |",
            "|---|---|---|",
            *rows,
            "",
        ]
    )


def reference_text() -> str:
    """The Markdown reference of every section, key, type, default, description and constraint."""
    return f"{_INTRO}\n{_Reference(json_schema()).render()}\n{_regions_appendix()}"


def outputs() -> dict[str, str]:
    """``file name -> content`` of every generated document."""
    return {SCHEMA_FILE: schema_text(), REFERENCE_FILE: reference_text()}


def write(directory: Path = DOCS_DIR, names: tuple[str, ...] = (SCHEMA_FILE, REFERENCE_FILE)) -> list[Path]:
    """Write the generated documents named ``names`` into ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in outputs().items():
        if name in names:
            path = directory / name
            path.write_text(content, encoding="utf-8")
            written.append(path)
    return written


def stale(directory: Path = DOCS_DIR) -> list[Path]:
    """Generated documents in ``directory`` that are missing or differ from the models."""
    return [
        directory / name
        for name, content in outputs().items()
        if not (directory / name).is_file() or (directory / name).read_text(encoding="utf-8") != content
    ]
