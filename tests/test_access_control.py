"""Access control on every route, table-driven from the app's own route list.

A route that is not in the table below fails the suite: every new route
must state which roles may read it. Reads by other roles must answer 403
(role) or 404 (scope); anonymous callers always get 401. Unsafe methods are
checked too: anonymous callers get 401 and never change anything.
"""

import re

import pytest
from litestar.routes import HTTPRoute

from tests.factories import as_role, enrol, make_cohort, make_location, make_participant, make_user

ROLES = ("coordinator", "trainer", "steering", "volunteer")

# Which roles may read each page or API resource (others get 403 or 404).
EXPECTED_GET = {
    "GET /api/v1/cohorts/{cohort_id:int}/handouts/beginner.pdf": {'coordinator', 'trainer'},
    "GET /api/v1/cohorts/{cohort_id:int}/handouts/beginner.zip": {'coordinator', 'trainer'},
    "GET /api/v1/cohorts/{cohort_id:int}/handouts/trainer.pdf": {'coordinator', 'trainer'},
    "GET /api/v1/cohorts/{cohort_id:int}/handouts/volunteer-cards.pdf": {'coordinator', 'trainer'},
    "GET /cohorts/{cohort_id:int}/guides/beginner": {'coordinator', 'trainer'},
    "GET /cohorts/{cohort_id:int}/guides/trainer": {'coordinator', 'trainer'},
    # NOTE: without a scope a report covers the whole programme, which trainers may not read;
    # with their own cohort or location in the query they may (tests/test_reports*.py).
    "GET /api/v1/reports/outcomes": {'coordinator', 'steering'},
    "GET /reports": {'coordinator', 'steering', 'trainer'},
    "GET /reports/outcomes": {'coordinator', 'steering'},
    "GET /": {'coordinator', 'steering', 'trainer', 'volunteer'},
    "GET /api/v1/assessments": {'coordinator', 'trainer'},
    "GET /api/v1/assessments/{assessment_id:int}": {'coordinator', 'trainer'},
    "GET /api/v1/audit": {'coordinator'},
    "GET /api/v1/cohorts": {'coordinator', 'trainer'},
    "GET /api/v1/cohorts/{cohort_id:int}": {'coordinator', 'trainer'},
    "GET /api/v1/cohorts/{cohort_id:int}/assessments/export.csv": {'coordinator', 'trainer'},
    "GET /api/v1/cohorts/{cohort_id:int}/assessments/paper.pdf": {'coordinator', 'trainer'},
    "GET /api/v1/cohorts/{cohort_id:int}/attendance": {'coordinator', 'trainer'},
    "GET /api/v1/cohorts/{cohort_id:int}/calendar-link": {'coordinator', 'trainer'},
    "GET /api/v1/cohorts/{cohort_id:int}/calendar.ics": {'coordinator', 'trainer'},
    "GET /api/v1/cohorts/{cohort_id:int}/enrolments": {'coordinator', 'trainer'},
    "GET /api/v1/enrolments/calls": {'coordinator', 'trainer'},
    "GET /api/v1/cohorts/{cohort_id:int}/pairing-suggestions": {'coordinator'},
    "GET /api/v1/cohorts/{cohort_id:int}/pairing-suggestions/unmatched": {'coordinator'},
    "GET /api/v1/cohorts/{cohort_id:int}/schedule.pdf": {'coordinator', 'trainer'},
    "GET /api/v1/cohorts/{cohort_id:int}/sessions": {'coordinator', 'trainer'},
    "GET /api/v1/donations": {'coordinator'},
    "GET /api/v1/donations/{donation_id:int}": {'coordinator'},
    "GET /api/v1/donors/{donor:str}/report": {'coordinator', 'steering', 'trainer', 'volunteer'},
    "GET /api/v1/instruments/current": {'coordinator', 'steering', 'trainer', 'volunteer'},
    "GET /api/v1/labels.pdf": {'coordinator'},
    "GET /api/v1/loans": {'coordinator', 'trainer'},
    "GET /api/v1/loans/reminders": {'coordinator', 'trainer'},
    "GET /api/v1/loans/{loan_id:int}": {'coordinator', 'trainer'},
    "GET /api/v1/loans/{loan_id:int}/agreement.pdf": {'coordinator', 'trainer'},
    "GET /api/v1/loans/{loan_id:int}/reminder.pdf": {'coordinator', 'trainer'},
    "GET /api/v1/locations": {'coordinator', 'trainer'},
    "GET /api/v1/locations/{location_id:int}": {'coordinator', 'trainer'},
    "GET /api/v1/locations/{location_id:int}/calendar-link": {'coordinator', 'trainer'},
    "GET /api/v1/locations/{location_id:int}/calendar.ics": {'coordinator', 'trainer'},
    "GET /api/v1/me": {'coordinator', 'steering', 'trainer', 'volunteer'},
    "GET /api/v1/me/pairings": {'volunteer'},
    "GET /api/v1/me/tokens": {'coordinator', 'steering', 'trainer', 'volunteer'},
    "GET /api/v1/pairings": {'coordinator', 'trainer'},
    "GET /api/v1/pairings/{pairing_id:int}": {'coordinator', 'trainer'},
    "GET /api/v1/participants": {'coordinator', 'trainer'},
    "GET /api/v1/participants/{participant_id:int}": {'coordinator', 'trainer'},
    "GET /api/v1/participants/{participant_id:int}/export": {'coordinator', 'trainer'},
    "GET /api/v1/sessions/{session_id:int}/attendance": {'coordinator', 'trainer'},
    "GET /api/v1/sessions/{session_id:int}/sign-in.pdf": {'coordinator', 'trainer'},
    "GET /api/v1/tablets": {'coordinator', 'trainer'},
    "GET /api/v1/tablets/export.csv": {'coordinator'},
    "GET /api/v1/tablets/{tablet_id:int}": {'coordinator', 'trainer'},
    "GET /api/v1/tablets/{tablet_id:int}/history": {'coordinator', 'trainer'},
    "GET /api/v1/users": {'coordinator'},
    "GET /api/v1/users/{user_id:int}": {'coordinator'},
    "GET /api/v1/users/{user_id:int}/tokens": {'coordinator'},
    "GET /api/v1/volunteers": {'coordinator', 'trainer'},
    "GET /api/v1/volunteers/hours/totals": {'coordinator'},
    "GET /api/v1/volunteers/{volunteer_id:int}": {'coordinator', 'trainer'},
    "GET /api/v1/volunteers/{volunteer_id:int}/hours": {'coordinator'},
    "GET /assessments": {'coordinator', 'trainer'},
    "GET /audit": {'coordinator'},
    "GET /cohorts": {'coordinator', 'trainer'},
    "GET /cohorts/new": {'coordinator'},
    "GET /cohorts/{cohort_id:int}": {'coordinator', 'trainer'},
    "GET /cohorts/{cohort_id:int}/assessments-import": {'coordinator', 'trainer'},
    "GET /cohorts/{cohort_id:int}/assessments/{phase:str}": {'coordinator', 'trainer'},
    "GET /cohorts/{cohort_id:int}/attendance": {'coordinator', 'trainer'},
    "GET /cohorts/{cohort_id:int}/edit": {'coordinator'},
    "GET /cohorts/{cohort_id:int}/enrolments/{enrolment_id:int}/drop": {'coordinator', 'trainer'},
    "GET /donations": {'coordinator'},
    "GET /donors/{donor:str}": {'coordinator', 'steering', 'trainer', 'volunteer'},
    "GET /loans": {'coordinator', 'trainer'},
    "GET /loans/new": {'coordinator'},
    "GET /loans/reminders": {'coordinator', 'trainer'},
    "GET /loans/{loan_id:int}": {'coordinator', 'trainer'},
    "GET /locations": {'coordinator', 'trainer'},
    "GET /locations/new": {'coordinator'},
    "GET /locations/{location_id:int}": {'coordinator', 'trainer'},
    "GET /locations/{location_id:int}/edit": {'coordinator'},
    "GET /me/tokens": {'coordinator', 'steering', 'trainer', 'volunteer'},
    "GET /my-pairings": {'volunteer'},
    "GET /pairings": {'coordinator', 'trainer'},
    "GET /pairings/cohorts/{cohort_id:int}": {'coordinator'},
    "GET /participants": {'coordinator', 'trainer'},
    "GET /participants/new": {'coordinator', 'trainer'},
    "GET /participants/{participant_id:int}": {'coordinator', 'trainer'},
    "GET /participants/{participant_id:int}/edit": {'coordinator', 'trainer'},
    "GET /participants/{participant_id:int}/erase": {'coordinator'},
    "GET /participants/{participant_id:int}/progress": {'coordinator', 'trainer'},
    "GET /privacy/processing": {'coordinator'},
    "GET /sessions/{session_id:int}/edit": {'coordinator', 'trainer'},
    "GET /tablets": {'coordinator', 'trainer'},
    "GET /tablets/find": {'coordinator', 'trainer'},
    "GET /tablets/import": {'coordinator'},
    "GET /tablets/new": {'coordinator'},
    "GET /tablets/{tablet_id:int}": {'coordinator', 'trainer'},
    "GET /tablets/{tablet_id:int}/edit": {'coordinator'},
    "GET /users": {'coordinator'},
    "GET /users/new": {'coordinator'},
    "GET /users/{user_id:int}": {'coordinator'},
    "GET /volunteers": {'coordinator', 'trainer'},
    "GET /volunteers/hours": {'coordinator'},
    "GET /volunteers/new": {'coordinator'},
    "GET /volunteers/{volunteer_id:int}": {'coordinator', 'trainer'},
    "GET /volunteers/{volunteer_id:int}/edit": {'coordinator'},
}

