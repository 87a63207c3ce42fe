"""Access control on every route, table-driven from the app's own route list.

A route that is not in the table below fails the suite: every new route
must state which roles may read it. Reads by other roles must answer 403
(role) or 404 (scope); anonymous callers always get 401. Unsafe methods are
checked too: anonymous callers get 401 and never change anything.
"""

import re
import typing

import pytest
from litestar.routes import HTTPRoute

from tests.factories import as_role, enrol, make_cohort, make_location, make_participant, make_user

ROLES = ("coordinator", "trainer", "steering", "volunteer")

# Which roles may read each page or API resource (others get 403 or 404).
EXPECTED_GET = {
    "GET /api/v1/cohorts/{cohort_id:int}/handouts/beginner.pdf": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}/handouts/beginner.zip": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}/handouts/trainer.pdf": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}/handouts/volunteer-cards.pdf": {"coordinator", "trainer"},
    "GET /cohorts/{cohort_id:int}/guides/beginner": {"coordinator", "trainer"},
    "GET /cohorts/{cohort_id:int}/guides/trainer": {"coordinator", "trainer"},
    # NOTE: without a scope a report covers the whole programme, which trainers may not read;
    # with their own cohort or location in the query they may (tests/test_reports*.py).
    "GET /api/v1/reports/outcomes": {"coordinator", "steering"},
    "GET /api/v1/reports/outcomes.pdf": {"coordinator", "steering"},
    "GET /api/v1/reports/outcomes.html": {"coordinator", "steering"},
    "GET /reports": {"coordinator", "steering", "trainer"},
    "GET /reports/outcomes": {"coordinator", "steering"},
    # The seniors' feedback counted: as the outcome reports (their own words for coordinators only).
    "GET /api/v1/reports/feedback": {"coordinator", "steering"},
    # The funder's report and the dashboard: programme-wide aggregates; the costs behind them are the coordinator's.
    "GET /api/v1/reports/funder": {"coordinator", "steering"},
    "GET /reports/funder": {"coordinator", "steering"},
    "GET /api/v1/dashboard": {"coordinator", "steering"},
    "GET /dashboard": {"coordinator", "steering"},
    "GET /api/v1/costs": {"coordinator"},
    "GET /api/v1/costs/rates": {"coordinator"},
    "GET /api/v1/costs/{cost_id:int}": {"coordinator"},
    "GET /costs": {"coordinator"},
    "GET /reports/feedback": {"coordinator", "steering"},
    "GET /cohorts/{cohort_id:int}/feedback": {"coordinator", "trainer"},
    # Follow-ups about three months after a course: who is due, the call list and the letter.
    "GET /api/v1/followups/due": {"coordinator", "trainer"},
    "GET /followups": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}/followup-letter.pdf": {"coordinator", "trainer"},
    "GET /": {"coordinator", "steering", "trainer", "volunteer"},
    "GET /api/v1/assessments": {"coordinator", "trainer"},
    "GET /api/v1/assessments/{assessment_id:int}": {"coordinator", "trainer"},
    "GET /api/v1/audit": {"coordinator"},
    "GET /api/v1/cohorts": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}/assessments/export.csv": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}/assessments/export.xlsx": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}/assessments/import/template.csv": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}/assessments/import/template.xlsx": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}/assessments/paper.pdf": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}/attendance": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}/calendar-link": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}/calendar.ics": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}/enrolments": {"coordinator", "trainer"},
    "GET /api/v1/enrolments/calls": {"coordinator", "trainer"},
    "GET /api/v1/attention": {"coordinator", "trainer"},
    "GET /cohorts/{cohort_id:int}/wishes/{participant_id:int}": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}/pairing-suggestions": {"coordinator"},
    "GET /api/v1/cohorts/{cohort_id:int}/pairing-suggestions/unmatched": {"coordinator"},
    "GET /api/v1/cohorts/{cohort_id:int}/schedule.pdf": {"coordinator", "trainer"},
    "GET /api/v1/cohorts/{cohort_id:int}/sessions": {"coordinator", "trainer"},
    "GET /api/v1/donations": {"coordinator"},
    "GET /api/v1/donations/{donation_id:int}": {"coordinator"},
    "GET /api/v1/donors/{donor:str}/report": {"coordinator", "steering", "trainer", "volunteer"},
    "GET /api/v1/instruments/current": {"coordinator", "steering", "trainer", "volunteer"},
    "GET /api/v1/labels.pdf": {"coordinator"},
    "GET /api/v1/loans": {"coordinator", "trainer"},
    "GET /api/v1/loans/reminders": {"coordinator", "trainer"},
    "GET /api/v1/loans/{loan_id:int}": {"coordinator", "trainer"},
    "GET /api/v1/loans/{loan_id:int}/agreement.pdf": {"coordinator", "trainer"},
    "GET /api/v1/loans/{loan_id:int}/reminder.pdf": {"coordinator", "trainer"},
    "GET /api/v1/locations": {"coordinator", "trainer"},
    "GET /api/v1/locations/{location_id:int}": {"coordinator", "trainer"},
    "GET /api/v1/locations/{location_id:int}/calendar-link": {"coordinator", "trainer"},
    "GET /api/v1/locations/{location_id:int}/calendar.ics": {"coordinator", "trainer"},
    "GET /api/v1/me": {"coordinator", "steering", "trainer", "volunteer"},
    "GET /api/v1/me/pairings": {"volunteer"},
    "GET /api/v1/me/tokens": {"coordinator", "steering", "trainer", "volunteer"},
    "GET /api/v1/pairings": {"coordinator", "trainer"},
    "GET /api/v1/pairings/{pairing_id:int}": {"coordinator", "trainer"},
    "GET /api/v1/participants": {"coordinator", "trainer"},
    "GET /api/v1/participants/{participant_id:int}": {"coordinator", "trainer"},
    "GET /api/v1/participants/{participant_id:int}/export": {"coordinator", "trainer"},
    "GET /api/v1/sessions/{session_id:int}/attendance": {"coordinator", "trainer"},
    "GET /api/v1/sessions/{session_id:int}/sign-in.pdf": {"coordinator", "trainer"},
    "GET /api/v1/tablets": {"coordinator", "trainer"},
    "GET /api/v1/tablets/export.csv": {"coordinator"},
    "GET /api/v1/tablets/export.xlsx": {"coordinator"},
    "GET /api/v1/tablets/import/template.csv": {"coordinator"},
    "GET /api/v1/tablets/import/template.xlsx": {"coordinator"},
    "GET /api/v1/tablets/{tablet_id:int}": {"coordinator", "trainer"},
    "GET /api/v1/tablets/{tablet_id:int}/history": {"coordinator", "trainer"},
    "GET /api/v1/users": {"coordinator"},
    "GET /api/v1/users/{user_id:int}": {"coordinator"},
    "GET /api/v1/users/{user_id:int}/tokens": {"coordinator"},
    "GET /api/v1/volunteers": {"coordinator", "trainer"},
    "GET /api/v1/volunteers/hours/totals": {"coordinator"},
    "GET /api/v1/volunteers/{volunteer_id:int}": {"coordinator", "trainer"},
    "GET /api/v1/volunteers/{volunteer_id:int}/hours": {"coordinator"},
    "GET /assessments": {"coordinator", "trainer"},
    "GET /audit": {"coordinator"},
    "GET /cohorts": {"coordinator", "trainer"},
    "GET /cohorts/new": {"coordinator"},
    "GET /cohorts/{cohort_id:int}": {"coordinator", "trainer"},
    "GET /cohorts/{cohort_id:int}/assessments-import": {"coordinator", "trainer"},
    "GET /cohorts/{cohort_id:int}/assessments/{phase:str}": {"coordinator", "trainer"},
    "GET /cohorts/{cohort_id:int}/attendance": {"coordinator", "trainer"},
    "GET /cohorts/{cohort_id:int}/edit": {"coordinator"},
    "GET /cohorts/{cohort_id:int}/enrolments/{enrolment_id:int}/drop": {"coordinator", "trainer"},
    "GET /donations": {"coordinator"},
    "GET /donors/{donor:str}": {"coordinator", "steering", "trainer", "volunteer"},
    "GET /loans": {"coordinator", "trainer"},
    "GET /loans/new": {"coordinator"},
    "GET /loans/reminders": {"coordinator", "trainer"},
    "GET /loans/{loan_id:int}": {"coordinator", "trainer"},
    "GET /locations": {"coordinator", "trainer"},
    "GET /locations/new": {"coordinator"},
    "GET /locations/{location_id:int}": {"coordinator", "trainer"},
    "GET /locations/{location_id:int}/edit": {"coordinator"},
    "GET /me/tokens": {"coordinator", "steering"},
    "GET /my-pairings": {"volunteer"},
    "GET /pairings": {"coordinator", "trainer"},
    "GET /pairings/cohorts/{cohort_id:int}": {"coordinator"},
    "GET /participants": {"coordinator", "trainer"},
    "GET /participants/new": {"coordinator", "trainer"},
    "GET /participants/{participant_id:int}": {"coordinator", "trainer"},
    "GET /participants/{participant_id:int}/edit": {"coordinator", "trainer"},
    "GET /participants/{participant_id:int}/erase": {"coordinator"},
    "GET /participants/{participant_id:int}/progress": {"coordinator", "trainer"},
    "GET /privacy/processing": {"coordinator"},
    "GET /sessions/{session_id:int}/edit": {"coordinator", "trainer"},
    "GET /tablets": {"coordinator", "trainer"},
    "GET /tablets/find": {"coordinator", "trainer"},
    "GET /tablets/import": {"coordinator"},
    "GET /tablets/new": {"coordinator"},
    "GET /tablets/{tablet_id:int}": {"coordinator", "trainer"},
    "GET /tablets/{tablet_id:int}/edit": {"coordinator"},
    "GET /users": {"coordinator"},
    "GET /users/new": {"coordinator"},
    "GET /users/{user_id:int}": {"coordinator"},
    "GET /volunteers": {"coordinator", "trainer"},
    "GET /volunteers/hours": {"coordinator"},
    "GET /volunteers/new": {"coordinator"},
    "GET /volunteers/{volunteer_id:int}": {"coordinator", "trainer"},
    "GET /volunteers/{volunteer_id:int}/edit": {"coordinator"},
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
    return {
        "location_id": location,
        "cohort_id": cohort,
        "participant_id": person,
        "location": location,
        "user_id": other,
        "enrolment_id": enrolment,
    }


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
    own = {
        ("POST", "/api/v1/me/tokens"),
        ("DELETE", "/api/v1/me/tokens/{token_id:int}"),
        ("POST", "/me/tokens"),
        ("POST", "/me/tokens/{token_id:int}/revoke"),
        ("POST", "/logout"),
        ("POST", "/api/v1/auth/logout"),
    }
    for method, path in sorted(app_routes(app)):
        if method == "GET" or (method, path) in own:
            continue
        response = await client.request(method, concrete(path, ids), json={})
        assert response.status_code >= 400 and response.status_code != 500, (
            f"{role} {method} {path}: {response.status_code}"
        )


