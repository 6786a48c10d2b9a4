"""Measure tags written into the template by the stack synthesizer: one bridge call per stack.

The tree tagger (:mod:`bio2_aspects.tagger`) reads every resource through the jsii bridge before
rendering and sets each tag through its TagManager: about four round trips per resource. A stack
synthesizer sees the template once it is rendered, as plain JSON, escape-hatch overrides
included. The synthesizers here let CDK write the template, add the ``bio2:measures`` tags to the
JSON in Python (the same rules and the same tag values as the tree tagger), write it back and hand
CDK the hash of the new bytes, so the asset manifest points at the tagged template.

Use them wherever you choose a synthesizer::

    app = cdk.App(default_stack_synthesizer=Bio2StackSynthesizer())   # every stack of the app
    MyStack(app, "Api", synthesizer=Bio2StackSynthesizer(qualifier="myqual"))
    Bio2(app)

``Bio2`` attaches its rules to every stack whose synthesizer is a :class:`TemplateTagging`
synthesizer and tags the other stacks through the construct tree as before, so an app may mix
both. Without ``Bio2`` the synthesizers behave exactly like their CDK parents (same bytes, same
hashes). The check after synthesis stays authoritative either way: it reads and hashes every
template on disk, and takes the evaluation made here (offered through ``Bio2``'s
``engine.TaggingEvaluations``) only for the very bytes written here, so each template is evaluated
once per synth.

A synthesizer instance serves one stack (``App(default_stack_synthesizer=...)`` is handled: each
stack gets its own copy). Context look-ups of such stacks do not carry the look-up role into the
missing-context request (the CLI then looks up with its own credentials); nested stacks use their
parent's synthesizer machinery and are tagged through the construct tree.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import aws_cdk as cdk

from bio2_aspects.assembly import parse_environment
from bio2_aspects.collector import collector_paused
from bio2_aspects.engine import (
    RuleResult,
    RuleSet,
    TaggedEvaluation,
    TaggingEvaluations,
    build_view,
    evaluate_stack,
    known_pseudo,
    measure_tag_values,
    satisfied_measures,
)
from bio2_aspects.evidence.common import ordered_json_bytes, write_file
from bio2_aspects.rules._helpers import is_intrinsic
from bio2_aspects.rules.tagging import MEASURES_TAG_PREFIX, TAG_PROPERTIES, TAGGABLE_TYPES, tag_property

#: Types whose tag property is a map (``map``), needs ``PropagateAtLaunch`` (``asg``) or has a
#: shape the schema does not name (``unknown``: left untagged); every other type takes a list.
TAG_SHAPES: Mapping[str, str] = json.loads(
    resources.files("bio2_aspects.rules").joinpath("data", "tag_shapes.json").read_text(encoding="utf-8")
)


class TemplateTagging:
    """Mixin for a CDK stack synthesizer class: tags the template JSON after CDK writes it.

    Put it first in the bases: ``class MySynth(TemplateTagging, cdk.DefaultStackSynthesizer)``.
    The synthesizer class must write its template through ``StackSynthesizer.synthesizeTemplate``
    (CDK's Default, CliCredentials, Bootstrapless and Legacy synthesizers all do).
    """

    _bio2_rules: RuleSet | None = None
    _bio2_offered: TaggingEvaluations | None = None
    _bio2_stack: cdk.Stack | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._bio2_args = (args, kwargs)

    def attach_rules(self, rules: RuleSet | None, offered: TaggingEvaluations | None = None) -> None:
        """Called by ``Bio2``: tag with these rules (None: write the template untouched), and offer
        the evaluation made for the tags to the check after synthesis through ``offered``."""
        self._bio2_rules = rules
        self._bio2_offered = offered

    def reusable_bind(self, stack: cdk.Stack) -> Any:
        # CDK binds a reusable synthesizer through a prototype copy whose callbacks would reach
        # this unbound object; bind a fresh instance per stack instead.
        if self._bio2_stack is not None and self._bio2_stack is not stack:
            args, kwargs = self._bio2_args
            clone = type(self)(*args, **kwargs)
            return clone.reusable_bind(stack)
        self._bio2_stack = stack
        self.bind(stack)
        return self

    def _bound(self) -> cdk.Stack:
        if self._bio2_stack is None:  # bound without reusable_bind (a synthesizer given to one stack)
            self._bio2_stack = self._bound_stack  # type: ignore[attr-defined]
        return self._bio2_stack

    def _write_tagged_template(self, session: cdk.ISynthesisSession) -> tuple[str, str]:
        """Let CDK write the stack's template, then add the measure tags; the SHA-256 of the bytes
        on disk, and the template's file name. (Each property read here is a bridge call: each is
        read once.)"""
        stack = self._bound()
        # The public StackSynthesizer.synthesizeTemplate cannot be reached from an override
        # (jsii routes super() back here); this protected call writes the same file.
        self._synthesize_stack_template(stack, session)  # type: ignore[attr-defined]
        template_file = stack.template_file
        path = os.path.join(session.outdir, template_file)
        with open(path, "rb") as fh:
            data = fh.read()
        rules = self._bio2_rules
        if rules is None:
            return hashlib.sha256(data).hexdigest(), template_file
        # evaluated with the conditions and the environment the check after synthesis uses
        pseudo = known_pseudo(*parse_environment(stack.environment))
        with collector_paused():  # see bio2_aspects.collector
            tagged = tag_template(data, stack.artifact_id, rules, pseudo)
        if tagged is None:
            return hashlib.sha256(data).hexdigest(), template_file
        if tagged.data is not data:
            write_file(path, tagged.data)
        sha256 = hashlib.sha256(tagged.data).hexdigest()
        if self._bio2_offered is not None:
            self._bio2_offered.offer(
                TaggedEvaluation(sha256, pseudo, rules, tagged.results, tagged.satisfied)
            )
        return sha256, template_file

    def _synthesize_template(
        self,
        session: cdk.ISynthesisSession,
        lookup_role_arn: str | None = None,
        lookup_role_external_id: str | None = None,
        lookup_role_additional_options: Mapping[str, Any] | None = None,
    ) -> cdk.FileAssetSource:
        sha256, template_file = self._write_tagged_template(session)
        stack = self._bound()
        return cdk.FileAssetSource(
            file_name=template_file,
            packaging=cdk.FileAssetPackaging.FILE,
            source_hash=sha256,
            deploy_time=True,
            display_name=f"{stack.stack_name} Template",
        )


class Bio2StackSynthesizer(TemplateTagging, cdk.DefaultStackSynthesizer):
    """``DefaultStackSynthesizer`` that writes the BIO2 measure tags into the template."""


class Bio2CliCredentialsStackSynthesizer(TemplateTagging, cdk.CliCredentialsStackSynthesizer):
    """``CliCredentialsStackSynthesizer`` that writes the BIO2 measure tags into the template."""


class Bio2BootstraplessSynthesizer(TemplateTagging, cdk.BootstraplessSynthesizer):
    """``BootstraplessSynthesizer`` that writes the BIO2 measure tags into the template.

    CDK's ``BootstraplessSynthesizer`` writes its template without the asset step, so this class
    repeats its two steps (write the template, emit the stack artifact) with the tags in between.
    """

    def synthesize(self, session: cdk.ISynthesisSession) -> None:
        self._write_tagged_template(session)
        _, kwargs = self._bio2_args
        self._emit_artifact(  # type: ignore[attr-defined]
            session,
            assume_role_arn=kwargs.get("deploy_role_arn"),
            cloud_formation_execution_role_arn=kwargs.get("cloud_formation_execution_role_arn"),
        )


# ------------------------------------------------------------------ the JSON side


@dataclass(frozen=True)
class TaggedTemplate:
    """A template with its measure tags, and the evaluation they were read from."""

    #: the template's bytes with the tags (the bytes given, the same object, when none changed)
    data: bytes
    #: the results on the template before its tags were set (stack name: the one given, no paths)
    results: tuple[RuleResult, ...]
    satisfied: dict[str, tuple[str, ...]]


def tag_template(
    data: bytes, name: str, rules: RuleSet, pseudo: Mapping[str, str] | None = None
) -> TaggedTemplate | None:
    """The template ``data`` with measure tags, in CDK's JSON layout; None for a template without
    resources. ``pseudo``: the pseudo parameters the stack's environment fixes (see
    ``engine.known_pseudo``), which decide with the template's conditions which resources exist."""
    template = json.loads(data)
    resources = template.get("Resources") if isinstance(template, dict) else None
    if not isinstance(resources, dict) or not resources:
        return None
    view = build_view(name, resources, conditions=template.get("Conditions"), pseudo=pseudo)
    try:
        results = tuple(evaluate_stack(view, rules))
    finally:
        view.release()
    satisfied = satisfied_measures(results)
    if add_measure_tags(resources, satisfied):
        # CDK's layout (indent 1, or compact), as json.dumps writes it
        data = ordered_json_bytes(template, 1 if b"\n" in data else None)
    return TaggedTemplate(data, results, satisfied)


