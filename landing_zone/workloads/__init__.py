"""Constructs for app teams: the landing zone's secure building blocks in their own CDK apps.

>>> from landing_zone.workloads import SecureBucket, WebApplicationEntry, WorkloadVpc
>>> from bio2_aspects import Bio2

Each construct's defaults pass BIO2 and cdk-nag's AwsSolutions pack; each carries the
classification tags of its ``classification=`` rating (else the enclosing scope's, else medium);
see docs/app-team.md.

Names are imported lazily so that importing the package does not start the jsii runtime.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "WorkloadVpc": "landing_zone.workloads.vpc",
    "FlowLogDestination": "landing_zone.workloads.vpc",
    "SecureBucket": "landing_zone.workloads.bucket",
    "SecureQueue": "landing_zone.workloads.messaging",
    "SecureTopic": "landing_zone.workloads.messaging",
    "SecureTable": "landing_zone.workloads.table",
    "SecureFunction": "landing_zone.workloads.function",
    "EncryptedDatabase": "landing_zone.workloads.database",
    "ContainerService": "landing_zone.workloads.containers",
    "WebApplicationEntry": "landing_zone.workloads.web",
    "WebAcl": "landing_zone.workloads.web",
    "EmergencyContact": "landing_zone.workloads.web",
    "workload_key": "landing_zone.workloads._common",
    "encrypted_log_group": "landing_zone.workloads._common",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'landing_zone.workloads' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
