"""Spreadsheets the way other systems make and read them: export, edit, import back; Snipe-IT and Finnish Excel files.

Every file the tracker writes is read here as Finnish Excel reads it (semicolons, a
byte-order mark: ``tests/excel.py``) or with openpyxl; every file it reads may come in
as CSV (any of Excel's separators and encodings) or .xlsx.
"""

import io

import pytest
from openpyxl import Workbook

from cohorts.tablets.imports import EXPORT_COLUMNS, TEMPLATE_COLUMNS
from tests.excel import finnish_excel_dicts, finnish_excel_rows, xlsx_rows
from tests.factories import as_role, set_cookie
from tests.factories.tablets import make_course, make_donation

SNIPE_IT = (
    "Asset Tag,Serial,Model,Manufacturer,Category,Status,Notes,Purchase Date\n"
    "HKI-000123,DMPXK00A1,iPad 9,Apple,Tablets,Ready to Deploy,Lahjoitus 2026,2026-08-15\n"
    "HKI-000124,R9TW00B22,Galaxy Tab A9+,Samsung,Tablets,Ready to Deploy,,2026-08-15\n"
)


def xlsx_file(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def post_file(client, content: bytes, query: str = "", content_type: str = "text/csv"):
    return await client.post(f"/api/v1/tablets/import{query}", content=content, headers={"content-type": content_type})


async def inventory(client) -> list[dict]:
    items = (await client.get("/api/v1/tablets", params={"limit": 500})).json()["items"]
    return sorted(items, key=lambda t: t["serial_number"])


async def varied_inventory(client) -> None:
    """Tablets with everything an export can hold: a SIM number, a formula-like note, a loan, a wipe due, another
    donor.
    """
    donation = await make_donation("Vanhusten turva", count=2, reference="VT-7")
    body = {"serial_number": "R9TW0000001", "model": "Samsung Galaxy Tab A9+", "os": "android", "donor": "DNA"}
    created = [
        await client.post(
            "/api/v1/tablets",
            json={
                **body,
                "accessories": {
                    "charger": True,
                    "sim_card": True,
                    "sim_number": "+358 40 123 4567",
                    "data_plan": "DNA Mini 5 GB",
                },
            },
        ),
        await client.post(
            "/api/v1/tablets",
            json={
                **body,
                "serial_number": "DMPXK000002",
                "model": "iPad 9",
                "os": "ipados",
                "notes": "=1+1 on the box; -2 pens",
                "asset_tag": "hki-42",
            },
        ),
        await client.post(
            "/api/v1/tablets",
            json={
                **body,
                "serial_number": "LNV0000003",
                "model": "Lenovo Tab M10",
                "donor": "Vanhusten turva",
                "donation_id": donation,
                "condition": "worn",
            },
        ),
        await client.post(
            "/api/v1/tablets",
            json={
                **body,
                "serial_number": "X0000004",
                "model": "Äänikirja-tabletti",
                "donor": "other",
                "donor_name": "Lions Club Töölö",
            },
        ),
    ]
    assert all(r.status_code == 201 for r in created), [r.text for r in created]
    course = await make_course()
    loan = await client.post(
        "/api/v1/loans",
        json={
            "tablet_id": created[0].json()["id"],
            "participant_id": course["participant_id"],
            "cohort_id": course["cohort_id"],
        },
    )
    assert loan.status_code == 201, loan.text
    await client.patch(f"/api/v1/tablets/{created[2].json()['id']}", json={"status": "maintenance"})


@pytest.mark.parametrize(
    "fmt, content_type",
    [("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")],
)
async def test_export_then_import_changes_nothing(client, fmt, content_type):
    await as_role(client, "coordinator")
    await varied_inventory(client)
    before = await inventory(client)
    histories = {t["id"]: (await client.get(f"/api/v1/tablets/{t['id']}/history")).json() for t in before}
    exported = await client.get(f"/api/v1/tablets/export.{fmt}")
    assert exported.status_code == 200 and exported.headers["content-type"] == (
        f"{content_type}; charset=utf-8" if fmt == "csv" else content_type
    )
    assert f'filename="tablets.{fmt}"' in exported.headers["content-disposition"]
    response = await post_file(client, exported.content, content_type=content_type)
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 4)
    assert result["notes"] == [
        "Read but not changed by an import: status, needs_wipe, due_date. Loans, returns and the tablet's "
        "page change them."
    ]
    assert await inventory(client) == before
    for tablet in before:
        assert (await client.get(f"/api/v1/tablets/{tablet['id']}/history")).json() == histories[tablet["id"]]


