"""Write the evidence files of one synth into ``cdk.out/bio2/``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bio2_aspects.evidence.exporters import synth_exporters
from bio2_aspects.evidence.manifest import dumps
from bio2_aspects.evidence.summary import render_summary

Exporter = Callable[[dict[str, Any], Path], Any]


def _summary(manifest: dict[str, Any], outdir: Path) -> None:
    (outdir / "summary.md").write_text(render_summary(manifest), encoding="utf-8")


#: The auditor outputs written on every synth besides ``summary.md`` (see ``exporters.FORMATS``).
SYNTH_FORMATS = ("hld", "html", "xlsx", "csv", "oscal", "sarif")


def default_exporters() -> list[Exporter]:
    """The documents written on every synth besides manifest.json: the summary, the HLD chapter,
    the HTML report, the control register (XLSX and CSV), the OSCAL component definition and
    the SARIF log, in the manifest's language."""
    return [_summary, *synth_exporters(SYNTH_FORMATS)]


def write_evidence(
    manifest: dict[str, Any], outdir: str | Path, exporters: Sequence[Exporter] | None = None
) -> Path:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").write_text(dumps(manifest), encoding="utf-8")
    for export in exporters if exporters is not None else default_exporters():
        export(manifest, out)
    return out
