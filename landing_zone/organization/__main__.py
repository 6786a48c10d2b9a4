"""``python -m landing_zone.organization placement [landing-zone.yaml]``: print the placement script."""

from __future__ import annotations

import argparse
import sys

from landing_zone.config import ConfigError, load_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m landing_zone.organization", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    placement = commands.add_parser("placement", help="print the script that moves accounts into their OUs")
    placement.add_argument("config", nargs="?", help="landing-zone.yaml (default: the embedded example)")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as err:
        print(err.format(), file=sys.stderr)
        return 2
    from landing_zone.organization.placement import placement_script

    sys.stdout.write(placement_script(config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
