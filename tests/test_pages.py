"""The server-rendered pages: login with CSRF, locations form, errors, scope."""

import re

from tests.factories import PASSWORD, make_location, make_user, second_factor_code


def csrf(html: str) -> str:
    return re.search(r'name="_csrf" value="([^"]+)"', html).group(1)


async def page_login(client, username: str) -> None:
    """Log in on the page, with the second step where the user has one."""
    form = await client.get("/login")
    response = await client.post(
        "/login", data={"username": username, "password": PASSWORD, "_csrf": csrf(form.text), "next": "/"}
    )
    assert response.status_code == 303, response.text
    if response.headers["location"].startswith("/login/code"):
        data = {"code": await second_factor_code(username), "_csrf": csrf(form.text), "next": "/"}
        response = await client.post("/login/code", data=data)
        assert response.status_code == 303 and response.headers["location"] == "/", response.text


async def test_login_page_flow_and_logout(client):
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    home = await client.get("/")
    assert home.status_code == 200 and "Tervetuloa" in home.text
    logout = await client.post("/logout", data={"_csrf": csrf(home.text)})
    assert logout.status_code == 303
    assert (await client.get("/", headers={"accept": "text/html"})).status_code == 302


async def test_login_form_without_its_csrf_token_is_refused(client):
    await make_user("coordinator", "kaisa")
    await client.get("/login")
    response = await client.post("/login", data={"username": "kaisa", "password": PASSWORD, "_csrf": "forged"})
    assert response.status_code == 403


async def test_wrong_password_shows_an_error_summary(client):
    await make_user("coordinator", "kaisa")
    form = await client.get("/login")
    response = await client.post(
        "/login", data={"username": "kaisa", "password": "väärä-salasana", "_csrf": csrf(form.text)}
    )
    assert response.status_code == 401
    assert 'class="error-summary"' in response.text and "Väärä käyttäjätunnus" in response.text


async def test_anonymous_page_request_redirects_to_login(client):
    response = await client.get("/locations", headers={"accept": "text/html"})
    assert response.status_code == 302 and response.headers["location"].startswith("/login")


async def test_coordinator_creates_a_location_through_the_form(client):
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    form = await client.get("/locations/new")
    token = csrf(form.text)
    invalid = await client.post("/locations", data={"_csrf": token, "name": "", "kind": "library"})
    assert invalid.status_code == 422 and 'href="#field-name"' in invalid.text
    created = await client.post(
        "/locations",
        data={"_csrf": token, "name": "Oodi <b>&</b>", "kind": "library", "district": "Kluuvi", "address": ""},
    )
    assert created.status_code == 303
    detail = await client.get(created.headers["location"])
    # User text is escaped, never interpreted as markup.
    assert "Oodi &lt;b&gt;&amp;&lt;/b&gt;" in detail.text and "<b>&</b>" not in detail.text
    listing = await client.get("/locations")
    assert "Kluuvi" in listing.text


async def test_form_post_without_csrf_is_refused(client):
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    response = await client.post("/locations", data={"name": "X", "kind": "library"})
    assert response.status_code == 403


async def test_trainer_gets_a_404_page_outside_their_scope(client):
    own = await make_location("Kinaporin palvelukeskus")
    other = await make_location("Töölön palvelukeskus")
    await make_user("trainer", "timo", [own])
    await page_login(client, "timo")
    assert (await client.get(f"/locations/{own}")).status_code == 200
    response = await client.get(f"/locations/{other}", headers={"accept": "text/html"})
    assert response.status_code == 404 and "Sivua ei löydy" in response.text


async def test_tokens_page_shows_a_new_secret_once(client):
    await make_user("steering", "sanna")
    await page_login(client, "sanna")
    page = await client.get("/me/tokens")
    created = await client.post("/me/tokens", data={"_csrf": csrf(page.text), "name": "raportti"})
    secret = re.search(r'id="new-token">(dy_[^<]+)<', created.text).group(1)
    later = (await client.get("/me/tokens")).text
    assert secret not in later and secret[:10] in later  # only the prefix stays visible


async def test_coordinator_manages_users_through_pages(client):
    location = await make_location()
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    form = await client.get("/users/new")
    response = await client.post(
        "/users",
        data={
            "_csrf": csrf(form.text),
            "username": "uusi.kouluttaja",
            "role": "trainer",
            "password": "hyva-salasana",
            "location_ids": str(location),
            "display_name": "Uusi",
        },
    )
    assert response.status_code == 303, response.text
    listing = await client.get("/users")
    assert "uusi.kouluttaja" in listing.text and "Kinaporin palvelukeskus" in listing.text


