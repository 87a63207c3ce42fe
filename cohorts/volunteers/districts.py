"""Helsinki districts and their neighbours, for judging how far a volunteer lives.

The data lives in ``helsinki_districts.json`` beside this module: district names as
residents give them (kaupunginosa, peruspiiri or a well-known sub-area), a symmetric
neighbour list, and aliases that map Swedish names (Berghäll, Tölö, ...) and sub-areas
(Siltasaari, Munkkivuori, ...) to one of those districts. Lookups are case-insensitive;
names the file does not know are kept as typed, so two people who both wrote the same
unlisted name still count as living in the same district.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("helsinki_districts.json")


@dataclass(frozen=True)
class _DistrictMap:
    canonical: dict[str, str]  # folded name or alias -> district name as spelled in the file
    neighbours: dict[str, frozenset[str]]  # district name -> neighbouring district names


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


@lru_cache(maxsize=1)
def _load() -> _DistrictMap:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    neighbours = {name: frozenset(near) for name, near in raw["neighbours"].items()}
    canonical = {_fold(name): name for name in neighbours}
    for alias, name in raw.get("aliases", {}).items():
        canonical[_fold(alias)] = name
    return _DistrictMap(canonical=canonical, neighbours=neighbours)


def canonical_district(name: str | None) -> str | None:
    """The district's name as spelled in the data, resolving aliases; ``None`` if blank.

    An unknown name comes back stripped but otherwise unchanged.
    """
    if name is None or not name.strip():
        return None
    return _load().canonical.get(_fold(name), " ".join(name.split()))


def neighbours(district: str | None) -> frozenset[str]:
    """Districts next to ``district``, case-insensitive and with aliases resolved.

    Empty for a blank or unknown name.
    """
    name = canonical_district(district)
    if name is None:
        return frozenset()
    return _load().neighbours.get(name, frozenset())


def known_districts() -> tuple[str, ...]:
    """All district names in the data, sorted, e.g. for a form's choice list."""
    return tuple(sorted(_load().neighbours))
