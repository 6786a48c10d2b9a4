"""The auditor outputs rendered from a manifest: which files each format writes, and how.

Every renderer is a pure function of the manifest model (:class:`~bio2_aspects.evidence.models.
Manifest`, validated once per set of outputs, never per renderer) and the language (SARIF may
also read the templates, hash-checked, for line numbers), returning bytes; the same input always
gives the same bytes. Renderers read the model's attributes, never dict keys. ``bio2 report`` and
the synth exporters (``writer.default_exporters``) both go through here.

The manifest's SHA-256 appears in most outputs. It is the hash of ``manifest.json`` as written
(indented JSON of the whole manifest), so it is computed once per set of outputs and handed to
each renderer in a :class:`RenderContext`; ``writer.write_evidence``, which has just written
``manifest.json``, hands its hash to the synth exporters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bio2_aspects.evidence.common import manifest_digest, resolve_lang, write_file
from bio2_aspects.evidence.formats import ALL_FORMATS
from bio2_aspects.evidence.models import Manifest, as_manifest


@dataclass(frozen=True)
class RenderContext:
    """What every renderer gets besides the manifest."""

    lang: str
    digest: str
    template_root: Path | None = None


Renderer = Callable[[Manifest, RenderContext], bytes]


def _summary(manifest: Manifest, ctx: RenderContext) -> bytes:
    from bio2_aspects.evidence.summary import render_summary

    return render_summary(manifest, ctx.lang).encode("utf-8")


def _hld(manifest: Manifest, ctx: RenderContext) -> bytes:
    from bio2_aspects.evidence.hld import render_hld

    return render_hld(manifest, ctx.lang, digest=ctx.digest).encode("utf-8")


def _html(manifest: Manifest, ctx: RenderContext) -> bytes:
    from bio2_aspects.evidence.html_report import render_html

    return render_html(manifest, ctx.lang, digest=ctx.digest).encode("utf-8")


def _xlsx(manifest: Manifest, ctx: RenderContext) -> bytes:
    from bio2_aspects.evidence.register import render_xlsx

    return render_xlsx(manifest, ctx.lang, digest=ctx.digest)


def _register_csv(manifest: Manifest, ctx: RenderContext) -> bytes:
    from bio2_aspects.evidence.register import render_register_csv

    return render_register_csv(manifest, ctx.lang)


def _soa_csv(manifest: Manifest, ctx: RenderContext) -> bytes:
    from bio2_aspects.evidence.register import render_soa_csv

    return render_soa_csv(manifest, ctx.lang)


def _oscal(manifest: Manifest, ctx: RenderContext) -> bytes:
    from bio2_aspects.evidence.oscal import render_oscal

    return render_oscal(manifest, ctx.lang, digest=ctx.digest)


def _sarif(manifest: Manifest, ctx: RenderContext) -> bytes:
    from bio2_aspects.evidence.sarif import render_sarif

    return render_sarif(manifest, ctx.lang, ctx.template_root, digest=ctx.digest)


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
if tuple(FORMATS) != ALL_FORMATS:  # pragma: no cover - a format added in one place only
    raise RuntimeError(f"exporters.FORMATS {tuple(FORMATS)} and formats.ALL_FORMATS {ALL_FORMATS} differ")


def _check(formats: Iterable[str]) -> list[str]:
    out = list(formats)
    for fmt in out:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(ALL_FORMATS)}")
    return out


def render_files(
    manifest: Manifest | Mapping[str, Any],
    formats: Iterable[str] = ALL_FORMATS,
    lang: str | None = None,
    template_root: Path | None = None,
    *,
    digest: str | None = None,
) -> dict[str, bytes]:
    """File name -> bytes for each file of ``formats`` (manifest data is validated into the model
    once, here, for all of them)."""
    chosen = _check(formats)
    manifest = as_manifest(manifest)
    ctx = RenderContext(resolve_lang(manifest, lang), digest or manifest_digest(manifest), template_root)
    return {f.name: f.render(manifest, ctx) for fmt in chosen for f in FORMATS[fmt]}


def write_outputs(
    manifest: Manifest | Mapping[str, Any],
    outdir: str | Path,
    formats: Iterable[str] = ALL_FORMATS,
    lang: str | None = None,
    template_root: Path | None = None,
    *,
    digest: str | None = None,
) -> list[Path]:
    """Render ``formats`` into ``outdir``; returns the paths written, in order."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in render_files(manifest, formats, lang, template_root, digest=digest).items():
        path = out / name
        write_file(path, data)
        written.append(path)
    return written


class _DigestMemo:
    """The digest of the manifest object last seen (exporters of one synth share one)."""

    def __init__(self, known: tuple[Manifest, str] | None = None) -> None:
        self._manifest: Manifest | None = None
        self._digest = ""
        if known is not None:
            self._manifest, self._digest = known

    def __call__(self, manifest: Manifest) -> str:
        if manifest is not self._manifest:
            self._manifest, self._digest = manifest, manifest_digest(manifest)
        return self._digest


def synth_exporters(
    formats: Sequence[str], *, known_digest: tuple[Manifest, str] | None = None
) -> list[Callable[[Manifest, Path], None]]:
    """Exporters for ``writer.write_evidence``, one per format, in the manifest's language.

    They write into the evidence directory (``cdk.out/bio2``), read the templates for SARIF line
    numbers from its parent (``cdk.out``), and share the manifest digest between them.
    ``known_digest`` is a (manifest model, digest) pair already at hand: that model is not
    hashed again. Each exporter takes the model (``writer.write_evidence`` validates once).
    """
    memo = _DigestMemo(known_digest)

    def make(fmt: str) -> Callable[[Manifest, Path], None]:
        def export(manifest: Manifest, outdir: Path) -> None:
            write_outputs(manifest, outdir, [fmt], template_root=Path(outdir).parent, digest=memo(manifest))

        export.__name__ = export.__qualname__ = f"export_{fmt}"
        return export

    return [make(fmt) for fmt in _check(formats)]
