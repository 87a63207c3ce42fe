"""Every refusal on a page says what is allowed, in the page's language, and keeps what was typed."""

import pytest
from pydantic import BaseModel, Field, ValidationError

from cohorts.locations.schemas import LocationIn
from cohorts.volunteers.schemas import VolunteerIn
from digiystava import i18n
from digiystava.plain_messages import parameter_message, plain_message
from digiystava.schemas import Date
from digiystava.web.forms import typed_date
from tests.factories import make_location, make_user, set_cookie
from tests.test_pages import csrf, page_login

HTML = {"accept": "text/html"}
VAGUE = ("Tarkista tämä arvo", "Kontrollera värdet", "Check this value", "Expected", "int | null", "Syötä kelvollinen")


def errors_of(model, data) -> list[str]:
    try:
        model.model_validate(data, strict=False)
    except ValidationError as exc:
        return [_fi(plain_message(e)) for e in exc.errors()]
    raise AssertionError("accepted")


def _fi(message) -> str:
    template = message.template if isinstance(message, i18n.Filled) else message
    values = message.values if isinstance(message, i18n.Filled) else {}
    return i18n.translate("fi", template).format(**values)


class Numbers(BaseModel):
    weeks: int = Field(ge=1, le=52)
    hours: float


@pytest.mark.parametrize(
    ("model", "data", "expected"),
    [
        # a place's name: the length it may have
        (LocationIn, {"name": "x" * 201, "kind": "library"}, "Kirjoita enintään 200 merkkiä."),
        (LocationIn, {"name": "Oodi", "kind": "library", "district": "x" * 101}, "Kirjoita enintään 100 merkkiä."),
        # a choice: the choices
        (LocationIn, {"name": "Oodi", "kind": "castle"}, "Valitse jokin näistä: community_house, service_centre"),
        # a language code: what one looks like
        (VolunteerIn, {"name": "Ville", "languages": ["suomi"]}, "Käytä kielikoodeja, kuten fi, sv tai en."),
        # a number's bounds, a whole number, a number
        (Numbers, {"weeks": 0, "hours": 1}, "Kirjoita luku, joka on vähintään 1."),
        (Numbers, {"weeks": 60, "hours": 1}, "Kirjoita luku, joka on enintään 52."),
        (Numbers, {"weeks": "kymmenen", "hours": 1}, "Kirjoita kokonaisluku, esimerkiksi 12."),
        (Numbers, {"weeks": 2, "hours": "puoli"}, "Kirjoita luku, esimerkiksi 1,5."),
        # required
        (Numbers, {"hours": 1}, "Täytä tämä kenttä."),
    ],
)
def test_each_kind_of_refusal_says_what_is_allowed(model, data, expected):
    messages = errors_of(model, data)
    assert any(m.startswith(expected) for m in messages), messages


def test_a_date_in_the_wrong_form_names_the_form():
    class Day(BaseModel):
        day: Date

    assert errors_of(Day, {"day": "2026/12/06"}) == [
        "Kirjoita päivämäärä muodossa päivä.kuukausi.vuosi, esimerkiksi 6.12.2026."
    ]
    assert errors_of(Day, {"day": "1999-12-31"}) == ["Anna päivämäärä väliltä 1.1.2000–31.12.2099."]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("6.12.2026", "2026-12-06"),
        ("06.12.2026", "2026-12-06"),
        (" 6. 12. 2026 ", "2026-12-06"),
        ("6.12.2026.", "2026-12-06"),  # a full stop after the year, as some write it
        ("2026-12-06", "2026-12-06"),
        ("31.2.2026", "2026-02-31"),  # no such day: the schema refuses it with the format
        ("joulukuu", "joulukuu"),
    ],
)
def test_dates_are_read_as_they_are_written_in_finland(typed, read):
    assert typed_date(typed) == read


def test_parameter_messages_are_plain():
    assert _fi(parameter_message("Expected `int | null`, got `str`")) == "Kirjoita kokonaisluku, esimerkiksi 12."
    assert _fi(parameter_message("Expected `int` >= 0")) == "Kirjoita luku, joka on vähintään 0."
    assert parameter_message("something new") is None


