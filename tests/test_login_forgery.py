"""Login cannot be forged from another site: JSON only, same origin, every key once."""

import re

import pytest

from digiystava.accounts.authentication import SESSION_COOKIE
from tests.factories import PASSWORD, make_user

# What an attacker's `<form enctype="text/plain">` sends: one field whose name is
# `{"username":"mallory","password":"` and whose value is `","password":"<theirs>"}`.
# NOTE: the first "password" is the filler "="; JSON parsers that keep the last key use theirs.
FORGED_BODY = '{"username":"mallory","password":"=","password":"' + PASSWORD + '"}'


async def test_text_plain_form_from_another_site_does_not_log_anyone_in(client):
    await make_user("trainer", "mallory")
    response = await client.post(
        "/api/v1/auth/login",
        content=FORGED_BODY,
        headers={"Content-Type": "text/plain", "Origin": "https://evil.example"},
    )
    assert response.status_code in (403, 415)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert not client.cookies.get(SESSION_COOKIE)


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",  # an HTML form with enctype=text/plain
        "application/x-www-form-urlencoded",  # any other form
        "multipart/form-data; boundary=x",
        None,  # no type at all
    ],
)
async def test_login_api_accepts_only_json(client, content_type):
    await make_user("trainer", "timo")
    body = '{"username":"timo","password":"' + PASSWORD + '"}'
    headers = {"Content-Type": content_type} if content_type else {}
    response = await client.post("/api/v1/auth/login", content=body, headers=headers)
    assert response.status_code == 415, response.text
    assert response.json()["status"] == 415
    assert not client.cookies.get(SESSION_COOKIE)


async def test_login_api_takes_json_with_a_charset(client):
    await make_user("trainer", "timo")
    body = '{"username":"timo","password":"' + PASSWORD + '"}'
    response = await client.post(
        "/api/v1/auth/login", content=body, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "body, field",
    [
        (FORGED_BODY, "password"),  # the forged form's trick, sent as JSON
        ('{"username":"timo","username":"mallory","password":"x"}', "username"),
    ],
)
async def test_duplicate_keys_are_refused(client, body, field):
    await make_user("trainer", "mallory")
    response = await client.post("/api/v1/auth/login", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["errors"][0]["field"] == field and "more than once" in problem["errors"][0]["message"]
    assert not client.cookies.get(SESSION_COOKIE)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},  # another site
        {"Origin": "null"},  # a sandboxed frame or a data: page
        {"Origin": "http://testserver.local.evil.example"},  # a look-alike host
        {"Sec-Fetch-Site": "cross-site"},  # a browser that says so without an Origin
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another origin
    ],
)
async def test_login_api_refuses_other_origins(client, headers):
    await make_user("trainer", "timo")
    response = await client.post("/api/v1/auth/login", json={"username": "timo", "password": PASSWORD}, headers=headers)
    assert response.status_code == 403, response.text
    assert not client.cookies.get(SESSION_COOKIE)


@pytest.mark.parametrize(
    "headers",
    [
        {},  # a script: no Origin header at all
        {"Origin": "http://testserver.local", "Sec-Fetch-Site": "same-origin"},  # the app's own pages
    ],
)
async def test_login_api_accepts_its_own_origin_and_scripts(client, headers):
    await make_user("trainer", "timo")
    response = await client.post("/api/v1/auth/login", json={"username": "timo", "password": PASSWORD}, headers=headers)
    assert response.status_code == 200, response.text


async def test_login_page_refuses_a_post_from_another_site(client):
    await make_user("trainer", "timo")
    form = await client.get("/login")
    token = re.search(r'name="_csrf" value="([^"]+)"', form.text).group(1)
    data = {"username": "timo", "password": PASSWORD, "_csrf": token, "next": "/"}
    response = await client.post("/login", data=data, headers={"Origin": "https://evil.example", "Accept": "text/html"})
    assert response.status_code == 403
    assert not client.cookies.get(SESSION_COOKIE)
    same = await client.post("/login", data=data, headers={"Origin": "http://testserver.local"})
    assert same.status_code == 303
