"""CSV import of a delivery: all rows or none, every bad row reported with its number and field."""

import pytest

from tests.factories import as_role
from tests.factories.tablets import make_donation, make_tablet

HEADER = "serial_number,model,os,donor,charger,cable,sim_number,data_plan\n"


def csv_file(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


async def post_csv(client, content: bytes, query: str = ""):
    return await client.post(f"/api/v1/tablets/import{query}", content=content, headers={"content-type": "text/csv"})


async def test_good_file_imports_every_row(client):
    await as_role(client, "coordinator")
    donation = await make_donation("DNA", count=3)
    content = csv_file(
        "R9TW0000001,Samsung Galaxy Tab A9+,android,DNA,yes,yes,,",
        "R9TW0000002,Samsung Galaxy Tab A9+,Android,dna,kyllä,ei,+358 40 123 4567,DNA Mini 5 GB",
        "DMPXK000003,iPad 9,ipados,DNA,1,0,,",
    )
    response = await post_csv(client, content, f"?donation_id={donation}")
    assert response.status_code == 201, response.text
    assert response.json() == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "first_asset_tag": "DY-000001",
        "last_asset_tag": "DY-000003",
        "notes": [],
    }
    tablets = (await client.get("/api/v1/tablets")).json()["items"]
    assert [t["donation_id"] for t in tablets] == [donation] * 3
    second = next(t for t in tablets if t["serial_number"] == "R9TW0000002")
    assert second["accessories"]["charger"] and not second["accessories"]["cable"] and second["accessories"]["sim_card"]
    history = (await client.get(f"/api/v1/tablets/{second['id']}/history")).json()
    assert history[0]["kind"] == "received"


async def test_semicolons_and_a_byte_order_mark_are_read(client):
    # NOTE: Finnish Excel saves CSV with semicolons and a BOM.
    await as_role(client, "coordinator")
    content = "\ufeffserial_number;model;os;donor\nAB12345;Lenovo Tab M10;android;Vanhusten turva\n".encode("utf-8")
    response = await post_csv(client, content)
    assert response.status_code == 201 and response.json()["created"] == 1


async def test_bad_rows_are_numbered_and_nothing_is_imported(client):
    await as_role(client, "coordinator")
    content = csv_file(
        "R9TW0000001,Galaxy Tab,android,DNA,yes,yes,,",  # row 2: good
        "R9TW0000002,Galaxy Tab,windows,DNA,yes,yes,,",  # row 3: bad os
        "R9TW0000003,Galaxy Tab,android,Nokia,yes,yes,,",  # row 4: unknown donor
        ",Galaxy Tab,android,DNA,yes,yes,,",  # row 5: no serial
        "R9TW0000001,Galaxy Tab,android,DNA,maybe,yes,,",  # row 6: duplicate of row 2, bad flag
    )
    response = await post_csv(client, content)
    assert response.status_code == 422
    problems = {(e["field"], e["message"]) for e in response.json()["errors"]}
    fields = {field for field, _message in problems}
    assert {"row 3.os", "row 4.donor", "row 5.serial_number", "row 6.serial_number", "row 6.charger"} <= fields
    assert ("row 6.serial_number", "duplicate of row 2") in problems
    assert "row 2" not in " ".join(fields)
    assert (await client.get("/api/v1/tablets")).json()["total"] == 0


async def test_a_serial_number_already_in_the_inventory_updates_that_tablet(client):
    await as_role(client, "coordinator")
    known = await make_tablet(serial="R9TW0000009")
    response = await post_csv(
        client,
        csv_file("R9TW0000001,Galaxy Tab,android,DNA,,,,", "r9tw0000009,Galaxy Tab S6 Lite,android,DNA,yes,no,,"),
    )
    assert response.status_code == 201, response.text
    assert (response.json()["created"], response.json()["updated"]) == (1, 1)
    tablet = (await client.get(f"/api/v1/tablets/{known}")).json()
    assert (
        tablet["model"] == "Galaxy Tab S6 Lite"
        and tablet["accessories"]["charger"]
        and not tablet["accessories"]["cable"]
    )
    assert tablet["accessories"]["case"], "a column the file lacks leaves the tablet's value alone"
    history = (await client.get(f"/api/v1/tablets/{known}/history")).json()
    assert history[0]["kind"] == "updated" and "model" in history[0]["note"]
    assert (await client.get("/api/v1/tablets")).json()["total"] == 2


