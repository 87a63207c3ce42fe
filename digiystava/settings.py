"""Settings read once from the environment (see CONTRACT.md, Configuration)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Where the secret key and the default database live, whatever the working directory.

    ``DIGIYSTAVA_VAR_DIR`` when set; else ``var/`` of the installation when it is a source
    checkout (what ``make run`` uses); else the user's data directory
    (``$XDG_DATA_HOME/digiystava``, by default ``~/.local/share/digiystava``).
    """
    configured = os.environ.get("DIGIYSTAVA_VAR_DIR", "").strip()
    if configured:
        return Path(configured).expanduser().absolute()
    if (PROJECT_ROOT / "pyproject.toml").exists():
        return PROJECT_ROOT / "var"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share").expanduser() / "digiystava"


def database_url() -> str:
    """``DIGIYSTAVA_DATABASE_URL``, else the SQLite file ``digiystava.sqlite`` in the data directory."""
    return os.environ.get("DIGIYSTAVA_DATABASE_URL", "").strip() or f"sqlite:///{data_dir() / 'digiystava.sqlite'}"


# RFC 9106's low-memory choice (argon2-cffi's default), and OWASP's floor for Argon2id.
DEFAULT_PASSWORD_HASH_KIB = 64 * 1024
PRODUCTION_MIN_PASSWORD_HASH_KIB = 19 * 1024
# RFC 9106's first choice, 2 GiB a hash: more is a typo, which would fail or stall every login.
MAX_PASSWORD_HASH_KIB = 2 * 1024 * 1024


class ConfigurationError(RuntimeError):
    """A setting is missing or unsafe for the chosen environment."""


# A file sent to an import route (a delivery list, a spreadsheet of answers) may be this large;
# other requests stop at ``Settings.max_body_bytes``. A constant, not a setting: the routes name
# it as their modules are imported, before any settings are read.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    database_url: str = ""
    secret_key: str = ""
    env: str = "development"
    var_dir: Path = field(default=PROJECT_ROOT / "var")
    # NOTE: staff leave a tablet on the attendance page between sessions; one
    # hour idle is the compromise between that and a forgotten shared device.
    session_idle_minutes: int = 60
    login_max_failures: int = 5
    login_window_minutes: int = 15
    retention_months: int = 24
    max_body_bytes: int = 1024 * 1024
    # Credentials, list answers and outcome reports kept per process until a table they read changes
    # (read_cache.py); 0 turns the cache off.
    read_cache_entries: int = 512
    # The tracker's public address (DIGIYSTAVA_BASE_URL) for QR codes; empty: the address a page was opened from.
    public_url: str = ""
    # Load the report libraries in the background as a served worker starts (reports/warm.py).
    warm_start: bool = True
    # Memory each new password hash takes (Argon2id, KiB): argon2-cffi's default, RFC 9106's second choice.
    password_hash_kib: int = DEFAULT_PASSWORD_HASH_KIB

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")


def _secret_key(var_dir: Path, env: str) -> str:
    """The configured secret, or one generated once into var/secret_key."""
    configured = os.environ.get("DIGIYSTAVA_SECRET_KEY", "")
    if configured:
        if env == "production" and len(configured) < 32:
            raise ConfigurationError("DIGIYSTAVA_SECRET_KEY must be at least 32 characters in production")
        return configured
    if env == "production":
        raise ConfigurationError("DIGIYSTAVA_SECRET_KEY must be set in production")
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _whole_number(name: str, default: int, minimum: int) -> int:
    """A counted setting; a typo stops start-up with one line naming the variable."""
    raw = os.environ.get(name, str(default)).strip()
    if not raw.isdecimal() or int(raw) < minimum:
        raise ConfigurationError(f"{name} must be a whole number, at least {minimum} (got {raw[:20]!r})")
    return int(raw)


def _public_url() -> str:
    """DIGIYSTAVA_BASE_URL, checked: a QR code printed on a wrong address is a sheet of labels wasted."""
    raw = os.environ.get("DIGIYSTAVA_BASE_URL", "").strip()
    if raw and not raw.startswith(("http://", "https://")):
        raise ConfigurationError(f"DIGIYSTAVA_BASE_URL must start with http:// or https:// (got {raw[:40]!r})")
    return raw.rstrip("/")


def _password_hash_kib(env: str) -> int:
    """DIGIYSTAVA_PASSWORD_HASH_KIB: a smaller server may need less; production never below OWASP's floor."""
    # 32 KiB is the least Argon2 takes for its 4 lanes.
    kib = _whole_number("DIGIYSTAVA_PASSWORD_HASH_KIB", DEFAULT_PASSWORD_HASH_KIB, minimum=32)
    if env == "production" and kib < PRODUCTION_MIN_PASSWORD_HASH_KIB:
        raise ConfigurationError(
            f"DIGIYSTAVA_PASSWORD_HASH_KIB must be at least {PRODUCTION_MIN_PASSWORD_HASH_KIB} in production"
        )
    if kib > MAX_PASSWORD_HASH_KIB:
        raise ConfigurationError(f"DIGIYSTAVA_PASSWORD_HASH_KIB must be at most {MAX_PASSWORD_HASH_KIB} (2 GiB)")
    return kib


def _switch(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "1" if default else "0").strip()
    if raw not in ("0", "1"):
        raise ConfigurationError(f"{name} must be 0 or 1 (got {raw[:20]!r})")
    return raw == "1"


def load_settings() -> Settings:
    env = os.environ.get("DIGIYSTAVA_ENV", "development")
    if env not in ("development", "production"):
        raise ConfigurationError("DIGIYSTAVA_ENV must be 'development' or 'production'")
    var_dir = data_dir()
    return Settings(
        database_url=database_url(),
        secret_key=_secret_key(var_dir, env),
        env=env,
        var_dir=var_dir,
        retention_months=_whole_number("DIGIYSTAVA_RETENTION_MONTHS", 24, minimum=1),
        read_cache_entries=_whole_number("DIGIYSTAVA_READ_CACHE_ENTRIES", 512, minimum=0),
        public_url=_public_url(),
        password_hash_kib=_password_hash_kib(env),
        warm_start=_switch("DIGIYSTAVA_WARM_START", default=True),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
