"""A synthetic app of ordinary CDK L2 constructs, for synth-time benchmarks.

It is written the way app teams write CDK code (defaults, a few options), not to pass the BIO2
rules, so the engine has real violations to record. ``python -m benchmarks.scale_app MODE N``
synthesizes it once in a fresh process and prints a JSON line with the timing.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

#: plain CDK; Bio2 with tags from its stack synthesizer (its default reports: manifest, summary,
#: SARIF); the same writing the full auditor report set (``reports="all"``, as the landing zone
#: does); Bio2 with tags through the construct tree (apps that keep CDK's own synthesizers); Bio2
#: without tags; cdk-nag's AwsSolutions pack.
MODES = ("plain", "bio2", "bio2-all", "bio2-tree", "bio2-notags", "awssolutions")
RESOURCES_PER_UNIT = 10  # see build_unit: the CFN resources one unit adds (measured, see tests)


def build_unit(stack, i: int) -> None:
    from aws_cdk import Duration, RemovalPolicy
    from aws_cdk import aws_dynamodb as ddb
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_logs as logs
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_sns as sns
    from aws_cdk import aws_sqs as sqs

    bucket = s3.Bucket(stack, f"Data{i}", versioned=i % 2 == 0, enforce_ssl=True)  # bucket + policy
    queue = sqs.Queue(stack, f"Queue{i}", visibility_timeout=Duration.seconds(60))
    sns.Topic(stack, f"Topic{i}")
    table = ddb.Table(
        stack,
        f"Table{i}",
        partition_key=ddb.Attribute(name="pk", type=ddb.AttributeType.STRING),
        removal_policy=RemovalPolicy.RETAIN,
    )
    logs.LogGroup(stack, f"Logs{i}", retention=logs.RetentionDays.ONE_YEAR)
    role = iam.Role(stack, f"Role{i}", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))  # role
    bucket.grant_read(role)  # + policy
    queue.grant_send_messages(role)
    table.grant_read_data(role)
    sqs.Queue(stack, f"Dlq{i}")
    sns.Topic(stack, f"Alerts{i}")


def build_app(app, resources: int, stacks: int = 8):
    import aws_cdk as cdk

    units = max(1, resources // RESOURCES_PER_UNIT)
    per_stack = -(-units // stacks)
    made = 0
    for s in range(stacks):
        stack = cdk.Stack(
            app, f"Workload{s}", env=cdk.Environment(account="123456789012", region="eu-central-1")
        )
        for _ in range(per_stack):
            if made >= units:
                break
            build_unit(stack, made)
            made += 1
    return app


def run(mode: str, resources: int) -> dict:
    t0 = time.perf_counter()
    import aws_cdk as cdk

    t_import = time.perf_counter() - t0
    outdir = tempfile.mkdtemp(prefix=f"bench-{mode}-")
    if mode in ("bio2", "bio2-all"):  # tags written into the template JSON by the stack synthesizer
        from bio2_aspects.synthesizer import Bio2StackSynthesizer

        app = cdk.App(outdir=outdir, default_stack_synthesizer=Bio2StackSynthesizer())
    else:
        app = cdk.App(outdir=outdir)
    build_app(app, resources)
    if mode in ("bio2", "bio2-all", "bio2-tree", "bio2-notags"):
        from bio2_aspects import Bio2

        reports = "all" if mode == "bio2-all" else None
        Bio2(app, report_only=True, tag_resources=mode != "bio2-notags", reports=reports)
    elif mode == "awssolutions":
        from cdk_nag import AwsSolutionsChecks

        cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    elif mode != "plain":
        raise SystemExit(f"unknown mode {mode!r}: {', '.join(MODES)}")
    t1 = time.perf_counter()
    failed = False
    try:
        app.synth()
    except Exception as exc:  # cdk-nag fails the synth on its findings; the work is done by then
        failed = "ValidationFailed" in str(exc) or "Validation failed" in str(exc)
        if not failed:
            raise
    t_synth = time.perf_counter() - t1
    count = 0
    for name in os.listdir(outdir):
        if name.endswith(".template.json"):
            with open(os.path.join(outdir, name), encoding="utf-8") as fh:
                count += len(json.load(fh).get("Resources", {}))
    return {
        "mode": mode,
        "resources": count,
        "import_s": round(t_import, 3),
        "build_and_synth_s": round(time.perf_counter() - t0 - t_import, 3),
        "synth_s": round(t_synth, 3),
        "validation_failed": failed,
    }


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2000)))
