"""Import of a delivery or an edited inventory (CSV or .xlsx): every row validated first, then all written, or nothing.

The file is read by the shared reader (``digiystava.tabular``); this module keeps the
tablets' own column rules:
- a serial number new to the inventory adds a tablet: its asset tag is the file's when
  the tablet already carries one (unique), else the next DY- number;
- a serial number already in the inventory updates that tablet's editable fields
  (model, os, condition, accessories, SIM number, data plan, notes) from the columns the
  file has; its asset tag and donor must match the inventory's (a row shifted by a sort
  in the spreadsheet is caught here); status, data wipe and due date are read and left
  alone (they change through loans and the tablet's page), with a note;
- other systems' and Finnish or Swedish headers mean the same columns (Snipe-IT's
  ``Asset Tag, Serial, Model, Manufacturer, Notes``; ``Sarjanumero, Malli, Lahjoittaja,
  Käyttöjärjestelmä``; ``Serienummer, Modell, Givare, Operativsystem``); columns the
  tracker does not keep are listed in a note;
- a file without a donor column takes the donor chosen for the whole file (or the
  donation's); an empty or missing OS is told from the model and manufacturer when
  that is unambiguous (an iPad is iPadOS, a Samsung Galaxy Android), else from the
  OS chosen for the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from pydantic import ValidationError

from cohorts.tables import Donation, Tablet, TabletEvent
from cohorts.tablets.history import asset_tag, next_asset_numbers
from cohorts.tablets.schemas import (
    ACCESSORY_NAMES,
    Accessories,
    ImportResult,
    TabletIn,
    TabletPatch,
    given_tag_problem,
    normalise_given_tag,
)
from digiystava import audit
from digiystava.access import Principal, require
from digiystava.db import write_transaction
from digiystava.errors import FieldProblem, InvalidInput, InvalidRows
from digiystava.i18n import N_
from digiystava.plain_messages import plain_message
from digiystava.tabular import Column, Problems, Table, accepted_columns, read_table

MAX_ROWS = 20_000
BATCH = 500  # rows per INSERT, well below SQLite's bound-variable limit
TRUE = {"1", "x", "yes", "true", "kyllä", "k", "ja", "j", "y"}
FALSE = {"", "0", "no", "false", "ei", "e", "nej", "n"}
DONOR_ALIASES = {
    "dna": "DNA",
    "dna oyj": "DNA",
    "dna oy": "DNA",
    "vanhusten turva": "Vanhusten turva",
    "vanhusten turva ry": "Vanhusten turva",
    "other": "other",
    "muu": "other",
    "annan": "other",
}
OS_ALIASES = {
    "android": "android",
    "ipados": "ipados",
    "ipad os": "ipados",
    "ios": "ipados",
    "ipad": "ipados",
    "apple": "ipados",
}
CONDITION_ALIASES = {
    "new": "new",
    "good": "good",
    "worn": "worn",
    "damaged": "damaged",
    "uusi": "new",
    "hyvä": "good",
    "kulunut": "worn",
    "vaurioitunut": "damaged",
    "rikki": "damaged",
    "ny": "new",
    "bra": "good",
    "god": "good",
    "sliten": "worn",
    "skadad": "damaged",
    "trasig": "damaged",
}
# Words in a model or manufacturer that tell the system for certain.
IPADOS_WORDS = ("ipad", "apple")
ANDROID_WORDS = (
    "android",
    "samsung",
    "galaxy",
    "lenovo",
    "huawei",
    "xiaomi",
    "redmi",
    "nokia",
    "motorola",
    "oneplus",
    "realme",
    "oppo",
    "honor",
    "alcatel",
    "tcl",
)

COLUMNS = (
    Column(
        "asset_tag",
        ("Asset Tag", "Tag", "Inventaarionumero", "Laitetunnus", "Tunniste", "Inventarienummer", "Tillgångsnummer"),
    ),
    Column("serial_number", ("Serial", "Serial Number", "Serial No", "S/N", "Sarjanumero", "Serienummer")),
    Column("donor", ("Lahjoittaja", "Givare", "Donator")),
    Column("donor_name", ("Lahjoittajan nimi", "Givarens namn")),
    Column("model", ("Model Name", "Malli", "Laitemalli", "Modell")),
    Column("manufacturer", ("Valmistaja", "Merkki", "Tillverkare", "Märke", "Brand")),
    Column("os", ("Operating System", "Käyttöjärjestelmä", "Operativsystem", "Platform")),
    Column("status", ("Tila",)),
    Column("condition", ("Kunto", "Skick")),
    Column("needs_wipe", ("Tyhjennettävä", "Tyhjennys", "Ska raderas")),
    Column("charger", ("Laturi", "Laddare")),
    Column("cable", ("Kaapeli", "Johto", "Kabel", "Sladd")),
    Column("case", ("Kotelo", "Suojakotelo", "Fodral")),
    Column("stylus", ("Kynä", "Kosketuskynä", "Pekpenna")),
    Column("headphones", ("Kuulokkeet", "Hörlurar")),
    Column("sim_card", ("SIM", "SIM-kortti", "SIM-kort")),
    Column("sim_number", ("SIM-numero", "Liittymänumero", "SIM-nummer", "Phone Number")),
    Column("data_plan", ("Liittymä", "Dataliittymä", "Abonnemang", "Dataabonnemang")),
    Column("due_date", ("Eräpäivä", "Palautuspäivä", "Förfallodag", "Återlämningsdag")),
    Column("notes", ("Note", "Comments", "Muistiinpanot", "Huomautukset", "Lisätiedot", "Anteckningar", "Kommentarer")),
)
# The tablet export's columns, in its order (and the template's).
EXPORT_COLUMNS = tuple(c.name for c in COLUMNS if c.name != "manufacturer")
TEMPLATE_COLUMNS = (
    "asset_tag",
    "serial_number",
    "model",
    "os",
    "donor",
    "donor_name",
    "condition",
    *ACCESSORY_NAMES,
    "sim_number",
    "data_plan",
    "notes",
)
READ_NOT_SET = ("status", "needs_wipe", "due_date")


@dataclass
class FileChoices:
    """What the person importing chose for the whole file: the donation, the donor, the system."""

    donation: dict[str, Any] | None = None
    donor: str | None = None
    os: str | None = None


@dataclass
class Row:
    number: int
    serial: str
    cells: dict[str, str]
    values: dict[str, Any] = field(
        default_factory=dict
    )  # normalised: donor, os (or None), condition, accessory flags, tag
    inferred_os: bool = False


def infer_os(model: str, manufacturer: str = "") -> str | None:
    """iPadOS or Android when the model and manufacturer say so unambiguously; None otherwise."""
    text = f"{manufacturer} {model}".casefold()
    ipad = any(word in text for word in IPADOS_WORDS)
    android = any(word in text for word in ANDROID_WORDS)
    return "ipados" if ipad and not android else "android" if android and not ipad else None


def _model(cells: dict[str, str]) -> str:
    model, maker = cells.get("model", ""), cells.get("manufacturer", "")
    # NOTE: Snipe-IT keeps "Samsung" and "Galaxy Tab A9" apart; the label and the pages want both.
    return f"{maker} {model}".strip() if maker and not model.casefold().startswith(maker.casefold()) else model


def _read_row(table: Table, number: int, cells: dict[str, str], choices: FileChoices, problems: Problems) -> Row:
    """The row's cells checked and normalised, without the database."""
    row = Row(number, cells.get("serial_number", "").upper(), cells)
    values = row.values
    before = len(problems)
    donor_text = cells.get("donor", "")
    if donor_text:
        donor = DONOR_ALIASES.get(donor_text.casefold())
        if donor is None:
            problems.add(number, "donor", N_("unknown donor; use DNA, Vanhusten turva or other"))
        elif choices.donor is not None and donor != choices.donor:
            problems.add(
                number,
                "donor",
                N_("differs from the chosen donation's donor")
                if choices.donation
                else N_("differs from the donor chosen for the file"),
            )
        values["donor"] = donor
    os_text = cells.get("os", "")
    if os_text:
        values["os"] = OS_ALIASES.get(os_text.casefold())
        if values["os"] is None:
            problems.add(number, "os", N_("use android or ipados"))
    condition_text = cells.get("condition", "")
    if condition_text:
        values["condition"] = CONDITION_ALIASES.get(condition_text.casefold(), condition_text.casefold())
    for name in ACCESSORY_NAMES:
        if table.has(name):
            flag = cells[name].casefold()
            if flag in TRUE:
                values[name] = True
            elif flag in FALSE:
                values[name] = False
            else:
                problems.add(number, name, N_("use yes or no"))
    if cells.get("asset_tag"):
        values["asset_tag"] = normalise_given_tag(cells["asset_tag"])
        message = given_tag_problem(values["asset_tag"])
        if message:
            problems.add(number, "asset_tag", message)
    values["ok"] = len(problems) == before
    return row


