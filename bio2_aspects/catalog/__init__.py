"""BIO2 catalog: the 93 ISO/IEC 27002:2022 controls and the BIO2 v1.3 government measures.

Use :func:`load_catalog` for the packaged, validated catalog and
:func:`parse_official_markdown` to read a user's own copy of the official measure texts.
"""

from .importer import (
    OFFICIAL_MARKDOWN_ENV,
    OfficialEntry,
    find_official_markdown,
    parse_official_markdown,
    parse_official_text,
)
from .loader import (
    EXPECTED_CONTROLS_PER_THEME,
    KNOWN_DEFECTS,
    Catalog,
    CatalogEntry,
    CatalogError,
    CatalogMetadata,
    Control,
    KnownDefect,
    Nature,
    Responsibility,
    Status,
    Theme,
    control_id_of,
    id_sort_key,
    load_catalog,
    normalise_control_id,
)

__all__ = [
    "EXPECTED_CONTROLS_PER_THEME",
    "KNOWN_DEFECTS",
    "OFFICIAL_MARKDOWN_ENV",
    "Catalog",
    "CatalogEntry",
    "CatalogError",
    "CatalogMetadata",
    "Control",
    "KnownDefect",
    "Nature",
    "OfficialEntry",
    "Responsibility",
    "Status",
    "Theme",
    "control_id_of",
    "find_official_markdown",
    "id_sort_key",
    "load_catalog",
    "normalise_control_id",
    "parse_official_markdown",
    "parse_official_text",
]
