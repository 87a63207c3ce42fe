"""A senior's page tells the whole course: place, language by name, tablet and loan, digital friend,
attendance and both assessments with the chart; a location's page lists its cohorts and trainers."""

import datetime as dt

from digiystava import clock
from digiystava.access import COMMAND_LINE, Principal
from tests.factories import enrol, make_cohort, make_location, make_participant, make_user
from tests.factories.assessments import answers
from tests.factories.tablets import make_tablet
from tests.factories.volunteers import make_pairing, make_volunteer
from tests.test_pages import page_login


async def _mark(cohort_id: int, participant_id: int, statuses: list[str]) -> None:
    from cohorts.tables import Attendance, CourseSession

    sessions = (
        await CourseSession.select(CourseSession.id)
        .where(CourseSession.cohort == cohort_id)
        .order_by(CourseSession.week)
    )
    for session, status in zip(sessions, statuses, strict=False):
        await Attendance(session=session["id"], participant=participant_id, status=status).save()


async def _assess(participant_id: int, cohort_id: int, phase: str, **levels) -> None:
    from assessments.tables import Assessment

    await Assessment(
        participant=participant_id, cohort=cohort_id, phase=phase, instrument_version=1, answers=answers(**levels)
    ).save()


async def _gunnels_course() -> dict:
    """Gunnel (Swedish-speaking) on a running course at Kinapori, with a friend, a tablet and answers at the start;
    before that she took a course at Töölö."""
    from cohorts.tables import Loan

    kinapori, toolo = await make_location("Kinaporin palvelukeskus"), await make_location("Töölön palvelukeskus")
    gunnel = await make_participant(kinapori, first_name="Gunnel", last_name="Söderberg", language="sv")
    running = await make_cohort(kinapori, name="Syksy", start_date=clock.today() - dt.timedelta(weeks=4))
    earlier = await make_cohort(toolo, name="Kevät", start_date=clock.today() - dt.timedelta(weeks=40))
    await enrol(running, gunnel)
    await enrol(earlier, gunnel, "completed")
    await _mark(running, gunnel, ["present", "present", "absent", "excused"])
    mikko = await make_volunteer("Mikko Laine")
    await make_pairing(running, mikko, gunnel)
    tablet = await make_tablet()
    loan = Loan(tablet=tablet, participant=gunnel, cohort=running, due_date=clock.today() - dt.timedelta(days=1))
    await loan.save()
    await _assess(gunnel, running, "before", search=1, email=0)
    await _assess(gunnel, earlier, "before", search=0)
    await _assess(gunnel, earlier, "after", search=2)
    return {
        "kinapori": kinapori,
        "toolo": toolo,
        "gunnel": gunnel,
        "running": running,
        "earlier": earlier,
        "loan": loan.id,
        "mikko": mikko,
    }


async def test_a_seniors_courses_with_attendance_friend_tablet_and_answers(db):
    from cohorts.participants.overview import senior_courses

    data = await _gunnels_course()
    courses = await senior_courses(COMMAND_LINE, data["gunnel"])
    assert [c["cohort_id"] for c in courses] == [data["running"], data["earlier"]]  # newest first
    now = courses[0]
    assert (now["location_name"], now["status"], now["cohort_status"]) == (
        "Kinaporin palvelukeskus",
        "enrolled",
        "running",
    )
    assert now["attendance"] == {"present": 2, "absent": 1, "excused": 1, "rate": 0.5}
    assert [(f["volunteer_name"], f["ended_on"]) for f in now["friends"]] == [("Mikko Laine", None)]
    assert [(loan["id"], loan["overdue"]) for loan in now["loans"]] == [(data["loan"], True)]
    assert set(now["assessed"]) == {"before"}
    assert set(courses[1]["assessed"]) == {"before", "after"}


async def test_a_trainer_sees_only_the_courses_of_their_locations(db):
    from cohorts.participants.overview import senior_courses

    data = await _gunnels_course()
    trainer_id = await make_user("trainer", "tiina", [data["kinapori"]])
    trainer = Principal(trainer_id, "tiina", "trainer", frozenset({data["kinapori"]}))
    assert [c["cohort_id"] for c in await senior_courses(trainer, data["gunnel"])] == [data["running"]]


async def test_the_seniors_page(client):
    from assessments.tables import Assessment

    data = await _gunnels_course()
    await Assessment.update({Assessment.wishes: ["bills"], Assessment.wishes_text: "Kela"}).where(
        Assessment.cohort == data["running"], Assessment.phase == "before"
    )
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    await client.get("/language/en?next=/")
    page = await client.get(f"/participants/{data['gunnel']}")
    assert page.status_code == 200
    html = page.text
    assert "<dt>Language</dt><dd>Swedish</dd>" in html
    assert f'<a href="/locations/{data["kinapori"]}">Kinaporin palvelukeskus</a>' in html
    assert "present 2, absent 1, excused 1 (50 %)" in html
    assert "<strong>Mikko Laine</strong>" in html
    assert f'href="/loans/{data["loan"]}"' in html and "Overdue" in html and "agreement not signed yet" in html
    assert '<span class="visually-hidden"> – Syksy</span></a>: recorded' in html
    assert 'At the end<span class="visually-hidden"> – Syksy</span></a>: not recorded yet' in html
    # The first questionnaire's wishes, changed beside the grid.
    assert "Paying bills; “Kela”" in html and f'href="/cohorts/{data["running"]}/wishes/{data["gunnel"]}"' in html
    # The progress chart of each course with answers, beside a link to the same figures as a table.
    assert html.count("<svg") == 2
    assert f'href="/participants/{data["gunnel"]}/progress#course-{data["earlier"]}"' in html
    await client.get("/language/fi?next=/")
    assert "<dt>Kieli</dt><dd>ruotsi</dd>" in (await client.get(f"/participants/{data['gunnel']}")).text


async def test_a_location_page_lists_its_cohorts_and_trainers(client):
    data = await _gunnels_course()
    await make_user("trainer", "tiina", [data["kinapori"]])
    await make_user("trainer", "toivo", [data["toolo"]])
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    await client.get("/language/en?next=/")
    html = (await client.get(f"/locations/{data['kinapori']}")).text
    assert f'href="/cohorts/{data["running"]}"' in html and f'href="/cohorts/{data["earlier"]}"' not in html
    assert "Tiina" in html and "Toivo" not in html
    empty = await make_location("Oulunkylän kirjasto", "library")
    html = (await client.get(f"/locations/{empty}")).text
    assert "No trainer works at this location yet." in html and "No cohorts at this location yet." in html