async def test_export_edited_in_excel_updates_and_adds(client):
    await as_role(client, "coordinator")
    await varied_inventory(client)
    rows = finnish_excel_rows((await client.get("/api/v1/tablets/export.csv")).content)
    header = rows[0]
    ipad = next(r for r in rows if r[header.index("serial_number")] == "DMPXK000002")
    ipad[header.index("notes")] = "Näyttö naarmuinen"
    ipad[header.index("case")] = "kyllä"
    new = [""] * len(header)
    for name, value in (
        ("asset_tag", "HKI-43"),
        ("serial_number", "NEW0000005"),
        ("model", "iPad 10"),
        ("donor", "DNA"),
        ("charger", "x"),
    ):
        new[header.index(name)] = value
    rows.append(new)
    # Saved back by Finnish Excel: semicolons, Windows-1252, the apostrophes of the export kept as typed.
    content = "\r\n".join(";".join(f'"{c}"' if ";" in c else c for c in row) for row in rows).encode("cp1252")
    response = await post_file(client, content)
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["created"], result["updated"], result["unchanged"]) == (1, 1, 3)
    assert result["first_asset_tag"] == result["last_asset_tag"] == "HKI-43"
    after = {t["serial_number"]: t for t in await inventory(client)}
    assert after["DMPXK000002"]["notes"] == "Näyttö naarmuinen" and after["DMPXK000002"]["accessories"]["case"]
    assert after["R9TW0000001"]["accessories"]["sim_number"] == "+358 40 123 4567", (
        "the formula-safe apostrophe is undone"
    )
    assert after["NEW0000005"]["os"] == "ipados" and after["NEW0000005"]["asset_tag"] == "HKI-43"


async def test_a_row_moved_by_a_one_column_sort_is_refused(client):
    await as_role(client, "coordinator")
    await varied_inventory(client)
    rows = finnish_excel_rows((await client.get("/api/v1/tablets/export.csv")).content)
    header = rows[0]
    first, second = rows[1], rows[2]
    first[header.index("asset_tag")], second[header.index("asset_tag")] = (
        second[header.index("asset_tag")],
        first[header.index("asset_tag")],
    )
    content = "\ufeff" + "\r\n".join(";".join(row) for row in rows)
    response = await post_file(client, content.encode("utf-8"))
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"row 2.asset_tag", "row 3.asset_tag"}
    assert "has the asset tag" in response.json()["errors"][0]["message"]


async def test_a_snipe_it_export_asks_for_the_donor_then_imports(client):
    await as_role(client, "coordinator")
    refused = await post_file(client, SNIPE_IT.encode())
    assert refused.status_code == 422
    body = refused.json()
    assert body["errors"] == [{"field": "donor", "message": "choose the donor of these tablets"}]
    columns = {c["name"]: c for c in body["columns"]}
    assert (
        columns["serial_number"]["required"]
        and "Sarjanumero" in columns["serial_number"]["also"]
        and "Serial" in columns["serial_number"]["also"]
    )
    assert not columns["asset_tag"]["required"] and "os" in columns

    response = await post_file(client, SNIPE_IT.encode(), "?donor=DNA")
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["created"], result["first_asset_tag"], result["last_asset_tag"]) == (2, "HKI-000123", "HKI-000124")
    assert result["notes"] == [
        "Read but not changed by an import: Status. Loans, returns and the tablet's page change them.",
        "Columns the tracker does not keep were left out: Category, Purchase Date.",
        "The operating system was told from the model for 2 tablets.",
    ]
    tablets = {t["serial_number"]: t for t in await inventory(client)}
    assert (tablets["DMPXK00A1"]["model"], tablets["DMPXK00A1"]["os"], tablets["DMPXK00A1"]["notes"]) == (
        "Apple iPad 9",
        "ipados",
        "Lahjoitus 2026",
    )
    assert (tablets["R9TW00B22"]["model"], tablets["R9TW00B22"]["os"], tablets["R9TW00B22"]["donor"]) == (
        "Samsung Galaxy Tab A9+",
        "android",
        "DNA",
    )
    # Scanning the tag the tablet came with finds it.
    found = await client.get(
        "/tablets/find", params={"asset_tag": "hki-000124"}, headers={"accept": "text/html"}, follow_redirects=False
    )
    assert found.status_code == 303 and found.headers["location"] == f"/tablets/{tablets['R9TW00B22']['id']}"


