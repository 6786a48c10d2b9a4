"""``identity``: workforce sign-in through IAM Identity Center and an external identity provider."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from landing_zone.config.base import ConfigModel, Hint
from landing_zone.config.errors import Problem

if TYPE_CHECKING:
    from landing_zone.config.model import LandingZoneConfig

SessionHours = Annotated[int, Field(ge=1, le=12), Hint(expected="a whole number of hours from 1 to 12")]


class IdentitySection(ConfigModel):
    """People sign in with the organisation's identity provider through IAM Identity Center."""

    provider: Literal["entra-id", "other-saml"] = Field(
        default="entra-id",
        description=(
            "Identity provider federated with IAM Identity Center: Microsoft Entra ID or another SAML "
            "2.0 IdP."
        ),
    )
    identity_center_instance_arn: (
        Annotated[
            str,
            Field(pattern=r"^arn:aws:sso:::instance/ssoins-[0-9a-f]{16}$"),
            Hint(
                expected="an IAM Identity Center instance ARN",
                example="arn:aws:sso:::instance/ssoins-0123456789abcdef",
            ),
        ]
        | None
    ) = Field(
        default=None,
        description=(
            "ARN of the existing IAM Identity Center instance (enable it once in the management account)."
        ),
    )
    identity_store_id: (
        Annotated[
            str,
            Field(pattern=r"^d-[0-9a-f]{10}$"),
            Hint(expected="an identity store ID: 'd-' and 10 hexadecimal characters", example="d-0123456789"),
        ]
        | None
    ) = Field(default=None, description="ID of the Identity Center identity store.")
    max_session_hours: SessionHours = Field(
        default=8, description="Longest sign-in session for ordinary permission sets, in hours."
    )
    admin_max_session_hours: SessionHours = Field(
        default=1, description="Longest sign-in session for administrative permission sets, in hours."
    )


def check(cfg: LandingZoneConfig) -> list[Problem]:
    """Identity checks:

    - Administrative sessions are no longer than ordinary ones.
    """
    identity = cfg.identity
    if identity.admin_max_session_hours > identity.max_session_hours:
        return [
            Problem(
                "identity.admin_max_session_hours",
                f"administrative sessions ({identity.admin_max_session_hours} h) are longer than ordinary "
                f"sessions ({identity.max_session_hours} h)",
                "set admin_max_session_hours to at most max_session_hours: privileged sessions should be "
                "short",
            )
        ]
    return []
