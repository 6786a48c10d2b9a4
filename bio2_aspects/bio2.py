"""``Bio2(app)``: one call that sets up the BIO2 checks, the measure tags and the evidence for any app."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence

import aws_cdk as cdk
import jsii
from constructs import IValidation

from bio2_aspects.engine import RuleSet, TaggingEvaluations
from bio2_aspects.pack import DEFAULT_RESOURCES_PER_WARNING, Bio2Plugin
from bio2_aspects.rules.base import Rule
from bio2_aspects.scope import Scope
from bio2_aspects.synthesizer import TemplateTagging
from bio2_aspects.tagger import MeasureTagger


@jsii.implements(IValidation)
class _TagStageBeforeSynthesis:
    """Sets the measure tags of one Stage's stacks at the last moment before their templates exist.

    CDK validates the construct tree after every aspect has run (tags added with ``Tags.of(...)``
    included) and before it renders the templates, and it does so for each Stage on its own (a
    nested Stage is synthesized before its parent). Aspects added to an App, by contrast, do not
    reach into nested Stages, and one with a given priority may still run before another aspect's
    tags have landed. So the tags are set from here. This hook reports no errors; it only tags.
    """

    def __init__(self, stage: cdk.Stage, tagger: MeasureTagger, offered: TaggingEvaluations):
        self._stage = stage
        self._tagger = tagger
        self._offered = offered
        self._done = False

    def validate(self) -> list[str]:
        if not self._done:  # a parent Stage's validation walks into already synthesized children
            self._done = True
            for c in self._stage.node.find_all():
                if isinstance(c, cdk.Stack) and cdk.Stage.of(c) is self._stage:
                    synthesizer = c.synthesizer
                    if isinstance(synthesizer, TemplateTagging) and not c.nested:
                        # tags go into the template JSON at synthesis: one call per stack
                        synthesizer.attach_rules(self._tagger.rules, self._offered)
                    else:
                        self._tagger.visit(c)
        return []


#: What a synth writes besides ``manifest.json`` unless told otherwise: ``summary.md`` and the
#: SARIF log for code scanning. The auditor set (HLD, HTML report, XLSX/CSV register and SoA,
#: OSCAL) is rendered from the manifest by ``bio2 report cdk.out/bio2/manifest.json``, byte for
#: byte what ``reports="all"`` writes during the synth.
DEFAULT_REPORTS: tuple[str, ...] = ("md", "sarif")
#: The context key that chooses the reports when the ``reports`` prop is not given
#: (``cdk synth -c bio2:reports=all``, or a comma-separated list of formats).
REPORTS_CONTEXT = "bio2:reports"


def resolve_reports(reports: str | Iterable[str] | None, where: str = "reports") -> tuple[str, ...]:
    """The report formats ``reports`` names: ``"all"``, ``"none"``, one format, a comma-separated
    list or an iterable of formats (see ``bio2_aspects.evidence.exporters.FORMATS``)."""
    from bio2_aspects.evidence.formats import ALL_FORMATS

    if reports is None:
        return DEFAULT_REPORTS
    if isinstance(reports, str):
        text = reports.strip().lower()
        if text == "all":
            return ALL_FORMATS
        if text in ("none", ""):
            return ()
        names = [n.strip() for n in text.split(",") if n.strip()]
    else:
        names = [str(n) for n in reports]
    unknown = [n for n in names if n not in ALL_FORMATS]
    if unknown:
        raise ValueError(
            f'{where}: unknown report format {", ".join(map(repr, unknown))}; use "all", "none" or '
            f'formats from {", ".join(ALL_FORMATS)} (e.g. reports=("md", "sarif", "html"))'
        )
    return tuple(f for f in ALL_FORMATS if f in names)  # in the order of the full set


def _write_evidence_during_synth(stage: cdk.Stage, plugin: Bio2Plugin) -> None:
    """Wrap ``stage.synth`` (this object only) in ``plugin.write_during_synth()``."""
    synth = stage.synth

    @functools.wraps(synth)
    def synth_writing_evidence(*args: object, **kwargs: object) -> cdk.cx_api.CloudAssembly:
        with plugin.write_during_synth():
            return synth(*args, **kwargs)

    stage.synth = synth_writing_evidence  # type: ignore[method-assign]


class Bio2:
    """Attach the BIO2 engine to a CDK app (or stage).

    * registers :class:`~bio2_aspects.pack.Bio2Plugin` as a validation plugin: after synthesis it
      evaluates every template, writes ``<outdir>/bio2/manifest.json`` and the reports chosen by
      ``reports``, and fails the synth on unacknowledged error-level violations (unless
      ``report_only``);
    * tags each taggable resource with the measures it satisfies (``bio2:measures``), in the App and
      in every Stage that exists when ``Bio2`` is created: create it after your stacks and stages.

    ``reports``: the outputs written besides ``manifest.json``. Default (:data:`DEFAULT_REPORTS`,
    or the context value ``bio2:reports``): ``summary.md`` and ``bio2.sarif``, what a pipeline
    reads on every change. ``"all"`` also writes the auditor set (HLD, HTML report, XLSX and CSV
    register, Statement of Applicability, OSCAL); ``bio2 report cdk.out/bio2/manifest.json``
    renders that set later from the manifest, byte-identical. Files of formats not chosen are
    removed from the evidence directory, so no report of an earlier synth is left behind.

    ``resources_per_warning`` (default 10, None for all): how many resources each warning lists
    in CDK's validation report on the console. Every error lists every resource; the manifest,
    ``summary.md`` and the SARIF log always hold every finding.

    ``app.synth()`` of the app given here writes the evidence files while CDK runs its own
    template validation (a worker thread, pure Python), and returns once they are all written;
    a synth started any other way (``Template.from_stack``, a parent app) writes them before the
    plugin returns.

    Example::

        app = cdk.App()
        MyStack(app, "MyStack")
        Bio2(app, scope=Scope(organisation="Gemeente Voorbeeldstad", language="nl"))
        app.synth()
    """

    def __init__(
        self,
        app: cdk.Stage,
        *,
        scope: Scope | None = None,
        report_only: bool | None = None,
        tag_resources: bool = True,
        rules: Sequence[Rule] | None = None,
        exclude_rules: Iterable[str] = (),
        evidence_dir: str | os.PathLike[str] | None = None,
        reports: str | Iterable[str] | None = None,
        resources_per_warning: int | None = DEFAULT_RESOURCES_PER_WARNING,
    ) -> None:
        self.scope = scope or Scope()
        self.rules = RuleSet(rules, exclude_rules)
        if reports is None:
            ctx = app.node.try_get_context(REPORTS_CONTEXT)  # "all", "md,sarif" or a list (cdk.json)
            if ctx is not None and not isinstance(ctx, list):
                ctx = str(ctx)
            self.reports = resolve_reports(ctx, f"context {REPORTS_CONTEXT}")
        else:
            self.reports = resolve_reports(reports)
        if evidence_dir is None:
            evidence_dir = os.path.join(app.outdir, "bio2")
        # what the stack synthesizers evaluate while tagging, for the check after synthesis
        offered = TaggingEvaluations() if tag_resources else None
        self.pack = Bio2Plugin(
            app,
            rules=self.rules,
            bio2_scope=self.scope,
            report_only=report_only,
            evidence_dir=evidence_dir,
            reports=self.reports,
            resources_per_warning=resources_per_warning,
            offered=offered,
        )
        cdk.Validations.of(app).add_plugins(self.pack)
        _write_evidence_during_synth(app, self.pack)
        self.tagger: MeasureTagger | None = None
        if offered is not None:
            self.tagger = MeasureTagger(self.rules)
            stages = [app, *(c for c in app.node.find_all() if isinstance(c, cdk.Stage) and c is not app)]
            for stage in stages:
                stage.node.add_validation(_TagStageBeforeSynthesis(stage, self.tagger, offered))

    @property
    def manifest(self) -> dict | None:
        """The manifest of the last synth, the data of its ``manifest.json`` (None before synthesis)."""
        return self.pack.last_manifest
