"""The names of the evidence formats, in the order of the full set, and the modules that make them.

Kept apart from their renderers (:mod:`bio2_aspects.evidence.exporters`, which imports the
pydantic models of the manifest): ``Bio2(reports=...)`` checks its argument against these names
while the app is built, and the renderers are only imported where the files are made (the
evidence worker, ``bio2 report``), or ahead of it by :func:`evidence_modules`' importer (see
``pack.Bio2Plugin.write_during_synth``).
"""

from __future__ import annotations

#: ``md`` is ``summary.md``; each other name is one format of ``exporters.FORMATS``.
ALL_FORMATS: tuple[str, ...] = ("md", "hld", "html", "xlsx", "csv", "oscal", "sarif")

#: What writing the evidence imports besides the renderers: ``manifest.json``, the manifest model.
WRITER_MODULE = "bio2_aspects.evidence.writer"
#: Format -> the modules its renderer imports (``exporters.FORMATS``; a test keeps them in step).
RENDERER_MODULES: dict[str, tuple[str, ...]] = {
    "md": ("bio2_aspects.evidence.summary",),
    "hld": ("bio2_aspects.evidence.hld",),
    "html": ("bio2_aspects.evidence.html_report",),
    "xlsx": ("bio2_aspects.evidence.register",),
    "csv": ("bio2_aspects.evidence.register",),
    "oscal": ("bio2_aspects.evidence.oscal",),
    "sarif": ("bio2_aspects.evidence.sarif",),
}


def evidence_modules(formats: tuple[str, ...] | None) -> tuple[str, ...]:
    """The modules that writing ``manifest.json`` and the files of ``formats`` (None: all) imports,
    each once, in order."""
    names = [WRITER_MODULE]
    for fmt in ALL_FORMATS if formats is None else formats:
        names.extend(m for m in RENDERER_MODULES.get(fmt, ()) if m not in names)
    return tuple(names)
