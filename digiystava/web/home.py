"""The home page: what each role does first."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.response import Template

from digiystava.access import Caller, Principal
from digiystava.i18n import _
from digiystava.web.rendering import page


def role_intro(role: str) -> str:
    return {
        "coordinator": _("You plan cohorts, run the tablet inventory, pair volunteers and manage users."),
        "trainer": _("You take attendance, record the seniors' skills before and after, and print handouts for your locations."),
        "steering": _("You read the programme's outcome reports. They show only figures for groups, never a senior's name."),
        "volunteer": _("You see the seniors you guide and your sessions."),
    }[role]


def shortcuts(principal: Caller) -> list[tuple[str, str, str]]:
    items = []
    if principal.role in ("coordinator", "trainer"):
        items.append(("/locations", _("Locations"), _("Community houses, service centres and libraries.")))
    if principal.role == "coordinator":
        items.append(("/users", _("Users"), _("Add trainers and other staff, reset passwords.")))
        items.append(("/audit", _("Audit log"), _("Who changed what and when.")))
    # Tablet inventory and loans
    if principal.role == "coordinator":
        items.append(("/tablets", _("Tablets"), _("The inventory: find a tablet by scanning its label, add, import and label tablets.")))
    if principal.role in ("coordinator", "trainer"):
        items.append(("/loans/reminders", _("Loan reminders"), _("Tablets due back within a week, and overdue ones.")))
    items.append(("/me/tokens", _("API tokens"), _("Keys for scripts that use the tracker.")))
    return items


class HomePage(Controller):
    @get("/")
    async def home(self, request: Request, principal: Caller) -> Template:
        return page(request, "home.html", role_intro=role_intro(principal.role), shortcuts=shortcuts(principal))