# --- Ids in bodies and query strings -------------------------------------------------
#
# An id a caller names in a body, a form or a query string obeys the same scope as an id
# in the path: for a trainer, a record of another location answers exactly as an id that
# names nothing (same status, same body) and nothing is written. The guard below finds
# the id fields of every route (query parameters, the fields of body models, the form
# fields and models a page reads); each must have a case here, or be a coordinator's
# route that trainers are refused outright.

MISSING = 987654  # NOTE: names nothing in any table of the test database
ID_NAME = re.compile(r"^\w+_ids?$")


def _model_id_fields(annotation) -> set[str]:
    import inspect

    from pydantic import BaseModel

    if typing.get_origin(annotation) is not None:
        return set().union(*(_model_id_fields(a) for a in typing.get_args(annotation)))
    found: set[str] = set()
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            if ID_NAME.match(name):
                found.add(name)
            found |= _model_id_fields(info.annotation)
    return found


def _is_form(annotation) -> bool:
    """A page's form arrives as a plain dict; the API's bodies are models."""
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return (typing.get_origin(annotation) or annotation) is dict


def _page_id_fields(fn) -> set[str]:
    """Form fields a page reads by name, and the id fields of the models it builds from the form."""
    import inspect

    from pydantic import BaseModel

    source = inspect.getsource(fn)
    found = {name for name in re.findall(r"[\"'](\w+_ids?)[\"']", source)}
    models = re.findall(r"(?:parse_form|submit)\((\w+)", source)
    for name in set(models) | set(re.findall(r"\b([A-Z]\w+)\(", source)):
        model = fn.__globals__.get(name)
        if isinstance(model, type) and issubclass(model, BaseModel):
            found |= _model_id_fields(model)
    return found