@pytest.mark.parametrize(
    "content, field",
    [
        (b"serial_number,os\nX1234,android\n", "row 1.model"),  # required column missing
        (b"serial_number,model\nX1234,Tab\n", "donor"),  # no donor column and no donor chosen for the file
        (b"serial_number,Sarjanumero,model,os,donor\n", "row 1.Sarjanumero"),  # the same column twice, in two languages
        (HEADER.encode(), "row 2"),  # header only
    ],
)
async def test_file_level_problems(client, content, field):
    await as_role(client, "coordinator")
    response = await post_csv(client, content)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field


async def test_import_is_for_the_coordinator(client):
    await as_role(client, "trainer")
    assert (await post_csv(client, csv_file("R9TW0000001,Galaxy Tab,android,DNA,,,,"))).status_code == 403


async def test_multipart_upload_from_the_page(client):
    await as_role(client, "coordinator")
    files = {"file": ("toimitus.csv", csv_file("R9TW0000001,Galaxy Tab,android,DNA,,,,"), "text/csv")}
    response = await client.post(
        "/tablets/import", files=files, data={"_csrf": client.headers["X-CSRFToken"]}, headers={"accept": "text/html"}
    )
    assert response.status_code == 200 and "DY-000001" in response.text
    rows = csv_file(",Tab,android,DNA,,,,", "R9TW0000002,Tab,android,DNA,,,,", "R9TW0000002,Tab,android,DNA,maybe,,,")
    bad = await client.post(
        "/tablets/import",
        files={"file": ("x.csv", rows, "text/csv")},
        data={"_csrf": client.headers["X-CSRFToken"]},
        headers={"accept": "text/html"},
    )
    # The page speaks Finnish, values filled in after translating; the columns keep the file's names.
    assert bad.status_code == 422
    for text in (
        "3 ongelmaa; mitään ei tuotu.",
        "Rivi 2, serial_number: Kirjoita vähintään 3 merkkiä.",
        "Rivi 4, serial_number: sama kuin rivillä 3",
        "Rivi 4, charger: kirjoita kyllä tai ei",
    ):
        assert text in bad.text, text
    api = await post_csv(client, rows)
    assert api.json()["detail"] == "3 problems; nothing was imported."
    assert {"field": "row 4.serial_number", "message": "duplicate of row 3"} in api.json()["errors"]


@pytest.mark.slow
async def test_ten_thousand_rows_import_whole(client):
    """A 10,000-tablet delivery goes in as one file (its speed: benchmarks/bench_tablet_import.py)."""
    await as_role(client, "coordinator")
    rows = [
        f"SN{i:08d},Samsung Galaxy Tab A9+,android,{'DNA' if i % 2 else 'Vanhusten turva'},yes,yes,,"
        for i in range(10_000)
    ]
    content = csv_file(*rows)
    assert len(content) < 10 * 1024 * 1024
    response = await post_csv(client, content)
    assert response.status_code == 201, response.text[:500]
    assert response.json()["last_asset_tag"] == "DY-010000"
    assert (await client.get("/api/v1/tablets?limit=1")).json()["total"] == 10_000


async def test_more_than_a_megabyte_is_accepted_but_not_more_than_ten(client):
    await as_role(client, "coordinator")
    padding = "x" * 150
    rows = [f"SN{i:08d},Tab {padding},android,DNA,,,," for i in range(8000)]  # about 1.5 MB
    response = await post_csv(client, csv_file(*rows))
    assert response.status_code == 201
    huge = b"serial_number,model,os,donor\n" + b"A" * (11 * 1024 * 1024)
    assert (await post_csv(client, huge)).status_code == 413
