"""Pages of the tablet inventory: find by asset tag (scanner), list, add, edit, import, wipe, donations, donors."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from cohorts.tablets import donors, services
from cohorts.tablets import loans as loan_services
from cohorts.tablets.imports import import_tablets
from cohorts.tablets.schemas import ACCESSORY_NAMES, DonationIn, TabletIn, TabletPatch, WipeIn
from digiystava import i18n
from digiystava.access import require
from digiystava.errors import DomainError, FieldProblem, NotFound
from digiystava.i18n import _
from digiystava.settings import MAX_UPLOAD_BYTES
from digiystava.web import records
from digiystava.web.accounts import Form
from digiystava.web.forms import domain_problems, submit
from digiystava.web.params import Caller
from digiystava.web.rendering import page

DONOR_CHOICES = ("DNA", "Vanhusten turva", "other")


def status_labels() -> dict[str, str]:
    return {
        "available": _("Available"),
        "on_loan": _("On loan"),
        "maintenance": _("In maintenance"),
        "retired": _("Retired"),
        "lost": _("Lost"),
    }


def condition_labels() -> dict[str, str]:
    return {"new": _("New"), "good": _("Good"), "worn": _("Worn"), "damaged": _("Damaged"), "missing": _("Missing")}


def accessory_labels() -> dict[str, str]:
    return {
        "charger": _("Charger"),
        "cable": _("Cable"),
        "case": _("Case"),
        "stylus": _("Stylus"),
        "headphones": _("Headphones"),
        "sim_card": _("SIM card"),
    }


def event_labels() -> dict[str, str]:
    return {
        "received": _("Received"),
        "updated": _("Details changed"),
        "loaned": _("Lent"),
        "returned": _("Returned"),
        "kept": _("Kept by the senior"),
        "lost": _("Lost"),
        "maintenance": _("To maintenance"),
        "repaired": _("Back in use"),
        "retired": _("Retired"),
        "wiped": _("Data wiped"),
        "agreement_signed": _("Agreement signed"),
        "available": _("Available"),
    }


def donor_label(donor: str) -> str:
    return _("Other donor") if donor == "other" else donor


def tablet_form_data(data: dict[str, Any]) -> dict[str, Any]:
    """A submitted form as the tablet schema expects it: checkboxes become the accessories object."""
    values = {
        k: v for k, v in data.items() if k not in ACCESSORY_NAMES and k not in ("sim_number", "data_plan", "_csrf")
    }
    values["accessories"] = {name: name in data for name in ACCESSORY_NAMES}
    values["accessories"].update(sim_number=str(data.get("sim_number", "")), data_plan=str(data.get("data_plan", "")))
    if not values.get("donation_id"):
        values.pop("donation_id", None)
    if not str(values.get("asset_tag") or "").strip():
        values.pop("asset_tag", None)
    return values


def flat_problems(problems: list[FieldProblem]) -> list[FieldProblem]:
    """accessories.sim_number -> sim_number, so the error links to its field."""
    return [FieldProblem(p.field.rsplit(".", 1)[-1], p.message) for p in problems]


class TabletPages(Controller):
    path = "/tablets"

    @get("/")
    async def list_tablets(
        self,
        request: Request,
        principal: Caller,
        offset: FromQuery[int] = 0,
        status: FromQuery[str | None] = None,
        donor: FromQuery[str | None] = None,
    ) -> Template:
        status = status if status in status_labels() else None
        donor = donor if donor in DONOR_CHOICES else None
        tablets = await services.list_tablets(principal, 50, max(offset, 0), status, donor)
        query = "".join(f"{k}={v}&" for k, v in (("status", status), ("donor", donor)) if v)
        return page(
            request,
            "tablets/list.html",
            page=tablets,
            status=status,
            donor=donor,
            statuses=list(status_labels().items()),
            status_labels=status_labels(),
            donors=[(d, donor_label(d)) for d in DONOR_CHOICES],
            query_base=query,
        )

    @get("/find")
    async def find(self, request: Request, principal: Caller, asset_tag: FromQuery[str] = "") -> Template | Redirect:
        """Where the scanner's Enter lands: straight to the tablet's page."""
        try:
            tablet_id = await services.find_tablet_id(principal, asset_tag)
        except NotFound:
            tablets = await services.list_tablets(principal, 50, 0)
            problems = [FieldProblem("asset_tag", _("No tablet has this asset tag. Check the tag and try again."))]
            return page(
                request,
                "tablets/list.html",
                status_code=404,
                page=tablets,
                errors=problems,
                asset_tag=asset_tag,
                statuses=list(status_labels().items()),
                status_labels=status_labels(),
                donors=[(d, donor_label(d)) for d in DONOR_CHOICES],
                query_base="",
                field_labels={"asset_tag": _("Asset tag")},
            )
        return Redirect(path=f"/tablets/{tablet_id}", status_code=303)

    def _form(
        self,
        request: Request,
        values: dict[str, Any],
        errors: list,
        action: str,
        title: str,
        donations: list,
        status: int = 200,
    ) -> Template:
        return page(
            request,
            "tablets/form.html",
            status_code=status,
            values=values,
            errors=errors,
            action=action,
            title=title,
            donors=[(d, donor_label(d)) for d in DONOR_CHOICES],
            conditions=[(k, v) for k, v in condition_labels().items() if k != "missing"],
            systems=[("android", "Android"), ("ipados", "iPadOS")],
            accessories=list(accessory_labels().items()),
            statuses=[(k, v) for k, v in status_labels().items() if k != "on_loan"],
            donations=donations,
            field_labels={
                "asset_tag": _("Asset tag"),
                "serial_number": _("Serial number"),
                "model": _("Model"),
                "os": _("Operating system"),
                "donor": _("Donor"),
                "sim_number": _("SIM card number"),
            },
        )

    async def _donation_choices(self, principal) -> list[tuple[str, str]]:
        donations = await services.list_donations(principal, 200, 0)
        return [("", _("No donation batch"))] + [
            (str(d.id), f"{d.received_on.isoformat()} {donor_label(d.donor)} {d.donor_name} {d.reference}".strip())
            for d in donations.items
        ]

    @get("/new")
    async def new_tablet(self, request: Request, principal: Caller) -> Template:
        require(principal, "tablets.manage")
        return self._form(
            request,
            {"donor": "DNA", "os": "android", "condition": "good", "charger": True, "cable": True},
            [],
            "/tablets",
            _("Add a tablet"),
            await self._donation_choices(principal),
        )

    @post("/")
    async def create_tablet(self, request: Request, principal: Caller, data: Form) -> Template | Redirect:
        require(principal, "tablets.manage")

        async def save(form: Any) -> str:
            return f"/tablets/{(await services.create_tablet(principal, form)).id}?saved=1"

        async def show(values: dict, errors: list, status: int) -> Template:
            choices = await self._donation_choices(principal)
            return self._form(request, values, flat_problems(errors), "/tablets", _("Add a tablet"), choices, status)

        return await submit(TabletIn, tablet_form_data(data), save, show, typed=data)

    @get("/{tablet_id:int}")
    async def tablet(
        self, request: Request, principal: Caller, tablet_id: FromPath[int], saved: FromQuery[bool] = False
    ) -> Template:
        tablet = await services.get_tablet(principal, tablet_id)
        events = await services.history(principal, tablet_id)
        loans = await loan_services.list_loans(principal, 50, 0, tablet_id=tablet_id)
        return page(
            request,
            "tablets/detail.html",
            tablet=tablet,
            events=events,
            loans=loans.items,
            status_labels=status_labels(),
            condition_labels=condition_labels(),
            accessory_labels=accessory_labels(),
            event_labels=event_labels(),
            event_note=records.tablet_note,
            donor_label=donor_label(tablet.donor),
            flash=_("Saved.") if saved else None,
        )

    @get("/{tablet_id:int}/edit")
    async def edit_tablet(self, request: Request, principal: Caller, tablet_id: FromPath[int]) -> Template:
        require(principal, "tablets.manage")
        tablet = await services.get_tablet(principal, tablet_id)
        values = {**tablet.model_dump(exclude={"accessories"}), **tablet.accessories.model_dump()}
        return self._form(
            request, values, [], f"/tablets/{tablet_id}/edit", _("Edit tablet %(tag)s") % {"tag": tablet.asset_tag}, []
        )

    @post("/{tablet_id:int}/edit")
    async def update_tablet(
        self, request: Request, principal: Caller, tablet_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        require(principal, "tablets.manage")
        values = tablet_form_data(data)
        values = {k: v for k, v in values.items() if k in TabletPatch.model_fields}

        async def save(form: Any) -> str:
            await services.update_tablet(principal, tablet_id, form)
            return f"/tablets/{tablet_id}?saved=1"

        def show(typed: dict, errors: list, status: int) -> Template:
            action = f"/tablets/{tablet_id}/edit"
            return self._form(request, typed, flat_problems(errors), action, _("Edit tablet"), [], status)

        return await submit(TabletPatch, values, save, show, typed={**data, "id": tablet_id})

    @post("/{tablet_id:int}/wipe")
    async def wipe(
        self, request: Request, principal: Caller, tablet_id: FromPath[int], data: Form
    ) -> Template | Redirect:
        steps = {name: name in data for name in ("accounts_removed", "factory_reset", "sim_handled")}

        async def save(form: WipeIn) -> str:
            await services.confirm_wipe(principal, tablet_id, form)
            return f"/tablets/{tablet_id}?saved=1"

        async def show(typed: dict[str, Any], errors: list[FieldProblem], status: int) -> Template:
            tablet = await services.get_tablet(principal, tablet_id)
            return page(
                request,
                "tablets/detail.html",
                status_code=status,
                tablet=tablet,
                events=await services.history(principal, tablet_id),
                loans=[],
                errors=errors,
                status_labels=status_labels(),
                condition_labels=condition_labels(),
                accessory_labels=accessory_labels(),
                event_labels=event_labels(),
                event_note=records.tablet_note,
                donor_label=donor_label(tablet.donor),
            )

        return await submit(WipeIn, steps, save, show, service_status=True)

    def _import_page(self, request: Request, donations: list, status: int = 200, **context: Any) -> Template:
        return page(
            request,
            "tablets/import.html",
            status_code=status,
            donations=donations,
            donor_choices=[("", _("From the file"))] + [(d, donor_label(d)) for d in DONOR_CHOICES],
            os_choices=[("", _("From the file or the model")), ("android", "Android"), ("ipados", "iPadOS")],
            **context,
        )

    @get("/import")
    async def import_form(self, request: Request, principal: Caller) -> Template:
        require(principal, "tablets.manage")
        return self._import_page(request, await self._donation_choices(principal))

    @post("/import", request_max_body_size=MAX_UPLOAD_BYTES)
    async def import_file(self, request: Request, principal: Caller) -> Template | Redirect:
        require(principal, "tablets.manage")
        form = await request.form()
        upload = form.get("file")
        content = await upload.read() if upload is not None and hasattr(upload, "read") else b""
        values = {name: str(form.get(name) or "") for name in ("donation_id", "donor", "os")}
        donation, donor, system = values["donation_id"], values["donor"], values["os"]
        try:
            if not content:
                raise DomainError(
                    _("Choose a spreadsheet file."), errors=[FieldProblem("file", _("Choose a spreadsheet file."))]
                )
            result = await import_tablets(
                principal,
                content,
                int(donation) if donation.isdecimal() else None,
                donor if donor in DONOR_CHOICES else None,
                system if system in ("android", "ipados") else None,
            )
        except DomainError as exc:
            problems = domain_problems(exc)
            return self._import_page(
                request,
                await self._donation_choices(principal),
                422,
                problems=problems,
                # The form's own fields get the linked summary; the file's rows are listed apart.
                errors=[p for p in problems if p.field == "file" or p.field in values],
                values=values,
                detail=i18n.translated(exc.detail),
            )
        lines = []
        if result.created:
            lines.append(
                _("%(count)d tablets imported: %(first)s – %(last)s.")
                % {"count": result.created, "first": result.first_asset_tag, "last": result.last_asset_tag}
            )
        if result.updated:
            lines.append(
                i18n.ngettext("%(num)d tablet updated.", "%(num)d tablets updated.", result.updated)
                % {"num": result.updated}
            )
        if result.unchanged:
            lines.append(
                i18n.ngettext("%(num)d tablet unchanged.", "%(num)d tablets unchanged.", result.unchanged)
                % {"num": result.unchanged}
            )
        return self._import_page(
            request,
            await self._donation_choices(principal),
            flash=" ".join(lines),
            notes=[i18n.translated(n) for n in result.notes],
        )


class DonationPages(Controller):
    path = "/"

    @get("/donations")
    async def list_donations(
        self, request: Request, principal: Caller, offset: FromQuery[int] = 0, saved: FromQuery[bool] = False
    ) -> Template:
        donations = await services.list_donations(principal, 50, max(offset, 0))
        return page(
            request,
            "tablets/donations.html",
            page=donations,
            donor_label=donor_label,
            query_base="",
            donors=[(d, donor_label(d)) for d in DONOR_CHOICES],
            values={"donor": "DNA"},
            flash=_("Saved.") if saved else None,
        )

    @post("/donations")
    async def create_donation(self, request: Request, principal: Caller, data: Form) -> Template | Redirect:
        require(principal, "tablets.manage")
        values = {k: v for k, v in data.items() if k != "_csrf"}
        values["seniors_may_keep"] = "seniors_may_keep" in data

        async def save(form: Any) -> str:
            await services.create_donation(principal, form)
            return "/donations?saved=1"

        async def show(typed: dict, errors: list, status: int) -> Template:
            return page(
                request,
                "tablets/donations.html",
                status_code=status,
                page=await services.list_donations(principal, 50, 0),
                donor_label=donor_label,
                query_base="",
                errors=errors,
                donors=[(d, donor_label(d)) for d in DONOR_CHOICES],
                values=typed,
                field_labels={
                    "donor": _("Donor"),
                    "donor_name": _("Donor's name"),
                    "received_on": _("Received on"),
                    "count": _("Number of tablets"),
                },
            )

        return await submit(DonationIn, values, save, show, typed=data)

    @get("/donors/{donor:str}")
    async def donor(self, request: Request, principal: Caller, donor: FromPath[str]) -> Template:
        if donor not in DONOR_CHOICES:
            raise NotFound()
        report = await donors.donor_report(principal, donor)
        return page(
            request,
            "tablets/donor.html",
            report=report,
            donor_name=donor_label(donor),
            metrics=donors.metric_labels(),
            donor=donor,
        )