def id_fields(app) -> set[tuple[str, str, str]]:
    """(method, path, field) for every id a route takes outside its path."""
    found = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(("/static", "/schema")):
            continue
        in_path = set(re.findall(r"\{(\w+):", route.path))
        for handler in route.route_handlers:
            if handler.opt.get("public"):
                continue
            fields: set[str] = set()
            dependencies = handler.resolve_dependencies()
            for name, parameter in handler.parsed_fn_signature.parameters.items():
                if name in in_path or name == "principal":
                    continue
                if name in dependencies:
                    fields |= {
                        n
                        for n in dependencies[name].parsed_fn_signature.parameters
                        if ID_NAME.match(n) and n not in in_path
                    }
                elif name == "data":
                    fields |= (
                        _page_id_fields(handler.fn)
                        if _is_form(parameter.annotation)
                        else _model_id_fields(parameter.annotation)
                    )
                elif ID_NAME.match(name):
                    fields.add(name)
            for method in handler.http_methods - {"HEAD", "OPTIONS"}:
                found |= {(method, route.path, field) for field in fields - in_path}
    return found


@pytest.fixture
async def two_places():
    """A trainer's own location and another one, each with a cohort, a senior on it, a pair and a loan."""
    from cohorts.tables import CourseSession
    from tests.factories.handouts import lend
    from tests.factories.tablets import make_donation
    from tests.factories.volunteers import make_pairing, make_volunteer

    w: dict[str, int] = {}
    for side, place in (("own", "Kinapori"), ("other", "Töölö")):
        w[f"{side}_location"] = await make_location(f"{place} palvelukeskus")
        w[f"{side}_cohort"] = await make_cohort(w[f"{side}_location"], name=f"Syksy {place}")
        w[f"{side}_person"] = await make_participant(w[f"{side}_location"], first_name=f"Aino {place}", phone="")
        await enrol(w[f"{side}_cohort"], w[f"{side}_person"])
        w[f"{side}_session"] = (
            await CourseSession.select(CourseSession.id).where(CourseSession.cohort == w[f"{side}_cohort"]).first()
        )["id"]
        w[f"{side}_volunteer"] = await make_volunteer(f"Mikko {place}")
        await make_pairing(w[f"{side}_cohort"], w[f"{side}_volunteer"], w[f"{side}_person"])
        w[f"{side}_loan"] = await lend(w[f"{side}_person"], w[f"{side}_cohort"], "android")
    from cohorts.tables import Loan

    w["other_tablet"] = (await Loan.select(Loan.tablet).where(Loan.id == w["other_loan"]).first())["tablet"]
    w["other_donation"] = await make_donation()
    w["other_user"] = await make_user("trainer", "toisen.kouluttaja", [w["other_location"]])
    return w


