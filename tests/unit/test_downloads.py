"""Every document is sent one way: its media type, a name to save it by (any language), and no cache."""

from pathlib import Path

import pytest

from digiystava.web.downloads import download


@pytest.mark.parametrize(
    ("filename", "save", "expected"),
    [
        # a plain name goes as it is
        ("tablets.csv", None, 'attachment; filename="tablets.csv"'),
        # PDFs open in the browser, ready to print
        ("loan-agreement-7.pdf", None, 'inline; filename="loan-agreement-7.pdf"'),
        # ...unless saving is asked for (the hours sheet)
        ("volunteer-hours-start-end.pdf", True, 'attachment; filename="volunteer-hours-start-end.pdf"'),
        # NOTE: a district or donor in the name: ASCII beside the real name, RFC 5987
        (
            "outcomes-Itäkeskus-Vanhusten turva.pdf",
            None,
            'inline; filename="outcomes-It_keskus-Vanhusten_turva.pdf"; '
            "filename*=UTF-8''outcomes-It%C3%A4keskus-Vanhusten%20turva.pdf",
        ),
        # a quote or semicolon in a name cannot end the header's value
        ('a"; b.zip', None, "attachment; filename=\"a___b.zip\"; filename*=UTF-8''a%22%3B%20b.zip"),
    ],
)
def test_the_name_to_save_by(filename, save, expected):
    assert download(b"x", filename, save=save).headers["Content-Disposition"] == expected


@pytest.mark.parametrize(
    ("filename", "media_type"),
    [
        ("guide.pdf", "application/pdf"),
        ("guides.zip", "application/zip"),
        ("sessions.ics", "text/calendar"),
        ("tablets.csv", "text/csv"),
        ("tablets.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("person-3.json", "application/json"),
    ],
)
def test_the_media_type_follows_the_name(filename, media_type):
    response = download(b"x", filename)
    assert response.media_type == media_type and response.headers["Cache-Control"] == "no-store"


def test_every_file_is_sent_by_the_one_helper():
    """No response names a file by hand: the name, media type and cache rule are ``download``'s alone."""
    root = Path(__file__).resolve().parents[2]
    by_hand = [
        str(path.relative_to(root))
        for package in ("digiystava", "cohorts", "assessments", "pdf_templates")
        for path in sorted((root / package).rglob("*.py"))
        if path != root / "digiystava" / "web" / "downloads.py" and "content-disposition" in path.read_text().lower()
    ]
    assert not by_hand, by_hand
