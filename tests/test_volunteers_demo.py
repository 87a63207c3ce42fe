"""The demo's volunteer section: volunteers always, pairs and hours when there are cohorts."""

import datetime as dt
import random

from digiystava import clock
from tests.factories import enrol, make_cohort, make_location, make_participant, make_user


async def test_without_cohorts_only_volunteers_are_made(db):
    from cohorts.tables import Pairing, Volunteer
    from cohorts.volunteers import demo

    user = await make_user("volunteer", "vapaaehtoinen")
    await demo.load("small", random.Random(2024), ["Kallio", "Töölö", "Malmi"], user)
    volunteers = await Volunteer.select(
        Volunteer.name, Volunteer.languages, Volunteer.organisation, Volunteer.user
    ).output(load_json=True)
    assert len(volunteers) == 15 and {v["organisation"] for v in volunteers} == {"HelsinkiMissio"}
    spoken = {code for v in volunteers for code in v["languages"]}
    assert {"fi", "sv", "ru", "ar", "en"} <= spoken
    assert [v["name"] for v in volunteers if v["user"] == user] == ["Ville Vapaaehtoinen"]
    assert await Pairing.count() == 0


async def test_with_cohorts_pairs_respect_capacity_and_the_linked_volunteer_has_seniors(db):
    from cohorts.tables import Pairing, Volunteer, VolunteerHours
    from cohorts.volunteers import demo

    location = await make_location()
    running = await make_cohort(location, name="Kinapori syksy", start_date=clock.today() - dt.timedelta(weeks=4))
    completed = await make_cohort(location, name="Kinapori kevät", status="completed", start_date=dt.date(2025, 1, 13))
    for n in range(12):
        senior = await make_participant(location, f"Senior{n}", "Testinen", "sv" if n % 4 == 0 else "fi")
        await enrol(running, senior)
        other = await make_participant(location, f"Entinen{n}", "Testinen")
        await enrol(completed, other, "completed")
    user = await make_user("volunteer", "vapaaehtoinen")
    await demo.load("small", random.Random(2024), ["Kallio", "Töölö"], user)
    pairs = await Pairing.select()
    assert {p["cohort"] for p in pairs} == {running, completed}
    assert all(p["ended_on"] is not None for p in pairs if p["cohort"] == completed)
    capacity = {v["id"]: v["max_participants"] for v in await Volunteer.select()}
    active = [p["volunteer"] for p in pairs if p["ended_on"] is None]
    assert all(active.count(v) <= capacity[v] for v in set(active))
    ville = (await Volunteer.select(Volunteer.id).where(Volunteer.user == user).first())["id"]
    assert ville in active
    assert await VolunteerHours.count() > 0
