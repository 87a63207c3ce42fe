"""Tables of the cohorts app."""

from piccolo.columns import ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from digiystava.accounts.tables import StaffUser

LOCATION_KINDS = ("community_house", "service_centre", "library", "other")


class Location(Table, tablename="location"):
    """A city site where cohorts meet: community house, service centre or library."""

    name = Varchar(length=200, index=True)
    kind = Varchar(length=20, index=True)
    district = Varchar(length=100, default="", index=True)
    address = Varchar(length=300, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class StaffLocation(Table, tablename="staff_location"):
    """A trainer (or other staff member) working at a location: their access scope."""

    user = ForeignKey(references=StaffUser, on_delete=OnDelete.cascade, index=True)
    location = ForeignKey(references=Location, on_delete=OnDelete.cascade, index=True)
