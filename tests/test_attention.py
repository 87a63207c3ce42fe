"""The "needs attention" list of the home pages and ``GET /api/v1/attention``: counts, pages, trainer scope."""

import datetime as dt

import pytest

from digiystava import clock
from digiystava.access import Principal
from tests.factories import as_role, enrol, make_cohort, make_location, make_participant, make_user
from tests.factories.handouts import assess_before
from tests.factories.tablets import make_tablet
from tests.factories.volunteers import make_pairing, make_volunteer
from tests.test_pages import page_login

COORDINATOR = Principal(1, "koordinaattori", "coordinator")


async def _loan(participant_id: int, cohort_id: int, due: dt.date) -> None:
    from cohorts.tables import Loan

    tablet = await make_tablet(status="on_loan")
    await Loan(tablet=tablet, participant=participant_id, cohort=cohort_id, due_date=due).save()


async def _promoted(enrolment_id: int) -> None:
    from cohorts.tables import Enrolment

    await Enrolment.update({Enrolment.promoted_at: clock.now()}).where(Enrolment.id == enrolment_id)


async def _location_with_work(name: str, volunteer: str) -> dict:
    """A running course three weeks in with three seniors, each short of something, and a course past its dates.

    Aino: paired, answers at the start recorded, tablet overdue. Bertil: promoted from the
    waiting list and not called yet, no pair. Cecilia: nothing recorded. The volunteer has
    no identity check (paired all the same, with a coordinator's override).
    """
    today = clock.today()
    location = await make_location(name)
    # NOTE: the start three weeks back (a Monday or not): the course is running and far from its end.
    running = await make_cohort(location, name=f"{name} syksy", start_date=today - dt.timedelta(weeks=3))
    past = await make_cohort(location, name=f"{name} kevät", start_date=today - dt.timedelta(weeks=12))
    seniors = {}
    for first in ("Aino", "Bertil", "Cecilia"):
        seniors[first] = await make_participant(location, first_name=first, last_name=name.split()[0])
    enrolments = {first: await enrol(running, pid) for first, pid in seniors.items()}
    await _promoted(enrolments["Bertil"])
    friend = await make_volunteer(volunteer, identity_checked_on=None)
    await make_pairing(running, friend, seniors["Aino"])
    await assess_before(seniors["Aino"], running, [], search=1)
    await _loan(seniors["Aino"], running, today - dt.timedelta(days=3))
    # NOTE: a loan due today is not overdue yet.
    await _loan(seniors["Bertil"], running, today)
    return {"location": location, "running": running, "past": past, "volunteer": friend, **seniors}


def _lines(items) -> dict:
    return {i.kind: (i.count, i.href, [(p.href, p.count) for p in i.parts]) for i in items}


async def test_each_line_counts_what_is_left_and_links_where_it_is_put_right(db):
    from digiystava.attention.services import needs_attention

    kinapori = await _location_with_work("Kinapori palvelukeskus", "Mikko Laine")
    running, past = kinapori["running"], kinapori["past"]
    lines = _lines(await needs_attention(COORDINATOR))
    assert lines == {
        "calls": (1, "/#calls", [(f"/cohorts/{running}#enrolments", 1)]),
        "overdue_loans": (1, "/loans?show=overdue", []),
        # Bertil and Cecilia have no digital friend; the past course has nobody on it.
        "unpaired": (2, "/pairings", [(f"/pairings/cohorts/{running}", 2)]),
        "no_before": (2, "/assessments", [(f"/cohorts/{running}/assessments/before", 2)]),
        "past_dates": (1, "/cohorts?status=running", [(f"/cohorts/{past}", 1)]),
        "unchecked_volunteers": (1, "/volunteers", [(f"/volunteers/{kinapori['volunteer']}/edit", 1)]),
    }
    parts = {i.kind: i.parts for i in await needs_attention(COORDINATOR)}
    # Every cohort is named with its location.
    assert parts["unpaired"][0].label == "Kinapori palvelukeskus syksy – Kinapori palvelukeskus"


