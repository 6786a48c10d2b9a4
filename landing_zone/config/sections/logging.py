"""``logging``: the organization trail, the immutable log archive and export to a SIEM."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from landing_zone.config.base import ConfigModel, Hint
from landing_zone.config.errors import Problem

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig

#: BIO2 8.18.02: logs of the use of system utilities stay available for investigation for half a
#: year. The organization trail records that use (API calls, sessions), so the archive may not keep
#: them shorter. 183 days = half of a leap year, rounded up.
MIN_RETENTION_DAYS = 183

#: Retention periods CloudWatch Logs accepts (RetentionInDays), at least one year: the BIO2 engine
#: asks for 365 days or more on every log group (rule BIO2-Logs-Retention).
CLOUDWATCH_RETENTION_DAYS: tuple[int, ...] = (365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)

DataEventType = Literal["s3", "lambda"]


class SiemExport(ConfigModel):
    """How logs reach the organisation's SIEM."""

    type: Literal["sqs", "firehose"] = Field(
        description=(
            "`sqs`: the SIEM reads new log objects from the archive bucket, notified through an SQS queue. "
            "`firehose`: a Firehose stream pushes CloudWatch Logs events to the SIEM's HTTPS endpoint."
        )
    )
    reader_arn: (
        Annotated[
            str,
            Field(pattern=r"^arn:aws:iam::[0-9]{12}:role/[\w+=,.@/-]+$"),
            Hint(expected="an IAM role ARN", example="arn:aws:iam::123456789012:role/siem-reader"),
        ]
        | None
    ) = Field(
        default=None,
        description="IAM role of the SIEM that may read the queue and the log objects (type `sqs`).",
    )
    endpoint_url: (
        Annotated[
            str,
            Field(pattern=r"^https://[^\s/]+(/\S*)?$"),
            Hint(expected="an https:// URL", example="https://siem.voorbeeldstad.example/ingest"),
        ]
        | None
    ) = Field(default=None, description="HTTPS endpoint the Firehose stream delivers to (type `firehose`).")
    secret_arn: (
        Annotated[
            str,
            Field(pattern=r"^arn:aws:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[\w/+=.@-]+$"),
            Hint(
                expected="an AWS Secrets Manager secret ARN",
                example="arn:aws:secretsmanager:eu-central-1:111111111111:secret:siem-endpoint-AbCdEf",
            ),
        ]
        | None
    ) = Field(
        default=None,
        description=(
            "Secrets Manager secret (in the management account, home region) that holds the access key "
            "the SIEM endpoint expects (type `firehose`). Leave out when the endpoint needs no key."
        ),
    )


#: CloudWatch Logs managed data identifiers that find credentials and private keys: the data in a
#: log record that could break security (BIO2 8.15.02). A data protection policy always names them.
CREDENTIAL_IDENTIFIERS: tuple[str, ...] = (
    "AwsSecretKey",
    "OpenSshPrivateKey",
    "PgpPrivateKey",
    "PkcsPrivateKey",
    "PuttyPrivateKey",
)
#: Managed data identifiers without a country code (CloudWatch Logs documentation).
GLOBAL_IDENTIFIERS: frozenset[str] = frozenset(
    {
        *CREDENTIAL_IDENTIFIERS,
        "Address",
        "CreditCardExpiration",
        "CreditCardNumber",
        "CreditCardSecurityCode",
        "DateOfBirth",
        "EmailAddress",
        "IpAddress",
        "LatLong",
        "Name",
        "VehicleIdentificationNumber",
    }
)
#: Managed data identifiers that take a country code (``DriversLicense-NL``).
COUNTRY_IDENTIFIERS: frozenset[str] = frozenset(
    {
        "BankAccountNumber",
        "DriversLicense",
        "HealthInsuranceCardNumber",
        "NationalIdentificationNumber",
        "PassportNumber",
        "PhoneNumber",
        "TaxId",
    }
)


class DataProtectionSettings(ConfigModel):
    """A CloudWatch Logs data protection policy in every account and allowed region."""

    enabled: bool = Field(
        default=True,
        description=(
            "An account-wide CloudWatch Logs data protection policy (every member account and allowed "
            "region, and the management account) that finds the data identifiers below in every log "
            "event, reports them to the audit log group `/aws/vendedlogs/lz-data-protection-audit` and "
            "masks them for every reader without `logs:Unmask` (BIO2 8.15.02)."
        ),
    )
    data_identifiers: tuple[str, ...] = Field(
        default=(
            *CREDENTIAL_IDENTIFIERS,
            "EmailAddress",
            "CreditCardNumber",
            "DriversLicense-NL",
            "HealthInsuranceCardNumber-EU",
        ),
        description=(
            "CloudWatch Logs managed data identifiers to audit and mask. The credential identifiers "
            f"({', '.join(CREDENTIAL_IDENTIFIERS)}) are always required. Country-specific ones take a "
            "two-letter code, such as `DriversLicense-NL`. AWS has no managed identifier for the Dutch "
            "citizen service number (BSN); keep BSNs out of logs in the application."
        ),
    )


