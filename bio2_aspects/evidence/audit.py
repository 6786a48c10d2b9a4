"""Audit metadata of the manifest: when, from which commit and configuration, with which tools.

The generation time is deterministic: ``SOURCE_DATE_EPOCH`` when set, else the commit time of
the git ``HEAD`` of the working directory, else a fixed instant (1980-01-01, flagged as such).
Two synths of one commit and config therefore give byte-identical output.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from typing import Any

from bio2_aspects import __version__
from bio2_aspects.scope import Scope

FALLBACK_TIME = datetime(1980, 1, 1, tzinfo=UTC)
TOOL_NAME = "bio2-aspects"


def _git(*args: str, cwd: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_state(cwd: str | None = None) -> dict[str, Any]:
    """Commit, its time and whether tracked files differ from it (None outside a repository)."""
    where = cwd or os.getcwd()
    commit = _git("rev-parse", "HEAD", cwd=where)
    if not commit:
        return {"commit": None, "commit_time": None, "dirty": None}
    epoch = _git("log", "-1", "--format=%ct", "HEAD", cwd=where)
    status = _git("status", "--porcelain", "--untracked-files=no", cwd=where)
    return {
        "commit": commit,
        "commit_time": int(epoch) if epoch and epoch.isdigit() else None,
        "dirty": bool(status) if status is not None else None,
    }


def generation_time(git: Mapping[str, Any]) -> tuple[datetime, str]:
    """(time, source): from SOURCE_DATE_EPOCH, the commit time, or the fixed fallback."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw.isdigit():
        return datetime.fromtimestamp(int(raw), tz=UTC), "SOURCE_DATE_EPOCH"
    if git.get("commit_time") is not None:
        return datetime.fromtimestamp(git["commit_time"], tz=UTC), "git commit time"
    return FALLBACK_TIME, "fixed (no SOURCE_DATE_EPOCH, no git commit)"


#: The distributions whose versions the manifest records, by their key in ``versions``.
VERSIONED = {"aws_cdk_lib": "aws-cdk-lib", "cdk_nag": "cdk-nag"}


@cache
def _version(dist: str) -> str | None:
    from importlib import metadata  # when the manifest is made, not when Bio2 is imported

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def look_up_ahead(cwd: str) -> dict[str, Any]:
    """What ``audit_metadata`` reads from outside the process, read ahead (see
    ``pack.Bio2Plugin.write_during_synth``): the state of the working tree in ``cwd``, returned;
    the recorded versions, kept by ``_version``."""
    for dist in VERSIONED.values():
        _version(dist)
    return git_state(cwd)


def iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def audit_metadata(
    scope: Scope, catalog_version: str, cwd: str | None = None, *, git: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The ``audit`` block of the manifest. ``git``: the state of the working tree when already
    known (``git_state(cwd)``); read here otherwise."""
    if git is None:
        git = git_state(cwd)
    when, source = generation_time(git)
    cfg = scope.config
    return {
        "generated_at": iso(when),
        "generated_at_source": source,
        "git": {"commit": git["commit"], "dirty": git["dirty"]},
        "config": None if cfg is None else {"name": cfg.name, "sha256": cfg.sha256, "basis": cfg.basis},
        "versions": {
            "tool": __version__,
            "catalog": catalog_version,
            **{key: _version(dist) for key, dist in VERSIONED.items()},
        },
    }


def today_of(audit: dict[str, Any]) -> str:
    """The ISO date of the generation time: the reference for expiry and review dates."""
    return str(audit["generated_at"])[:10]
