"""cfn-guard with the AWS Control Tower proactive controls on the default landing zone.

The rules and the cfn-guard binary come from the PyPI package ``cdklabs.cdk-validator-cfnguard``
(a dev dependency): the test unpacks them from the package's jsii bundle and runs cfn-guard over
every written template, the member baseline's inline StackSet template included. The plugin's own
acknowledgements are unreliable (one acknowledgement marks the whole plugin passed), so findings are
read from cfn-guard's report and matched here, finding by finding, against
:data:`ACKNOWLEDGED`: every finding must be acknowledged with a reason that is true of the landing
zone, and every acknowledgement must still match a finding.
"""

from __future__ import annotations

import json
import platform
import re
import subprocess
import tarfile
from pathlib import Path

import pytest

#: (control, logical ID) -> why the finding is accepted.
ACKNOWLEDGED: dict[tuple[str, str], str] = {
    ("CT.S3.PR.2", "LogArchiveAccessLogs43707F3F"): (
        "The access-log bucket is the end of the access-log chain: logging it into itself would log "
        "every delivery of its own logs, endlessly; its changes are recorded by the organization trail."
    ),
    ("CT.S3.PR.4", "LogArchiveAccessLogs43707F3F"): (
        "No consumer reads the access logs as they arrive; changes to the bucket raise the "
        "log-archive-changes alert through the organization trail instead of bucket notifications."
    ),
    ("CT.S3.PR.9", "LogArchiveAccessLogs43707F3F"): (
        "S3 server access logging cannot deliver to a bucket with Object Lock (an AWS limitation); the "
        "bucket policy denies deleting objects and versions to every principal instead, and "
        "noncurrent versions are kept as long as current ones."
    ),
    ("CT.SQS.PR.1", "SiemExportDeadLetterQueue700BEAE3"): (
        "This queue is itself the dead-letter queue of the SIEM export; a dead-letter queue of a "
        "dead-letter queue would only move the same messages once more."
    ),
    ("CT.CLOUDWATCH.PR.1", "SecurityAlarmbreakglassactivityA6AD60B5"): (
        "The trail alarms notify through EventBridge: their 'CloudWatch Alarm State Change' events are "
        "forwarded to the security account's alert bus and its encrypted topics (one route for every "
        "alert), not through alarm actions."
    ),
    ("CT.GUARDDUTY.PR.1", "SecurityGuardDutyE8068D13"): (
        "S3 protection is on through the detector's Features (S3_DATA_EVENTS: ENABLED), which supersede "
        "the DataSources property; the rule only reads DataSources."
    ),
    ("CT.IAM.PR.3", "IdentityWorkloadBoundaryBC0DF6B1"): (
        "lz-workload-boundary is a permissions boundary: it grants nothing, it caps what workload roles "
        "and developers can ever be granted (NotAction excludes IAM, Organizations and Account), and "
        "its deny statements protect the landing zone."
    ),
    ("CT.LAMBDA.PR.3", "LzNetworkHelperFunctionC39EE3B6"): (
        "A CloudFormation custom-resource handler that only calls AWS control-plane APIs and the "
        "CloudFormation response URL; in a VPC it would depend on the network it is building."
    ),
    ("CT.LAMBDA.PR.3", "OrganizationBaselineAccountDefaultsFunction53ED729F"): (
        "A CloudFormation custom-resource handler of the member baseline that only calls AWS "
        "control-plane APIs (EBS default encryption, S3 account public access block); new accounts "
        "have no VPC of the landing zone when it runs."
    ),
    ("CT.CLOUDWATCH.PR.3", "OrganizationBaselineAccountDefaultsLogs972373AD"): (
        "The log group holds only the invocation log of the baseline's account-defaults handler (no "
        "workload data), encrypted by CloudWatch Logs; a customer managed key per member account and "
        "region for it would add a key to every account for no data worth it."
    ),
}
#: The same alarms, one acknowledgement per resource.
for _alarm in (
    "SecurityAlarmguardrailchanges9CD2E479",
    "SecurityAlarmidentitychangesF90EB11D",
    "SecurityAlarmrootactivity1A3A5679",
):
    ACKNOWLEDGED[("CT.CLOUDWATCH.PR.1", _alarm)] = ACKNOWLEDGED[
        ("CT.CLOUDWATCH.PR.1", "SecurityAlarmbreakglassactivityA6AD60B5")
    ]
