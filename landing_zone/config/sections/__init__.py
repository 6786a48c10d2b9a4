"""One module per section of ``landing-zone.yaml``.

Each module defines the section's pydantic models and ``check(cfg) -> list[Problem]`` for the
checks that span fields or sections. To extend a section:

1. Add the field to the model (subclass of :class:`~landing_zone.config.base.ConfigModel`) with
   a ``description``, a default when it is optional, and constraints (``Field(ge=..)``,
   ``pattern``). Annotate formats with a :class:`~landing_zone.config.base.Hint` so errors
   explain them; raise :func:`~landing_zone.config.base.invalid` from custom validators.
2. Put cross-field checks in the module's ``check``. Refer to other sections through the
   helpers :func:`organization.unknown_account`, :func:`organization.unknown_ou` and
   :func:`regions.unlisted_region`, and list every other section the check reads in
   :data:`landing_zone.config.validate.CHECKS`.
3. Run ``python -m landing_zone.config docs`` and add a file to ``tests/config/bad/``.
"""
