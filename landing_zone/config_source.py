"""Which configuration every command builds.

One organisation per project directory: ``make synth``, ``cdk synth|ls|diff|deploy`` and the
pipeline build it from the same file, chosen in this order:

1. ``-c config=PATH`` (CDK context) or ``make synth CONFIG=PATH``;
2. the ``LZ_CONFIG`` environment variable;
3. the file that the last ``make synth CONFIG=PATH`` remembered in ``landing-zone.local.json``
   (git-ignored; ``make synth`` without ``CONFIG`` forgets it);
4. ``landing-zone.yaml`` in the project directory;
5. the embedded example (a fictional municipality).

The chosen source is announced on stderr in one line whenever it is not named on the command line
(the remembered file, or the embedded example), so no command silently builds another organisation.

Command line (used by the Makefile)::

    python -m landing_zone.config_source prepare [PATH]  # validate, remember PATH (or forget); 2 on problems
    python -m landing_zone.config_source which           # the configuration the CDK commands build here
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

#: The configuration at the project root, picked up when present.
ROOT_CONFIG = "landing-zone.yaml"
#: Written by ``make synth CONFIG=PATH`` so that later CDK CLI commands build the same organisation.
REMEMBERED = "landing-zone.local.json"
ENV_VAR = "LZ_CONFIG"

EXIT_OK, EXIT_INVALID = 0, 2


@dataclass(frozen=True)
class ConfigChoice:
    """The configuration file to load (None: the embedded example) and where that choice came from."""

    path: str | None
    source: str  # context | env | remembered | root | example

    def announcement(self) -> str | None:
        """One stderr line when the choice is not the one named on the command line, else None."""
        if self.source == "example":
            return (
                "landing-zone: no configuration given: using the embedded example (Gemeente Voorbeeldstad); "
                f"create {ROOT_CONFIG}, set {ENV_VAR} or pass -c config=PATH"
            )
        if self.source == "remembered":
            return (
                f"landing-zone: using {self.path} (remembered by make synth CONFIG=... in {REMEMBERED}; "
                "make synth without CONFIG forgets it)"
            )
        return None

    def announce(self) -> None:
        line = self.announcement()
        if line:
            print(line, file=sys.stderr)


def remembered_path(project_dir: Path) -> str | None:
    """The configuration remembered by the last ``make synth CONFIG=PATH`` in ``project_dir``."""
    file = project_dir / REMEMBERED
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("config") if isinstance(data, dict) else None
    return str(value) if value else None


def choose_config(
    context_value: str | None = None,
    environ: Mapping[str, str] | None = None,
    project_dir: str | os.PathLike[str] | None = None,
) -> ConfigChoice:
    """The configuration to build, in the order of the module docstring."""
    env = os.environ if environ is None else environ
    directory = Path(project_dir) if project_dir is not None else Path.cwd()
    if context_value:
        return ConfigChoice(context_value, "context")
    if env.get(ENV_VAR):
        return ConfigChoice(env[ENV_VAR], "env")
    remembered = remembered_path(directory)
    if remembered:
        return ConfigChoice(remembered, "remembered")
    if (directory / ROOT_CONFIG).is_file():
        return ConfigChoice(str(directory / ROOT_CONFIG), "root")
    return ConfigChoice(None, "example")


def prepare(path: str | None, project_dir: Path) -> int:
    """Validate the configuration ``make synth`` builds; remember an explicit ``path`` (or forget).

    Nothing is written when the configuration has problems (exit 2).
    """
    from landing_zone.config import ConfigError, load_config

    if path:
        path = str(Path(path).resolve())
    # the remembered file is not consulted: make synth decides afresh what it builds
    choice = choose_config(path, project_dir=project_dir) if path else _without_memory(project_dir)
    try:
        config = load_config(choice.path)
    except ConfigError as error:
        print(error.format(), file=sys.stderr)
        return EXIT_INVALID
    file = project_dir / REMEMBERED
    if path:
        payload = {
            "config": path,
            "written_by": "make synth CONFIG=...",
            "organisation": config.organisation_name,
        }
        file.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    else:
        file.unlink(missing_ok=True)
    # no announcement here: the app that make synth runs next announces the example in one line
    where = choice.path or "the embedded example"
    print(f"configuration: {where} ({config.organisation_name}): OK")
    return EXIT_OK


def _without_memory(project_dir: Path) -> ConfigChoice:
    choice = choose_config(None, project_dir=project_dir)
    if choice.source != "remembered":
        return choice
    root = project_dir / ROOT_CONFIG
    return ConfigChoice(str(root), "root") if root.is_file() else ConfigChoice(None, "example")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m landing_zone.config_source",
        description="Which configuration the landing-zone commands build.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    prep = commands.add_parser("prepare", help="validate the configuration make synth builds and remember it")
    prep.add_argument("path", nargs="?", help="landing-zone.yaml to build (default: see 'which')")
    commands.add_parser("which", help="print the configuration the CDK CLI commands build here")
    args = parser.parse_args(argv)
    project_dir = Path.cwd()
    if args.command == "prepare":
        return prepare(args.path, project_dir)
    choice = choose_config(None, project_dir=project_dir)
    print(f"{choice.path or 'the embedded example'} (source: {choice.source})")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