def _senior_form(w: dict, **changes) -> dict:
    # NOTE: a name and phone nobody has, so the duplicate check never answers first.
    return {
        "first_name": "Helmi",
        "last_name": "Kivinen",
        "language": "fi",
        "consent_given_on": "2026-09-01",
        "location_id": w["own_location"],
        **changes,
    }


def _assessment(cohort_id: int, participant_id: int) -> dict:
    return {
        "cohort_id": cohort_id,
        "participant_id": participant_id,
        "phase": "before",
        "answers": {},
        "method": "paper",
    }


HTML = {"accept": "text/html"}

# (method, path, field) -> request for the id ``ref`` (another location's record, or MISSING).
# Each case is one field; the rest of the request is valid for the trainer's own location.
CASES = {
    ("GET", "/api/v1/participants", "location_id"): lambda w, ref: {"params": {"location_id": ref}},
    ("POST", "/api/v1/participants", "location_id"): lambda w, ref: {"json": _senior_form(w, location_id=ref)},
    ("PATCH", "/api/v1/participants/{participant_id:int}", "location_id"): lambda w, ref: {
        "url": f"/api/v1/participants/{w['own_person']}",
        "json": {"location_id": ref},
    },
    ("GET", "/api/v1/cohorts", "location_id"): lambda w, ref: {"params": {"location_id": ref}},
    ("POST", "/api/v1/cohorts/{cohort_id:int}/enrolments", "participant_id"): lambda w, ref: {
        "url": f"/api/v1/cohorts/{w['own_cohort']}/enrolments",
        "json": {"participant_id": ref},
    },
    ("PUT", "/api/v1/sessions/{session_id:int}/attendance", "participant_id"): lambda w, ref: {
        "url": f"/api/v1/sessions/{w['own_session']}/attendance",
        "json": [{"participant_id": ref, "status": "present"}],
    },
    ("POST", "/api/v1/assessments", "cohort_id"): lambda w, ref: {"json": _assessment(ref, w["own_person"])},
    ("POST", "/api/v1/assessments", "participant_id"): lambda w, ref: {"json": _assessment(w["own_cohort"], ref)},
    ("GET", "/api/v1/assessments", "cohort_id"): lambda w, ref: {"params": {"cohort_id": ref}},
    ("GET", "/api/v1/assessments", "participant_id"): lambda w, ref: {"params": {"participant_id": ref}},
    ("GET", "/api/v1/cohorts/{cohort_id:int}/assessments/paper.pdf", "participant_id"): lambda w, ref: {
        "url": f"/api/v1/cohorts/{w['own_cohort']}/assessments/paper.pdf",
        "params": {"participant_id": ref},
    },
    ("GET", "/api/v1/pairings", "cohort_id"): lambda w, ref: {"params": {"cohort_id": ref}},
    ("GET", "/api/v1/pairings", "participant_id"): lambda w, ref: {"params": {"participant_id": ref}},
    ("GET", "/api/v1/pairings", "volunteer_id"): lambda w, ref: {"params": {"volunteer_id": ref}},
    ("GET", "/api/v1/loans", "participant_id"): lambda w, ref: {"params": {"participant_id": ref}},
    ("GET", "/api/v1/loans", "tablet_id"): lambda w, ref: {"params": {"tablet_id": ref}},
    ("GET", "/api/v1/reports/outcomes", "cohort_id"): lambda w, ref: {"params": {"cohort_id": ref}},
    ("GET", "/api/v1/reports/outcomes", "location_id"): lambda w, ref: {"params": {"location_id": ref}},
    ("GET", "/api/v1/reports/outcomes.pdf", "cohort_id"): lambda w, ref: {"params": {"cohort_id": ref}},
    ("GET", "/api/v1/reports/outcomes.pdf", "location_id"): lambda w, ref: {"params": {"location_id": ref}},
    ("GET", "/api/v1/reports/outcomes.html", "cohort_id"): lambda w, ref: {"params": {"cohort_id": ref}},
    ("GET", "/api/v1/reports/outcomes.html", "location_id"): lambda w, ref: {"params": {"location_id": ref}},
    ("GET", "/api/v1/cohorts/{cohort_id:int}/handouts/beginner.pdf", "participant_id"): lambda w, ref: {
        "url": f"/api/v1/cohorts/{w['own_cohort']}/handouts/beginner.pdf",
        "params": {"participant_id": ref},
    },
    ("GET", "/api/v1/cohorts/{cohort_id:int}/handouts/trainer.pdf", "participant_id"): lambda w, ref: {
        "url": f"/api/v1/cohorts/{w['own_cohort']}/handouts/trainer.pdf",
        "params": {"participant_id": ref},
    },
    ("GET", "/api/v1/cohorts/{cohort_id:int}/handouts/volunteer-cards.pdf", "volunteer_id"): lambda w, ref: {
        "url": f"/api/v1/cohorts/{w['own_cohort']}/handouts/volunteer-cards.pdf",
        "params": {"volunteer_id": ref},
    },
    ("GET", "/api/v1/cohorts/{cohort_id:int}/followup-letter.pdf", "participant_id"): lambda w, ref: {
        "url": f"/api/v1/cohorts/{w['own_cohort']}/followup-letter.pdf",
        "params": {"participant_id": ref},
    },
    ("GET", "/api/v1/followups/due", "cohort_id"): lambda w, ref: {"params": {"cohort_id": ref}},
    ("GET", "/api/v1/reports/feedback", "cohort_id"): lambda w, ref: {"params": {"cohort_id": ref}},
    ("GET", "/api/v1/reports/feedback", "location_id"): lambda w, ref: {"params": {"location_id": ref}},
    ("GET", "/reports/feedback", "cohort_id"): lambda w, ref: {"params": {"cohort_id": ref}, "headers": HTML},
    ("GET", "/reports/feedback", "location_id"): lambda w, ref: {"params": {"location_id": ref}, "headers": HTML},
    # Pages: the answers a browser gets.
    ("GET", "/cohorts", "location_id"): lambda w, ref: {"params": {"location_id": ref}, "headers": HTML},
    ("POST", "/cohorts/{cohort_id:int}/enrol", "participant_id"): lambda w, ref: {
        "url": f"/cohorts/{w['own_cohort']}/enrol",
        "data": {"participant_id": ref},
        "headers": HTML,
    },
    ("POST", "/cohorts/{cohort_id:int}/attendance", "participant_id"): lambda w, ref: {
        "url": f"/cohorts/{w['own_cohort']}/attendance",
        "data": {f"a-{w['own_session']}-{ref}": "present"},
        "headers": HTML,
    },
    ("POST", "/cohorts/{cohort_id:int}/attendance", "session_id"): lambda w, ref: {
        "url": f"/cohorts/{w['own_cohort']}/attendance",
        "data": {f"a-{ref}-{w['own_person']}": "present"},
        "headers": HTML,
    },
    ("POST", "/participants", "cohort_id"): lambda w, ref: {
        "data": {**_senior_form(w), "cohort_id": ref},
        "headers": HTML,
    },
    ("POST", "/participants", "location_id"): lambda w, ref: {
        "data": _senior_form(w, location_id=ref),
        "headers": HTML,
    },
    ("POST", "/participants/{participant_id:int}/edit", "location_id"): lambda w, ref: {
        "url": f"/participants/{w['own_person']}/edit",
        "data": _senior_form(w, location_id=ref),
        "headers": HTML,
    },
    ("GET", "/participants/new", "cohort_id"): lambda w, ref: {"params": {"cohort_id": ref}, "headers": HTML},
    ("GET", "/participants/new", "location_id"): lambda w, ref: {"params": {"location_id": ref}, "headers": HTML},
    ("GET", "/reports/outcomes", "cohort_id"): lambda w, ref: {"params": {"cohort_id": ref}, "headers": HTML},
    ("GET", "/reports/outcomes", "location_id"): lambda w, ref: {"params": {"location_id": ref}, "headers": HTML},
    ("GET", "/cohorts/{cohort_id:int}/guides/beginner", "participant_id"): lambda w, ref: {
        "url": f"/cohorts/{w['own_cohort']}/guides/beginner",
        "params": {"participant_id": ref},
        "headers": HTML,
    },
}

