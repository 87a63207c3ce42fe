"""`digiystava labels`: a label sheet from the command line, or one clear line on failure."""

from tests.factories.commands import on_database
from tests.factories.tablets import make_tablet
from tests.pdf_text import page_texts


async def test_labels_command_writes_a_pdf(db, database_urls, tmp_path):
    url = database_urls["postgres" if db.engine_type == "postgres" else "sqlite"]
    first = await make_tablet(model="Galaxy Tab A9+")
    await make_tablet(model="iPad 9")
    out = tmp_path / "labels.pdf"
    result = on_database(
        url, "labels", "--tablet", str(first), "--out", str(out), "--base-url", "https://digiystava.example.fi"
    )
    assert result.returncode == 0, result.stderr
    text = page_texts(out.read_bytes())[0]
    assert "Galaxy Tab A9+" in text and "iPad 9" not in text
    every = on_database(url, "labels", "--out", str(out))
    assert every.returncode == 0 and "iPad 9" in page_texts(out.read_bytes())[0]


async def test_labels_command_failures_are_one_line(db, database_urls, tmp_path):
    url = database_urls["postgres" if db.engine_type == "postgres" else "sqlite"]
    unknown = on_database(url, "labels", "--tablet", "999", "--out", str(tmp_path / "x.pdf"))
    assert unknown.returncode != 0 and unknown.stderr.strip().splitlines() == [
        "digiystava labels: tablet_id: no tablet with id 999"
    ]
    await make_tablet()
    unwritable = on_database(url, "labels", "--out", str(tmp_path / "missing-dir" / "x.pdf"))
    lines = unwritable.stderr.strip().splitlines()
    assert (
        unwritable.returncode != 0
        and len(lines) == 1
        and "cannot write" in lines[0]
        and "Traceback" not in unwritable.stderr
    )