async def test_a_model_that_does_not_tell_the_system_asks_for_it(client):
    await as_role(client, "coordinator")
    content = b"Serial,Model,Manufacturer\nTAB0000001,Tab 10 HD,Blackview\nTAB0000002,iPad Air,Apple\n"
    refused = await post_file(client, content, "?donor=other")
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["row 2.os"]
    response = await post_file(client, content, "?donor=other&os=android")
    assert response.status_code == 201, response.text
    systems = {t["serial_number"]: t["os"] for t in await inventory(client)}
    assert systems == {"TAB0000001": "android", "TAB0000002": "ipados"}, (
        "the model wins over the file's choice where it tells"
    )


@pytest.mark.parametrize(
    "text, encoding",
    [
        # Finnish Excel "CSV (semicolon separated)": Windows-1252, semicolons, Finnish headers and words.
        (
            "Inventaarionumero;Sarjanumero;Malli;Valmistaja;Lahjoittaja;Käyttöjärjestelmä;Laturi;Kunto;Lisätiedot\r\n"
            ";R9TW0000077;Galaxy Tab A9;Samsung;Vanhusten turva ry;Android;kyllä;hyvä;Käytetty, toimii\r\n",
            "cp1252",
        ),
        # Swedish Excel "Unicode text": tabs, UTF-8 without a byte-order mark, Swedish headers and words.
        (
            "Serienummer\tModell\tGivare\tOperativsystem\tLaddare\tSkick\tAnteckningar\n"
            "R9TW0000077\tSamsung Galaxy Tab A9\tVanhusten turva\tandroid\tja\tbra\tKäytetty, toimii\n",
            "utf-8",
        ),
        # The same as an .xlsx workbook: typed cells, a numeric serial number.
        (None, None),
    ],
)
async def test_finnish_and_swedish_spreadsheets_import(client, text, encoding):
    await as_role(client, "coordinator")
    if text is None:
        content = xlsx_file(
            [
                ["Sarjanumero", "Malli", "Lahjoittaja", "Käyttöjärjestelmä", "Laturi", "Kunto", "Lisätiedot"],
                [
                    "R9TW0000077",
                    "Samsung Galaxy Tab A9",
                    "Vanhusten turva",
                    "Android",
                    True,
                    "hyvä",
                    "Käytetty, toimii",
                ],
            ]
        )
    else:
        content = text.encode(encoding)
    response = await post_file(client, content)
    assert response.status_code == 201, response.text
    assert response.json()["created"] == 1 and response.json()["first_asset_tag"] == "DY-000001"
    (tablet,) = await inventory(client)
    assert (tablet["model"], tablet["donor"], tablet["os"], tablet["condition"], tablet["notes"]) == (
        "Samsung Galaxy Tab A9",
        "Vanhusten turva",
        "android",
        "good",
        "Käytetty, toimii",
    )
    assert tablet["accessories"]["charger"]


