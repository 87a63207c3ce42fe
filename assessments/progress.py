"""A senior's progress: their level per skill before and after each course they took."""

from __future__ import annotations

from typing import Any

from assessments.instrument import load_instrument
from assessments.tables import Assessment
from cohorts.tables import Participant
from digiystava.access import Principal, require, scope_where, senior_ref


async def senior_progress(
    principal: Principal, participant_id: int, lang: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The senior and, per cohort in the caller's scope, rows of (skill, before, after, change)."""
    require(principal, "assessments.read")
    senior = await senior_ref(
        principal, participant_id, None, Participant.first_name, Participant.last_name, Participant.pseudonym
    )
    where = [Assessment.participant == participant_id]
    limit = scope_where(principal, Assessment.cohort.location)
    if limit is not None:
        where.append(limit)
    rows = (
        await Assessment.select(
            Assessment.cohort,
            Assessment.cohort.name.as_alias("cohort_name"),
            Assessment.cohort.start_date.as_alias("start_date"),
            Assessment.phase,
            Assessment.instrument_version,
            Assessment.answers,
        )
        .where(*where)
        .order_by(Assessment.cohort.start_date)
        .output(load_json=True)
    )
    courses: dict[int, dict[str, Any]] = {}
    for row in rows:
        course = courses.setdefault(
            row["cohort"],
            {
                "cohort_id": row["cohort"],
                "name": row["cohort_name"],
                "start_date": row["start_date"],
                "version": row["instrument_version"],
            },
        )
        course[row["phase"]] = row["answers"] or {}
    for course in courses.values():
        instrument = load_instrument(course["version"])
        before, after = course.get("before"), course.get("after")
        course["unpaired"] = after is not None and before is None
        course["skills"] = []
        for skill in instrument.skills:
            b = (before or {}).get(skill.code)
            a = (after or {}).get(skill.code)
            course["skills"].append(
                {
                    "code": skill.code,
                    "label": skill.label(lang),
                    "short": skill.short_label(lang),
                    "before": b,
                    "after": a,
                    "before_label": instrument.level_label(b, lang) if b is not None else None,
                    "after_label": instrument.level_label(a, lang) if a is not None else None,
                    "change": a - b if a is not None and b is not None else None,
                }
            )
    senior["name"] = f"{senior['first_name']} {senior['last_name']}".strip() or senior["pseudonym"]
    return senior, list(courses.values())