def _validation_problems(problems: Problems, number: int, exc: ValidationError) -> None:
    for error in exc.errors():
        problems.add(number, str(error["loc"][-1]) if error["loc"] else None, plain_message(error))


def _accessories(row: Row, base: dict[str, Any]) -> dict[str, Any]:
    accessories: dict[str, Any] = {
        **{n: bool(base.get(n)) for n in ACCESSORY_NAMES},
        "sim_number": base.get("sim_number", ""),
        "data_plan": base.get("data_plan", ""),
    }
    accessories.update({n: row.values[n] for n in ACCESSORY_NAMES if n in row.values})
    for name in ("sim_number", "data_plan"):
        if name in row.cells:
            accessories[name] = row.cells[name]
    if accessories["sim_number"] and not accessories["sim_card"] and "sim_card" not in row.values:
        accessories["sim_card"] = True
    return accessories


def _new_tablet(row: Row, choices: FileChoices, problems: Problems) -> TabletIn | None:
    values, cells = row.values, row.cells
    model = _model(cells)
    os = values.get("os")
    if os is None:
        os = infer_os(model, cells.get("manufacturer", ""))
        row.inferred_os = os is not None
        os = os or choices.os
    if os is None and "os" not in values:
        problems.add(
            row.number,
            "os",
            N_(
                "cannot tell the system from the model; fill in android or ipados, or choose the system for "
                "the whole file"
            ),
        )
    donor = values.get("donor") or choices.donor
    if donor is None and "donor" not in values:
        problems.add(row.number, "donor", N_("fill in the donor, or choose the donor for the whole file"))
    try:
        return TabletIn(
            serial_number=row.serial,
            model=model,
            # NOTE: TabletIn validates both against their choices (a bad cell is a row problem)
            os=cast(Any, os or "android"),
            donor=cast(Any, donor or "other"),
            donor_name=cells.get("donor_name", "") or (choices.donation or {}).get("donor_name", ""),
            donation_id=choices.donation["id"] if choices.donation else None,
            accessories=Accessories(**_accessories(row, {})),
            condition=values.get("condition") or "good",
            notes=cells.get("notes", ""),
            asset_tag=values.get("asset_tag"),
        )
    except ValidationError as exc:
        _validation_problems(problems, row.number, exc)
        return None