# Which record of the other location each field names.
OTHER = {
    "location_id": "other_location",
    "cohort_id": "other_cohort",
    "participant_id": "other_person",
    "session_id": "other_session",
    "volunteer_id": "other_volunteer",
    "tablet_id": "other_tablet",
}

# Routes a trainer may not use at all, with the access rule that keeps them out: the coordinator
# sees every location, so no id can be outside their scope. Should a rule ever let trainers in,
# the route needs cases above.
COORDINATOR_ONLY = {
    ("POST", "/api/v1/users"): "users.manage",
    ("PATCH", "/api/v1/users/{user_id:int}"): "users.manage",
    ("POST", "/users"): "users.manage",
    ("POST", "/users/{user_id:int}"): "users.manage",
    ("GET", "/api/v1/audit"): "audit.read",
    ("POST", "/api/v1/cohorts"): "cohorts.write",
    ("PATCH", "/api/v1/cohorts/{cohort_id:int}"): "cohorts.write",
    ("POST", "/cohorts"): "cohorts.write",
    ("POST", "/cohorts/{cohort_id:int}/edit"): "cohorts.write",
    ("GET", "/cohorts/new"): "cohorts.write",
    ("POST", "/api/v1/volunteers"): "volunteers.write",
    ("PATCH", "/api/v1/volunteers/{volunteer_id:int}"): "volunteers.write",
    ("POST", "/volunteers"): "volunteers.write",
    ("POST", "/volunteers/{volunteer_id:int}/edit"): "volunteers.write",
    ("GET", "/api/v1/volunteers/{volunteer_id:int}/hours"): "hours.manage",
    ("POST", "/api/v1/volunteers/{volunteer_id:int}/hours"): "hours.manage",
    ("POST", "/api/v1/volunteers/{volunteer_id:int}/hours/fill"): "hours.manage",
    ("POST", "/volunteers/{volunteer_id:int}/hours"): "hours.manage",
    ("POST", "/api/v1/pairings"): "pairings.write",
    ("POST", "/pairings/cohorts/{cohort_id:int}/accept"): "pairings.write",
    ("POST", "/api/v1/tablets"): "tablets.manage",
    ("POST", "/api/v1/tablets/import"): "tablets.manage",
    ("POST", "/tablets"): "tablets.manage",
    ("GET", "/api/v1/labels.pdf"): "tablets.manage",
    ("POST", "/api/v1/loans"): "loans.manage",
    ("GET", "/api/v1/costs"): "costs.manage",
    ("POST", "/api/v1/costs"): "costs.manage",
    ("PATCH", "/api/v1/costs/{cost_id:int}"): "costs.manage",
    ("POST", "/costs"): "costs.manage",
    ("POST", "/loans"): "loans.manage",
}


