"""Read a synthesized cloud assembly without the CDK: templates, construct paths, metadata.

Everything the evidence needs after synthesis is on disk: the templates, the assembly
``manifest.json`` (stack name, environment) and each stack's metadata file, which maps construct
paths to logical IDs and carries acknowledgements (``aws:cdk:acknowledged-rules``) and the
claims that constructs made (``bio2:claim``, see :mod:`bio2_aspects.claims`). Reading it is
plain JSON work, so the rules run in Python without a single call across the jsii bridge.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LOGICAL_ID = "aws:cdk:logicalId"
ACKNOWLEDGED = "aws:cdk:acknowledged-rules"
CLAIM_METADATA = "bio2:claim"
#: the Dutch reasons of acknowledgements (``bio2_aspects.acknowledge(..., reason_nl=...)``)
ACKNOWLEDGED_NL = "bio2:acknowledged-nl"


class Reason(str):
    """An acknowledgement reason as written, carrying its Dutch translation (``nl``) when one was given."""

    nl: str | None

    def __new__(cls, text: str, nl: str | None = None) -> Reason:
        obj = super().__new__(cls, text)
        obj.nl = nl
        return obj


@dataclass
class StackTemplate:
    """One stack of the assembly, as written to disk."""

    artifact_id: str
    stack_name: str
    template_file: str  # relative to the assembly root, with forward slashes
    template: dict[str, Any]
    sha256: str
    account: str | None
    region: str | None
    #: logical ID -> construct path (without the leading slash)
    paths: dict[str, str] = field(default_factory=dict)
    #: construct path -> {acknowledgement id: reason}
    acknowledgements: dict[str, dict[str, str]] = field(default_factory=dict)
    #: construct path -> {acknowledgement id: (reason, Dutch reason)}
    acknowledgements_nl: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    #: (construct path, claim) in document order
    claims: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def resources(self) -> dict[str, Any]:
        res = self.template.get("Resources")
        return res if isinstance(res, dict) else {}

    def path_of(self, logical_id: str) -> str | None:
        return self.paths.get(logical_id)

    def logical_id_of(self, path: str) -> str | None:
        for lid, p in self.paths.items():
            if p == path:
                return lid
        return None

    def acknowledgement(self, path: str | None, ack_id: str) -> str | None:
        """The reason of an acknowledgement on ``path`` or any of its ancestors.

        ``ack_id`` is ``<plugin>::<rule>``; the cdk-nag form (the bare rule ID, which CDK stores as
        ``Annotation::<rule>``) is accepted as well.
        """
        if path is None or not self.acknowledgements:
            return None
        rule = ack_id.split("::", 1)[-1]
        candidates = (ack_id, f"Annotation::{rule}", f"annotation::{rule}", rule)
        parts = path.split("/")
        for i in range(len(parts), 0, -1):
            acks = self.acknowledgements.get("/".join(parts[:i]), {})
            for key in candidates:
                if key in acks:
                    return self._with_nl("/".join(parts[:i]), rule, acks[key])
        return None

    def _with_nl(self, path: str, rule: str, reason: str) -> str:
        """``reason`` as a :class:`Reason` with its Dutch translation, when one was given for this very
        reason on ``path``."""
        for key, (en, nl) in sorted(self.acknowledgements_nl.get(path, {}).items()):
            if key.split("::", 1)[-1] == rule and en == reason:
                return Reason(reason, nl)
        return reason


def parse_environment(env: str | None) -> tuple[str | None, str | None]:
    """(account, region) of an artifact environment (``aws://123456789012/eu-west-1``); None for
    each part CDK leaves unknown (``unknown-account``, ``unknown-region``) or an unset environment."""
    if not env or not env.startswith("aws://"):
        return None, None
    account, _, region = env[len("aws://") :].partition("/")
    return (
        None if account.startswith("unknown") else account,
        None if region.startswith("unknown") else region,
    )


def _metadata_entries(artifact: Mapping[str, Any], base: Path) -> dict[str, list[dict[str, Any]]]:
    meta: dict[str, list[dict[str, Any]]] = {}
    for path, entries in (artifact.get("metadata") or {}).items():
        meta.setdefault(path, []).extend(entries)
    extra = artifact.get("additionalMetadataFile")
    if extra and (base / extra).is_file():
        for path, entries in json.loads((base / extra).read_text(encoding="utf-8")).items():
            meta.setdefault(path, []).extend(entries)
    return meta


def read_stack(template_path: str | os.PathLike[str], root: str | os.PathLike[str]) -> StackTemplate:
    """Read one stack template and the metadata the assembly keeps for it."""
    tpath = Path(template_path).resolve()
    root_path = Path(root).resolve()
    raw = tpath.read_bytes()
    template = json.loads(raw)
    base = tpath.parent
    artifact_id = tpath.name.removesuffix(".template.json")
    artifact: Mapping[str, Any] = {}
    manifest_file = base / "manifest.json"
    if manifest_file.is_file():
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        for aid, art in (manifest.get("artifacts") or {}).items():
            if (
                art.get("type") == "aws:cloudformation:stack"
                and (art.get("properties") or {}).get("templateFile") == tpath.name
            ):
                artifact_id, artifact = aid, art
                break
    account, region = parse_environment(artifact.get("environment"))
    props = artifact.get("properties") or {}
    try:
        rel = tpath.relative_to(root_path).as_posix()
    except ValueError:
        rel = tpath.name
    stack = StackTemplate(
        artifact_id=artifact_id,
        stack_name=props.get("stackName") or artifact.get("displayName") or artifact_id,
        template_file=rel,
        template=template,
        sha256=hashlib.sha256(raw).hexdigest(),
        account=account,
        region=region,
    )
    for path, entries in sorted(_metadata_entries(artifact, base).items()):
        clean = path.lstrip("/")
        for entry in entries:
            etype = entry.get("type")
            if etype == LOGICAL_ID and isinstance(entry.get("data"), str):
                stack.paths[entry["data"]] = clean
            elif etype == ACKNOWLEDGED and isinstance(entry.get("data"), dict):
                stack.acknowledgements.setdefault(clean, {}).update(
                    {str(k): str(v) for k, v in entry["data"].items()}
                )
            elif etype == ACKNOWLEDGED_NL and isinstance(entry.get("data"), dict):
                for k, v in entry["data"].items():
                    if (
                        isinstance(v, dict)
                        and isinstance(v.get("reason"), str)
                        and isinstance(v.get("reason_nl"), str)
                    ):
                        stack.acknowledgements_nl.setdefault(clean, {})[str(k)] = (
                            v["reason"],
                            v["reason_nl"],
                        )
            elif etype == CLAIM_METADATA and isinstance(entry.get("data"), dict):
                stack.claims.append((clean, entry["data"]))
    # Templates synthesized with path metadata carry aws:cdk:path on each resource too.
    for lid, res in stack.resources.items():
        if lid not in stack.paths and isinstance(res, dict):
            p = (res.get("Metadata") or {}).get("aws:cdk:path")
            if isinstance(p, str):
                stack.paths[lid] = p
    return stack


def read_assembly(
    template_paths: Iterable[str | os.PathLike[str]], root: str | os.PathLike[str]
) -> list[StackTemplate]:
    """Read every template, sorted by template file for deterministic output."""
    stacks = [read_stack(p, root) for p in template_paths]
    return sorted(stacks, key=lambda s: s.template_file)


def find_templates(outdir: str | os.PathLike[str]) -> list[Path]:
    """All stack templates of an assembly directory, nested assemblies (stages) included."""
    root = Path(outdir)
    return sorted(root.rglob("*.template.json"))
