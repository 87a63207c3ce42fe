"""Pairing reasons in words, in the page's language."""

from __future__ import annotations

from typing import Any

from babel import Locale

from cohorts.volunteers import matching as m
from digiystava import i18n
from digiystava.i18n import _, ngettext


def language_name(code: str, lang: str | None = None) -> str:
    """ "sv" -> "ruotsi" on a Finnish page; unknown codes stay as they are."""
    names = Locale.parse(lang or i18n.current_language()).languages
    return names.get(code, code) if code else "?"


def describe(code: str, params: dict[str, Any]) -> str:
    """One reason as a short sentence; an unknown code is shown as it is."""
    p = dict(params)
    if "language" in p:
        p["language"] = language_name(str(p["language"]))
    slots = int(p.get("slots", 0))
    texts = {
        m.SHARED_LANGUAGE: lambda: _("Shared language: %(language)s") % p,
        m.NO_SHARED_LANGUAGE: lambda: _("No shared language (the senior's language: %(language)s)") % p,
        m.AVAILABLE: lambda: (
            ngettext("Free at the practice session", "Free at all %(num)d practice sessions", slots) % {"num": slots}
        ),
        m.PARTLY_AVAILABLE: lambda: _("Free for %(percent)d%% of the practice time") % p,
        m.NOT_AVAILABLE: lambda: _("Not free at the practice times"),
        m.SAME_DISTRICT: lambda: _("Active in the senior's district, %(district)s") % p,
        m.NEIGHBOURING_DISTRICT: lambda: (
            _("Active in %(volunteer_district)s, next to the senior's district %(district)s") % p
        ),
        m.FAR_DISTRICT: lambda: _("Not active in or next to the senior's district, %(district)s") % p,
        m.UNKNOWN_DISTRICT: lambda: _("The senior's district is not known"),
        m.LOAD: lambda: _("Already guides %(seniors)d of at most %(capacity)d seniors") % p,
        m.NO_VOLUNTEERS: lambda: _("There are no active volunteers"),
        m.NO_CAPACITY: lambda: _no_capacity(int(p.get("free", 0))),
    }
    text = texts.get(code)
    return text() if text else code


def _no_capacity(free: int) -> str:
    if free == 0:
        return _("No volunteer has a free place")
    return ngettext("The only free place went to a better fit", "All %(num)d free places went to better fits", free) % {
        "num": free
    }