async def _new_senior_form(client) -> dict[str, str]:
    """A coordinator at the new-senior form: its token and the fields a person fills first."""
    await make_user("coordinator", "kaisa")
    location_id = await make_location()
    await page_login(client, "kaisa")
    form = await client.get("/participants/new", headers=HTML)
    return {
        "_csrf": csrf(form.text),
        "first_name": "Aino",
        "last_name": "Virtanen",
        "language": "fi",
        "location_id": str(location_id),
    }


async def test_a_senior_form_walked_with_bad_input_in_finnish(client):
    typed = {**await _new_senior_form(client), "birth_year": "vuonna 1950", "consent_given_on": "31.2.2026"}
    refused = await client.post("/participants", data=typed, headers=HTML)
    assert refused.status_code == 422
    assert 'value="31.2.2026"' in refused.text and 'value="vuonna 1950"' in refused.text
    assert "Kirjoita päivämäärä muodossa päivä.kuukausi.vuosi, esimerkiksi 6.12.2026." in refused.text
    assert "Kirjoita kokonaisluku" in refused.text
    assert not any(vague in refused.text for vague in VAGUE)
    # The Finnish way of writing the date is taken as it is.
    accepted = await client.post(
        "/participants", data={**typed, "birth_year": "1950", "consent_given_on": "06.12.2026"}, headers=HTML
    )
    assert accepted.status_code == 303, accepted.text
    person = await client.get(f"{accepted.headers['location'].split('?')[0]}/edit", headers=HTML)
    assert 'value="6.12.2026"' in person.text


async def test_a_volunteer_form_walked_with_bad_input_in_swedish(client):
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    set_cookie(client, i18n.LANGUAGE_COOKIE, "sv")
    form = await client.get("/volunteers/new", headers=HTML)
    typed = {
        "_csrf": csrf(form.text),
        "name": "Ville Volontär",
        "organisation": "x" * 250,
        "languages": "suomi, sv",
        "max_participants": "11",
        "training_done_on": "1.12.2026",
        "active": "true",
    }
    refused = await client.post("/volunteers", data=typed, headers=HTML)
    assert refused.status_code == 422
    for message in (
        "Använd språkkoder som fi, sv eller en.",
        "Skriv ett tal som är högst 10.",
        "Skriv högst 200 tecken.",
    ):
        assert message in refused.text, message
    assert 'value="1.12.2026"' in refused.text
    assert not any(vague in refused.text for vague in VAGUE)


async def test_a_page_address_with_a_wrong_number_says_what_is_allowed(client):
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    refused = await client.get("/cohorts?location_id=kolme", headers=HTML)
    assert refused.status_code in (400, 422)
    assert "Kirjoita kokonaisluku" in refused.text and "Expected" not in refused.text


def test_no_refusal_is_vague():
    """The catch-all of the plain messages is never the bare "check this value"."""
    assert (
        _fi(plain_message({"type": "something_new", "msg": "?"})) == "Kirjoita arvo kentän ohjeen mukaisessa muodossa."
    )


async def test_the_report_picker_takes_dates_as_they_are_written(client):
    await make_user("steering", "sanna")
    await page_login(client, "sanna")
    shown = await client.get("/reports/outcomes?from=1.9.2026&to=31.12.2026", headers=HTML)
    assert shown.status_code == 200, shown.text
    refused = await client.get("/reports/outcomes?from=syyskuu", headers=HTML)
    assert refused.status_code == 422
    assert "Kirjoita päivämäärä muodossa päivä.kuukausi.vuosi, esimerkiksi 6.12.2026." in refused.text
    # The API keeps to ISO dates, as its document says.
    assert (await client.get("/api/v1/reports/outcomes?from=1.9.2026")).status_code == 422


async def test_notes_typed_on_two_lines_in_a_form_are_saved_as_two_lines(client):
    """A browser sends a text box's line breaks as CR LF; the API would refuse a CR, the form must not."""
    from cohorts.tables import Participant

    typed = {
        **await _new_senior_form(client),
        "consent_given_on": "6.12.2026",
        "wishes_text": "Videopuhelut\r\nKuvien lähettäminen\r\n",
    }
    accepted = await client.post("/participants", data=typed, headers=HTML)
    assert accepted.status_code == 303, accepted.text[-800:]
    [saved] = await Participant.select(Participant.wishes_text)
    assert saved["wishes_text"] == "Videopuhelut\nKuvien lähettäminen"
