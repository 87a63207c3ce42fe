"""Test data for the guides: a cohort with a trainer, a coordinator, loans, pairs and intake wishes."""

from __future__ import annotations

import datetime as dt

from digiystava import clock
from tests.factories import enrol, make_cohort, make_location, make_participant, make_user
from tests.factories.assessments import answers
from tests.factories.tablets import make_tablet
from tests.factories.volunteers import make_pairing, make_volunteer


async def _contact(user_id: int, display_name: str, phone: str, email: str) -> None:
    from digiystava.accounts.tables import StaffUser

    await StaffUser.update(
        {StaffUser.display_name: display_name, StaffUser.phone: phone, StaffUser.email: email}
    ).where(StaffUser.id == user_id)


async def lend(participant_id: int, cohort_id: int, os: str, returned: bool = False, days_ago: int = 10) -> int:
    from cohorts.tables import Loan, Tablet

    tablet_id = await make_tablet(
        model="iPad 9" if os == "ipados" else "Samsung Galaxy Tab A9+", status="available" if returned else "on_loan"
    )
    await Tablet.update({Tablet.os: os}).where(Tablet.id == tablet_id)
    out_at = clock.now() - dt.timedelta(days=days_ago)
    loan = Loan(
        tablet=tablet_id,
        participant=participant_id,
        cohort=cohort_id,
        out_at=out_at,
        due_date=dt.date(2026, 11, 23),
        returned_at=out_at + dt.timedelta(days=1) if returned else None,
        outcome="returned" if returned else "",
    )
    await loan.save()
    return loan.id


async def assess_before(participant_id: int, cohort_id: int, wishes: list[str], **levels: int | None) -> None:
    from assessments.tables import Assessment

    await Assessment(
        participant=participant_id,
        cohort=cohort_id,
        phase="before",
        instrument_version=1,
        answers=answers(**levels),
        wishes=wishes,
    ).save()


async def guide_course() -> dict[str, int]:
    """A running cohort at Kinapori with four seniors, each set up to show one kind of tailoring."""
    location_id = await make_location("Kinaporin palvelukeskus", address="Kinaporinkatu 9")
    trainer_id = await make_user("trainer", location_ids=[location_id])
    await _contact(trainer_id, "Tiina Kouluttaja", "09 310 55555", "tiina.kouluttaja@hel.fi")
    coordinator_id = await make_user("coordinator")
    await _contact(coordinator_id, "Kaisa Koordinaattori", "040 334 4556", "kaisa.koordinaattori@hel.fi")
    cohort_id = await make_cohort(location_id, name="Syksy 2026 Kinapori", trainer_ids=[trainer_id])
    ids: dict[str, int] = {"location_id": location_id, "cohort_id": cohort_id, "trainer_id": trainer_id}
    # Aino: Finnish, an iPad on loan, paired with Mikko, wishes groceries and keeping in touch, weakest at banking.
    aino = await make_participant(location_id, "Aino", "Virtanen", language="fi")
    await enrol(cohort_id, aino)
    await lend(aino, cohort_id, "ipados")
    mikko = await make_volunteer("Mikko Laine", organisation="HelsinkiMissio")
    await make_pairing(cohort_id, mikko, aino)
    await assess_before(aino, cohort_id, ["groceries", "contact"], banking=0, search=3, shopping=2, contact=1)
    # Birgitta: Swedish; an iPad came back and an Android tablet is on loan now (the open loan counts).
    birgitta = await make_participant(location_id, "Birgitta", "Lindqvist", language="sv")
    await enrol(cohort_id, birgitta)
    await lend(birgitta, cohort_id, "ipados", returned=True, days_ago=20)
    await lend(birgitta, cohort_id, "android", days_ago=5)
    sara = await make_volunteer("Sara Ström", organisation="Helsingin Diakonissalaitos")
    await make_pairing(cohort_id, sara, birgitta)
    # Ruth: English, no tablet yet (both kinds of steps), no pair, no assessment.
    ruth = await make_participant(location_id, "Ruth", "Ahlström", language="en")
    await enrol(cohort_id, ruth)
    # Olga: Russian is not a guide language: her guide falls back to Finnish.
    olga = await make_participant(location_id, "Olga", "Ivanova", language="ru")
    await enrol(cohort_id, olga)
    # Eino dropped out and Kalle is on another cohort: neither is "of" this cohort.
    eino = await make_participant(location_id, "Eino", "Mäkinen")
    await enrol(cohort_id, eino, status="dropped")
    other_cohort = await make_cohort(location_id, name="Kevät 2027")
    kalle = await make_participant(location_id, "Kalle", "Korhonen")
    await enrol(other_cohort, kalle)
    ids.update(
        aino=aino,
        birgitta=birgitta,
        ruth=ruth,
        olga=olga,
        eino=eino,
        kalle=kalle,
        mikko=mikko,
        sara=sara,
        other_cohort=other_cohort,
    )
    return ids
