#!/usr/bin/env python3
"""CDK entry point: load the configuration, build the landing zone, check it against BIO2, synthesize.

The configuration comes from ``-c config=PATH``, else the ``LZ_CONFIG`` environment variable,
else the embedded default (a fictional municipality). A configuration with problems is reported
field by field on stderr and the process exits with code 2 before anything is written (the
configuration is read before the CDK App exists, because creating the App creates its output
directory).
"""

from __future__ import annotations

import json
import os
import sys

from landing_zone.config import ConfigError, load_config


def _context_value(key: str) -> str | None:
    """A context value as the CDK CLI hands it to the app (``-c key=value``), before any App exists."""
    context: dict = {}
    raw = os.environ.get("CDK_CONTEXT_JSON")
    if raw:
        context.update(json.loads(raw))
    overflow = os.environ.get("CONTEXT_OVERFLOW_LOCATION_ENV")
    if overflow and os.path.isfile(overflow):
        with open(overflow, encoding="utf-8") as fh:
            context.update(json.load(fh))
    value = context.get(key)
    return str(value) if value else None


def main() -> int:
    config_path = _context_value("config") or os.environ.get("LZ_CONFIG") or None
    try:
        config = load_config(config_path)
    except ConfigError as err:
        print(err.format(), file=sys.stderr)
        return 2

    from landing_zone.app import build_app, new_app
    from landing_zone.config import DEFAULT_CONFIG_PATH

    app = new_app()
    build_app(app, config, config_path=config_path or DEFAULT_CONFIG_PATH)
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