def _changes(row: Row, stored: dict[str, Any], problems: Problems) -> dict[str, Any] | None:
    """What the row changes on a tablet already in the inventory (empty: nothing); None when the row is refused."""
    values, cells = row.values, row.cells
    before = len(problems)
    if values.get("asset_tag") and values["asset_tag"] != stored["asset_tag"]:
        problems.add(
            row.number, "asset_tag", N_("this serial number's tablet has the asset tag {tag}", tag=stored["asset_tag"])
        )
    if values.get("donor") and values["donor"] != stored["donor"]:
        problems.add(
            row.number,
            "donor",
            N_("differs from the tablet's donor ({donor}); an import does not change donors", donor=stored["donor"]),
        )
    if cells.get("donor_name") and cells["donor_name"] != stored["donor_name"]:
        problems.add(row.number, "donor_name", N_("differs from the tablet's donor; an import does not change donors"))
    if len(problems) > before:
        return None
    wanted: dict[str, Any] = {}
    model = _model(cells)
    if model and model != stored["model"]:
        wanted["model"] = model
    if values.get("os") and values["os"] != stored["os"]:
        wanted["os"] = values["os"]
    if values.get("condition") and values["condition"] != stored["condition"]:
        wanted["condition"] = values["condition"]
    if "notes" in cells and cells["notes"] != stored["notes"]:
        wanted["notes"] = cells["notes"]
    stored_accessories = {**Accessories().model_dump(), **(stored["accessories"] or {})}
    accessories = _accessories(row, stored_accessories)
    if accessories != stored_accessories:
        wanted["accessories"] = accessories
    if not wanted:
        return {}
    try:
        patch = TabletPatch(**wanted)
    except ValidationError as exc:
        _validation_problems(problems, row.number, exc)
        return None
    changes = patch.changes()
    if "accessories" in changes:
        changes["accessories"] = patch.accessories.model_dump()
    return changes


