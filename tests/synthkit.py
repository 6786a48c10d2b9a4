"""Synthesize the landing zone in tests: ``from tests.synthkit import Synth, synth_landing_zone``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The smallest valid landing-zone.yaml: the four required accounts, everything else default.
MINIMAL_YAML = """\
version: 1
organization:
  name: Gemeente Klein
  ous: [{name: Security}, {name: Infrastructure}]
  accounts:
    - {name: management, id: "111111111111", email: a@klein.example, ou: Root, role: management}
    - {name: log-archive, id: "222222222222", email: b@klein.example, ou: Security, role: log-archive}
    - {name: security, id: "333333333333", email: c@klein.example, ou: Security, role: security}
    - {name: network, id: "444444444444", email: d@klein.example, ou: Infrastructure, role: network}
"""


#: The Stage every landing-zone stack is built in (``landing_zone.pipeline.stage.STAGE_ID``): its
#: templates are in ``<outdir>/assembly-LandingZone/``, construct paths start with ``LandingZone/``.
STAGE = "LandingZone"


def stage_path(path: str) -> str:
    """The construct path of ``path`` (``lz-management-eu-central-1/...``) inside the Stage."""
    return f"{STAGE}/{path}"


@dataclass
class Synth:
    """A synthesized landing zone: templates by stack name, the BIO2 manifest, the output dir."""

    outdir: Path
    manifest: dict[str, Any]
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)

    def template(self, stack_name: str) -> dict[str, Any]:
        try:
            return self.templates[stack_name]
        except KeyError:
            raise KeyError(f"no stack {stack_name}; stacks: {sorted(self.templates)}") from None

    @property
    def assembly_dir(self) -> Path:
        """The Stage's cloud assembly (the landing-zone templates and their manifest.json)."""
        return self.outdir / f"assembly-{STAGE}"

    def stack_artifacts(self) -> dict[str, dict[str, Any]]:
        """The Stage's stack artifacts by stack name, their ``dependencies`` as stack names."""
        artifacts = json.loads((self.assembly_dir / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
        names = {
            k: a["properties"].get("stackName", k)
            for k, a in artifacts.items()
            if a["type"] == "aws:cloudformation:stack"
        }
        return {
            name: {
                **artifacts[k],
                "dependencies": [names.get(d, d) for d in artifacts[k].get("dependencies", [])],
            }
            for k, name in names.items()
        }

    def resources(
        self, cfn_type: str, stack_name: str | None = None
    ) -> list[tuple[str, str, dict[str, Any]]]:
        """(stack, logical ID, resource) of every resource of ``cfn_type``."""
        out = []
        for name, tpl in sorted(self.templates.items()):
            if stack_name is not None and name != stack_name:
                continue
            for lid, res in sorted(tpl.get("Resources", {}).items()):
                if res.get("Type") == cfn_type:
                    out.append((name, lid, res))
        return out

    def open_errors(self) -> list[dict[str, Any]]:
        return [v for v in self.manifest["violations"] if v["level"] == "error" and not v["acknowledged"]]


def synth_landing_zone(outdir: Path, config: Any = None, *, report_only: bool = True) -> Synth:
    """Synthesize the landing zone for ``config`` (a LandingZoneConfig, YAML text, or None for the
    embedded default) into ``outdir``, with the BIO2 engine in report-only mode by default."""
    from landing_zone.app import build_app, new_app
    from landing_zone.config import LandingZoneConfig, load_config, load_config_text

    if config is None:
        config = load_config(None)
    elif isinstance(config, str):
        config = load_config_text(config)
    assert isinstance(config, LandingZoneConfig)
    context = {"bio2:reportOnly": "true"} if report_only else {}
    app = new_app(outdir=str(outdir), context=context)
    build_app(app, config)
    app.synth()
    manifest = json.loads((outdir / "bio2" / "manifest.json").read_text(encoding="utf-8"))
    result = Synth(outdir=outdir, manifest=manifest)
    for t in manifest["templates"]:
        path = outdir / t["file"]
        result.files[t["stack"]] = path
        result.templates[t["stack"]] = json.loads(path.read_text(encoding="utf-8"))
    return result
