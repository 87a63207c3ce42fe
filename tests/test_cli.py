"""The command line: set-up commands work, and each failure is one clear line and a non-zero exit."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories.commands import on_database

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def url(db, database_urls):
    # The db fixture has emptied the migrated database of this engine.
    return database_urls["postgres" if db.engine_type == "postgres" else "sqlite"]


async def test_migrate_is_idempotent(url):
    assert on_database(url, "migrate").returncode == 0


async def test_demo_then_user_commands(url):
    demo = on_database(url, "demo", "--scale", "small")
    assert demo.returncode == 0, demo.stderr
    assert "koordinaattori" in demo.stdout
    again = on_database(url, "demo", "--if-empty")
    # A second `make run` shows the logins again.
    assert again.returncode == 0 and "koordinaattori" in again.stdout and "digiystava-demo" in again.stdout
    refused = on_database(url, "demo")
    assert refused.returncode != 0 and len(refused.stderr.strip().splitlines()) == 1

    created = on_database(
        url,
        "user",
        "create",
        "anna.lindqvist",
        "--role",
        "trainer",
        "--location",
        "1",
        "--password-stdin",
        stdin="pitka-salasana\n",
    )
    assert created.returncode == 0, created.stderr
    token = on_database(url, "user", "token", "anna.lindqvist")
    assert token.returncode == 0 and token.stdout.startswith("dy_")


@pytest.mark.parametrize(
    "args, stdin, expected",
    [
        (
            ["user", "create", "lyhyt", "--role", "trainer", "--password-stdin"],
            "short\n",
            "at least 8",
        ),  # weak password
        (
            ["user", "create", "x y", "--role", "trainer", "--password-stdin"],
            "pitka-salasana\n",
            "username",
        ),  # bad username
        (
            ["user", "create", "ok.name", "--role", "trainer", "--location", "999", "--password-stdin"],
            "pitka-salasana\n",
            "location",
        ),  # unknown location
        (["user", "token", "nobody"], None, "nobody"),  # unknown user
        (["report", "funder", "--from", "2026-13-01", "--out", "/tmp/x.pdf"], None, "--from"),  # not a date
    ],
)
async def test_failures_are_one_line(url, args, stdin, expected):
    result = on_database(url, *args, stdin=stdin)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_unsupported_database_url_is_one_line():
    result = on_database("mysql://nope", "migrate")
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1


def test_user_create_without_a_terminal_says_to_pipe_the_password(tmp_path):
    # NOTE: a new session has no controlling terminal, as under cron, CI or a deployment script.
    result = subprocess.run(
        [sys.executable, "-m", "digiystava", "user", "create", "anna", "--role", "trainer"],
        cwd=tmp_path,
        env={**os.environ, "DIGIYSTAVA_DATABASE_URL": f"sqlite:///{tmp_path}/unused.sqlite"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--password-stdin" in lines[0], result.stderr
    assert "digiystava user create anna --role trainer --password-stdin" in lines[0]


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DIGIYSTAVA_DATABASE_URL", "DIGIYSTAVA_VAR_DIR")}
    return {**env, **extra}


def test_the_default_database_lives_with_the_installation_not_the_working_directory(tmp_path):
    probe = "from digiystava.settings import get_settings; print(get_settings().database_url)"
    shown = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, timeout=60
    )
    assert shown.stdout.strip() == f"sqlite:///{ROOT / 'var' / 'digiystava.sqlite'}", shown.stderr
    # A data directory of its own: the database goes there, from any directory, and the URL still wins.
    data = tmp_path / "data"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    migrated = subprocess.run(
        [sys.executable, "-m", "digiystava", "migrate"],
        cwd=elsewhere,
        env=_clean_env(DIGIYSTAVA_VAR_DIR=str(data)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrated.returncode == 0, migrated.stderr
    assert (data / "digiystava.sqlite").exists() and list(elsewhere.iterdir()) == []
    chosen = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        env=_clean_env(DIGIYSTAVA_VAR_DIR=str(data), DIGIYSTAVA_DATABASE_URL="sqlite:////srv/other.sqlite"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert chosen.stdout.strip() == "sqlite:////srv/other.sqlite"


def test_an_installed_copy_keeps_its_data_in_the_users_data_directory(tmp_path, monkeypatch):
    from digiystava import settings

    monkeypatch.delenv("DIGIYSTAVA_VAR_DIR")
    monkeypatch.delenv("DIGIYSTAVA_DATABASE_URL")
    monkeypatch.setattr(settings, "PROJECT_ROOT", tmp_path / "site-packages")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert settings.data_dir() == tmp_path / "share" / "digiystava"
    assert settings.database_url() == f"sqlite:///{tmp_path}/share/digiystava/digiystava.sqlite"


async def test_the_funders_report_as_pdf_and_spreadsheet(url, tmp_path):
    for name in ("funder.pdf", "funder.xlsx"):
        result = on_database(url, "report", "funder", "--funder", "STEA", "--lang", "sv", "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "funder.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "funder.xlsx").read_bytes().startswith(b"PK")
