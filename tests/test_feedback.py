"""The seniors' feedback: a one-time link without login, the trainer's entry, and counts only from five answers up."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from tests.factories import as_role, make_location
from tests.factories.assessments import cohort_with_seniors
from tests.pdf_text import pdf_text
from tests.test_pages import csrf
from tests.test_pdf_files import check_pdf

ANSWERS = {"recommend": "yes", "pace": "right", "friend": "somewhat", "confident": "a_little", "guide": "not_used"}


async def links(client, cohort: int, count: int = 2) -> list[str]:
    response = await client.post(f"/api/v1/cohorts/{cohort}/feedback-links", json={"count": count})
    assert response.status_code == 201, response.text
    return ["/f/" + url.rsplit("/f/", 1)[1] for url in response.json()["links"]]


async def test_a_card_opens_the_form_once_without_login_and_keeps_only_a_hash(client):
    from assessments.tables import Feedback, FeedbackLink

    location, cohort, _seniors = await cohort_with_seniors()
    await as_role(client, "trainer", [location])
    first, second = await links(client, cohort)
    token = first.removeprefix("/f/")
    stored = [row["token_hash"] for row in await FeedbackLink.select(FeedbackLink.token_hash)]
    assert hashlib.sha256(token.encode()).hexdigest() in stored and token not in stored

    client.cookies.clear()  # the senior's own tablet: nobody is logged in
    form = await client.get(first)
    assert form.status_code == 200 and 'type="radio"' in form.text
    for personal in ('name="name"', 'name="phone"', 'name="email"', 'name="first_name"'):
        assert personal not in form.text
    refused = await client.post(first, data={**ANSWERS, "pace": "sideways"})
    assert refused.status_code == 422 and 'id="error-pace"' in refused.text
    sent = await client.post(first, data={**ANSWERS, "learn": "Videopuhelut lastenlasten kanssa"})
    assert sent.status_code == 200 and "Kiitos vastauksistasi" in sent.text
    [saved] = await Feedback.select(Feedback.cohort, Feedback.answers, Feedback.free_text, Feedback.method).output(
        load_json=True
    )
    assert saved == {
        "cohort": cohort,
        "answers": ANSWERS,
        "free_text": "Videopuhelut lastenlasten kanssa",
        "method": "card",
    }

    again = await client.get(first)
    assert again.status_code == 410 and "Kiitos, tämä kortti on jo käytetty" in again.text
    assert (await client.post(first, data=ANSWERS)).status_code == 410
    assert await Feedback.count() == 1
    assert (await client.get("/f/not-a-card")).status_code == 404
    # A card past its fortnight is refused as kindly.
    await FeedbackLink.update({FeedbackLink.expires_at: dt.datetime(2020, 1, 1, tzinfo=dt.UTC)}).where(
        FeedbackLink.token_hash == hashlib.sha256(second.removeprefix("/f/").encode()).hexdigest()
    )
    expired = await client.post(second, data=ANSWERS)
    assert expired.status_code == 410 and "vanhentunut" in expired.text


async def test_only_staff_of_the_cohort_make_cards_and_enter_answers(client):
    location, cohort, _ = await cohort_with_seniors()
    await as_role(client, "trainer", [await make_location("Malmin kirjasto", "library", "Malmi")])
    assert (await client.post(f"/api/v1/cohorts/{cohort}/feedback-links", json={"count": 1})).status_code == 404
    await as_role(client, "steering")
    assert (await client.post(f"/api/v1/cohorts/{cohort}/feedback-links", json={"count": 1})).status_code == 403
    await as_role(client, "trainer", [location])
    too_many = await client.post(f"/api/v1/cohorts/{cohort}/feedback-links", json={"count": 41})
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "count"
    bad = await client.post(f"/api/v1/cohorts/{cohort}/feedback", json={"answers": {"recommend": "perhaps"}})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "recommend"
    code = await client.post(f"/api/v1/cohorts/{cohort}/feedback", json={"learn": "Soita 131052-308T"})
    assert code.status_code == 422
    entered = await client.post(f"/api/v1/cohorts/{cohort}/feedback", json={"answers": ANSWERS})
    assert entered.status_code == 201
    from digiystava.accounts.tables import AuditEntry

    assert await AuditEntry.exists().where(AuditEntry.entity == "feedback", AuditEntry.action == "create")
    page = await client.get(f"/cohorts/{cohort}/feedback", headers={"accept": "text/html"})
    assert page.status_code == 200 and "1 vastaus" in page.text
    cards = await client.post(f"/cohorts/{cohort}/feedback/cards", data={"_csrf": csrf(page.text), "count": "4"})
    assert cards.status_code == 200 and cards.headers["content-type"] == "application/pdf"
    # Sent as every PDF is: opened to print, and its one-time links never kept by a cache.
    assert cards.headers["content-disposition"] == f'inline; filename="feedback-cards-{cohort}.pdf"'
    assert cards.headers["cache-control"] == "no-store"
    check_pdf(cards.content, "fi", "feedback cards")
    text = pdf_text(cards.content)
    assert text.count("/f/") == 4 and "Kerro mielipiteesi kurssista" in text


async def give_feedback(cohort: int, count: int, text: str = "") -> None:
    from assessments.tables import Feedback

    await Feedback.insert(
        *[
            Feedback(cohort=cohort, answers={"recommend": "yes" if i % 3 else "maybe"}, free_text=text)
            for i in range(count)
        ]
    )


@pytest.mark.parametrize(
    "role, sees_words",
    [
        ("coordinator", True),
        ("steering", False),  # never the seniors' words verbatim
        ("trainer", False),
    ],
)
async def test_feedback_counts_only_courses_with_five_answers_and_words_only_for_coordinators(client, role, sees_words):
    location, a, _ = await cohort_with_seniors(status="completed")
    _, b, _ = await cohort_with_seniors(location, status="completed", name="Kevät 2026")
    await give_feedback(a, 6, "Lisää pankkiasioita")
    await give_feedback(b, 4, "Kuvien jakaminen")
    await as_role(client, role, [location])
    whole = (await client.get("/api/v1/reports/feedback", params={"location_id": location, "lang": "en"})).json()
    assert (whole["respondents"], whole["cohorts"], whole["left_out_cohorts"]) == (6, 1, 1)
    recommend = next(q for q in whole["questions"] if q["code"] == "recommend")
    assert {o["code"]: o["count"] for o in recommend["options"]} == {"yes": 4, "maybe": 2, "no": 0}
    assert recommend["answered"] == 6
    assert whole["free_text"] == (["Lisää pankkiasioita"] * 6 if sees_words else None)
    small = (await client.get("/api/v1/reports/feedback", params={"cohort_id": b})).json()
    assert small["suppressed"] and small["respondents"] is None and small["questions"] == []
    if role != "trainer":
        donor = (await client.get("/api/v1/reports/feedback", params={"donor": "DNA"})).json()
        assert donor["suppressed"], "anonymous answers cannot be split by whose tablets the seniors borrowed"
    page = await client.get("/reports/feedback", params={"cohort_id": a}, headers={"accept": "text/html"})
    assert page.status_code == 200 and ("Lisää pankkiasioita" in page.text) == sees_words


async def test_the_trainers_entry_page_keeps_the_answers_it_refuses(client):
    """Entered by hand: a refused answer comes back at its question with the others still chosen."""
    location, cohort, _ = await cohort_with_seniors()
    await as_role(client, "trainer", [location])
    html = {"accept": "text/html"}
    token = client.headers["X-CSRFToken"]
    refused = await client.post(
        f"/cohorts/{cohort}/feedback", data={"_csrf": token, **ANSWERS, "pace": "sideways"}, headers=html
    )
    assert refused.status_code == 422 and 'id="error-pace"' in refused.text
    assert 'name="recommend" value="yes" id="field-recommend" checked' in refused.text
    saved = await client.post(f"/cohorts/{cohort}/feedback", data={"_csrf": token, **ANSWERS}, headers=html)
    assert saved.status_code == 303 and saved.headers["location"] == f"/cohorts/{cohort}/feedback?saved=1#enter"
    await as_role(client, "trainer", [await make_location("Malmin kirjasto", "library", "Malmi")])
    elsewhere = await client.post(
        f"/cohorts/{cohort}/feedback", data={"_csrf": client.headers["X-CSRFToken"], **ANSWERS}, headers=html
    )
    assert elsewhere.status_code == 404


async def test_two_lines_typed_on_the_card_are_kept_as_two_lines(client):
    """A browser sends a text box's line breaks as CR LF: the senior's words arrive as typed."""
    from assessments.tables import Feedback

    location, cohort, _seniors = await cohort_with_seniors()
    await as_role(client, "trainer", [location])
    first, _second = await links(client, cohort)
    client.cookies.clear()
    sent = await client.post(first, data={**ANSWERS, "learn": "Videopuhelut\r\nKuvien lähettäminen\r\n"})
    assert sent.status_code == 200 and "Kiitos vastauksistasi" in sent.text, sent.text[-500:]
    [saved] = await Feedback.select(Feedback.free_text)
    assert saved["free_text"] == "Videopuhelut\nKuvien lähettäminen"
