#!/usr/bin/env python3
"""CDK entry point: load the configuration, build the landing zone, check it against BIO2, synthesize.

The configuration comes from ``-c config=PATH``, else the ``LZ_CONFIG`` environment variable,
else the embedded default (a fictional municipality). Every failure on user input (a
configuration with problems, a conflict found while building, a failed BIO2 gate) is reported
with the config path and a fix on stderr and the process exits with code 2, leaving no partial
output: :func:`landing_zone.entry.main` synthesizes into a temporary directory and moves it into
place only on success.
"""

from __future__ import annotations

import sys

from landing_zone.entry import main

if __name__ == "__main__":
    sys.exit(main())