async def test_every_id_outside_the_path_has_a_scope_case(app):
    found = id_fields(app)
    missing = sorted(f"{m} {p} {f}" for m, p, f in found if (m, p, f) not in CASES and (m, p) not in COORDINATOR_ONLY)
    assert not missing, f"ids in bodies or query strings without a scope case here: {missing}"
    stale = sorted(f"{m} {p} {f}" for m, p, f in CASES if not any(r[:2] == (m, p) for r in found))
    assert not stale, f"cases for routes that no longer exist: {stale}"


async def _snapshot() -> dict[str, list]:
    """Every row a request could write (not the caller's own session, which each request touches)."""
    from assessments.tables import Assessment
    from cohorts import tables
    from digiystava.accounts.tables import AuditEntry

    kept = (
        tables.Location,
        tables.StaffLocation,
        tables.Participant,
        tables.Cohort,
        tables.CohortTrainer,
        tables.CourseSession,
        tables.Enrolment,
        tables.Attendance,
        tables.Volunteer,
        tables.Pairing,
        tables.VolunteerHours,
        tables.Donation,
        tables.Tablet,
        tables.Loan,
        tables.TabletEvent,
        Assessment,
        AuditEntry,
    )
    return {table._meta.tablename: sorted(map(repr, await table.select())) for table in kept}


