"""CSV import of a delivery: every row validated in Python first, then one bulk insert, all or nothing.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first tablet row 2.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from pydantic import ValidationError

from digiystava import audit
from digiystava.access import Principal, require
from digiystava.db import write_transaction
from digiystava.errors import FieldProblem, InvalidInput, InvalidRows
from digiystava.i18n import N_
from digiystava.schemas import plain_message

from cohorts.tables import Donation, Tablet, TabletEvent
from cohorts.tablets.history import asset_tag, next_asset_numbers
from cohorts.tablets.schemas import ACCESSORY_NAMES, Accessories, ImportResult, TabletIn

REQUIRED = ("serial_number", "model", "os", "donor")
OPTIONAL = ("donor_name", "condition", "notes", *ACCESSORY_NAMES, "sim_number", "data_plan")
MAX_ROWS = 20_000
MAX_PROBLEMS = 200  # enough to fix a file; a wholly wrong file should not answer megabytes
BATCH = 500  # rows per INSERT, well below SQLite's bound-variable limit
TRUE = {"1", "x", "yes", "true", "kyllä", "k", "ja", "y"}
FALSE = {"", "0", "no", "false", "ei", "e", "nej", "n"}
DONOR_ALIASES = {"dna": "DNA", "vanhusten turva": "Vanhusten turva", "vanhusten turva ry": "Vanhusten turva", "other": "other"}


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # NOTE: Excel on Finnish Windows saves "CSV" as cp1252 unless told otherwise.
        return content.decode("cp1252", errors="replace")


def _reader(text: str) -> csv.DictReader:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    reader.fieldnames = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    return reader


def _row_problems(number: int, exc: ValidationError) -> list[FieldProblem]:
    problems = []
    for error in exc.errors():
        field = str(error["loc"][-1]) if error["loc"] else "row"
        problems.append(FieldProblem(f"row {number}.{field}", plain_message(error)))
    return problems


def parse_rows(text: str, donation: dict[str, Any] | None) -> tuple[list[tuple[int, TabletIn]], list[FieldProblem]]:
    """Validate every row; returns the good rows with their numbers, and every problem found."""
    reader = _reader(text)
    missing = [name for name in REQUIRED if name not in reader.fieldnames]
    if missing:
        raise InvalidRows(N_("The header row lacks: {columns}.", columns=", ".join(missing)), errors=[FieldProblem(f"row 1.{m}", N_("column missing")) for m in missing])
    unknown = [n for n in reader.fieldnames if n and n not in REQUIRED + OPTIONAL]
    if unknown:
        raise InvalidRows(N_("Unknown columns: {columns}.", columns=", ".join(unknown)), errors=[FieldProblem(f"row 1.{n}", N_("unknown column")) for n in unknown])
    rows: list[tuple[int, TabletIn]] = []
    problems: list[FieldProblem] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise InvalidRows(N_("At most {count} tablets per file.", count=MAX_ROWS), errors=[FieldProblem(f"row {number}", N_("too many rows"))])
        values = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(values.values()):
            continue  # blank lines at the end of a spreadsheet export
        row_problems: list[FieldProblem] = []
        donor = DONOR_ALIASES.get(values.get("donor", "").lower())
        if donor is None:
            row_problems.append(FieldProblem(f"row {number}.donor", N_("unknown donor; use DNA, Vanhusten turva or other")))
        elif donation is not None and donor != donation["donor"]:
            row_problems.append(FieldProblem(f"row {number}.donor", N_("differs from the chosen donation's donor")))
        accessories: dict[str, Any] = {"sim_number": values.get("sim_number", ""), "data_plan": values.get("data_plan", "")}
        for name in ACCESSORY_NAMES:
            flag = values.get(name, "").lower()
            if flag in TRUE:
                accessories[name] = True
            elif flag in FALSE:
                accessories[name] = False
            else:
                row_problems.append(FieldProblem(f"row {number}.{name}", N_("use yes or no")))
        if accessories["sim_number"] and not accessories.get("sim_card"):
            accessories["sim_card"] = True
        try:
            data = TabletIn(
                serial_number=values.get("serial_number", ""), model=values.get("model", ""), os=values.get("os", "").lower(),
                donor=donor or "other", donor_name=values.get("donor_name", "") or (donation or {}).get("donor_name", ""),
                donation_id=donation["id"] if donation else None, accessories=Accessories(**accessories),
                condition=values.get("condition", "").lower() or "good", notes=values.get("notes", ""),
            )
        except ValidationError as exc:
            row_problems += [p for p in _row_problems(number, exc) if not (donor is None and p.field.endswith(".donor"))]
            data = None
        if data is not None:
            serial = data.serial_number.upper()
            if serial in seen:
                row_problems.append(FieldProblem(f"row {number}.serial_number", N_("duplicate of row {number}", number=seen[serial])))
            else:
                seen[serial] = number
            data.serial_number = serial
        if row_problems:
            problems += row_problems
        elif data is not None:
            rows.append((number, data))
    return rows, problems


async def _existing_serials(serials: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(serials), BATCH):
        chunk = serials[start : start + BATCH]
        found |= {r["serial_number"] for r in await Tablet.select(Tablet.serial_number).where(Tablet.serial_number.is_in(chunk))}
    return found


async def import_tablets(principal: Principal, content: bytes, donation_id: int | None = None) -> ImportResult:
    """Create every tablet of the file, or none; each bad row is reported with its number and field."""
    require(principal, "tablets.manage")
    donation = None
    if donation_id is not None:
        donation = await Donation.select().where(Donation.id == donation_id).first()
        if donation is None:
            raise InvalidInput("donation_id", N_("no such donation"))
    rows, problems = parse_rows(_decode(content), donation)
    if not rows and not problems:
        raise InvalidRows(N_("The file has no tablet rows."), errors=[FieldProblem("row 2", N_("no data"))])
    async with write_transaction():
        taken = await _existing_serials([data.serial_number for _n, data in rows])
        problems += [FieldProblem(f"row {n}.serial_number", N_("already in the inventory")) for n, data in rows if data.serial_number in taken]
        if problems:
            problems.sort(key=lambda p: int(p.field.split(".")[0].split()[1]))
            shown = problems[:MAX_PROBLEMS]
            raise InvalidRows(N_("{count} problems; nothing was imported.", count=len(problems)), errors=shown)
        numbers = await next_asset_numbers(len(rows))
        tags = [asset_tag(n) for n in numbers]
        tablets = [
            Tablet(
                asset_tag=tag, serial_number=data.serial_number, donation=data.donation_id, donor=data.donor, donor_name=data.donor_name,
                model=data.model, os=data.os, accessories=data.accessories.model_dump(), condition=data.condition, notes=data.notes,
            )
            for tag, (_n, data) in zip(tags, rows)
        ]
        ids: list[int] = []
        for start in range(0, len(tablets), BATCH):
            ids += [r["id"] for r in await Tablet.insert(*tablets[start : start + BATCH]).returning(Tablet.id)]
        events = [TabletEvent(tablet=i, kind="received", username=principal.username, note="CSV import") for i in ids]
        for start in range(0, len(events), BATCH):
            await TabletEvent.insert(*events[start : start + BATCH])
        await audit.record(principal, "import", "tablet", f"{tags[0]}..{tags[-1]}", ["count"])
    return ImportResult(created=len(ids), first_asset_tag=tags[0], last_asset_tag=tags[-1])