async def test_a_trainer_sees_only_their_own_locations(db):
    from digiystava.attention.services import needs_attention

    kinapori = await _location_with_work("Kinapori palvelukeskus", "Mikko Laine")
    toolo = await _location_with_work("Töölö palvelukeskus", "Ville Toivonen")
    trainer_id = await make_user("trainer", "tiina", [kinapori["location"]])
    trainer = Principal(trainer_id, "tiina", "trainer", frozenset({kinapori["location"]}))
    lines = _lines(await needs_attention(trainer))
    assert {kind: count for kind, (count, _href, _parts) in lines.items()} == {
        "calls": 1,
        "overdue_loans": 1,
        "unpaired": 2,
        "no_before": 2,
        "past_dates": 1,
        "unchecked_volunteers": 1,
    }
    every_href = [href for _c, href, parts in lines.values() for href in [href, *(p for p, _n in parts)]]
    assert not [h for h in every_href if str(toolo["running"]) in h.split("/") or str(toolo["past"]) in h.split("/")]
    # A trainer reads the pairs and the volunteer's page; pairing and the dates are a coordinator's.
    assert lines["unpaired"][2] == [(f"/pairings#cohort-{kinapori['running']}", 2)]
    assert lines["unchecked_volunteers"][2] == [(f"/volunteers/{kinapori['volunteer']}", 1)]
    # The coordinator sees both locations.
    assert _lines(await needs_attention(COORDINATOR))["unpaired"][0] == 4


async def test_what_is_done_leaves_the_list(db):
    from cohorts.tables import Cohort, Enrolment, Loan, Volunteer
    from digiystava.attention.services import needs_attention

    kinapori = await _location_with_work("Kinapori palvelukeskus", "Mikko Laine")
    friend = await make_volunteer("Liisa Koski", max_participants=3)
    for first in ("Bertil", "Cecilia"):
        await make_pairing(kinapori["running"], friend, kinapori[first])
        await assess_before(kinapori[first], kinapori["running"], [])
    await Enrolment.update({Enrolment.call_done_at: clock.now()}).where(Enrolment.promoted_at.is_not_null())
    await Loan.update({Loan.returned_at: clock.now()}).where(Loan.returned_at.is_null())
    await Cohort.update({Cohort.status: "completed"}).where(Cohort.id == kinapori["past"])
    await Volunteer.update({Volunteer.identity_checked_on: clock.today()}).where(Volunteer.id == kinapori["volunteer"])
    assert await needs_attention(COORDINATOR) == []


@pytest.mark.parametrize(
    "status, counted",
    [
        ("waitlisted", False),  # waiting for a seat: nobody pairs or assesses them yet
        ("dropped", False),
        ("enrolled", True),
    ],
)
async def test_only_seniors_on_the_course_count(db, status, counted):
    from digiystava.attention.services import needs_attention

    location = await make_location()
    cohort = await make_cohort(location, start_date=clock.today() - dt.timedelta(weeks=2))
    await enrol(cohort, await make_participant(location), status, 1 if status == "waitlisted" else None)
    kinds = {i.kind: i.count for i in await needs_attention(COORDINATOR)}
    assert kinds == ({"unpaired": 1, "no_before": 1} if counted else {})


async def test_the_roles_without_a_list(client):
    await as_role(client, "steering")
    assert (await client.get("/api/v1/attention")).status_code == 403


async def test_the_api_answers_the_same_list(client):
    kinapori = await _location_with_work("Kinapori palvelukeskus", "Mikko Laine")
    await _location_with_work("Töölö palvelukeskus", "Ville Toivonen")
    await as_role(client, "trainer", [kinapori["location"]])
    response = await client.get("/api/v1/attention")
    assert response.status_code == 200, response.text
    body = {item["kind"]: item for item in response.json()}
    assert body["unpaired"]["count"] == 2
    assert body["unpaired"]["parts"] == [
        {
            "label": "Kinapori palvelukeskus syksy – Kinapori palvelukeskus",
            "count": 2,
            "href": f"/pairings#cohort-{kinapori['running']}",
            "cohort_id": kinapori["running"],
            "volunteer_id": None,
        }
    ]


async def test_the_home_page_shows_the_lines_and_says_when_all_is_well(client):
    kinapori = await _location_with_work("Kinapori palvelukeskus", "Mikko Laine")
    await _location_with_work("Töölö palvelukeskus", "Ville Toivonen")
    await make_user("trainer", "tiina", [kinapori["location"]])
    await page_login(client, "tiina")
    await client.get("/language/en?next=/")
    html = (await client.get("/")).text
    assert "Needs attention" in html
    assert f'href="/pairings#cohort-{kinapori["running"]}"' in html
    assert "Seniors without a digital friend" in html
    assert "Töölö" not in html and "Ville Toivonen" not in html

    await make_user("trainer", "tuula", [await make_location("Oulunkylän kirjasto", "library")])
    client.cookies.clear()
    await page_login(client, "tuula")
    await client.get("/language/en?next=/")
    html = (await client.get("/")).text
    assert "Nothing needs your attention: all is well." in html


async def test_steering_and_volunteers_have_no_list_on_their_home_page(client):
    await make_user("steering", "sanna")
    await page_login(client, "sanna")
    await client.get("/language/en?next=/")
    assert "Needs attention" not in (await client.get("/")).text
