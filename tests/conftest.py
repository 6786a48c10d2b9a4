"""Shared test set-up: offline, deterministic, no AWS."""

from __future__ import annotations

import os

os.environ.setdefault("CDK_DISABLE_CLI_TELEMETRY", "true")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")
for var in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
    os.environ.pop(var, None)


# --------------------------------------------------------------------------- synth helpers

import json  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402


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


@pytest.fixture(scope="session")
def default_synth(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    """The embedded default landing zone, synthesized once per test session."""
    return synth_landing_zone(tmp_path_factory.mktemp("default-lz"))
