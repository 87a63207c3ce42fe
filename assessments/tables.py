"""Tables of the assessments app."""

from piccolo.columns import JSON, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cohorts.tables import Cohort, Participant
from digiystava.accounts.tables import StaffUser

PHASES = ("before", "after")
METHODS = ("alone", "with_help", "paper")


class Assessment(Table, tablename="assessment"):
    """A senior's self-rated skills at the start (before) or end (after) of a cohort.

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
