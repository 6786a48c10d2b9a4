"""The names of the evidence formats, in the order of the full set.

Kept apart from their renderers (:mod:`bio2_aspects.evidence.exporters`, which imports the
pydantic models of the manifest): ``Bio2(reports=...)`` checks its argument against these names
while the app is built, and the renderers are only imported where the files are made (the
evidence worker, ``bio2 report``).
"""

from __future__ import annotations

#: ``md`` is ``summary.md``; each other name is one format of ``exporters.FORMATS``.
ALL_FORMATS: tuple[str, ...] = ("md", "hld", "html", "xlsx", "csv", "oscal", "sarif")
