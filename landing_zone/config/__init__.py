"""Configuration of the landing zone: one YAML file (``landing-zone.yaml``) validated by pydantic models.

>>> from landing_zone.config import load_config
>>> cfg = load_config()  # the embedded example
>>> cfg.organization.name
'Gemeente Voorbeeldstad'

Every problem in a file is collected and raised at once as :class:`ConfigError`; each
:class:`Problem` names the path, what is wrong and the fix.
"""

from landing_zone.config.errors import ConfigError, Problem
from landing_zone.config.loader import DEFAULT_CONFIG_PATH, load_config, load_config_text
from landing_zone.config.model import LandingZoneConfig

__all__ = [
    "DEFAULT_CONFIG_PATH",
    "ConfigError",
    "LandingZoneConfig",
    "Problem",
    "load_config",
    "load_config_text",
]
