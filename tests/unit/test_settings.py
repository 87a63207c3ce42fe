"""Counted settings: a typo stops start-up with one line naming the variable."""

from __future__ import annotations

import pytest

from digiystava.settings import ConfigurationError, load_settings


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DIGIYSTAVA_READ_CACHE_ENTRIES", "abc"),
        ("DIGIYSTAVA_READ_CACHE_ENTRIES", "-1"),
        ("DIGIYSTAVA_RETENTION_MONTHS", "0"),
    ],
)
def test_a_bad_count_names_its_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=name):
        load_settings()


def test_counts_are_read(monkeypatch):
    monkeypatch.setenv("DIGIYSTAVA_READ_CACHE_ENTRIES", "0")
    monkeypatch.setenv("DIGIYSTAVA_RETENTION_MONTHS", "36")
    settings = load_settings()
    assert (settings.read_cache_entries, settings.retention_months) == (0, 36)


def test_the_public_address_is_an_http_address(monkeypatch):
    monkeypatch.setenv("DIGIYSTAVA_BASE_URL", "digiystava.hel.fi")
    with pytest.raises(ConfigurationError, match="DIGIYSTAVA_BASE_URL"):
        load_settings()
    monkeypatch.setenv("DIGIYSTAVA_BASE_URL", "https://digiystava.hel.fi/")
    assert load_settings().public_url == "https://digiystava.hel.fi"


def test_passwords_are_hashed_at_64_mib_unless_told_and_never_below_owasps_floor_in_production(monkeypatch):
    from argon2 import extract_parameters

    from digiystava.accounts import passwords

    monkeypatch.delenv("DIGIYSTAVA_PASSWORD_HASH_KIB")  # the suite's own small cost (conftest)
    assert load_settings().password_hash_kib == 64 * 1024
    monkeypatch.setattr(passwords, "get_settings", load_settings)
    passwords.hasher.cache_clear()
    try:
        assert extract_parameters(passwords.hasher().hash("x" * 12)).memory_cost == 64 * 1024
    finally:
        passwords.hasher.cache_clear()
    monkeypatch.setenv("DIGIYSTAVA_ENV", "production")
    monkeypatch.setenv("DIGIYSTAVA_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("DIGIYSTAVA_PASSWORD_HASH_KIB", "32")
    with pytest.raises(ConfigurationError, match="DIGIYSTAVA_PASSWORD_HASH_KIB"):
        load_settings()
    monkeypatch.setenv("DIGIYSTAVA_PASSWORD_HASH_KIB", str(19 * 1024))
    assert load_settings().password_hash_kib == 19 * 1024


def test_a_password_hash_cost_no_server_could_pay_stops_start_up(monkeypatch):
    """A few zeros too many (65536000 KiB: 62 GiB a login) would fail every login, or swap the server to a halt."""
    monkeypatch.setenv("DIGIYSTAVA_PASSWORD_HASH_KIB", "65536000")
    with pytest.raises(ConfigurationError, match="DIGIYSTAVA_PASSWORD_HASH_KIB"):
        load_settings()


def test_recovery_codes_take_owasps_floor_unless_passwords_take_less(monkeypatch):
    from argon2 import extract_parameters

    from digiystava.accounts import second_factor

    monkeypatch.setattr(second_factor, "get_settings", load_settings)
    for kib, expected in ((None, 19 * 1024), ("32", 32)):
        if kib is None:
            monkeypatch.delenv("DIGIYSTAVA_PASSWORD_HASH_KIB")
        else:
            monkeypatch.setenv("DIGIYSTAVA_PASSWORD_HASH_KIB", kib)
        second_factor._recovery_hasher.cache_clear()
        try:
            assert extract_parameters(second_factor._recovery_hasher().hash("ABCD")).memory_cost == expected
        finally:
            second_factor._recovery_hasher.cache_clear()
