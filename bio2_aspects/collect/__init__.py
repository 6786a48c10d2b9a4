"""Run-time evidence: what the deployed monitors report, merged into the manifest.

``bio2 collect`` reads (never writes) AWS Config aggregate compliance of the organization
conformance pack's rules, Security Hub control findings, GuardDuty high-severity findings, IAM
Access Analyzer external-access findings and AWS Backup job and restore job results, with
read-only credentials of the audit/security account, and merges them into a new manifest
(:mod:`bio2_aspects.collect.merge`). The monitor -> measure table is data
(``bio2_aspects/mappings/data/runtime.json``, :mod:`bio2_aspects.collect.table`).
"""
