"""``bio2 collect``: read what the deployed monitors report and write a new manifest.

Read-only: the calls are :data:`bio2_aspects.collect.sources.API_CALLS`. Run it with the
collection role the landing zone deploys in the security (audit) account
(``--role-arn arn:aws:iam::<security>:role/lz-bio2-evidence-collector``) or a profile that
assumes it. Progress goes to stderr; the manifest is written only when everything was read.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bio2_aspects.collect.sources import SOURCES, CollectError, collect

#: The name of the read-only role the landing zone deploys in the security account.
COLLECTOR_ROLE_NAME = "lz-bio2-evidence-collector"
_TIME = "%Y-%m-%dT%H:%M:%SZ"


def add_parser(sub: Any) -> None:
    c = sub.add_parser(
        "collect",
        help="merge run-time evidence (AWS Config, Security Hub, GuardDuty, Access Analyzer, Backup) "
        "into a new manifest (read-only AWS calls)",
        description="Read the organization conformance pack's compliance (Config aggregator), failed "
        "Security Hub control findings, open high-severity GuardDuty findings, active Access Analyzer "
        "findings and AWS Backup job and restore job results with read-only credentials of the "
        "security account, and write a new manifest in which every measure carries its run-time "
        "evidence; a measure whose monitors report NON_COMPLIANT is downgraded. Exit codes: 0 "
        "written, 2 bad input or AWS access problem (nothing written).",
    )
    c.add_argument("manifest", help="the manifest to start from (cdk.out/bio2/manifest.json)")
    c.add_argument(
        "--out", help="where to write the new manifest (default: manifest.runtime.json next to it)"
    )
    c.add_argument("--previous", help="the previous collected manifest (keeps 'since' of open findings)")
    c.add_argument("--profile", help="AWS profile (default: the standard credential chain)")
    c.add_argument("--role-arn", help=f"role to assume first, e.g. the landing zone's {COLLECTOR_ROLE_NAME}")
    c.add_argument("--home-region", help="region of the Config aggregator (default: AWS_REGION)")
    c.add_argument(
        "--regions", help="comma-separated regions to read (default: the regions of the manifest's templates)"
    )
    c.add_argument("--aggregator", help="name of the organization Config aggregator (default: the only one)")
    c.add_argument(
        "--sources", default=",".join(SOURCES), help=f"comma-separated subset of {','.join(SOURCES)}"
    )
    c.add_argument(
        "--collected-at",
        help="collection time recorded in audit.collection (YYYY-MM-DDTHH:MM:SSZ; default: the clock)",
    )
    c.add_argument("--backup-days", type=int, default=7, help="backup jobs of the last N days (default 7)")
    c.add_argument(
        "--restore-days", type=int, default=400, help="restore jobs of the last N days (default 400)"
    )
    c.add_argument(
        "--prowler",
        action="append",
        default=[],
        metavar="OCSF_JSON",
        help="also read Prowler's OCSF JSON output (json-ocsf) for the checks of the table's prowler_checks; "
        "repeatable; with --sources '' only these files are read",
    )
    c.add_argument("--quiet", action="store_true", help="no progress on stderr")
    c.set_defaults(func=run)


def boto_clients(profile: str | None, role_arn: str | None) -> Any:
    """A cached client factory with adaptive retries (client-side rate limiting and backoff on
    throttling) for ``(service, region)``."""
    import boto3
    from botocore.config import Config

    session = boto3.Session(profile_name=profile)
    if role_arn:
        creds = session.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="bio2-collect")[
            "Credentials"
        ]
        session = boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
    config = Config(retries={"mode": "adaptive", "max_attempts": 10}, user_agent_extra="bio2-collect")
    cache: dict[tuple[str, str], Any] = {}

    def clients(service: str, region: str) -> Any:
        key = (service, region)
        if key not in cache:
            cache[key] = session.client(service, region_name=region, config=config)
        return cache[key]

    return clients


def _fail(message: str, fix: str) -> int:
    print(f"error: {message}\n  fix: {fix}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace, clients: Any = None) -> int:
    from bio2_aspects.cli import MANIFEST_FIX, _load_manifest
    from bio2_aspects.evidence.models import manifest_data

    try:
        # validated into the model (a clear error, never a KeyError); merged as its data
        manifest = manifest_data(_load_manifest(args.manifest))
        previous = manifest_data(_load_manifest(args.previous)) if args.previous else None
    except ValueError as exc:
        return _fail(str(exc), MANIFEST_FIX)
    if args.collected_at:
        try:
            datetime.strptime(args.collected_at, _TIME)
        except ValueError:
            return _fail(
                f"--collected-at {args.collected_at!r} is not YYYY-MM-DDTHH:MM:SSZ",
                "e.g. 2026-12-06T06:00:00Z",
            )
        collected_at, source = args.collected_at, "argument"
    else:
        collected_at, source = datetime.now(UTC).strftime(_TIME), "clock"
    home = args.home_region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if not home:
        return _fail(
            "no home region", "pass --home-region (the region of the Config aggregator) or set AWS_REGION"
        )
    if args.regions:
        regions = sorted({r.strip() for r in args.regions.split(",") if r.strip()})
    else:
        regions = sorted({str(t["region"]) for t in manifest.get("templates", []) if t.get("region")})
    sources = [s.strip() for s in args.sources.split(",") if s.strip()]
    unknown = [s for s in sources if s not in SOURCES]
    if unknown:
        return _fail(f"--sources: unknown {', '.join(unknown)}", f"use a subset of {','.join(SOURCES)}")
    out = Path(args.out) if args.out else Path(args.manifest).with_name("manifest.runtime.json")

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"bio2 collect: {message}", file=sys.stderr, flush=True)

    try:
        if clients is None and sources:
            try:
                import boto3  # noqa: F401
            except ImportError:
                return _fail("boto3 is not installed", "pip install 'bio2-landing-zone[collect]' (or boto3)")
            clients = boto_clients(args.profile, args.role_arn)
        observations = collect(
            clients,
            home_region=home,
            regions=regions,
            collected_at=collected_at,
            aggregator=args.aggregator,
            sources=sources,
            backup_days=args.backup_days,
            restore_days=args.restore_days,
            progress=progress,
        )
        if args.prowler:
            from bio2_aspects.collect.prowler import read_ocsf

            found = read_ocsf(args.prowler)
            progress(f"prowler: {len(found)} results of mapped checks in {len(args.prowler)} file(s)")
            observations = sorted(
                set(observations) | set(found), key=lambda o: (o.key, o.compliance, o.observed_at, o.detail)
            )
    except CollectError as exc:
        return _fail(str(exc), "see docs/auditor-guide.md, 'Run-time evidence'")
    except Exception as exc:  # botocore: no credentials, access denied, endpoint... never a traceback
        if type(exc).__module__.split(".")[0] not in ("botocore", "boto3"):
            raise
        return _fail(
            f"AWS: {exc}",
            f"use read-only credentials of the security account: --role-arn of {COLLECTOR_ROLE_NAME} "
            "or a --profile that assumes it",
        )
    from bio2_aspects.collect.merge import merge_observations
    from bio2_aspects.evidence.common import manifest_bytes, write_file

    merged = merge_observations(
        manifest,
        observations,
        collection={
            "collected_at": collected_at,
            "collected_at_source": source,
            "home_region": home,
            "regions": regions,
            "sources": sorted(sources + (["prowler"] if args.prowler else [])),
        },
        previous=previous,
    )
    data = manifest_bytes(merged)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        write_file(tmp, data)
        tmp.replace(out)
    except OSError as exc:
        return _fail(f"cannot write {out}: {exc.strerror or exc}", "pass a writable --out path")
    downgraded = merged["audit"]["collection"]["measures_downgraded"]
    progress(
        f"{len(observations)} observations, {merged['audit']['collection']['non_compliant']} non-compliant; "
        f"downgraded: {', '.join(downgraded) or 'none'}"
    )
    print(out)
    return 0
