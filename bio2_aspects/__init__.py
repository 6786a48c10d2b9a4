"""BIO2 compliance engine for AWS CDK apps.

``Bio2(app)`` sets up everything for any CDK app: the rules as a cdk-nag 3 pack, the measure tags,
and the evidence (manifest, Statement of Applicability, summary) written to ``cdk.out/bio2/`` on
every synth. Names are imported lazily so that the catalog and the command line do not start the
jsii runtime.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Bio2": "bio2_aspects.bio2",
    "Bio2Checks": "bio2_aspects.nagpack",
    "Bio2Plugin": "bio2_aspects.pack",
    "PLUGIN_NAME": "bio2_aspects.pack",
    "acknowledge": "bio2_aspects.pack",
    "claim": "bio2_aspects.claims",
    "ClaimTable": "bio2_aspects.claims",
    "declare_preventive": "bio2_aspects.evidence.declare",
    "declare_detective": "bio2_aspects.evidence.declare",
    "Scope": "bio2_aspects.scope",
    "Owner": "bio2_aspects.scope",
    "Exclusion": "bio2_aspects.scope",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'bio2_aspects' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
