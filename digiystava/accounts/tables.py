"""Tables of staff accounts and the audit log."""

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class StaffUser(Table, tablename="staff_user"):
    """A person who logs in: coordinator, trainer, steering member or volunteer."""

    id: Serial

    username = Varchar(length=64, unique=True, index=True)
    display_name = Varchar(length=200, default="")
    email = Varchar(length=254, default="")
    phone = Varchar(length=40, default="")
    role = Varchar(length=20, index=True)
    password_hash = Varchar(length=255)
    # Accounts made before passwords were taken exactly as typed: their hash is of the
    # stripped password, so login also tries that until the password is next set.
    password_edges_trimmed = Boolean(default=False)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    # The second factor (TOTP): the seed is derived from this salt and the app's secret,
    # so the database alone cannot produce codes. Empty salt: not set up.
    totp_salt = Varchar(length=64, default="")
    second_factor_since = Timestamptz(null=True, default=None)
    # The 30-second step of the last code taken: a code works once.
    totp_last_step = BigInt(null=True, default=None)


class RecoveryCode(Table, tablename="recovery_code"):
    """A one-time code that stands in for the authenticator app; stored as an Argon2id hash."""

    id: Serial

    user = ForeignKey(references=StaffUser, on_delete=OnDelete.cascade, index=True)
    code_hash = Varchar(length=255)
    used_at = Timestamptz(null=True, default=None)


class LoginChallenge(Table, tablename="login_challenge"):
    """A login half done on the pages: the password was right, the second step is to come.

    ``kind`` is ``code`` (enter a code) or ``enrol`` (set the second factor up, with the
    salt of the new seed). Only a hash of the cookie value is stored; it lasts minutes.
    """

    id: Serial

    key_hash = Varchar(length=64, unique=True, index=True)
    user = ForeignKey(references=StaffUser, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=10)
    totp_salt = Varchar(length=64, default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class LoginSession(Table, tablename="login_session"):
    """A browser session; only a hash of the cookie value is stored."""

    id: Serial

    key_hash = Varchar(length=64, unique=True, index=True)
    user = ForeignKey(references=StaffUser, on_delete=OnDelete.cascade, index=True)
    csrf_token = Varchar(length=64)
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())


class ApiToken(Table, tablename="api_token"):
    """A bearer token for scripts; the secret is shown once and stored hashed."""

    id: Serial

    user = ForeignKey(references=StaffUser, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=100, default="")
    prefix = Varchar(length=12)
    token_hash = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class LoginThrottle(Table, tablename="login_throttle"):
    """Login attempts of one account or one client address in the current window.

    Each attempt is counted in one statement before the password is checked, so
    parallel guesses cannot all slip under the limit.
    """

    id: Serial

    bucket = Varchar(length=100, unique=True)
    window_started = BigInt(default=0, index=True)  # Unix seconds
    attempts = Integer(default=0)


class AuditEntry(Table, tablename="audit_entry"):
    """Who created, changed or erased what; field names only, never personal values."""

    id: Serial

    at = Timestamptz(default=TimestamptzNow(), index=True)
    user = ForeignKey(references=StaffUser, on_delete=OnDelete.set_null, null=True, index=True)
    username = Varchar(length=64, default="")
    action = Varchar(length=20)
    entity = Varchar(length=40, index=True)
    entity_id = Varchar(length=40, index=True)
    fields = JSON(default=[])
    version = Integer(default=1)


class FormDraft(Table, tablename="form_draft"):
    """A page form sent after its session had ended, kept until its author signs in again.

    Only a hash of the browser's cookie is stored; ``page`` is the form's own address,
    ``user`` the ended session's user when the browser still named it. Kept for hours.
    """

    id: Serial

    key_hash = Varchar(length=64, unique=True, index=True)
    user = ForeignKey(references=StaffUser, on_delete=OnDelete.cascade, null=True, index=True)
    page = Varchar(length=2000)
    fields = JSON(default={})
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
