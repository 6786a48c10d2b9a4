"""Time the evidence writing of one synth (``writer.write_evidence``) on a large manifest.

``python -m benchmarks.evidence_export [MANIFEST] [--runs 3] [--resources 2000] [--stacks 8]``

Without ``MANIFEST`` an app-sized cloud assembly is made in a temporary directory: the
CloudFormation templates that ``benchmarks.scale_app`` synthesizes (2,000 resources over 8
stacks; written here directly, without the CDK), evaluated by the real engine into a manifest
the way ``Bio2`` does after a synth. Its templates sit beside the evidence directory, so the
SARIF exporter reads them for line numbers, as on a real synth. With ``MANIFEST`` (a
``manifest.json``) that manifest is used; its templates are used when they are next to it as in
``cdk.out/bio2/manifest.json``.

Printed per step (``manifest.json``, then each default exporter): CPU time (``process_time``)
and wall time, the first call in this process (``cold``: it includes the imports, such as
XlsxWriter and compliance-trestle) and the median of ``--runs`` further calls (``warm``); then
``write_evidence`` as a whole, warm. This is a benchmark, not a test: it reports, it never fails
on a slow machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ACCOUNT, REGION = "123456789012", "eu-central-1"


# ------------------------------------------------------------------ a synthetic assembly


def _lid(path: str) -> str:
    """A CDK-style logical ID: the path without separators and an 8-hex-digit hash."""
    parts = [p for p in path.split("/")[1:] if p not in ("Resource", "Default")]
    return "".join(parts) + hashlib.md5(path.encode(), usedforsecurity=False).hexdigest()[:8].upper()


def _unit(stack: str, i: int) -> dict[str, dict[str, Any]]:
    """The resources one ``benchmarks.scale_app.build_unit`` adds, with CDK's defaults."""
    out: dict[str, dict[str, Any]] = {}

    def add(path: str, rtype: str, props: dict[str, Any] | None = None, **extra: Any) -> str:
        full = f"{stack}/{path}"
        lid = _lid(full)
        res: dict[str, Any] = {"Type": rtype}
        if props:
            res["Properties"] = props
        res.update(extra)
        res["Metadata"] = {"aws:cdk:path": full}
        out[lid] = res
        return lid

    retain = {"UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain"}
    bucket = add(
        f"Data{i}/Resource",
        "AWS::S3::Bucket",
        {"VersioningConfiguration": {"Status": "Enabled"}} if i % 2 == 0 else None,
        **retain,
    )
    arn = {"Fn::GetAtt": [bucket, "Arn"]}
    add(
        f"Data{i}/Policy/Resource",
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": bucket},
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": "s3:*",
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        "Effect": "Deny",
                        "Principal": {"AWS": "*"},
                        "Resource": [arn, {"Fn::Join": ["", [arn, "/*"]]}],
                    }
                ],
                "Version": "2012-10-17",
            },
        },
    )
    delete = {"UpdateReplacePolicy": "Delete", "DeletionPolicy": "Delete"}
    queue = add(f"Queue{i}/Resource", "AWS::SQS::Queue", {"VisibilityTimeout": 60}, **delete)
    add(f"Topic{i}/Resource", "AWS::SNS::Topic")
    table = add(
        f"Table{i}/Resource",
        "AWS::DynamoDB::Table",
        {
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        },
        **retain,
    )
    add(f"Logs{i}/Resource", "AWS::Logs::LogGroup", {"RetentionInDays": 365}, **retain)
    role = add(
        f"Role{i}/Resource",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Action": "sts:AssumeRole",
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                    }
                ],
                "Version": "2012-10-17",
            }
        },
    )
    add(
        f"Role{i}/DefaultPolicy/Resource",
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": ["s3:GetObject*", "s3:GetBucket*", "s3:List*"],
                        "Effect": "Allow",
                        "Resource": [arn],
                    },
                    {
                        "Action": ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
                        "Effect": "Allow",
                        "Resource": {"Fn::GetAtt": [queue, "Arn"]},
                    },
                    {
                        "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"],
                        "Effect": "Allow",
                        "Resource": [{"Fn::GetAtt": [table, "Arn"]}],
                    },
                ],
                "Version": "2012-10-17",
            },
            "PolicyName": _lid(f"{stack}/Role{i}/DefaultPolicy"),
            "Roles": [{"Ref": role}],
        },
    )
    add(f"Dlq{i}/Resource", "AWS::SQS::Queue", **delete)
    add(f"Alerts{i}/Resource", "AWS::SNS::Topic")
    return out


def write_assembly(outdir: Path, resources: int = 2000, stacks: int = 8) -> list[Path]:
    """Templates and ``manifest.json`` of a cloud assembly like ``benchmarks.scale_app``'s."""
    outdir.mkdir(parents=True, exist_ok=True)
    units = max(1, resources // 10)
    per_stack = -(-units // stacks)
    paths, artifacts = [], {}
    for s in range(stacks):
        name = f"Workload{s}"
        res: dict[str, Any] = {}
        for i in range(s * per_stack, min(units, (s + 1) * per_stack)):
            res.update(_unit(name, i))
        template = {
            "Resources": res,
            "Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>"}},
        }
        path = outdir / f"{name}.template.json"
        path.write_text(json.dumps(template, indent=1), encoding="utf-8")
        paths.append(path)
        artifacts[name] = {
            "type": "aws:cloudformation:stack",
            "environment": f"aws://{ACCOUNT}/{REGION}",
            "properties": {"templateFile": path.name},
            "displayName": name,
        }
    (outdir / "manifest.json").write_text(
        json.dumps({"version": "38.0.1", "artifacts": artifacts}, indent=1), encoding="utf-8"
    )
    return paths