def _same_text(response, refs: tuple[int, ...]) -> str:
    # NOTE: a page may echo the id it was given (a hidden field, a link): that alone tells nothing.
    text = response.text
    for ref in refs:
        text = re.sub(rf"(?<![\w-]){ref}(?![\w-])", "ID", text)
    return text


@pytest.mark.parametrize("case", sorted(CASES), ids=lambda c: f"{c[0]} {c[1]} {c[2]}")
async def test_another_locations_id_answers_as_one_that_does_not_exist(client, two_places, case):
    w = two_places
    method, path, field = case
    await as_role(client, "trainer", [w["own_location"]])
    answers = []
    before = await _snapshot()
    for ref in (w[OTHER[field]], MISSING):
        request = CASES[case](w, ref)
        response = await client.request(method, request.pop("url", path), **request)
        assert response.status_code < 500, response.text
        assert await _snapshot() == before, f"{method} {path} with {field}={ref} wrote something"
        answers.append(response)
    theirs, nothing = answers
    refs = (w[OTHER[field]], MISSING)
    assert (theirs.status_code, _same_text(theirs, refs)) == (nothing.status_code, _same_text(nothing, refs))


@pytest.mark.parametrize("route", sorted(COORDINATOR_ONLY), ids=lambda r: f"{r[0]} {r[1]}")
async def test_trainers_never_reach_a_coordinators_ids(client, two_places, route):
    from digiystava.access import RULES

    w = two_places
    method, path = route
    assert "trainer" not in RULES[COORDINATOR_ONLY[route]], f"trainers may now use {method} {path}: give its ids cases"
    await as_role(client, "trainer", [w["own_location"]])
    ids = {"cohort_id": w["own_cohort"], "volunteer_id": w["own_volunteer"], "user_id": w["other_user"]}
    before = await _snapshot()
    response = await client.request(method, concrete(path, ids), json={}, headers={"accept": "application/json"})
    # NOTE: a body the route cannot read is refused (422) before the role is looked at.
    assert response.status_code in (403, 422), f"{method} {path}: {response.status_code}"
    assert await _snapshot() == before
