"""Every text a request may send fits its column: PostgreSQL refuses a longer value with
an error (a 500 if it got that far), while SQLite would silently keep it.

Each input model is matched to the table sharing most of its field names; a text field
with a column of the same name must publish a maxLength no longer than the column's.
"""

from __future__ import annotations

import importlib
import pkgutil

from piccolo.columns import Varchar

from digiystava import db
from digiystava.schemas import In

PACKAGES = ("cohorts", "assessments", "digiystava")


def _input_models() -> set[type[In]]:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for info in pkgutil.walk_packages(package.__path__, f"{name}."):
            if "migrations" not in info.name and not info.name.endswith("__main__"):
                importlib.import_module(info.name)
    found: set[type[In]] = set()
    pending = [In]
    while pending:
        for sub in pending.pop().__subclasses__():
            found.add(sub)
            pending.append(sub)
    return found


def _max_lengths(prop: dict) -> list[int]:
    return [option["maxLength"] for option in (prop, *prop.get("anyOf", ())) if "maxLength" in option]


def _is_choice(prop: dict) -> bool:
    """A Literal (enum) field: its values are fixed, and short."""
    return any("enum" in option or "const" in option or "$ref" in option for option in (prop, *prop.get("anyOf", ())))


def test_every_text_field_fits_its_column():
    tables = db.all_tables()
    too_long, checked = [], 0
    for model in _input_models():
        props = model.model_json_schema().get("properties", {})
        table = max(tables, key=lambda t: len({c._meta.name for c in t._meta.columns} & props.keys()))
        for column in table._meta.columns:
            prop = props.get(column._meta.name)
            if not isinstance(column, Varchar) or prop is None or _is_choice(prop):
                continue
            lengths = _max_lengths(prop)
            checked += 1
            if not lengths or max(lengths) > column.length:
                too_long.append(
                    f"{model.__name__}.{column._meta.name}: {max(lengths, default=None)} > "
                    f"{table.__name__}.{column._meta.name}({column.length})"
                )
    assert checked > 30, "the models and tables were not matched"
    assert too_long == []
