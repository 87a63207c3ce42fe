"""How stored codes read on the pages: the audit log's actions, record types and field names,
and the notes of a tablet's history, in the page's language.

The codes stay in the database as they are (scripts and the API read them); only the pages
translate. A code without a wording here shows as itself, never as an error.
"""

from __future__ import annotations

import datetime as dt
import re

from digiystava.i18n import N_, format_date, gettext, translated

ACTIONS = {
    "create": N_("Created"),
    "update": N_("Changed"),
    "correct": N_("Corrected after the course"),
    "erase": N_("Erased"),
    "export": N_("Exported (right of access)"),
    "import": N_("Imported from a file"),
    "delete": N_("Deleted"),
    "drop_pairing": N_("Ended the pair at drop-out"),
    "undo": N_("Undid the drop-out"),
    "promote": N_("Moved up from the waiting list"),
    "override": N_("Paired despite missing checks"),
    "return": N_("Returned"),
    "wipe": N_("Data wiped"),
    "revoke": N_("Revoked"),
    "renew": N_("New calendar link"),
    "reset": N_("Two-step verification turned off"),
    "widen": N_("Access widened"),
    "start": N_("Started"),
}

RECORD_TYPES = {
    "participant": N_("Senior"),
    "enrolment": N_("Enrolment"),
    "attendance": N_("Attendance"),
    "cohort": N_("Cohort"),
    "session": N_("Session"),
    "location": N_("Location"),
    "tablet": N_("Tablet"),
    "loan": N_("Loan"),
    "donation": N_("Donation"),
    "pairing": N_("Pair"),
    "volunteer": N_("Volunteer"),
    "volunteer_hours": N_("Volunteer hours"),
    "assessment": N_("Self-assessment"),
    "user": N_("User"),
    "api_token": N_("API token"),
    "second_factor": N_("Two-step verification"),
}

FIELDS = {
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "name": N_("Name"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "language": N_("Language"),
    "languages": N_("Languages"),
    "district": N_("District"),
    "districts": N_("Districts"),
    "birth_year": N_("Birth year"),
    "accessibility_needs": N_("Needs help with"),
    "consent_given_on": N_("Consent given on"),
    "location_id": N_("Location"),
    "location_ids": N_("Locations"),
    "cohort_id": N_("Cohort"),
    "participant_id": N_("Senior"),
    "volunteer_id": N_("Volunteer"),
    "status": N_("Status"),
    "waitlist_position": N_("Place on the waiting list"),
    "notes": N_("Notes"),
    "wishes": N_("Wishes"),
    "wishes_text": N_("Wishes"),
    "answers": N_("Answers"),
    "date": N_("Date"),
    "hours": N_("Hours"),
    "started_on": N_("Started on"),
    "ended_on": N_("Ended on"),
    "username": N_("Username"),
    "role": N_("Role"),
    "condition": N_("Condition"),
    "wiped": N_("Data wiped"),
    "needs_wipe": N_("Needs data wipe"),
    "checklist": N_("Checklist"),
    "kept": N_("Kept by the senior"),
    "model": N_("Model"),
    "os": N_("Operating system"),
    "serial_number": N_("Serial number"),
    "asset_tag": N_("Asset tag"),
    "accessories": N_("Accessories"),
    "donor": N_("Donor"),
    "count": N_("Number of tablets"),
    "due_date": N_("Due date"),
    "capacity": N_("Seats"),
    "start_date": N_("First session"),
    "start_time": N_("Start time"),
    "calendar_token": N_("Calendar link"),
    "revoked_at": N_("Revoked"),
    "call_done_at": N_("Called"),
    "dropped_from": N_("Dropped out of"),
    "safeguarding_override": N_("Reason for pairing despite missing checks"),
    "source": N_("Source"),
    "method": N_("Method"),
    "exported_at": N_("Exported"),
}


def _worded(table: dict[str, str], code: str) -> str:
    return gettext(table[code]) if code in table else code.replace("_", " ")


def action(code: str) -> str:
    return _worded(ACTIONS, code)


def record_type(code: str) -> str:
    return _worded(RECORD_TYPES, code)


def field(code: str) -> str:
    return _worded(FIELDS, code)


def record_type_choices() -> list[tuple[str, str]]:
    return sorted(((code, gettext(label)) for code, label in RECORD_TYPES.items()), key=lambda choice: choice[1])


# --- a tablet's history --------------------------------------------------------------

_DUE = re.compile(r"due (\d{4}-\d{2}-\d{2})")
_RETURN = re.compile(r"condition (\w+)(?:; missing: ([\w, ]+))?(; wiped)?")
_NOTES = {
    "demo": N_("Demo data"),
    "import": N_("From a spreadsheet"),
    "damaged": N_("Damaged"),
    "waiting for data wipe": N_("Waiting for a data wipe"),
}


def tablet_note(note: str, conditions: dict[str, str], accessories: dict[str, str]) -> str:
    """A history note as staff read it: "due 2026-12-21" -> "Due back 21.12.2026", field names worded."""
    if not note:
        return ""
    if note in _NOTES:
        return gettext(_NOTES[note])
    if due := _DUE.fullmatch(note):
        return translated(N_("Due back {date}", date=format_date(dt.date.fromisoformat(due.group(1)))))
    if back := _RETURN.fullmatch(note):
        parts = [translated(N_("Condition: {condition}", condition=conditions.get(back.group(1), back.group(1))))]
        if back.group(2):
            missing = ", ".join(accessories.get(name.strip(), name.strip()) for name in back.group(2).split(","))
            parts.append(translated(N_("missing: {items}", items=missing)))
        if back.group(3):
            parts.append(gettext(N_("data wiped")))
        return "; ".join(parts)
    # Otherwise the names of the fields changed, by hand or by an import.
    names, imported = (note[: -len(" (import)")], True) if note.endswith(" (import)") else (note, False)
    if not re.fullmatch(r"[a-z_]+(, [a-z_]+)*", names):
        return note
    worded = ", ".join(field(name) for name in names.split(", "))
    return translated(N_("{fields} (from a spreadsheet)", fields=worded)) if imported else worded
