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
