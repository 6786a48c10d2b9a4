"""``bio2``: the BIO2 command line (catalog, explain, schema; reports and diffs of manifests)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bio2_aspects.catalog import load_catalog

if TYPE_CHECKING:
    from bio2_aspects.evidence.models import Manifest


def _catalog(args: argparse.Namespace) -> int:
    cat = load_catalog()
    rows = []
    entries = cat.entries if args.all else cat.measures
    for e in entries:
        control = cat.control(e.control)
        if args.control and e.control != args.control and control.id != args.control:
            continue
        if args.theme and control.theme != args.theme:
            continue
        if args.responsibility and e.responsibility != args.responsibility:
            continue
        rows.append(e)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": e.id,
                        "control": e.control,
                        "status": str(e.status.value if hasattr(e.status, "value") else e.status),
                        "target": e.target,
                        "summary": e.summary_nl if args.lang == "nl" else e.summary,
                        "nature": _v(e.nature),
                        "responsibility": _v(e.responsibility),
                    }
                    for e in rows
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    for e in rows:
        text = (
            e.summary_nl if args.lang == "nl" else e.summary
        ) or f"({_v(e.status)}{' ' + e.target if e.target else ''})"
        print(f"{e.id:<9} {_v(e.nature) or '-':<15} {_v(e.responsibility) or '-':<15} {text}")
    print(f"{len(rows)} entries (BIO2 {cat.version})", file=sys.stderr)
    return 0


def _v(x: object) -> str | None:
    if x is None:
        return None
    return str(getattr(x, "value", x))


def _explain(args: argparse.Namespace) -> int:
    from bio2_aspects.rules import ALL_RULES, get_rule

    cat = load_catalog()
    ident = args.id
    if ident.upper().startswith("BIO2-"):
        try:
            rule = get_rule(ident)
        except KeyError:
            print(f"error: no rule {ident}; list them with `bio2 rules`", file=sys.stderr)
            return 2
        print(f"{rule.id}  ({rule.level.value})")
        print(f"  applies to: {', '.join(rule.resource_types)}")
        from bio2_aspects.evidence.i18n import rule_text
        from bio2_aspects.mappings import rule_mappings

        lang = args.lang or "en"
        print(f"  finding:    {rule_text(rule.id, 'finding', rule.finding, lang)}")
        print(f"  fix:        {rule_text(rule.id, 'fix', rule.fix, lang)}")
        if rule.description:
            print(f"  about:      {rule.description}")
        print("  evidences (strength, facet):")
        for mp in rule_mappings(rule.id, tuple(rule.measures)):
            e = cat.entry(mp.measure)
            print(
                f"    {mp.measure}  [{mp.strength}{', ' + mp.facet if mp.facet else ''}]  "
                f"{e.summary_nl if args.lang == 'nl' else e.summary}"
            )
            rationale = mp.rationale_nl if args.lang == "nl" else mp.rationale_en
            if rationale:
                print(f"      {rationale}")
        return 0
    if cat.is_control_id(ident):
        c = cat.control(ident)
        print(f"{c.id}  {c.title_nl if args.lang == 'nl' else c.title}  ({_v(c.theme)})")
        for e in cat.entries_of(c.id):
            print(
                f"  {e.id}  {_v(e.status)}  "
                f"{(e.summary_nl if args.lang == 'nl' else e.summary) or e.target or ''}"
            )
        return 0
    if not cat.is_entry_id(ident):
        print(
            f"error: {ident} is not a BIO2 measure, control or rule ID (see `bio2 catalog`)", file=sys.stderr
        )
        return 2
    e = cat.entry(ident)
    c = cat.control(e.control)
    print(f"{e.id}  ({_v(e.status)}{' -> ' + e.target if e.target else ''})")
    print(f"  control:        {c.id} {c.title_nl if args.lang == 'nl' else c.title}")
    if e.summary:
        print(f"  summary:        {e.summary_nl if args.lang == 'nl' else e.summary}")
        print(f"  nature:         {_v(e.nature)}")
        print(f"  responsibility: {_v(e.responsibility)}")
    if e.summary:
        from bio2_aspects.catalog.facets import facets_of
        from bio2_aspects.evidence.status import is_monitoring

        print("  facets (covered by full evidence if technical, by an attestation if organisational):")
        for f in facets_of(e.id, _v(e.nature)):
            text = (f.summary_nl if args.lang == "nl" else f.summary_en) or "-"
            monitoring = ", a monitor counts" if is_monitoring(f) else ""
            print(f"    {f.id}  {f.kind}{monitoring}  {text}")
    rules = [r for r in ALL_RULES if e.id in r.measures]
    print(f"  rules:          {', '.join(r.id for r in rules) if rules else 'none (no technical check)'}")
    if args.official:
        from bio2_aspects.catalog import find_official_markdown, parse_official_markdown

        path = Path(args.official) if args.official != "auto" else find_official_markdown()
        if path is None:
            print("  official text:  set BIO2_OFFICIAL_MARKDOWN or pass --official PATH to your copy")
        else:
            official = parse_official_markdown(path).get(e.id)
            if official is not None:
                print("  official text (from your copy):")
                for line in official.text.splitlines():
                    print(f"    {line}")
    return 0


def _rules(args: argparse.Namespace) -> int:
    from bio2_aspects.rules import ALL_RULES

    for r in ALL_RULES:
        print(f"{r.id:<42} {r.level.value:<8} {' '.join(r.measures)}")
    print(f"{len(ALL_RULES)} rules", file=sys.stderr)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from bio2_aspects.evidence.schema import schema_text

    sys.stdout.write(schema_text())
    return 0


def _validate(args: argparse.Namespace) -> int:
    import jsonschema

    from bio2_aspects.evidence.schema import manifest_schema

    try:
        data = json.loads(Path(args.manifest).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        print(f"error: {args.manifest}: {exc}", file=sys.stderr)
        return 2
    errors = sorted(
        jsonschema.Draft202012Validator(manifest_schema()).iter_errors(data), key=lambda e: list(e.path)
    )
    for err in errors[:50]:
        loc = "/".join(str(p) for p in err.path) or "(root)"
        print(f"error: {loc}: {err.message}", file=sys.stderr)
    if errors:
        return 1
    print(f"{args.manifest}: valid manifest (schema {data.get('schema_version')})")
    return 0


#: What to do about a manifest that cannot be read (printed under the error).
MANIFEST_FIX = (
    "pass the manifest.json a synth of this version wrote (cdk.out/bio2/manifest.json); "
    "an older or hand-edited manifest: synthesize again (`make synth`)"
)


def _load_manifest(path: str) -> Manifest:
    """Read a manifest into the model; raises ``ValueError`` (a ``ManifestError``) naming the path
    and every problem when it cannot be used."""
    from bio2_aspects.evidence.models import read_manifest

    return read_manifest(path)


def _manifest_error(exc: ValueError) -> int:
    print(f"error: {exc}\n  fix: {MANIFEST_FIX}", file=sys.stderr)
    return 2


def _report(args: argparse.Namespace) -> int:
    from bio2_aspects.evidence.exporters import ALL_FORMATS, write_outputs

    try:
        manifest = _load_manifest(args.manifest)
    except ValueError as exc:
        return _manifest_error(exc)
    manifest_path = Path(args.manifest)
    out = Path(args.out) if args.out else manifest_path.parent
    formats = ALL_FORMATS if args.format == "all" else (args.format,)
    # The cloud assembly (templates, for SARIF line numbers) is the parent of cdk.out/bio2/.
    root = Path(args.templates) if args.templates else manifest_path.resolve().parent.parent
    try:
        written = write_outputs(manifest, out, formats, lang=args.lang, template_root=root)
    except OSError as exc:
        print(f"error: cannot write to {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


def _diff(args: argparse.Namespace) -> int:
    from bio2_aspects.evidence.diff import diff_manifests, render_diff_text

    try:
        old = _load_manifest(args.old)
        new = _load_manifest(args.new)
    except ValueError as exc:
        return _manifest_error(exc)
    diff = diff_manifests(old, new)
    if args.json:
        print(json.dumps(diff.to_json(), indent=2, ensure_ascii=False, sort_keys=True))
    else:
        lang = args.lang or new.language
        sys.stdout.write(render_diff_text(diff, lang, args.old, args.new))
    return diff.exit_code


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bio2", description="BIO2 catalog, rules and evidence tools.")
    from bio2_aspects import __version__

    p.add_argument("--version", action="version", version=f"bio2 {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("catalog", help="list BIO2 measures (filter by control, theme, responsibility)")
    c.add_argument("--control", help="control ID, e.g. 8.15")
    c.add_argument("--theme", choices=["organisational", "people", "physical", "technological"])
    c.add_argument(
        "--responsibility", choices=["cloud_provider", "platform_team", "workload_team", "organisation"]
    )
    c.add_argument("--all", action="store_true", help="include placeholders, moved and withdrawn IDs")
    c.add_argument("--lang", choices=["en", "nl"], default="en")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=_catalog)

    e = sub.add_parser(
        "explain", help="explain a rule (BIO2-S3-Versioning), measure (8.15.01) or control (8.15)"
    )
    e.add_argument("id")
    e.add_argument("--lang", choices=["en", "nl"], default="en")
    e.add_argument(
        "--official",
        nargs="?",
        const="auto",
        help="also show the official text from your copy of the BIO2 markdown "
        "(a path, or the file named by BIO2_OFFICIAL_MARKDOWN)",
    )
    e.set_defaults(func=_explain)

    r = sub.add_parser("rules", help="list the rules with their level and measures")
    r.set_defaults(func=_rules)

    s = sub.add_parser("schema", help="print the manifest JSON Schema")
    s.set_defaults(func=_schema)

    v = sub.add_parser("validate", help="validate a manifest against the JSON Schema")
    v.add_argument("manifest")
    v.set_defaults(func=_validate)

    rp = sub.add_parser(
        "report",
        help="render auditor outputs from a manifest (HLD, HTML report, register, OSCAL, SARIF)",
        description="Render the auditor outputs of a BIO2 manifest. Formats: md (summary.md), hld (hld.md), "
        "html (report.html), xlsx (control-register.xlsx), csv (control-register.csv and "
        "statement-of-applicability.csv), oscal (oscal-component-definition.json), sarif (bio2.sarif), all.",
    )
    rp.add_argument("manifest", help="path to manifest.json (e.g. cdk.out/bio2/manifest.json)")
    rp.add_argument(
        "--format", choices=["html", "md", "hld", "xlsx", "csv", "oscal", "sarif", "all"], default="all"
    )
    rp.add_argument("--lang", choices=["en", "nl"], help="output language (default: the manifest's)")
    rp.add_argument("--out", help="output directory (default: the manifest's directory)")
    rp.add_argument(
        "--templates",
        help="directory of the CloudFormation templates, for SARIF line numbers (default: the manifest's "
        "directory's parent, i.e. cdk.out/); templates whose SHA-256 differs from the manifest's are ignored",
    )
    rp.set_defaults(func=_report)

    dp = sub.add_parser(
        "diff",
        help="compare two manifests; exit 1 when a measure lost evidence or got a worse status",
        description="List measures whose status changed, evidence gained and lost, accepted risks gained and "
        "lost. Exit codes: 0 no regression, 1 regression (a measure lost evidence or its status got worse: "
        "implemented/inherited > awaiting_attestation > partially_implemented > unattested > gap), "
        "2 unreadable input. A run-time observation (bio2 collect) that turned NON_COMPLIANT is a "
        "regression too.",
    )
    dp.add_argument("old", help="the earlier manifest.json")
    dp.add_argument("new", help="the later manifest.json")
    dp.add_argument("--json", action="store_true", help="print the diff as JSON")
    dp.add_argument("--lang", choices=["en", "nl"], help="language of the text output (default: NEW's)")
    dp.set_defaults(func=_diff)

    from bio2_aspects.collect.cli import add_parser as add_collect_parser

    add_collect_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