class LoggingSection(ConfigModel):
    """Central logging in the log-archive account."""

    retention_days: int = Field(
        default=1095,
        ge=1,
        le=36500,
        description=(
            "Days the log archive keeps every log file under S3 Object Lock; the files expire after that. "
            "At least 183: BIO2 8.18.02 keeps logs of the use of system utilities available for half a "
            "year. The default, three years, follows 8.15.04 (a risk-based term that allows for attackers "
            "who stay inside unnoticed for a long time) and 5.28.01 (logs of an incident are kept three "
            "years): an intrusion found up to three years late can still be traced back to its start, "
            "and its logs still exist when the incident is registered (put a legal hold on them then). "
            "See docs/logging.md."
        ),
    )
    object_lock_mode: Literal["COMPLIANCE", "GOVERNANCE"] = Field(
        default="COMPLIANCE",
        description=(
            "S3 Object Lock mode of the log archive. COMPLIANCE: nobody, not even the root user, can "
            "delete or shorten retention. GOVERNANCE: specially authorised users can, so the archive "
            "no longer proves that logs stay unaltered (BIO2 reports a violation)."
        ),
    )
    glacier_after_days: int | None = Field(
        default=90,
        ge=1,
        description=(
            "Days after which log files move to S3 Glacier Instant Retrieval (cheaper, still readable "
            "in milliseconds). Leave out to keep them in S3 Standard."
        ),
    )
    deep_archive_after_days: int | None = Field(
        default=365,
        ge=1,
        description=(
            "Days after which log files move to S3 Glacier Deep Archive (cheapest; reading needs a "
            "restore of up to 12 hours). Leave out to skip this step."
        ),
    )
    organization_id: (
        Annotated[
            str,
            Field(pattern=r"^o-[a-z0-9]{10,32}$"),
            Hint(
                expected="an AWS Organizations ID: 'o-' and 10 to 32 lowercase letters or digits",
                example="o-a1b2c3d4e5",
            ),
        ]
        | None
    ) = Field(
        default=None,
        description=(
            "ID of the AWS Organization. When set, the log archive's bucket and key policies admit AWS "
            "Config and log deliveries from every account of the organization (aws:SourceOrgID), "
            "including accounts created later. When left out they admit only the accounts listed in "
            "`organization.accounts` (aws:SourceAccount)."
        ),
    )
    data_events: bool = Field(
        default=True,
        description="Record data events (see `data_event_types`) in the organization trail.",
    )
    data_event_types: tuple[DataEventType, ...] = Field(
        default=("s3", "lambda"),
        description=(
            "Data events the trail records when `data_events` is true: `s3` (object-level reads and "
            "writes; the log archive bucket itself is left out, its access is in its server access "
            "logs) and `lambda` (function invocations)."
        ),
    )
    insights: bool = Field(
        default=False, description="Enable CloudTrail Insights on API call and error rates (extra cost)."
    )
    cloudwatch_delivery: bool = Field(
        default=True,
        description=(
            "Also deliver the organization trail to a KMS-encrypted CloudWatch Logs group in the "
            "management account: near-real-time metric filters and alarms (the security feature's "
            "alerts on global-service events need it; BIO2 5.18.01, 8.15.05) and the `firehose` SIEM "
            "export read from it. CloudWatch Logs ingestion is charged per GB, data events included."
        ),
    )
    cloudwatch_retention_days: int = Field(
        default=365,
        description=(
            "Retention of the trail's CloudWatch Logs group, in days: a value CloudWatch Logs accepts, "
            "at least 365 (BIO2 8.15.04, 8.18.02). The log archive keeps the full term."
        ),
    )
    siem: SiemExport | None = Field(
        default=None, description="Export to a SIEM; leave out when there is none."
    )
    data_protection: DataProtectionSettings = Field(
        default=DataProtectionSettings(),
        description="CloudWatch Logs data protection: credentials and personal data masked in log events.",
    )


def check(cfg: LandingZoneConfig) -> list[Problem]:
    """Logging checks:

    - `retention_days` is at least 183 (BIO2 8.18.02: half a year).
    - The storage-class transitions happen before the files expire, Glacier before Deep Archive.
    - `cloudwatch_retention_days` is a value CloudWatch Logs accepts, of at least 365.
    - `data_events: true` names at least one data event type.
    - A SIEM export of type `sqs` names its `reader_arn`; one of type `firehose` names its
      `endpoint_url` and needs `cloudwatch_delivery: true` (Firehose reads from CloudWatch Logs).
      Settings of the other type are reported, not ignored.
    """
    logging = cfg.logging
    problems: list[Problem] = []
    problems += _check_retention(logging)
    if logging.data_events and not logging.data_event_types:
        problems.append(
            Problem(
                "logging.data_event_types",
                "data_events is true but no data event type is listed",
                "list the data events to record, such as [s3, lambda], or set data_events: false",
            )
        )
    if logging.cloudwatch_retention_days not in CLOUDWATCH_RETENTION_DAYS:
        valid = ", ".join(str(d) for d in CLOUDWATCH_RETENTION_DAYS)
        problems.append(
            Problem(
                "logging.cloudwatch_retention_days",
                f"{logging.cloudwatch_retention_days} is not a CloudWatch Logs retention of 365 days or more",
                f"use one of {valid}",
            )
        )
    problems += _check_siem(logging)
    problems += _check_data_protection(logging.data_protection)
    return problems


