"""Location models."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from digiystava.schemas import In, Name, Out, PlaceName, ShortText

LocationKind = Literal["community_house", "service_centre", "library", "other"]


class LocationIn(In):
    name: Name
    kind: LocationKind
    district: PlaceName = ""
    address: ShortText = ""


class LocationPatch(In):
    name: Name = None
    kind: LocationKind = None
    district: PlaceName = None
    address: ShortText = None


class LocationOut(Out):
    id: int
    name: str
    kind: LocationKind
    district: str
    address: str
    created_at: dt.datetime
