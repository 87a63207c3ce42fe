"""The seniors a cohort's paper forms are for, with the instrument in each senior's language.

The form's layout and words are in pdf_templates/skill_form.py.
"""

from __future__ import annotations

import anyio

from assessments.instrument import current_instrument
from assessments.services import ASSESSABLE_STATUSES, COHORT_COLUMNS
from assessments.tables import PHASES
from cohorts.tables import Enrolment
from digiystava.access import Principal, cohort_or_404, require
from digiystava.errors import InvalidInput
from digiystava.i18n import N_, normalise


async def paper_forms(
    principal: Principal, cohort_id: int, participant_id: int | None = None, phase: str | None = None, lang: str = "fi"
) -> bytes:
    """The cohort's forms, one page per senior (or the one senior's page), as PDF bytes."""
    require(principal, "assessments.read")
    if phase is not None and phase not in PHASES:
        raise InvalidInput("phase", N_("use before, after or followup"))
    cohort = await cohort_or_404(principal, cohort_id, *COHORT_COLUMNS)
    where = [Enrolment.cohort == cohort_id, Enrolment.status.is_in(list(ASSESSABLE_STATUSES))]
    if participant_id is not None:
        where.append(Enrolment.participant == participant_id)
    seniors = (
        await Enrolment.select(
            Enrolment.participant.first_name.as_alias("first_name"),
            Enrolment.participant.last_name.as_alias("last_name"),
            Enrolment.participant.pseudonym.as_alias("pseudonym"),
            Enrolment.participant.language.as_alias("language"),
        )
        .where(*where)
        .order_by(Enrolment.participant.last_name)
        .order_by(Enrolment.participant.first_name)
    )
    if not seniors:
        raise InvalidInput(
            "participant_id" if participant_id is not None else "cohort_id",
            "no senior enrolled in this cohort to print a form for",
        )
    from pdf_templates.skill_form import SeniorForm, SkillForms, skill_forms  # NOTE: reportlab on first use

    instrument = current_instrument()

    def page(senior: dict) -> SeniorForm:
        lang = normalise(senior["language"])
        return SeniorForm(
            language=lang,
            first_name=senior["first_name"],
            last_name=senior["last_name"],
            pseudonym=senior["pseudonym"],
            levels=tuple((level.value, level.label(lang)) for level in instrument.levels),
            statements=tuple(skill.statement(lang) for skill in instrument.skills),
            wishes=tuple(w.label(lang) for w in instrument.wishes),
        )

    forms = SkillForms(
        language=normalise(seniors[0]["language"]) if participant_id is not None else normalise(lang),
        cohort_name=cohort["name"],
        phase=phase,
        seniors=tuple(page(senior) for senior in seniors),
    )
    # Laying out pages takes a while for a whole cohort: keep it off the event loop.
    return await anyio.to_thread.run_sync(skill_forms, forms)