def _check_data_protection(settings: DataProtectionSettings) -> list[Problem]:
    """Known managed data identifiers, each once, the credential identifiers always among them."""
    if not settings.enabled:
        return []
    problems: list[Problem] = []
    where = "logging.data_protection.data_identifiers"
    names = list(settings.data_identifiers)
    for index, name in enumerate(names):
        base, _, country = name.partition("-")
        known = name in GLOBAL_IDENTIFIERS or (
            base in COUNTRY_IDENTIFIERS and len(country) == 2 and country.isalpha() and country.isupper()
        )
        if not known:
            problems.append(
                Problem(
                    f"{where}[{index}]",
                    f"'{name}' is not a CloudWatch Logs managed data identifier",
                    "use a name such as EmailAddress, or a country-specific one with its code, such as "
                    f"DriversLicense-NL (country-specific: {', '.join(sorted(COUNTRY_IDENTIFIERS))})",
                )
            )
        elif name in names[:index]:
            problems.append(Problem(f"{where}[{index}]", f"'{name}' is listed twice", "list it once"))
    missing = [c for c in CREDENTIAL_IDENTIFIERS if c not in names]
    if missing:
        problems.append(
            Problem(
                where,
                f"the credential identifiers {', '.join(missing)} are missing: secrets and private keys "
                "in log events would stay readable (BIO2 8.15.02)",
                f"add {', '.join(missing)}, or set logging.data_protection.enabled: false",
            )
        )
    return problems


def _check_retention(logging: LoggingSection) -> list[Problem]:
    problems: list[Problem] = []
    days = logging.retention_days
    if days < MIN_RETENTION_DAYS:
        problems.append(
            Problem(
                "logging.retention_days",
                f"{days} days is shorter than the half year BIO2 8.18.02 requires for logs of the use of "
                "system utilities",
                f"set retention_days to at least {MIN_RETENTION_DAYS}; the default, 1095 (three years), "
                "allows for long undetected intrusions (8.15.04)",
            )
        )
    for field in ("glacier_after_days", "deep_archive_after_days"):
        after = getattr(logging, field)
        if after is not None and after >= days:
            problems.append(
                Problem(
                    f"logging.{field}",
                    f"the move after {after} days never happens: log files expire after {days} days "
                    "(retention_days)",
                    f"set {field} below {days}, or leave it out",
                )
            )
    glacier, deep = logging.glacier_after_days, logging.deep_archive_after_days
    if glacier is not None and deep is not None and deep <= glacier:
        problems.append(
            Problem(
                "logging.deep_archive_after_days",
                f"Deep Archive ({deep} days) must come after Glacier Instant Retrieval ({glacier} days)",
                f"set deep_archive_after_days above {glacier}, or leave glacier_after_days out",
            )
        )
    return problems


def _check_siem(logging: LoggingSection) -> list[Problem]:
    siem = logging.siem
    if siem is None:
        return []
    problems: list[Problem] = []
    if siem.type == "sqs":
        if siem.reader_arn is None:
            problems.append(
                Problem(
                    "logging.siem.reader_arn",
                    "a SIEM export of type 'sqs' needs the IAM role the SIEM reads with",
                    "set reader_arn to the SIEM's IAM role, e.g. arn:aws:iam::123456789012:role/siem-reader",
                )
            )
        for field in ("endpoint_url", "secret_arn"):
            if getattr(siem, field) is not None:
                problems.append(
                    Problem(
                        f"logging.siem.{field}",
                        f"{field} is only used by a SIEM export of type 'firehose', this one is 'sqs'",
                        f"remove {field}, or set type: firehose",
                    )
                )
    if siem.type == "firehose":
        if siem.endpoint_url is None:
            problems.append(
                Problem(
                    "logging.siem.endpoint_url",
                    "a SIEM export of type 'firehose' needs the endpoint to deliver to",
                    "set endpoint_url to the SIEM's HTTPS ingestion endpoint",
                )
            )
        if siem.reader_arn is not None:
            problems.append(
                Problem(
                    "logging.siem.reader_arn",
                    "reader_arn is only used by a SIEM export of type 'sqs', this one is 'firehose'",
                    "remove reader_arn, or set type: sqs",
                )
            )
        if not logging.cloudwatch_delivery:
            problems.append(
                Problem(
                    "logging.cloudwatch_delivery",
                    "a SIEM export of type 'firehose' reads the trail from CloudWatch Logs, which is off",
                    "set logging.cloudwatch_delivery: true, or use siem type 'sqs'",
                )
            )
    return problems
