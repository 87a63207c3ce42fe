"""The API-token page and its menu link are for the roles whose work scripts take over."""

import pytest

from tests.factories import make_location, make_user
from tests.test_pages import csrf, page_login


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("coordinator", True),  # imports, exports and integrations
        ("steering", True),  # reporting tools read the outcome figures
        ("trainer", False),  # works in the pages: attendance, answers, handouts
        ("volunteer", False),  # reads their own seniors only
    ],
)
async def test_api_tokens_are_offered_only_to_roles_that_use_them(client, role, offered):
    location = await make_location()
    await make_user(role, "kayttaja", [location] if role == "trainer" else [])
    await page_login(client, "kayttaja")
    home = await client.get("/", headers={"accept": "text/html"})
    assert ('href="/me/tokens"' in home.text) is offered, home.text[home.text.find("/me/tokens") - 300 :][:400]
    tokens = await client.get("/me/tokens", headers={"accept": "text/html"})
    assert tokens.status_code == (200 if offered else 403)
    made = await client.post("/me/tokens", data={"_csrf": csrf(home.text), "name": "skripti"})
    assert (made.status_code == 200) is offered