async def _chunked(column, values: list[str], *columns) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for start in range(0, len(values), BATCH):
        found += await Tablet.select(*columns).output(load_json=True).where(column.is_in(values[start : start + BATCH]))
    return found


def _notes(table: Table, inferred: int) -> list[str]:
    notes: list[str] = []
    kept = [table.headers[n] for n in READ_NOT_SET if table.has(n)]
    if kept:
        notes.append(
            N_(
                "Read but not changed by an import: {columns}. Loans, returns and the tablet's page change them.",
                columns=", ".join(kept),
            )
        )
    if table.unknown:
        notes.append(
            N_("Columns the tracker does not keep were left out: {columns}.", columns=", ".join(table.unknown))
        )
    if inferred:
        notes.append(N_("The operating system was told from the model for {count} tablets.", count=inferred))
    return notes


async def file_choices(donation_id: int | None, donor: str | None, os: str | None) -> FileChoices:
    donation = None
    if donation_id is not None:
        donation = await Donation.select().where(Donation.id == donation_id).first()
        if donation is None:
            raise InvalidInput("donation_id", N_("no such donation"))
        if donor is not None and donor != donation["donor"]:
            raise InvalidInput("donor", N_("differs from the donation's donor"))
        donor = donation["donor"]
    return FileChoices(donation=donation, donor=donor, os=os)


