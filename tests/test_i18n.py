"""Every text of the pages is translated into Finnish and Swedish; the chosen language sticks."""

from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHOD_MAP = [
    ("digiystava/**.py", "python"),
    ("cohorts/**.py", "python"),
    ("assessments/**.py", "python"),
    ("pdf_templates/**.py", "python"),
    ("digiystava/web/templates/**.html", "jinja2"),
]
# The printed documents mark their texts with NP_(context, text) (pdf_templates/wording.py).
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2)}


def source_messages() -> set[tuple[str | None, str]]:
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS, options_map={"**.html": {"extensions": "jinja2.ext.i18n"}}
    ):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_message_is_translated(lang):
    with open(ROOT / "digiystava" / "locale" / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale=lang)
    translated = {
        (m.context, m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and (m.string if isinstance(m.string, str) else all(m.string))
    }
    missing = sorted(source_messages() - translated)
    assert not missing, f"untranslated in {lang} (run `make messages` and translate): {missing[:10]}"


async def test_pages_are_finnish_by_default_and_remember_the_choice(client):
    page = await client.get("/login")
    assert '<html lang="fi">' in page.text and "Kirjaudu" in page.text
    switched = await client.get("/language/sv?next=/login", follow_redirects=True)
    assert '<html lang="sv">' in switched.text and "Logga in" in switched.text
    assert '<html lang="sv">' in (await client.get("/login")).text
    english = await client.get("/language/en?next=/login", follow_redirects=True)
    assert '<html lang="en">' in english.text and "Log in to Digiystävä" in english.text


async def test_language_switch_never_redirects_off_site(client):
    response = await client.get("/language/fi?next=https://evil.example/", follow_redirects=False)
    assert response.headers["location"] == "/"
