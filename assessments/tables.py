"""Tables of the assessments app."""

from piccolo.columns import JSON, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cohorts.tables import Cohort, Participant
from digiystava.accounts.tables import StaffUser

# The follow-up, about three months after the course, asks the same skills again: did the gains last?
PHASES = ("before", "after", "followup")
METHODS = ("alone", "with_help", "paper")


class Assessment(Table, tablename="assessment"):
    """A senior's self-rated skills at the start (before), the end (after) or the follow-up of a cohort.

    One per senior, cohort and phase (a unique index in a later migration). ``answers``
    maps every skill code of ``instrument_version`` to a level 0-4 or null ("no answer").
    """

    id: Serial

    participant = ForeignKey(references=Participant, on_delete=OnDelete.cascade, index=True)
    cohort = ForeignKey(references=Cohort, on_delete=OnDelete.cascade, index=True)
    phase = Varchar(length=10, index=True)
    instrument_version = Integer()
    answers = JSON(default={})
    wishes = JSON(default=[])
    wishes_text = Text(default="")
    method = Varchar(length=20, default="paper")
    recorded_by = ForeignKey(references=StaffUser, on_delete=OnDelete.set_null, null=True)
    recorded_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class FeedbackLink(Table, tablename="feedback_link"):
    """A one-time link to the feedback form, printed as a QR code on a card (no login).

    Only the SHA-256 of the link's secret is kept: the card is the one place the secret
    exists. The link names the course, never a senior, so the answers stay anonymous.
    """

    id: Serial

    cohort = ForeignKey(references=Cohort, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)
    created_by = ForeignKey(references=StaffUser, on_delete=OnDelete.set_null, null=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class Feedback(Table, tablename="feedback"):
    """A senior's anonymous feedback at the end of a course: answers by question code, and their own words.

    ``method`` is ``card`` (filled on their own tablet through a one-time link) or ``trainer`` (entered for them).
    """

    id: Serial

    cohort = ForeignKey(references=Cohort, on_delete=OnDelete.cascade, index=True)
    answers = JSON(default={})
    free_text = Text(default="")
    method = Varchar(length=10, default="card")
    recorded_by = ForeignKey(references=StaffUser, on_delete=OnDelete.set_null, null=True)
    recorded_at = Timestamptz(default=TimestamptzNow())
