"""The auditor outputs rendered from a manifest: which files each format writes, and how.

Every renderer is a pure function of the manifest and the language (SARIF may also read the
templates, hash-checked, for line numbers), returning bytes; the same input always gives the
same bytes. ``bio2 report`` and the synth exporters (``writer.default_exporters``) both go
through :func:`write_outputs`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bio2_aspects.evidence.common import resolve_lang

Renderer = Callable[[dict[str, Any], str, "Path | None"], bytes]


def _summary(manifest: dict[str, Any], lang: str, _root: Path | None) -> bytes:
    from bio2_aspects.evidence.summary import render_summary

    return render_summary(manifest, lang).encode("utf-8")


def _hld(manifest: dict[str, Any], lang: str, _root: Path | None) -> bytes:
    from bio2_aspects.evidence.hld import render_hld

    return render_hld(manifest, lang).encode("utf-8")


def _html(manifest: dict[str, Any], lang: str, _root: Path | None) -> bytes:
    from bio2_aspects.evidence.html_report import render_html

    return render_html(manifest, lang).encode("utf-8")


def _xlsx(manifest: dict[str, Any], lang: str, _root: Path | None) -> bytes:
    from bio2_aspects.evidence.register import render_xlsx

    return render_xlsx(manifest, lang)


def _register_csv(manifest: dict[str, Any], lang: str, _root: Path | None) -> bytes:
    from bio2_aspects.evidence.register import render_register_csv

    return render_register_csv(manifest, lang)


def _soa_csv(manifest: dict[str, Any], lang: str, _root: Path | None) -> bytes:
    from bio2_aspects.evidence.register import render_soa_csv

    return render_soa_csv(manifest, lang)


def _oscal(manifest: dict[str, Any], lang: str, _root: Path | None) -> bytes:
    from bio2_aspects.evidence.oscal import render_oscal

    return render_oscal(manifest, lang)


def _sarif(manifest: dict[str, Any], lang: str, root: Path | None) -> bytes:
    from bio2_aspects.evidence.sarif import render_sarif

    return render_sarif(manifest, lang, root)


@dataclass(frozen=True)
class OutputFile:
    """One file of a format: its name and its renderer."""

    name: str
    render: Renderer


#: Format name -> the files it writes.
FORMATS: dict[str, tuple[OutputFile, ...]] = {
    "md": (OutputFile("summary.md", _summary),),
    "hld": (OutputFile("hld.md", _hld),),
    "html": (OutputFile("report.html", _html),),
    "xlsx": (OutputFile("control-register.xlsx", _xlsx),),
    "csv": (
        OutputFile("control-register.csv", _register_csv),
        OutputFile("statement-of-applicability.csv", _soa_csv),
    ),
    "oscal": (OutputFile("oscal-component-definition.json", _oscal),),
    "sarif": (OutputFile("bio2.sarif", _sarif),),
}
ALL_FORMATS: tuple[str, ...] = tuple(FORMATS)


def render_files(
    manifest: dict[str, Any],
    formats: Iterable[str] = ALL_FORMATS,
    lang: str | None = None,
    template_root: Path | None = None,
) -> dict[str, bytes]:
    """File name -> bytes for each file of ``formats``."""
    lang = resolve_lang(manifest, lang)
    out: dict[str, bytes] = {}
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(ALL_FORMATS)}")
        for f in FORMATS[fmt]:
            out[f.name] = f.render(manifest, lang, template_root)
    return out


def write_outputs(
    manifest: dict[str, Any],
    outdir: str | Path,
    formats: Iterable[str] = ALL_FORMATS,
    lang: str | None = None,
    template_root: Path | None = None,
) -> list[Path]:
    """Render ``formats`` into ``outdir``; returns the paths written, in order."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in render_files(manifest, formats, lang, template_root).items():
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written


def synth_exporter(fmt: str) -> Callable[[dict[str, Any], Path], None]:
    """An exporter for ``writer.write_evidence``: writes ``fmt`` into the evidence directory.

    The evidence directory is ``cdk.out/bio2``, so the templates (for SARIF line numbers) are in
    its parent.
    """

    def export(manifest: dict[str, Any], outdir: Path) -> None:
        write_outputs(manifest, outdir, [fmt], template_root=Path(outdir).parent)

    export.__name__ = f"export_{fmt}"
    export.__qualname__ = export.__name__
    return export
