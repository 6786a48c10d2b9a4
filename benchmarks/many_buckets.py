"""How the rule engine's evaluation of one stack grows with its number of S3 buckets.

``python -m benchmarks.many_buckets [--sizes 100,400,1600] [--repeats 3]``

Builds one synthetic CloudFormation template per size (plain dicts, no CDK) with that many
buckets, each with its own ``AWS::S3::BucketPolicy`` (a ``Ref`` to the bucket, or for every fifth
bucket its literal ``BucketName``, in a ``Fn::Join`` ARN in the policy document), every bucket
logging its access to one of the log buckets (every tenth bucket), and one CloudTrail trail per
twenty buckets writing to a log bucket by name. The rules that relate a bucket to the other
resources of its template (``bucket_policies``, ``log_sources`` in ``bio2_aspects.rules.s3``) used to
read every policy and every log source for each bucket: work that grows with the square of the
number of buckets. Each template is evaluated in this process by ``engine.evaluate_templates``,
what the plugin runs on the synthesized templates, with every rule of the library.

Printed per size: the resources of the template, the median wall time of ``--repeats``
evaluations (after one warm-up evaluation of a small template), microseconds per bucket (constant when
the work grows linearly, growing with the size when it grows quadratically), the ratio to the
previous size, and a digest of the results (rule, resource, outcome, detail; equal digests on two
checkouts mean equal results). A benchmark, not a test: it reports, it never fails.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import statistics
import time
from typing import Any

ACCOUNT, REGION = "123456789012", "eu-central-1"


def _tls_deny(resources: list[Any]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Action": "s3:*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Resource": resources,
            }
        ],
    }


def template(buckets: int) -> dict[str, Any]:
    """One stack with ``buckets`` buckets, their policies, access logging and trails."""
    res: dict[str, Any] = {}
    logs = [f"LogBucket{i:05d}" for i in range(0, buckets, 10)]
    for i in range(buckets):
        lid = f"LogBucket{i:05d}" if i % 10 == 0 else f"Bucket{i:05d}"
        named = i % 5 == 0
        name = f"bio2-bench-{i:05d}"
        kms = {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}
        props: dict[str, Any] = {
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [kms]},
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "VersioningConfiguration": {"Status": "Enabled"},
            "Tags": [
                {"Key": "bio2:confidentiality", "Value": "high"},
                {"Key": "bio2:integrity", "Value": "high"},
                {"Key": "bio2:availability", "Value": "medium"},
            ],
        }
        if named:
            props["BucketName"] = name
        log_to = logs[(i // 10 + 1) % len(logs)]
        if log_to != lid:
            props["LoggingConfiguration"] = {"DestinationBucketName": {"Ref": log_to}, "LogFilePrefix": lid}
        if lid.startswith("LogBucket"):
            props["ObjectLockEnabled"] = True
            props["ObjectLockConfiguration"] = {
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 1095}},
            }
        res[lid] = {
            "Type": "AWS::S3::Bucket",
            "Properties": props,
            "UpdateReplacePolicy": "Retain",
            "DeletionPolicy": "Retain",
        }
        if named:
            target: Any = name
            arn: Any = {"Fn::Join": ["", ["arn:aws:s3:::", name]]}
        else:
            target = {"Ref": lid}
            arn = {"Fn::GetAtt": [lid, "Arn"]}
        res[f"{lid}Policy"] = {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": target,
                "PolicyDocument": _tls_deny([arn, {"Fn::Join": ["", [arn, "/*"]]}]),
            },
        }
    for i in range(0, buckets, 20):
        res[f"Trail{i:05d}"] = {
            "Type": "AWS::CloudTrail::Trail",
            "Properties": {
                "IsLogging": True,
                "S3BucketName": f"bio2-bench-{i:05d}",  # LogBucket{i}: named (i % 5 == 0)
                "EnableLogFileValidation": True,
                "IsMultiRegionTrail": True,
                "KMSKeyId": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/bench",
                "CloudWatchLogsLogGroupArn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:trail:*",
                "CloudWatchLogsRoleArn": f"arn:aws:iam::{ACCOUNT}:role/trail",
            },
        }
    return {"Resources": res}


def _stack(tpl: dict[str, Any]) -> Any:
    from bio2_aspects.assembly import StackTemplate

    text = json.dumps(tpl, sort_keys=True).encode()
    return StackTemplate(
        artifact_id="Bench",
        stack_name="Bench",
        template_file="Bench.template.json",
        template=tpl,
        sha256=hashlib.sha256(text).hexdigest(),
        account=ACCOUNT,
        region=REGION,
    )


def measure(buckets: int, repeats: int, rules: Any) -> tuple[int, float, list[float], str, dict[str, int]]:
    """(resources, median seconds, seconds of each repeat, digest of the results, outcomes)."""
    from bio2_aspects.engine import evaluate_templates

    tpl = template(buckets)
    stack = _stack(tpl)
    times: list[float] = []
    results: list[Any] = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        (evaluation,) = evaluate_templates([stack], rules)
        times.append(time.perf_counter() - start)
        results = evaluation.results
    digest = hashlib.sha256()
    outcomes: dict[str, int] = {}
    for res in results:
        digest.update(f"{res.rule.id}\0{res.logical_id}\0{res.result}\0{res.detail}\n".encode())
        outcomes[str(res.result)] = outcomes.get(str(res.result), 0) + 1
    return len(tpl["Resources"]), statistics.median(times), times, digest.hexdigest()[:12], outcomes


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="100,400,1600", help="numbers of buckets, comma-separated")
    p.add_argument("--repeats", type=int, default=3, help="timed evaluations per size (after one warm-up)")
    args = p.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    from bio2_aspects.engine import RuleSet, evaluate_templates

    rules = RuleSet()
    evaluate_templates([_stack(template(20))], rules)  # warm-up: imports, message catalogue, caches
    print(f"engine.evaluate_templates on one stack, median of {args.repeats} (after one warm-up)")
    head = f"{'buckets':>7} {'resources':>9} {'seconds':>9} {'us/bucket':>10} {'x prev':>7}"
    print(f"  {head}  digest        outcomes")
    prev: tuple[int, float] | None = None
    for n in sizes:
        count, median, _, digest, outcomes = measure(n, args.repeats, rules)
        ratio = f"{median / prev[1]:6.1f}x" if prev else f"{'':>7}"
        summary = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
        print(f"  {n:>7} {count:>9} {median:9.3f} {1e6 * median / n:10.0f} {ratio}  {digest}  {summary}")
        prev = (n, median)
    print("  (work that grows linearly keeps us/bucket constant; quadratic work grows it with the size)")


if __name__ == "__main__":
    main()
