"""Request and response models of accounts, tokens and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from digiystava.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from digiystava.schemas import CleanStr, Id, In, Out, published_pattern

Role = Literal["coordinator", "trainer", "steering", "volunteer"]
Username = Annotated[CleanStr, StringConstraints(min_length=2, max_length=64), published_pattern(r"^[A-Za-z0-9._@-]+$")]
# NOTE: a password is exactly what was typed: never stripped (NIST SP 800-63B), unlike other text.
# The schema publishes its length; check_strength words the refusal.
Password = Annotated[str, StringConstraints(strip_whitespace=False, min_length=MIN_LENGTH, max_length=MAX_LENGTH)]


class LoginIn(In):
    username: Annotated[str, StringConstraints(max_length=64)]
    password: Annotated[str, StringConstraints(strip_whitespace=False, max_length=256)]
    otp: Annotated[str, StringConstraints(max_length=40)] | None = Field(
        default=None,
        description=(
            "The second factor, for accounts that have one (every coordinator): the 6-digit code of the "
            "authenticator app, or one of the account's one-time recovery codes. Without it such an account's "
            'login answers 401 with `second_factor: "code"`; a coordinator who has not set one up gets '
            '`second_factor: "enrol"` and sets it up on the login page first.'
        ),
    )


class MeOut(Out):
    username: str
    role: Role
    location_ids: list[int]
    display_name: str = ""
    csrf_token: str | None = None


class UserIn(In):
    username: Username
    role: Role
    password: Password
    display_name: Annotated[CleanStr, StringConstraints(max_length=200)] = ""
    email: Annotated[CleanStr, StringConstraints(max_length=254)] = ""
    phone: Annotated[CleanStr, StringConstraints(max_length=40)] = ""
    location_ids: list[Id] = Field(default_factory=list)


class UserPatch(In):
    role: Role = None
    active: bool = None
    display_name: Annotated[CleanStr, StringConstraints(max_length=200)] = None
    email: Annotated[CleanStr, StringConstraints(max_length=254)] = None
    phone: Annotated[CleanStr, StringConstraints(max_length=40)] = None
    location_ids: list[Id] = None
    password: Password = None


class UserOut(Out):
    id: int
    username: str
    role: Role
    active: bool
    display_name: str
    email: str
    phone: str
    location_ids: list[int]
    created_at: dt.datetime
    second_factor_since: dt.datetime | None = Field(
        default=None, description="When two-step verification was set up; null: not in use."
    )


class TokenIn(In):
    name: Annotated[CleanStr, StringConstraints(min_length=1, max_length=100)] = "script"


class TokenOut(Out):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(description="The secret, shown only this once.")


class AuditOut(Out):
    id: int
    at: dt.datetime
    user: str
    action: str
    entity: str
    entity_id: str
    fields: list[str]
