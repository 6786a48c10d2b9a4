"""``python -m landing_zone.pipeline bootstrap``: bootstrap every landing-zone account and region.

Writes the platform bootstrap template (``cdk.out.bootstrap/lz-cdk-bootstrap.template.json``) and
runs ``cdk bootstrap --template ...`` for every account and region that holds a landing-zone
stack, the deployment account first. ``--dry-run`` only prints what it would write and run;
``--synth-only`` writes the template and prints the commands. The configuration is chosen as for
every other command (``--config``, ``LZ_CONFIG``, the file ``make synth`` remembered,
``landing-zone.yaml``, else the embedded example). See docs/deploy.md.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
DEFAULT_OUTDIR = Path("cdk.out.bootstrap")
#: The pinned CDK CLI of the project (package.json), run with the project's Node.js.
PINNED_CDK = (".venv/bin/node", "node_modules/aws-cdk/bin/cdk")


def _bootstrap(args: argparse.Namespace) -> int:
    from landing_zone.config import ConfigError, load_config
    from landing_zone.config_source import choose_config

    choice = choose_config(args.config)
    choice.announce()
    try:
        config = load_config(choice.path)
    except ConfigError as error:
        print(error.format(), file=sys.stderr)
        return EXIT_INVALID

    from landing_zone.pipeline import deployment_account
    from landing_zone.pipeline.bootstrap import TOOLKIT_STACK_NAME, bootstrap_app, bootstrap_commands

    template = args.outdir / f"{TOOLKIT_STACK_NAME}.template.json"
    commands = bootstrap_commands(config, str(template), profile=args.profile)
    deployer = deployment_account(config)
    header = [
        f"# Platform bootstrap of {config.organisation_name}: qualifier lzbio2, every account trusts "
        f"{deployer.name} ({deployer.id}) only",
        "# cdk = the pinned CLI: .venv/bin/node node_modules/aws-cdk/bin/cdk",
    ]
    if args.dry_run:
        print("\n".join([*header, f"# would write {template}", *commands]))
        return EXIT_OK
    bootstrap_app(config, str(args.outdir)).synth()
    print("\n".join([*header, f"# wrote {template}", *commands]))
    if args.synth_only:
        return EXIT_OK
    env = {**os.environ, "CDK_DISABLE_CLI_TELEMETRY": "true"}
    for command in commands:
        argv = [*PINNED_CDK, *shlex.split(command)[1:]]
        print(f"+ {command}", file=sys.stderr, flush=True)
        if subprocess.run(argv, env=env, check=False).returncode != 0:
            print(f"bootstrap stopped: '{command}' failed; fix it and run again", file=sys.stderr)
            return EXIT_FAILED
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m landing_zone.pipeline", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    boot = commands.add_parser("bootstrap", help="bootstrap every landing-zone account and region (lzbio2)")
    boot.add_argument("--config", help="landing-zone.yaml (default: as every command chooses it)")
    boot.add_argument(
        "--dry-run", action="store_true", help="print what would be written and run; do nothing"
    )
    boot.add_argument(
        "--synth-only", action="store_true", help="write the template and print the commands; run nothing"
    )
    boot.add_argument("--outdir", type=Path, default=DEFAULT_OUTDIR, help=f"default {DEFAULT_OUTDIR}")
    boot.add_argument(
        "--profile",
        help="AWS CLI profile per account, with {account} for the account name, e.g. 'lz-{account}'",
    )
    args = parser.parse_args(argv)
    return _bootstrap(args)


if __name__ == "__main__":
    sys.exit(main())
