"""The attendance grid: one click per mark, and a whole week present with one button."""

import datetime as dt
import re

import pytest

from digiystava import clock
from tests.factories import as_role, enrol, make_cohort, make_location, make_participant


async def _running_cohort_of_three(client):
    location = await make_location()
    cohort = await make_cohort(location, start_date=clock.today() - dt.timedelta(weeks=3), status="running")
    people = [await make_participant(location, first_name=name, phone="") for name in ("Aino", "Bertil", "Eino")]
    for person in people:
        await enrol(cohort, person)
    await as_role(client, "trainer", [location])
    sessions = (await client.get(f"/api/v1/cohorts/{cohort}/sessions")).json()
    return cohort, people, sessions


async def _marks(client, session_id):
    return {
        a["participant_id"]: a["status"] for a in (await client.get(f"/api/v1/sessions/{session_id}/attendance")).json()
    }


@pytest.mark.clock
async def test_each_mark_is_one_click_on_a_choice_in_its_cell(client):
    cohort, (aino, _bertil, _eino), sessions = await _running_cohort_of_three(client)
    grid = await client.get(f"/cohorts/{cohort}/attendance", headers={"accept": "text/html"})
    cell = re.search(
        rf'<fieldset class="marks" id="field-a-{sessions[0]["id"]}-{aino}".*?</fieldset>', grid.text, re.S
    ).group(0)
    # Three radio buttons, each a single click, under a legend naming the senior and the week.
    assert re.findall(r'type="radio" name="a-\d+-\d+" value="(\w+)"', cell) == ["present", "absent", "excused"]
    assert "Aino Virtanen, viikko 1" in cell
    assert "<select" not in grid.text


@pytest.mark.clock
async def test_everyone_present_fills_a_weeks_empty_cells_and_keeps_those_marked(client):
    cohort, (aino, bertil, eino), sessions = await _running_cohort_of_three(client)
    week1, week2 = sessions[0]["id"], sessions[1]["id"]
    future = next(s for s in sessions if dt.date.fromisoformat(s["date"]) > clock.today())
    grid = await client.get(f"/cohorts/{cohort}/attendance", headers={"accept": "text/html"})
    assert f'name="everyone_present" value="{week1}"' in grid.text
    # NOTE: no such button for a session still to come: nobody can be present yet.
    assert f'name="everyone_present" value="{future["id"]}"' not in grid.text
    saved = await client.post(
        f"/cohorts/{cohort}/attendance",
        data={
            "_csrf": client.headers["X-CSRFToken"],
            "everyone_present": str(week1),
            f"a-{week1}-{bertil}": "absent",
            f"a-{week2}-{eino}": "excused",
        },
        headers={"accept": "text/html"},
    )
    assert saved.status_code == 303, saved.text
    assert await _marks(client, week1) == {aino: "present", bertil: "absent", eino: "present"}
    # The other weeks keep only what was chosen.
    assert await _marks(client, week2) == {aino: None, bertil: None, eino: "excused"}


@pytest.mark.clock
async def test_a_refused_mark_comes_back_at_its_cell_and_another_cohorts_week_is_not_found(client):
    cohort, (aino, bertil, _eino), sessions = await _running_cohort_of_three(client)
    future = next(s for s in sessions if dt.date.fromisoformat(s["date"]) > clock.today())["id"]
    week1 = sessions[0]["id"]
    html, token = {"accept": "text/html"}, client.headers["X-CSRFToken"]
    # NOTE: present is a fact only once the session is held: a mark ahead is refused at its cell, and
    # what was typed (the held week's mark too) comes back, nothing of it saved.
    ahead = await client.post(
        f"/cohorts/{cohort}/attendance",
        data={"_csrf": token, f"a-{future}-{aino}": "present", f"a-{week1}-{bertil}": "absent"},
        headers=html,
    )
    assert ahead.status_code == 422 and f'href="#field-a-{future}-{aino}"' in ahead.text
    assert re.search(rf'name="a-{week1}-{bertil}" value="absent"[^>]*checked', ahead.text)
    assert (await _marks(client, week1))[bertil] is None
    other = await make_cohort(await make_location("Malmin kirjasto", "library", "Malmi"))
    from cohorts.tables import CourseSession

    theirs = (await CourseSession.select(CourseSession.id).where(CourseSession.cohort == other).first())["id"]
    foreign = await client.post(
        f"/cohorts/{cohort}/attendance", data={"_csrf": token, f"a-{theirs}-{aino}": "present"}, headers=html
    )
    assert foreign.status_code == 404