def app_routes(app) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(("/static", "/schema")):
            continue
        for handler in route.route_handlers:
            if handler.opt.get("public"):
                continue
            for method in handler.http_methods - {"HEAD", "OPTIONS"}:
                found.add((method, route.path))
    return found


def concrete(path: str, ids: dict[str, int]) -> str:
    path = re.sub(r"\{(\w+):int\}", lambda m: str(ids.get(m.group(1), 1)), path)
    return re.sub(r"\{(\w+):str\}", "before", path)


async def test_every_route_has_a_rule(app):
    gets = {f"{m} {p}" for m, p in app_routes(app) if m == "GET"}
    missing = sorted(gets - EXPECTED_GET.keys())
    assert not missing, f"routes without an access rule in this table: {missing}"
    stale = sorted(EXPECTED_GET.keys() - gets)
    assert not stale, f"rules for routes that no longer exist: {stale}"


@pytest.fixture
async def ids():
    location = await make_location()
    cohort = await make_cohort(location)
    person = await make_participant(location)
    enrolment = await enrol(cohort, person)
    # NOTE: another staff member, so /users/{id}/... is never the caller's own account.
    other = await make_user("trainer", "toinen.kouluttaja", [location])
    return {"location_id": location, "cohort_id": cohort, "participant_id": person, "location": location, "user_id": other, "enrolment_id": enrolment}


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_reads_only_what_it_may(client, app, ids, role):
    await as_role(client, role, [ids["location"]])
    for method, path in sorted(app_routes(app)):
        if method != "GET":
            continue
        response = await client.get(concrete(path, ids), headers={"accept": "application/json"})
        allowed = role in EXPECTED_GET[f"GET {path}"]
        assert response.status_code != 500, path
        if allowed:
            assert response.status_code not in (401, 403), f"{role} refused {path}: {response.status_code}"
        else:
            assert response.status_code in (403, 404), f"{role} reached {path}: {response.status_code}"


async def test_anonymous_gets_401_everywhere(client, app, ids):
    for method, path in sorted(app_routes(app)):
        response = await client.request(method, concrete(path, ids), headers={"accept": "application/json"}, json={})
        assert response.status_code == 401, f"{method} {path}: {response.status_code}"


@pytest.mark.parametrize("role", ["steering", "volunteer"])
async def test_unsafe_methods_never_succeed_for_read_only_roles(client, app, ids, role):
    await as_role(client, role)
    own = {("POST", "/api/v1/me/tokens"), ("DELETE", "/api/v1/me/tokens/{token_id:int}"), ("POST", "/me/tokens"),
           ("POST", "/me/tokens/{token_id:int}/revoke"), ("POST", "/logout"), ("POST", "/api/v1/auth/logout")}
    for method, path in sorted(app_routes(app)):
        if method == "GET" or (method, path) in own:
            continue
        response = await client.request(method, concrete(path, ids), json={})
        assert response.status_code >= 400 and response.status_code != 500, f"{role} {method} {path}: {response.status_code}"
