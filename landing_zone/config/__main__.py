"""Command line: ``python -m landing_zone.config validate|example|schema|docs``.

Exit status: 0 when all is well, 2 when the configuration has problems or the generated
documents are stale (``docs --check``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from landing_zone.config import docs
from landing_zone.config.checks import notices
from landing_zone.config.errors import ConfigError
from landing_zone.config.loader import DEFAULT_CONFIG_PATH, load_config

EXIT_OK, EXIT_INVALID = 0, 2


def _validate(path: str | None) -> int:
    try:
        cfg = load_config(path)
    except ConfigError as error:
        print(error.format(), file=sys.stderr)
        return EXIT_INVALID
    for notice in notices(cfg):
        print(f"notice: {notice.path}: {notice.message}\n  fix: {notice.fix}", file=sys.stderr)
    org = cfg.organization
    print(
        f"{path or DEFAULT_CONFIG_PATH}: OK: {cfg.organisation_name}, {len(org.accounts)} accounts in "
        f"{len(org.ou_paths())} OUs, {len(cfg.network.vpcs)} VPCs, home region {cfg.regions.home}, "
        f"allowed regions {', '.join(cfg.regions.allowed)}"
    )
    return EXIT_OK


def _docs(directory: Path, names: tuple[str, ...], check: bool) -> int:
    if check:
        stale = [path for path in docs.stale(directory) if path.name in names]
        for path in stale:
            print(f"{path}: out of date with the models; run: {docs.REGENERATE}", file=sys.stderr)
        return EXIT_INVALID if stale else EXIT_OK
    for path in docs.write(directory, names):
        print(f"wrote {path}")
    return EXIT_OK


def _default_out_dir() -> Path:
    """docs/ of the source checkout; for an installed package docs/ in the working directory, never a
    directory inside site-packages."""
    if (docs.DOCS_DIR.parent / "pyproject.toml").is_file():
        return docs.DOCS_DIR
    return Path.cwd() / "docs"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m landing_zone.config", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a landing-zone.yaml and list every problem")
    validate.add_argument("path", nargs="?", help="the file to check (default: the embedded example)")
    commands.add_parser("example", help="print the embedded example landing-zone.yaml")
    for name, help_text in (
        ("schema", f"regenerate docs/{docs.SCHEMA_FILE}"),
        ("docs", f"regenerate docs/{docs.SCHEMA_FILE} and docs/{docs.REFERENCE_FILE}"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument(
            "--out-dir",
            type=Path,
            default=_default_out_dir(),
            help="directory to write to (default: docs/ of the source checkout; ./docs when installed)",
        )
        command.add_argument(
            "--check", action="store_true", help="only report whether the files are up to date"
        )
    args = parser.parse_args(argv)

    if args.command == "validate":
        return _validate(args.path)
    if args.command == "example":
        sys.stdout.write(DEFAULT_CONFIG_PATH.read_text(encoding="utf-8"))
        return EXIT_OK
    names = (docs.SCHEMA_FILE,) if args.command == "schema" else (docs.SCHEMA_FILE, docs.REFERENCE_FILE)
    return _docs(args.out_dir, names, args.check)


if __name__ == "__main__":
    sys.exit(main())