def add_measure_tags(resources: dict[str, Any], satisfied: Mapping[str, tuple[str, ...]]) -> bool:
    """Set ``bio2:measures`` tags with the ``satisfied`` measures (``engine.satisfied_measures``)
    on the template's taggable resources; True when any changed."""
    changed = False
    for lid, measures in satisfied.items():
        body = resources.get(lid)
        if not isinstance(body, dict):
            continue
        if _set_tags(body, measure_tag_values(measures)):
            changed = True
    return changed


def _set_tags(body: dict[str, Any], tags: Mapping[str, str]) -> bool:
    """Set the measure tags on one resource body; True when it was tagged.

    Only the measure tags may change: the rules' reading of the resource must stay what it was
    (the check after synthesis takes the evaluation made before the tags were set, see
    ``engine.TaggingEvaluations``). So a resource is left untouched when its tag property is an
    intrinsic function as a whole (``Ref``, ``Fn::If``, ``AWS::NoValue``: the rules cannot read
    it, and a key added beside it would turn it into a map they can read), when it has the other
    shape than its type's (a map for a list, or the reverse), or when an entry of a list is not a
    plain ``Key``/``Value`` pair.
    """
    cfn_type = body.get("Type")
    if not isinstance(cfn_type, str) or (cfn_type not in TAGGABLE_TYPES and cfn_type not in TAG_PROPERTIES):
        return False
    shape = TAG_SHAPES.get(cfn_type, "list")
    if shape == "unknown":
        return False
    prop = tag_property(cfn_type)
    props = body.get("Properties", {})
    if not isinstance(props, dict):
        return False
    current = props.get(prop)
    if current is None:
        current = {} if shape == "map" else []
    if isinstance(current, dict):
        if shape != "map" or is_intrinsic(current):
            return False
        pairs = [(k, v) for k, v in current.items() if not str(k).startswith(MEASURES_TAG_PREFIX)]
        body["Properties"] = props
        props[prop] = dict(_insert_sorted(pairs, list(tags.items())))
        return True
    if isinstance(current, list):
        if shape == "map":
            return False
        if any(not isinstance(t, dict) or not isinstance(t.get("Key"), str) for t in current):
            return False  # an intrinsic among the tags: the tree tagger's route handles those
        extra = {"PropagateAtLaunch": True} if shape == "asg" else {}
        kept = [(t["Key"], t) for t in current if not t["Key"].startswith(MEASURES_TAG_PREFIX)]
        added = [(k, {"Key": k, "Value": v, **extra}) for k, v in tags.items()]
        body["Properties"] = props
        props[prop] = [entry for _, entry in _insert_sorted(kept, added)]
        return True
    return False


def _insert_sorted(existing: list[tuple[str, Any]], added: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Place ``added`` where CDK's TagManager would: among the leading run of key-sorted tags (the
    tags it manages), before the tags a resource was given in its own properties (appended after)."""
    run = 1
    while run < len(existing) and existing[run - 1][0] <= existing[run][0]:
        run += 1
    run = min(run, len(existing))
    managed = sorted(existing[:run] + added, key=lambda kv: kv[0])
    return managed + existing[run:]