async def test_given_asset_tags_on_create(client):
    await as_role(client, "coordinator")
    body = {
        "serial_number": "R9TW0000001",
        "model": "Samsung Galaxy Tab A9+",
        "os": "android",
        "donor": "DNA",
        "asset_tag": " hki-42 ",
    }
    first = await client.post("/api/v1/tablets", json=body)
    assert first.status_code == 201 and first.json()["asset_tag"] == "HKI-42"
    again = await client.post("/api/v1/tablets", json={**body, "serial_number": "R9TW0000002"})
    assert again.status_code == 409 and "asset_tag" in again.json()["detail"]
    own_prefix = await client.post(
        "/api/v1/tablets", json={**body, "serial_number": "R9TW0000003", "asset_tag": "DY-12"}
    )
    assert own_prefix.status_code == 422 and own_prefix.json()["errors"][0]["field"] == "asset_tag"
    given_dy = await client.post(
        "/api/v1/tablets", json={**body, "serial_number": "R9TW0000004", "asset_tag": "DY-000500"}
    )
    assert given_dy.status_code == 201
    generated = await client.post(
        "/api/v1/tablets", json={k: v for k, v in {**body, "serial_number": "R9TW0000005"}.items() if k != "asset_tag"}
    )
    assert generated.json()["asset_tag"] == "DY-000501", "numbering goes on after the highest DY- tag"
    assert (await client.get("/api/v1/tablets", params={"asset_tag": "hki-42"})).json()["total"] == 1
    # The page's form takes it too; left empty, the tag is generated.
    csrf = client.headers["X-CSRFToken"]
    page = await client.post(
        "/tablets",
        data={
            "_csrf": csrf,
            "asset_tag": "KIRJASTO-7",
            "serial_number": "R9TW0000006",
            "model": "iPad 9",
            "os": "ipados",
            "donor": "DNA",
        },
        headers={"accept": "text/html"},
        follow_redirects=False,
    )
    assert page.status_code == 303
    empty = await client.post(
        "/tablets",
        data={
            "_csrf": csrf,
            "asset_tag": "",
            "serial_number": "R9TW0000007",
            "model": "iPad 9",
            "os": "ipados",
            "donor": "DNA",
        },
        headers={"accept": "text/html"},
        follow_redirects=False,
    )
    assert empty.status_code == 303
    tags = {t["serial_number"]: t["asset_tag"] for t in await inventory(client)}
    assert tags["R9TW0000006"] == "KIRJASTO-7" and tags["R9TW0000007"] == "DY-000502"


