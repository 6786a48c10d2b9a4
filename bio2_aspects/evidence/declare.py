"""Removed: bare declarations of evidence.

``declare_preventive`` / ``declare_detective`` used to count as soon as the declaring resource
existed; the engine never read the guardrail or monitor itself. They are replaced by checked
claims (:mod:`bio2_aspects.claims`), which name the facts they rely on and which the engine
verifies on the synthesized templates. The old names remain only to fail with a pointer.
"""

from __future__ import annotations

from typing import Any, NoReturn


class DeclarationRemoved(TypeError):
    """Raised by the removed ``declare_preventive`` / ``declare_detective``."""


def _removed(name: str, scope: Any) -> NoReturn:
    where = getattr(getattr(scope, "node", None), "path", "?")
    raise DeclarationRemoved(
        f"{where}: bio2_aspects.{name} was removed: a bare declaration is not evidence. Make a checked "
        "claim instead: bio2_aspects.claim(scope, 'Team-Area-Name', <checks such as PolicyDenies(...), "
        "GuardDutyEnabled(...), EventRuleEnabled()>, kind=..., detail=..., mappings=...) or "
        "ClaimTable.from_file(...).claim(...); see docs/app-team.md, section 'Claims'."
    )


def declare_preventive(scope: Any, *args: Any, **kwargs: Any) -> NoReturn:
    """Removed: raises :class:`DeclarationRemoved` (use :func:`bio2_aspects.claim`)."""
    _removed("declare_preventive", scope)


def declare_detective(scope: Any, *args: Any, **kwargs: Any) -> NoReturn:
    """Removed: raises :class:`DeclarationRemoved` (use :func:`bio2_aspects.claim`)."""
    _removed("declare_detective", scope)
