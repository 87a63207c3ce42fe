"""`digiystava handout`: a guide from the command line, or one clear line on failure."""

from tests.factories.commands import on_database
from tests.factories.handouts import guide_course
from tests.pdf_text import page_texts, pdf_text


async def test_handout_command_writes_both_guides(db, database_urls, tmp_path):
    url = database_urls["postgres" if db.engine_type == "postgres" else "sqlite"]
    c = await guide_course()
    own = tmp_path / "aino.pdf"
    result = on_database(
        url, "handout", "beginner", "--cohort", str(c["cohort_id"]), "--participant", str(c["aino"]), "--out", str(own)
    )
    assert result.returncode == 0, result.stderr
    text = pdf_text(own.read_bytes())
    assert "Aino Virtanen" in text and "09 310 10011" in text and "Mikko" in text
    trainer = tmp_path / "trainer.pdf"
    result = on_database(
        url,
        "handout",
        "trainer",
        "--cohort",
        str(c["cohort_id"]),
        "--lang",
        "sv",
        "--size",
        "larger",
        "--out",
        str(trainer),
    )
    assert result.returncode == 0, result.stderr
    assert "Handledarens guide" in page_texts(trainer.read_bytes())[0]


async def test_handout_command_failures_are_one_line(db, database_urls, tmp_path):
    url = database_urls["postgres" if db.engine_type == "postgres" else "sqlite"]
    c = await guide_course()
    out = str(tmp_path / "x.pdf")
    cases = [
        (["--cohort", "999999"], "digiystava handout: no cohort 999999"),
        (["--cohort", str(c["cohort_id"]), "--lang", "de"], "digiystava handout: --lang: use one of: fi, sv, en"),
        (
            ["--cohort", str(c["cohort_id"]), "--participant", str(c["kalle"])],
            "digiystava handout: --participant: this senior is not on this cohort",
        ),
    ]
    for extra, line in cases:
        result = on_database(url, "handout", "beginner", *extra, "--out", out)
        assert result.returncode != 0 and result.stderr.strip().splitlines() == [line], result.stderr
    unwritable = on_database(
        url, "handout", "beginner", "--cohort", str(c["cohort_id"]), "--out", str(tmp_path / "missing" / "x.pdf")
    )
    lines = unwritable.stderr.strip().splitlines()
    assert unwritable.returncode != 0 and len(lines) == 1 and "cannot write" in lines[0]