async def import_tablets(
    principal: Principal,
    content: bytes,
    donation_id: int | None = None,
    donor: str | None = None,
    os: str | None = None,
) -> ImportResult:
    """Add the file's new tablets and update the known ones, all or nothing; each bad row is reported with its
    number and
    column.
    """
    require(principal, "tablets.manage")
    choices = await file_choices(donation_id, donor, os)
    required = ["serial_number", "model"]
    table = read_table(
        content,
        COLUMNS,
        required=required,
        max_rows=MAX_ROWS,
        too_many=N_("At most {count} tablets per file.", count=MAX_ROWS),
    )
    if not table.has("donor") and choices.donor is None:
        raise InvalidRows(
            N_("The file has no donor column: choose the donor of these tablets for the whole file."),
            errors=[FieldProblem("donor", N_("choose the donor of these tablets"))],
            extra={"columns": accepted_columns(COLUMNS, required)},
        )
    if not table.rows:
        raise InvalidRows(N_("The file has no tablet rows."), errors=[FieldProblem("row 2", N_("no data"))])
    problems = Problems(table)
    rows: list[Row] = []
    seen: dict[str, int] = {}
    seen_tags: dict[str, int] = {}
    for number, cells in table.rows:
        row = _read_row(table, number, cells, choices, problems)
        if row.serial in seen:
            problems.add(number, "serial_number", N_("duplicate of row {number}", number=seen[row.serial]))
            continue
        if row.serial:
            seen[row.serial] = number
        tag = row.values.get("asset_tag")
        if tag and tag in seen_tags:
            problems.add(number, "asset_tag", N_("duplicate of row {number}", number=seen_tags[tag]))
            continue
        if tag:
            seen_tags[tag] = number
        rows.append(row)
    async with write_transaction():
        stored = {
            r["serial_number"]: r
            for r in await _chunked(Tablet.serial_number, [r.serial for r in rows if r.serial], *Tablet.all_columns())
        }
        new_tags = [r.values["asset_tag"] for r in rows if r.values.get("asset_tag") and r.serial not in stored]
        taken_tags = {r["asset_tag"] for r in await _chunked(Tablet.asset_tag, new_tags, Tablet.asset_tag)}
        creates: list[TabletIn] = []
        updates: list[tuple[int, dict[str, Any]]] = []
        unchanged = 0
        for row in rows:
            if row.serial in stored:
                changes = _changes(row, stored[row.serial], problems) if row.values["ok"] else None
                if changes:
                    updates.append((stored[row.serial]["id"], changes))
                elif changes == {}:
                    unchanged += 1
                continue
            data = _new_tablet(row, choices, problems)
            if data is not None and data.asset_tag in taken_tags:
                problems.add(row.number, "asset_tag", N_("already on another tablet"))
            elif data is not None and row.values["ok"]:
                creates.append(data)
        problems.raise_if_any(extra={"columns": accepted_columns(COLUMNS, required)})
        tags = await _create(principal, creates)
        await _update(principal, updates)
        if creates or updates:
            await audit.record(principal, "import", "tablet", f"{tags[0]}..{tags[-1]}" if tags else "update", ["count"])
    return ImportResult(
        created=len(creates),
        updated=len(updates),
        unchanged=unchanged,
        first_asset_tag=tags[0] if tags else None,
        last_asset_tag=tags[-1] if tags else None,
        notes=_notes(table, sum(1 for r in rows if r.inferred_os)),
    )


async def _create(principal: Principal, creates: list[TabletIn]) -> list[str]:
    """Insert the new tablets; returns their asset tags in the file's order."""
    if not creates:
        return []
    numbers = iter(await next_asset_numbers(sum(1 for d in creates if not d.asset_tag)))
    tags = [d.asset_tag or asset_tag(next(numbers)) for d in creates]
    tablets = [
        Tablet(
            asset_tag=tag,
            serial_number=d.serial_number,
            donation=d.donation_id,
            donor=d.donor,
            donor_name=d.donor_name,
            model=d.model,
            os=d.os,
            accessories=d.accessories.model_dump(),
            condition=d.condition,
            notes=d.notes,
        )
        for tag, d in zip(tags, creates)
    ]
    ids: list[int] = []
    for start in range(0, len(tablets), BATCH):
        ids += [r["id"] for r in await Tablet.insert(*tablets[start : start + BATCH]).returning(Tablet.id)]
    events = [TabletEvent(tablet=i, kind="received", username=principal.username, note="import") for i in ids]
    for start in range(0, len(events), BATCH):
        await TabletEvent.insert(*events[start : start + BATCH])
    return tags


async def _update(principal: Principal, updates: list[tuple[int, dict[str, Any]]]) -> None:
    for tablet_id, changes in updates:
        await Tablet.update({getattr(Tablet, k): v for k, v in changes.items()}).where(Tablet.id == tablet_id)
    events = [
        TabletEvent(tablet=i, kind="updated", username=principal.username, note=", ".join(changes) + " (import)")
        for i, changes in updates
    ]
    for start in range(0, len(events), BATCH):
        await TabletEvent.insert(*events[start : start + BATCH])