def synthetic_manifest(outdir: Path, resources: int = 2000, stacks: int = 8) -> dict[str, Any]:
    """The manifest ``Bio2`` writes after synthesizing that assembly (as ``pack.Bio2Pack.validate``)."""
    from bio2_aspects.assembly import read_assembly
    from bio2_aspects.catalog import load_catalog
    from bio2_aspects.engine import RuleSet, evaluate_templates
    from bio2_aspects.evidence.manifest import build_manifest
    from bio2_aspects.scope import Owner, Scope

    paths = write_assembly(outdir, resources, stacks)
    rules = RuleSet()
    scope = Scope(
        organisation="Gemeente Voorbeeld",
        owners=(
            Owner(scope="technological", owner="Cloud Platform Team", contact="platform@example.org"),
            Owner(scope="organisational", owner="CISO", contact="ciso@example.org"),
        ),
    )
    stacks_read = read_assembly([str(p) for p in paths], outdir)
    return build_manifest(evaluate_templates(stacks_read, rules), load_catalog(), rules, scope, "BIO2")


# ------------------------------------------------------------------ timing


def _time(fn: Callable[[], Any]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def _median(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def run(manifest: dict[str, Any], evidence_dir: Path, runs: int = 3) -> dict[str, Any]:
    """Cold and warm timings per step, and of ``write_evidence`` as a whole."""
    from bio2_aspects.evidence.writer import default_exporters, write_evidence

    try:
        from bio2_aspects.evidence.common import manifest_bytes
    except ImportError:  # an older revision, for a before/after comparison
        from bio2_aspects.evidence.manifest import dumps

        def manifest_bytes(manifest: dict[str, Any]) -> bytes:
            return dumps(manifest).encode("utf-8")

    evidence_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(manifest_bytes(manifest)).hexdigest()
    try:
        exporters = default_exporters(known_digest=(manifest, digest))
    except TypeError:  # an older revision: the exporters hash the manifest once themselves
        exporters = default_exporters()

    def manifest_json() -> None:
        data = manifest_bytes(manifest)
        (evidence_dir / "manifest.json").write_bytes(data)
        hashlib.sha256(data).hexdigest()

    steps: list[tuple[str, Callable[[], Any]]] = [("manifest.json", manifest_json)]
    try:  # the exporters read the manifest model, validated once by write_evidence
        from bio2_aspects.evidence.models import as_manifest

        model = as_manifest(manifest)
        steps.append(("validate", lambda: as_manifest(manifest)))
        exporters = default_exporters(known_digest=(model, digest))
    except ImportError:  # an older revision: the exporters read the dict
        model = manifest
    for export in exporters:
        name = getattr(export, "__name__", "?").removeprefix("export_").lstrip("_")
        steps.append((name, lambda export=export: export(model, evidence_dir)))
    result: dict[str, Any] = {"steps": {}}
    for name, fn in steps:
        cold = _time(fn)
        warm = _median([_time(fn) for _ in range(runs)])
        result["steps"][name] = {"cold": cold, "warm": warm}
    result["write_evidence"] = _median(
        [_time(lambda: write_evidence(manifest, evidence_dir)) for _ in range(runs)]
    )
    return result


def _describe(manifest: dict[str, Any]) -> str:
    items = sum(len(m.get("evidence", [])) for m in manifest.get("measures", []))
    size = len(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False).encode()) / 1e6
    return (
        f"{len(manifest.get('resources', []))} resources in {len(manifest.get('templates', []))} templates, "
        f"{items} evidence items, {len(manifest.get('violations', []))} violations, manifest {size:.1f} MB"
    )


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("manifest", nargs="?", type=Path, help="a manifest.json (default: a synthetic app)")
    p.add_argument("--runs", type=int, default=3, help="warm runs per step (median), default 3")
    p.add_argument("--resources", type=int, default=2000, help="synthetic app: resources (default 2000)")
    p.add_argument("--stacks", type=int, default=8, help="synthetic app: stacks (default 8)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON as well")
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bio2-evidence-bench-") as tmp:
        assembly = Path(tmp) / "cdk.out"
        if args.manifest is None:
            t0 = time.perf_counter()
            manifest = synthetic_manifest(assembly, args.resources, args.stacks)
            source = f"synthetic app (built in {time.perf_counter() - t0:.1f} s)"
        else:
            manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
            source = str(args.manifest)
            assembly.mkdir()
            found = args.manifest.resolve().parent.parent
            for tp in manifest.get("templates", []):
                if (found / tp["file"]).is_file():
                    target = assembly / tp["file"]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.symlink(found / tp["file"], target)
        res = run(manifest, assembly / "bio2", args.runs)

    print(f"evidence export: {source}")
    print(f"  {_describe(manifest)}")
    print(f"  python {sys.version.split()[0]}, warm = median of {args.runs} runs; seconds\n")
    print(f"  {'step':<15} {'warm cpu':>9} {'warm wall':>10} {'cold cpu':>9} {'cold wall':>10}")
    for name, r in res["steps"].items():
        (wc, ww), (cc, cw) = r["warm"], r["cold"]
        print(f"  {name:<15} {wc:9.3f} {ww:10.3f} {cc:9.3f} {cw:10.3f}")
    steps_cpu = sum(r["warm"][0] for r in res["steps"].values())
    print(f"  {'sum of steps':<15} {steps_cpu:9.3f}")
    cpu, wall = res["write_evidence"]
    print(f"\n  write_evidence (manifest.json + every default exporter): cpu {cpu:.3f} s, wall {wall:.3f} s")
    if args.json:
        print(json.dumps({"source": source, **res}, indent=2))


if __name__ == "__main__":
    main()
