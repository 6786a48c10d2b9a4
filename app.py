#!/usr/bin/env python3
"""CDK entry point: load the configuration, build the landing zone, check it against BIO2, synthesize.

The configuration comes from ``-c config=PATH``, else the ``LZ_CONFIG`` environment variable,
else the embedded default (a fictional municipality). A configuration with problems is reported
field by field on stderr and the process exits with code 2 before anything is written.
"""

from __future__ import annotations

import os
import sys

from landing_zone.config import ConfigError, load_config


def main() -> int:
    import aws_cdk as cdk

    app = cdk.App()
    config_path = app.node.try_get_context("config") or os.environ.get("LZ_CONFIG") or None
    try:
        config = load_config(config_path)
    except ConfigError as err:
        print(err.format(), file=sys.stderr)
        return 2

    from landing_zone.app import build_app

    build_app(app, config)
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
