"""CSV out and in: pseudonyms only, a faithful round trip, all-or-nothing import with row numbers."""

from cohorts.tables import Participant
from tests.excel import finnish_excel_dicts
from tests.factories import as_role, enrol, make_cohort
from tests.factories.assessments import answers, cohort_with_seniors


async def record(client, cohort_id: int, participant_id: int, phase: str, **extra) -> None:
    response = await client.post(
        "/api/v1/assessments", json={"participant_id": participant_id, "cohort_id": cohort_id, "phase": phase, **extra}
    )
    assert response.status_code == 201, response.text


def upload(content: str) -> dict:
    return {"files": {"file": ("lomakkeet.csv", content.encode("utf-8"), "text/csv")}}


async def saved(client, cohort_id: int) -> dict:
    items = (await client.get("/api/v1/assessments", params={"cohort_id": cohort_id, "limit": 500})).json()["items"]
    return {(a["participant_id"], a["phase"]): (a["answers"], a["wishes"], a["method"]) for a in items}


async def test_export_then_import_into_a_fresh_cohort_gives_the_same_answers(client):
    location_id, cohort_id, (aino, birgitta, eino, ruth) = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    await record(
        client,
        cohort_id,
        aino,
        "before",
        answers=answers(search=0, email=None),
        wishes=["email", "kela"],
        method="alone",
    )
    await record(client, cohort_id, aino, "after", answers=answers(search=3, email=2))
    await record(client, cohort_id, birgitta, "before", answers={"games": 4}, method="with_help")
    await record(client, cohort_id, eino, "after", answers=answers())  # unpaired
    exported = await client.get(f"/api/v1/cohorts/{cohort_id}/assessments/export.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    for name in ("Aino", "Virtanen", "Birgitta", "Lindqvist"):
        assert name not in exported.text, "seniors appear by pseudonym only"
    rows = finnish_excel_dicts(exported.content)
    assert len(rows) == 4 and rows[0]["search"] in ("", "0", "1", "3", "4")

    fresh = await make_cohort(location_id, name="Kevät 2027")
    for participant_id in (aino, birgitta, eino, ruth):
        await enrol(fresh, participant_id)
    imported = await client.post(f"/api/v1/cohorts/{fresh}/assessments/import", **upload(exported.text))
    assert imported.status_code == 201, imported.text
    assert imported.json() == {"created": 4}
    assert await saved(client, fresh) == await saved(client, cohort_id)


async def test_import_reports_every_problem_with_its_row_and_imports_nothing(client):
    location_id, cohort_id, (aino, birgitta, *_rest) = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    pseudonyms = {r["id"]: r["pseudonym"] for r in await Participant.select(Participant.id, Participant.pseudonym)}
    content = "\n".join(
        [
            "pseudonym,phase,search,email,wishes",
            f"{pseudonyms[aino]},before,2,3,email",  # row 2: fine
            f"{pseudonyms[birgitta]},during,1,,",  # row 3: unknown phase
            "NOBODY12,before,1,1,",  # row 4: no such senior in this cohort
            f"{pseudonyms[birgitta]},after,7,x,",  # row 5: two bad levels
            f"{pseudonyms[aino]},before,1,1,astrology",  # row 6: same senior and phase as row 2, and an unknown wish
        ]
    )
    response = await client.post(f"/api/v1/cohorts/{cohort_id}/assessments/import", **upload(content))
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"row 3.phase", "row 4.pseudonym", "row 5.search", "row 5.email", "row 6.phase", "row 6.wishes"}
    assert (await client.get("/api/v1/assessments", params={"cohort_id": cohort_id})).json()["total"] == 0


async def test_import_refuses_unknown_columns_and_existing_records(client):
    location_id, cohort_id, (aino, *_rest) = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    pseudonym = (await Participant.select(Participant.pseudonym).where(Participant.id == aino).first())["pseudonym"]
    bad_header = await client.post(
        f"/api/v1/cohorts/{cohort_id}/assessments/import", **upload("pseudonym,phase,knitting\n")
    )
    assert [e["field"] for e in bad_header.json()["errors"]] == ["row 1.knitting"]
    await record(client, cohort_id, aino, "before", answers=answers())
    again = await client.post(
        f"/api/v1/cohorts/{cohort_id}/assessments/import", **upload(f"pseudonym,phase,search\n{pseudonym},before,2\n")
    )
    assert again.status_code == 422 and [e["field"] for e in again.json()["errors"]] == ["row 2.phase"]


async def test_semicolon_csv_from_a_finnish_spreadsheet_is_read(client):
    location_id, cohort_id, (aino, *_rest) = await cohort_with_seniors()
    await as_role(client, "trainer", [location_id])
    pseudonym = (await Participant.select(Participant.pseudonym).where(Participant.id == aino).first())["pseudonym"]
    content = "\ufeffpseudonym;phase;search;email;wishes\r\n" + f"{pseudonym};after;4;;email,bank\r\n"
    response = await client.post(f"/api/v1/cohorts/{cohort_id}/assessments/import", **upload(content))
    assert response.status_code == 201, response.text
    answers_saved, wishes, method = (await saved(client, cohort_id))[(aino, "after")]
    assert (
        answers_saved["search"] == 4
        and answers_saved["email"] is None
        and wishes == ["email", "bank"]
        and method == "paper"
    )


async def test_export_of_an_odd_pseudonym_is_neutralised(client):
    location_id, cohort_id, (aino, *_rest) = await cohort_with_seniors()
    await Participant.update({Participant.pseudonym: "=HYPERLINK1"}).where(Participant.id == aino)
    await as_role(client, "trainer", [location_id])
    await record(client, cohort_id, aino, "before", answers=answers())
    text = (await client.get(f"/api/v1/cohorts/{cohort_id}/assessments/export.csv")).text
    assert "\r\n'=HYPERLINK1;before;" in text