#: The Inspector activation handlers and the data protection audit log (BIO2 8.08.04, 8.15.02).
ACKNOWLEDGED |= {
    ("CT.LAMBDA.PR.3", lid): (
        "A CloudFormation custom-resource handler that only calls the Inspector and Organizations "
        "control-plane APIs and the CloudFormation response URL; it needs no network of the landing zone."
    )
    for lid in (
        "SecurityInspectorHandlerFunction68C1BB7A",
        "SecurityInspectorDelegatedAdminHandlerFunction658F733C",
    )
}
ACKNOWLEDGED |= {
    ("CT.CLOUDWATCH.PR.3", lid): (
        "The log group holds only the invocation log of the Inspector activation handler (no workload "
        "data), encrypted by CloudWatch Logs with an AWS-owned key."
    )
    for lid in ("SecurityInspectorHandlerLogs884B00A8", "SecurityInspectorDelegatedAdminHandlerLogsB3D01ACE")
}
ACKNOWLEDGED[("CT.CLOUDWATCH.PR.3", "LogDataProtectionAuditFindingsEF31037C")] = (
    "The log group holds only the data protection audit findings (which identifier matched in which log "
    "group, never the matched value), encrypted by CloudWatch Logs; a customer managed key per member "
    "account and region for it would add a key to every account for no data worth it."
)

_BINARIES = {("Linux", "x86_64"): "ubuntu/x86_64", ("Linux", "aarch64"): "ubuntu/aarch64"}


@pytest.fixture(scope="module")
def guard(tmp_path_factory) -> tuple[Path, Path]:
    """(cfn-guard binary, Control Tower rules directory) unpacked from the package's jsii bundle."""
    package = pytest.importorskip("cdklabs.cdk_validator_cfnguard")
    binary = _BINARIES.get((platform.system(), platform.machine()))
    if binary is None:
        pytest.skip(f"no bundled cfn-guard binary for {platform.system()} {platform.machine()}")
    (bundle,) = sorted((Path(package.__file__).parent / "_jsii").glob("*.jsii.tgz"))
    target = tmp_path_factory.mktemp("cfn-guard")
    with tarfile.open(bundle) as archive:
        members = [
            m
            for m in archive.getmembers()
            if m.name == f"package/bin/{binary}/cfn-guard"
            or m.name.startswith("package/rules/control-tower/")
        ]
        archive.extractall(target, members=members, filter="data")
    executable = target / "package" / "bin" / binary / "cfn-guard"
    executable.chmod(0o755)
    return executable, target / "package" / "rules" / "control-tower" / "cfn-guard"


def _templates(outdir: Path, scratch: Path) -> list[Path]:
    files = sorted(outdir.glob("*.template.json"))
    for path in list(files):
        for resource in json.loads(path.read_text(encoding="utf-8"))["Resources"].values():
            if resource["Type"] == "AWS::CloudFormation::StackSet":
                body = scratch / f"stackset-{resource['Properties']['StackSetName']}.template.json"
                body.write_text(resource["Properties"]["TemplateBody"], encoding="utf-8")
                files.append(body)
    return files


def cfn_guard_findings(binary: Path, rules: Path, templates: list[Path]) -> set[tuple[str, str, str]]:
    """(control, template file name, logical ID) of every failed check."""
    data_args = [arg for path in templates for arg in ("--data", str(path))]
    run = subprocess.run(
        [
            str(binary),
            "validate",
            "--rules",
            str(rules),
            *data_args,
            "--output-format",
            "json",
            "--show-summary",
            "none",
            "--structured",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 19), run.stderr  # 19: validation failures found
    findings = set()
    for report in json.loads(run.stdout):
        for failure in report.get("not_compliant", []):
            text = json.dumps(failure)
            control = re.search(r"\[(CT\.[A-Z0-9]+\.PR\.\d+)\]", text)
            name = control.group(1) if control else failure["Rule"]["name"]
            for logical_id in sorted(set(re.findall(r'"/Resources/([^/"]+)', text))):
                findings.add((name, Path(report["name"]).name, logical_id))
    return findings


@pytest.fixture(scope="module")
def findings(guard, default_synth, tmp_path_factory):
    binary, rules = guard
    templates = _templates(default_synth.assembly_dir, tmp_path_factory.mktemp("stackset-bodies"))
    assert len(templates) >= 7
    return cfn_guard_findings(binary, rules, templates)


def test_every_control_tower_finding_is_acknowledged_with_a_reason(findings):
    open_ = sorted(f for f in findings if (f[0], f[2]) not in ACKNOWLEDGED)
    assert open_ == [], "unacknowledged cfn-guard (Control Tower proactive) findings"


def test_every_acknowledgement_still_matches_a_finding(findings):
    seen = {(control, lid) for control, _, lid in findings}
    assert sorted(set(ACKNOWLEDGED) - seen) == []


def test_every_key_limits_grants_to_aws_services(findings):
    # CT.KMS.PR.3 failed on every customer managed key before the shared key builder
    assert not [f for f in findings if f[0] == "CT.KMS.PR.3"]


def test_cfn_guard_is_not_vacuous(guard, tmp_path):
    binary, rules = guard
    bad = tmp_path / "bad.template.json"
    bad.write_text(
        json.dumps(
            {"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": False}}}}
        ),
        encoding="utf-8",
    )
    assert {f[0] for f in cfn_guard_findings(binary, rules, [bad])} >= {"CT.KMS.PR.1"}
