"""Optional input: Prowler's OCSF JSON output (``prowler aws --output-formats json-ocsf``), for the
checks the conformance pack does not deploy as Config rules (``prowler_checks`` in
``runtime.json``).

The file is a JSON array of OCSF Detection Findings. Per finding: the check is
``metadata.event_code``, the result ``status_code`` (PASS / FAIL; MANUAL is skipped), a muted
finding has ``status`` Suppressed (skipped: accepted in Prowler), the account
``cloud.account.uid``, the region and resource ``resources[0].region`` / ``.uid`` / ``.type``, and
the time ``time_dt`` (or ``time``, epoch seconds) and ``finding_info.created_time_dt``. Checks the
table does not list are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bio2_aspects.collect import table
from bio2_aspects.collect.sources import COMPLIANT, NON_COMPLIANT, CollectError, Observation, iso

_STATES = {"PASS": COMPLIANT, "FAIL": NON_COMPLIANT}


def _time(finding: dict[str, Any]) -> str | None:
    when = iso(finding.get("time_dt"))
    if when is None and isinstance(finding.get("time"), int | float):
        when = iso(datetime.fromtimestamp(finding["time"], tz=UTC))
    return when


def read_ocsf(paths: Iterable[str]) -> list[Observation]:
    """Observations of the table's Prowler checks in the given OCSF JSON files."""
    checks = set(table.prowler_checks())
    out: list[Observation] = []
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CollectError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CollectError(f"{path}: not a JSON file: {exc}") from exc
        if not isinstance(data, list):
            raise CollectError(f"{path}: not Prowler OCSF output (a JSON array of findings)")
        for finding in data:
            if not isinstance(finding, dict):
                continue
            check = str((finding.get("metadata") or {}).get("event_code") or "")
            state = _STATES.get(str(finding.get("status_code") or "").upper())
            if check not in checks or state is None or str(finding.get("status")) == "Suppressed":
                continue
            cloud = finding.get("cloud") or {}
            resource = (finding.get("resources") or [{}])[0] or {}
            info = finding.get("finding_info") or {}
            observed = _time(finding) or ""
            detail = f"Prowler {check} {finding.get('status_code')}: {finding.get('status_detail') or ''}"
            out.append(
                Observation(
                    source="prowler",
                    monitor=table.PROWLER_PREFIX + check,
                    account=str((cloud.get("account") or {}).get("uid") or ""),
                    region=str(resource.get("region") or cloud.get("region") or ""),
                    resource_type=str(resource.get("type") or ""),
                    resource=str(resource.get("uid") or "*"),
                    compliance=state,
                    observed_at=observed,
                    first_observed=(iso(info.get("created_time_dt")) or observed or None)
                    if state == NON_COMPLIANT
                    else None,
                    detail=detail.strip(),
                )
            )
    return out
