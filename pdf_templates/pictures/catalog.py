"""The names, labels and text alternatives of the guides' pictures (pictures.json).

Kept apart from the drawing code: reading a guide file checks a picture's name here,
and the drawings are made only when a guide is laid out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATALOG = Path(__file__).with_name("pictures.json")
# Kinds a guide file may name as ``[kind: name]``; "part" labels the tablet drawings.
PICTURE_KINDS: tuple[str, ...] = ("icon", "gesture", "tablet", "scene")


@dataclass(frozen=True)
class Picture:
    """One picture a guide names, e.g. ``[icon: wifi]``."""

    kind: str
    name: str

    @property
    def marker(self) -> str:
        return f"[{self.kind}: {self.name}]"


@cache
def _catalog() -> dict[str, dict[str, dict[str, list[str]]]]:
    return json.loads(CATALOG.read_text(encoding="utf-8"))


def picture_names(kind: str) -> tuple[str, ...]:
    """Every name of one kind, in catalog order (KeyError for an unknown kind)."""
    return tuple(_catalog()[kind])


def known(kind: str, name: str) -> bool:
    return name in _catalog().get(kind, {})


def label(kind: str, name: str, lang: str) -> str:
    """The short name printed beside the picture ("Asetukset")."""
    return _catalog()[kind][name][lang][0]


def alt_text(kind: str, name: str, lang: str) -> str:
    """What the picture shows, for screen readers ("Settings icon: a cogwheel")."""
    return _catalog()[kind][name][lang][1] or label(kind, name, lang)