async def test_overview_pages_are_paged(client):
    """Pairs at a glance and the assessments overview page through many cohorts instead of cutting them off."""
    from tests.factories import make_cohort

    location = await make_location()
    for i in range(55):
        await make_cohort(location, name=f"Ryhmä {i:02d}", weeks=1)
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")

    def names(html: str) -> set[str]:
        return set(re.findall(r"Ryhmä \d\d", html))

    first = await client.get("/pairings")
    assert first.status_code == 200 and 'rel="next"' in first.text and len(names(first.text)) == 20
    last = await client.get("/pairings?offset=40")
    assert len(names(last.text)) == 15 and 'rel="next"' not in last.text
    overview = await client.get("/assessments")
    assert 'rel="next"' in overview.text
    assert "Ryhmä" in (await client.get("/assessments?offset=50")).text


async def test_a_service_refusal_is_shown_in_the_page_language_and_the_api_keeps_english(client):
    from tests.factories import as_role, enrol, make_cohort, make_participant

    location = await make_location()
    cohort = await make_cohort(location)
    senior = await make_participant(location)
    await enrol(cohort, senior)
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    detail = await client.get(f"/cohorts/{cohort}")
    again = await client.post(
        f"/cohorts/{cohort}/enrol",
        data={"_csrf": csrf(detail.text), "participant_id": str(senior)},
        headers={"accept": "text/html"},
    )
    assert again.status_code == 409
    assert "Seniori on jo tällä kurssilla tai sen jonotuslistalla." in again.text
    unknown = await client.post(
        f"/cohorts/{cohort}/enrol",
        data={"_csrf": csrf(detail.text), "participant_id": "999999"},
        headers={"accept": "text/html"},
    )
    assert (
        unknown.status_code == 422
        and "tuntematon seniori" in unknown.text
        and "unknown participant" not in unknown.text
    )
    await as_role(client, "coordinator")
    api = await client.post(f"/api/v1/cohorts/{cohort}/enrolments", json={"participant_id": senior})
    assert (
        api.status_code == 409 and api.json()["detail"] == "The senior is already on this cohort or its waiting list."
    )


async def test_a_refusal_with_values_is_translated_before_its_values_are_filled_in(client):
    from cohorts.tables import Cohort
    from tests.factories import as_role, make_cohort, make_participant

    location = await make_location()
    cohort = await make_cohort(location)
    senior = await make_participant(location)
    await Cohort.update({Cohort.status: "completed"}).where(Cohort.id == cohort)
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    detail = await client.get(f"/cohorts/{cohort}")
    refused = await client.post(
        f"/cohorts/{cohort}/enrol",
        data={"_csrf": csrf(detail.text), "participant_id": str(senior)},
        headers={"accept": "text/html"},
    )
    assert refused.status_code == 409 and "Kurssi on päättynyt, eikä siihen voi enää liittyä." in refused.text
    client.cookies.set("digiystava_lang", "sv", domain="testserver.local")
    refused = await client.post(
        f"/cohorts/{cohort}/enrol",
        data={"_csrf": csrf(detail.text), "participant_id": str(senior)},
        headers={"accept": "text/html"},
    )
    assert refused.status_code == 409 and "Kursen har avslutats; ingen kan längre gå med." in refused.text
    await as_role(client, "coordinator")
    api = await client.post(f"/api/v1/cohorts/{cohort}/enrolments", json={"participant_id": senior})
    assert api.status_code == 409 and api.json()["detail"] == "The course has ended; nobody can join it."


async def test_emptying_the_birth_year_box_clears_the_year(client):
    from tests.factories import make_participant

    location = await make_location()
    person = await make_participant(location, birth_year=1948)
    await make_user("coordinator", "kaisa")
    await page_login(client, "kaisa")
    form = await client.get(f"/participants/{person}/edit")
    assert 'value="1948"' in form.text
    fields = {
        "_csrf": csrf(form.text),
        "first_name": "Aino",
        "last_name": "Virtanen",
        "birth_year": "",
        "phone": "040 123 4567",
        "language": "fi",
        "district": "Kallio",
        "location_id": str(location),
        "consent_given_on": "2026-08-01",
    }
    saved = await client.post(f"/participants/{person}/edit", data=fields)
    assert saved.status_code == 303, saved.text
    shown = await client.get(f"/participants/{person}/edit")
    assert 'value="1948"' not in shown.text