async def test_import_refuses_a_taken_or_repeated_asset_tag(client):
    await as_role(client, "coordinator")
    await client.post(
        "/api/v1/tablets",
        json={"serial_number": "R9TW0000001", "model": "Tab", "os": "android", "donor": "DNA", "asset_tag": "HKI-1"},
    )
    content = (
        b"asset_tag,serial_number,model,os,donor\n"
        b"hki-1,R9TW0000002,Tab,android,DNA\nHKI-2,R9TW0000003,Tab,android,DNA\n"
        b"hki-2,R9TW0000004,Tab,android,DNA\nDY-7,R9TW0000005,Tab,android,DNA\n"
    )
    response = await post_file(client, content)
    assert response.status_code == 422
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [
        ("row 2.asset_tag", "already on another tablet"),
        ("row 4.asset_tag", "duplicate of row 3"),
        ("row 5.asset_tag", "DY- tags are the tracker's own; write them as DY-000123"),
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_the_template_is_the_import_s_header_and_imports_when_filled(client, fmt):
    await as_role(client, "coordinator")
    template = await client.get(f"/api/v1/tablets/import/template.{fmt}")
    assert template.status_code == 200
    if fmt == "csv":
        rows = finnish_excel_rows(template.content)
        rows.append(
            [
                ""
                if name not in ("serial_number", "model", "donor")
                else {"serial_number": "R9TW0000001", "model": "iPad 9", "donor": "DNA"}[name]
                for name in rows[0]
            ]
        )
        content = ("\ufeff" + "\r\n".join(";".join(r) for r in rows)).encode()
    else:
        rows = xlsx_rows(template.content)
        rows.append([{"serial_number": "R9TW0000001", "model": "iPad 9", "donor": "DNA"}.get(name) for name in rows[0]])
        content = xlsx_file(rows)
    assert rows[0] == list(TEMPLATE_COLUMNS)
    response = await post_file(client, content)
    assert response.status_code == 201, response.text
    assert (await inventory(client))[0]["os"] == "ipados"


async def test_every_export_opens_in_finnish_excel_and_as_a_workbook(client):
    """Each download read as Finnish Excel reads a CSV, and with openpyxl: the right columns, no formulas."""
    await as_role(client, "coordinator")
    await varied_inventory(client)
    from tests.factories.assessments import cohort_with_seniors
    from tests.factories.volunteers import make_volunteer

    _location, cohort_id, (aino, *_rest) = await cohort_with_seniors()
    assert (
        await client.post(
            "/api/v1/assessments",
            json={"participant_id": aino, "cohort_id": cohort_id, "phase": "before", "answers": {"search": 1}},
        )
    ).status_code == 201
    volunteer = await make_volunteer("=Kaava Nimi")
    assert (
        await client.post(
            f"/api/v1/volunteers/{volunteer}/hours", json={"date": "2026-09-14", "hours": 1.5, "cohort_id": cohort_id}
        )
    ).status_code == 201
    set_cookie(client, "digiystava_lang", "fi")
    downloads = {
        "tablets": ("/api/v1/tablets/export", {}, list(EXPORT_COLUMNS)),
        "tablet template": ("/api/v1/tablets/import/template", {}, list(TEMPLATE_COLUMNS)),
        "donor report": ("/api/v1/donors/DNA/report", {"format": "{fmt}"}, ["metric", "value"]),
        "hours": (
            "/api/v1/volunteers/hours/totals",
            {"format": "{fmt}"},
            ["Rivi", "Järjestö", "Vapaaehtoinen", "Tunnit", "Päiviä"],
        ),
        "assessments": (f"/api/v1/cohorts/{cohort_id}/assessments/export", {}, None),
        "assessment template": (f"/api/v1/cohorts/{cohort_id}/assessments/import/template", {}, None),
    }
    for name, (path, params, header) in downloads.items():
        for fmt in ("csv", "xlsx"):
            url = path if params else f"{path}.{fmt}"
            response = await client.get(url, params={k: v.format(fmt=fmt) for k, v in params.items()})
            assert response.status_code == 200, (name, fmt, response.text)
            rows = finnish_excel_rows(response.content) if fmt == "csv" else xlsx_rows(response.content)
            # NOTE: the donor report's second table (the donations) is wider than its first.
            assert name == "donor report" or all(len(r) == len(rows[0]) for r in rows), (name, fmt)
            first = [c for c in rows[0] if c not in (None, "")]
            if header:
                assert first == header, (name, fmt)
            else:
                assert first[:2] == ["pseudonym", "phase"] and "search" in first, (name, fmt)
            cells = [str(c) for r in rows for c in r if c is not None]
            if fmt == "csv":
                assert not any(c.startswith(("=", "+", "-", "@")) for c in cells), (name, cells)
    hours = finnish_excel_dicts((await client.get("/api/v1/volunteers/hours/totals", params={"format": "csv"})).content)
    assert {
        "Rivi": "vapaaehtoinen",
        "Järjestö": "HelsinkiMissio",
        "Vapaaehtoinen": "'=Kaava Nimi",
        "Tunnit": "1,5",
        "Päiviä": "1",
    } in hours
    scripts = await client.get("/api/v1/volunteers/hours/totals", params={"format": "csv", "separator": "comma"})
    assert "'=Kaava Nimi,1.5,1" in scripts.content.decode("utf-8-sig")


async def test_a_damaged_or_bomb_workbook_is_refused_plainly(client):
    await as_role(client, "coordinator")
    not_a_book = await post_file(client, b"PK\x03\x04 not really a zip")
    assert not_a_book.status_code == 422 and not_a_book.json()["errors"][0]["field"] == "file"
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    bomb = await post_file(client, buffer.getvalue())
    assert len(buffer.getvalue()) < 1024 * 1024
    assert bomb.status_code == 422 and bomb.json()["errors"][0]["field"] == "file"


@pytest.mark.parametrize(
    "lang, missing_donor, done",
    [
        ("fi", "Tiedostossa ei ole lahjoittajasaraketta", "2 tablettia tuotu: HKI-000123 – HKI-000124."),
        ("sv", "Filen har ingen kolumn för givare", "2 surfplattor importerade: HKI-000123 – HKI-000124."),
        ("en", "The file has no donor column", "2 tablets imported: HKI-000123 – HKI-000124."),
    ],
)
async def test_the_import_page_answers_in_the_page_s_language(client, lang, missing_donor, done):
    await as_role(client, "coordinator")
    set_cookie(client, "digiystava_lang", lang)
    csrf = {"_csrf": client.headers["X-CSRFToken"]}
    files = {"file": ("snipe-it.csv", SNIPE_IT.encode(), "text/csv")}
    refused = await client.post("/tablets/import", files=files, data=csrf, headers={"accept": "text/html"})
    assert refused.status_code == 422 and missing_donor in refused.text
    assert 'id="field-donor"' in refused.text and 'aria-invalid="true"' in refused.text
    files = {"file": ("snipe-it.csv", SNIPE_IT.encode(), "text/csv")}
    imported = await client.post(
        "/tablets/import", files=files, data={**csrf, "donor": "DNA"}, headers={"accept": "text/html"}
    )
    assert imported.status_code == 200 and done in imported.text
    assert "Category, Purchase Date" in imported.text


async def test_typed_in_forms_as_a_finnish_workbook_import(client):
    """The group's template, filled in Excel with the skills' Finnish names as headers and Finnish words."""
    from cohorts.tables import Participant
    from tests.factories.assessments import cohort_with_seniors

    location_id, cohort_id, (aino, birgitta, *_rest) = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    template = xlsx_rows((await client.get(f"/api/v1/cohorts/{cohort_id}/assessments/import/template.xlsx")).content)
    pseudonyms = {r["id"]: r["pseudonym"] for r in await Participant.select(Participant.id, Participant.pseudonym)}
    assert template[0][:2] == ["pseudonym", "phase"] and sorted(r[0] for r in template[1:]) == sorted(
        pseudonyms[p] for p in pseudonyms
    )
    rows = [
        ["Pseudonyymi", "Vaihe", "Tapa", "Tiedon hakeminen netistä", "Sähköposti", "Toiveet"],
        [pseudonyms[aino], "ennen", "avustettuna", 1, None, "email, bank"],
        [pseudonyms[birgitta], None, None, None, None, None],
    ]  # an untouched template row
    response = await client.post(
        f"/api/v1/cohorts/{cohort_id}/assessments/import",
        content=xlsx_file(rows),
        headers={"content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )
    assert response.status_code == 201, response.text
    assert response.json() == {"created": 1}
    (saved,) = (await client.get("/api/v1/assessments", params={"cohort_id": cohort_id})).json()["items"]
    assert (
        saved["participant_id"],
        saved["phase"],
        saved["method"],
        saved["answers"]["search"],
        saved["answers"]["email"],
        saved["wishes"],
    ) == (aino, "before", "with_help", 1, None, ["email", "bank"])


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "fi",
            [
                "2 ongelmaa; mitään ei tuotu.",
                "Rivi 3, Vaihe: valitse ennen, jälkeen tai seuranta",
                "Rivi 4, Tiedon hakeminen netistä: tason pitää olla 0–4 tai tyhjä",
            ],
        ),
        (
            "sv",
            [
                "2 problem; ingenting importerades.",
                "Rad 3, Vaihe: välj före, efter eller uppföljning",
                "Rad 4, Tiedon hakeminen netistä: nivån ska vara 0–4 eller tom",
            ],
        ),
        (
            "en",
            [
                "2 problems; nothing was imported.",
                "Row 3, Vaihe: use before, after or followup",
                "Row 4, Tiedon hakeminen netistä: level must be 0-4 or empty",
            ],
        ),
    ],
)
async def test_the_forms_import_page_answers_in_the_page_s_language(client, lang, expected):
    from cohorts.tables import Participant
    from tests.factories.assessments import cohort_with_seniors

    location_id, cohort_id, (aino, birgitta, *_rest) = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    set_cookie(client, "digiystava_lang", lang)
    pseudonyms = {r["id"]: r["pseudonym"] for r in await Participant.select(Participant.id, Participant.pseudonym)}
    content = (
        f"Pseudonyymi;Vaihe;Tiedon hakeminen "
        f"netistä\n{pseudonyms[aino]};jälkeen;2\n{pseudonyms[birgitta]};kesken;1\n{pseudonyms[birgitta]};ennen;9\n"
    )
    response = await client.post(
        f"/cohorts/{cohort_id}/assessments-import",
        data={"_csrf": client.headers["X-CSRFToken"]},
        files={"file": ("lomakkeet.csv", content.encode("cp1252"), "text/csv")},
        headers={"accept": "text/html"},
    )
    assert response.status_code == 422
    for text in expected:
        assert text in response.text, text
