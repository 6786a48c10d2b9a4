"""The manifest's schema version, in a module of its own: the pydantic models
(:mod:`bio2_aspects.evidence.models`) take 0.2-0.3 s to import, and a synth needs only this."""

#: 2.0.0: statuses from facets and attestations, audit metadata, risk acceptances, design facts
SCHEMA_VERSION = "2.0.0"
