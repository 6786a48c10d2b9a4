"""Write the evidence files of one synth into ``cdk.out/bio2/``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Generator, Mapping, Sequence
from pathlib import Path
from typing import Any

from bio2_aspects.evidence.common import manifest_bytes, manifest_json, text_safe, write_file
from bio2_aspects.evidence.exporters import FORMATS, synth_exporters
from bio2_aspects.evidence.models import Manifest, as_manifest, manifest_data
from bio2_aspects.evidence.summary import render_summary

#: An exporter takes the manifest model (validated once by ``write_evidence``) and the directory.
Exporter = Callable[[Manifest, Path], Any]


def _summary(manifest: Manifest, outdir: Path) -> None:
    write_file(outdir / "summary.md", render_summary(manifest))


#: The auditor outputs written on every synth besides ``summary.md`` (see ``exporters.FORMATS``).
SYNTH_FORMATS = ("hld", "html", "xlsx", "csv", "oscal", "sarif")


def default_exporters(*, known_digest: tuple[Manifest, str] | None = None) -> list[Exporter]:
    """The documents written on every synth besides manifest.json: the summary, the HLD chapter,
    the HTML report, the control register (XLSX and CSV), the OSCAL component definition and
    the SARIF log, in the manifest's language. ``known_digest``: see ``synth_exporters``."""
    return [_summary, *synth_exporters(SYNTH_FORMATS, known_digest=known_digest)]


def write_evidence(
    manifest: Manifest | Mapping[str, Any],
    outdir: str | Path,
    exporters: Sequence[Exporter] | None = None,
    *,
    formats: Sequence[str] | None = None,
) -> Path:
    """Write ``manifest.json`` (the bytes of ``manifest.dumps``), validate the manifest into the
    model once, and run the exporters on that model. A string with a lone surrogate, which no
    report could write as UTF-8 and no strict JSON reader reads, is written with the surrogate as
    a backslash escape, in ``manifest.json`` and in every report alike (``common.text_safe``).

    The default exporters reuse the hash of the ``manifest.json`` just written. ``formats``
    (names of ``exporters.FORMATS``, used when ``exporters`` is None; None: every format) chooses
    the outputs; the files of the formats not chosen are removed from ``outdir``, so that no
    output of an earlier synth is left beside a newer manifest.
    """
    for _ in evidence_steps(manifest, outdir, exporters, formats=formats):
        pass
    return Path(outdir)


def evidence_steps(
    manifest: Manifest | Mapping[str, Any],
    outdir: str | Path,
    exporters: Sequence[Exporter] | None = None,
    *,
    formats: Sequence[str] | None = None,
) -> Generator[None, None, bytes]:
    """:func:`write_evidence` one step at a time: a generator that does the next step each time it
    is advanced (write ``manifest.json``, validate the model, then one exporter per step) and ends
    when every file is written, returning the bytes written to ``manifest.json`` (which the synth
    keeps for ``Bio2.manifest`` instead of reading them back). The steps may be advanced from
    different threads, one at a time (``pack._EvidenceWrites`` hands the rest of a synth's steps
    from its worker to the thread that waits for them)."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    data, is_text = manifest_json(manifest)
    if not is_text:  # rare: a lone surrogate somewhere (or a huge integer); see common.text_safe
        source = manifest if isinstance(manifest, Mapping) else manifest_data(manifest)
        safe = text_safe(source)
        if safe is not source:
            manifest = safe
            data = manifest_bytes(manifest)
    write_file(out / "manifest.json", data)
    if exporters is not None and not exporters:
        return data
    digest = hashlib.sha256(data).hexdigest() if exporters is None else None  # the default exporters reuse it
    yield
    # The data was built in this process (the synth): for the default exporters, the evidence
    # items and the resource register, most of the manifest, are validated when a report first
    # reads them (summary.md and SARIF never do). A caller's exporters get the model validated
    # whole, with plain lists.
    model = as_manifest(manifest, defer_evidence=exporters is None)
    if exporters is None:
        known = (model, digest)
        if formats is None:
            exporters = default_exporters(known_digest=known)
        else:
            exporters = _chosen_exporters(out, formats, known)
    for export in exporters:
        yield
        export(model, out)
    return data


def _chosen_exporters(out: Path, formats: Sequence[str], known: tuple[Manifest, str]) -> list[Exporter]:
    """The exporters of ``formats`` (``md``: the summary), after removing the other formats' files."""
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    for fmt, files in FORMATS.items():
        if fmt not in formats:
            for f in files:
                (out / f.name).unlink(missing_ok=True)
    rest = [fmt for fmt in SYNTH_FORMATS if fmt in formats]
    return [*([_summary] if "md" in formats else []), *synth_exporters(rest, known_digest=known)]
