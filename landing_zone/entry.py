"""The CDK entry's error handling: a configuration that cannot be built never ends in a traceback.

:func:`main` reads the configuration (``-c config=PATH``, else ``LZ_CONFIG``, else the embedded
example), builds the app into a temporary directory next to the output directory and moves the
result into place only when synthesis succeeded. Every failure ends with exit code 2, the config
path(s) at fault and a fix on stderr, and the output directory as it was before the run: no
half-written ``cdk.out``, no BIO2 report set of a failed synth.

``app.py`` stays a thin call::

    from landing_zone.entry import main
    sys.exit(main(build))        # build(app, config) adds the stacks and the BIO2 engine

Set ``LZ_DEBUG=1`` to see the traceback of an unexpected error (a defect of the landing zone, not
of the configuration).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from landing_zone.config import ConfigError, LandingZoneConfig, Problem, load_config
from landing_zone.config.checks import notices
from landing_zone.config.loader import DEFAULT_CONFIG_PATH

EXIT_OK, EXIT_INVALID = 0, 2

#: BIO2 rules whose violation follows from one configuration key: ``rule -> (config path, fix)``.
RULE_CONFIG_PATHS: dict[str, tuple[str, str]] = {
    "BIO2-S3-LogBucketObjectLock": (
        "logging.object_lock_mode",
        "set logging.object_lock_mode: COMPLIANCE, or record the accepted risk of GOVERNANCE mode in the "
        "bio2 section (reason, approver, expiry) so the BIO2 gate reports it as an accepted risk",
    ),
}

Build = Callable[[Any, LandingZoneConfig], object]


def context_value(key: str) -> str | None:
    """A context value as the CDK CLI hands it to the app (``-c key=value``), before any App exists."""
    context: dict[str, Any] = {}
    try:
        raw = os.environ.get("CDK_CONTEXT_JSON")
        if raw:
            context.update(json.loads(raw))
        overflow = os.environ.get("CONTEXT_OVERFLOW_LOCATION_ENV")
        if overflow and os.path.isfile(overflow):
            with open(overflow, encoding="utf-8") as fh:
                context.update(json.load(fh))
    except (OSError, ValueError):
        return None
    value = context.get(key)
    return str(value) if value else None


def config_path(announce: bool = False) -> str | None:
    """The configuration file every command builds (:func:`landing_zone.config_source.choose_config`:
    ``-c config=PATH``, ``LZ_CONFIG``, the file ``make synth CONFIG=...`` remembered, the root
    ``landing-zone.yaml``); None for the embedded example. ``announce`` prints the one stderr line
    that says when the choice was not named on the command line."""
    from landing_zone.config_source import choose_config

    choice = choose_config(context_value("config"))
    if announce:
        choice.announce()
    return choice.path


def _default_build(app: Any, config: LandingZoneConfig) -> object:
    from landing_zone.app import build_app

    # the file the configuration came from is hashed into the BIO2 manifest's audit metadata
    return build_app(app, config, config_path=config_path() or DEFAULT_CONFIG_PATH)


def _report(problems: list[Problem], source: str, out: TextIO) -> None:
    print(ConfigError(problems, source).format(), file=out)


def _gate_problems(report: Path) -> list[Problem]:
    """The error-level violations of a failed validation report as problems at config paths."""
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    problems: list[Problem] = []
    for plugin in data.get("pluginReports", []):
        for violation in plugin.get("violations", []):
            rule = str(violation.get("ruleName", ""))
            constructs = [c.get("constructPath", "") for c in violation.get("violatingConstructs", [])]
            where, fix = RULE_CONFIG_PATHS.get(
                rule,
                (
                    "(configuration)",
                    f"change the configuration so that {rule} passes, or acknowledge it with a reason "
                    "(bio2 explain " + rule + " describes the rule)",
                ),
            )
            detail = f" ({', '.join(constructs[:3])}{', ...' if len(constructs) > 3 else ''})"
            problems.append(Problem(where, f"{violation.get('description', rule)} [{rule}]{detail}", fix))
    return problems


def _outdir_target() -> Path | None:
    target = os.environ.get("CDK_OUTDIR")
    return Path(target).resolve() if target else None


def _move_into_place(work: Path, target: Path) -> None:
    """Replace the content of ``target`` by ``work`` (lock files of the CDK CLI stay)."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in target.iterdir():
        if entry.name.endswith(".lock"):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in sorted(work.iterdir()):
        os.replace(entry, target / entry.name)
    work.rmdir()


def main(build: Build | None = None, *, stderr: TextIO | None = None) -> int:
    """Load the configuration, build the app with ``build(app, config)``, synthesize; 0 or 2."""
    err = stderr or sys.stderr
    path = config_path(announce=True)
    source = str(path or DEFAULT_CONFIG_PATH)
    try:
        config = load_config(path)
    except ConfigError as error:
        print(error.format(), file=err)
        return EXIT_INVALID
    for notice in notices(config):
        print(f"notice: {notice.path}: {notice.message}\n  fix: {notice.fix}", file=err)

    target = _outdir_target()
    work: Path | None = None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    done = False
    app = None
    try:
        from landing_zone.app import new_app

        app = new_app(outdir=str(work) if work else None)
        (build or _default_build)(app, config)
        app.synth()
        if work is not None and target is not None:
            _move_into_place(work, target)
        done = True
        return EXIT_OK
    except ConfigError as error:  # found while building (e.g. the pipeline's stage capacity)
        if error.source == "<string>":
            error.source = source
        print(error.format(), file=err)
        return EXIT_INVALID
    except Exception as error:  # every failure becomes a message, never a traceback
        outdir = Path(work) if work is not None else Path(getattr(app, "outdir", "") or ".")
        problems = (
            _gate_problems(outdir / "validation-report.json") if "ValidationFailed" in str(error) else []
        )
        if problems:
            _report(problems, source, err)
        else:
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            _report(
                [
                    Problem(
                        source,
                        "the landing zone could not be built from this configuration "
                        f"({type(error).__name__}: {first[:300]})",
                        f"run `python -m landing_zone.config validate {source}` and fix what it reports; "
                        "if it reports nothing, this is a defect of the landing zone: report it with the "
                        "configuration (LZ_DEBUG=1 shows the traceback)",
                    )
                ],
                source,
                err,
            )
        if os.environ.get("LZ_DEBUG"):
            traceback.print_exc(file=err)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    finally:
        if not done:
            if work is not None:
                shutil.rmtree(work, ignore_errors=True)
            elif app is not None and getattr(app, "outdir", None):
                shutil.rmtree(app.outdir, ignore_errors=True)
