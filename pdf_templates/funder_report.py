"""What the funder's report says, in Finnish, Swedish and English (figures are filled in)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

TEXTS: dict[str, dict] = {
    "fi": {
        "title": "Rahoittajan raportti",
        "subtitle": "Digiystävä-kurssit: kenet tavoitimme, mitä opittiin ja mitä se maksoi",
        "period": "Ajanjakso: {period}",
        "whole_time": "koko toiminta-aika",
        "funder": "Rahoittaja: {name}",
        "funders": {"STEA": "STEA", "city": "Helsingin kaupunki", "other": "Muu rahoittaja", "": "Kaikki rahoittajat"},
        "made_on": "Laadittu {date}",
        "summary": "Tiivistelmä",
        "summary_too_few": "Ajanjaksolla on alle {minimum} senioria, joten lukuja ei näytetä.",
        "summary_reach": "Tavoitimme {seniors} kurssipaikkaa {cohorts} kurssilla; {sessions} kokoontumista pidettiin.",
        "summary_independent": "{independent} senioria oppi tekemään vähintään yhden asian itse.",
        "summary_cost": "Yksi tavoitettu seniori maksoi {per_senior}, itsenäiseksi oppinut {per_independent}.",
        "summary_cost_in_kind": "Lahjoitetut laitteet ja vapaaehtoistyö mukaan lukien: {per_senior} ja "
        "{per_independent}.",
        "reach": "Tavoitetut seniorit",
        "by": {"age": "Ikäryhmä", "language": "Kieli", "district": "Asuinalue"},
        "not_shown": "Kurssit, joita ei eritellä (jokin ryhmä alle {minimum})",
        "unknown": "Ei tiedossa",
        "seniors": "Senioreita",
        "figures": "Kurssit",
        "figure_head": ["Mittari", "Luku"],
        "figure_rows": {
            "cohorts": "Kursseja",
            "seniors": "Kurssipaikkoja",
            "completed": "Suoritti kurssin",
            "sessions": "Kokoontumisia",
            "attendance": "Läsnäolo",
            "independent": "Oppi ainakin yhden taidon itse",
            "volunteer_hours": "Vapaaehtoisten tunnit",
        },
        "skills": "Taidot: itse ennen ja jälkeen, ja seurannassa",
        "skill_head": [
            "Taito",
            "Vastanneita",
            "Itse ennen",
            "Itse jälkeen",
            "Seurannassa vastanneita",
            "Itse seurannassa",
        ],
        "hidden": "piilotettu",
        "tablets": "Lainatut tabletit lahjoittajittain",
        "tablet_head": ["Lahjoittaja", "Lainattu", "Palautettu", "Jäi seniorille", "Kadonnut", "Lainassa"],
        "not_split": "Kurssit, joita ei eritellä lahjoittajittain",
        "feedback": "Senioreiden palaute (vain ryhmät, joissa vähintään {minimum} vastaajaa)",
        "feedback_none": "Palautetta ei ole riittävästi näytettäväksi.",
        "respondents": "Vastaajia: {n}",
        "costs": "Kustannukset",
        "cost_head": ["Kustannuslaji", "Euroa", "Luontoissuoritus"],
        "categories": {
            "coordinator_hours": "Koordinaattorin työtunnit",
            "trainer_hours": "Kouluttajien työtunnit",
            "rooms": "Tilat",
            "software": "Ohjelmistot",
            "data_plans": "Liittymät",
            "donated_tablets": "Lahjoitetut tabletit",
            "volunteer_hours": "Vapaaehtoistyö",
            "other": "Muut",
        },
        "money": "Rahakustannukset yhteensä",
        "in_kind": "Luontoissuoritukset yhteensä",
        "per_senior": "Per tavoitettu seniori",
        "per_independent": "Per itsenäiseksi oppinut seniori",
        "with_in_kind": "luontoissuoritukset mukaan lukien",
        "yes": "kyllä",
        "no": "ei",
        "method": "Luvut lasketaan kursseista, joilla on vähintään {minimum} senioria. Seniori lasketaan kerran "
        "kutakin kurssia kohden. Erittely ikäryhmän, kielen tai asuinalueen mukaan näytetään kurssilta vain, kun sen "
        "jokaisessa ryhmässä on joko ei ketään tai vähintään {minimum} senioria; muut kurssit ovat omalla rivillään.",
    },
    "sv": {
        "title": "Rapport till finansiären",
        "subtitle": "Digivän-kurserna: vem vi nådde, vad man lärde sig och vad det kostade",
        "period": "Period: {period}",
        "whole_time": "hela verksamhetstiden",
        "funder": "Finansiär: {name}",
        "funders": {"STEA": "STEA", "city": "Helsingfors stad", "other": "Annan finansiär", "": "Alla finansiärer"},
        "made_on": "Gjord {date}",
        "summary": "Sammanfattning",
        "summary_too_few": "Perioden har färre än {minimum} seniorer, så inga siffror visas.",
        "summary_reach": "Vi nådde {seniors} kursplatser på {cohorts} kurser; {sessions} träffar hölls.",
        "summary_independent": "{independent} seniorer lärde sig att göra minst en sak själva.",
        "summary_cost": "En nådd senior kostade {per_senior}, en som blev självständig {per_independent}.",
        "summary_cost_in_kind": "Med donerade apparater och frivilligarbete: {per_senior} och {per_independent}.",
        "reach": "Nådda seniorer",
        "by": {"age": "Åldersgrupp", "language": "Språk", "district": "Bostadsområde"},
        "not_shown": "Kurser som inte specificeras (någon grupp under {minimum})",
        "unknown": "Okänt",
        "seniors": "Seniorer",
        "figures": "Kurserna",
        "figure_head": ["Mått", "Antal"],
        "figure_rows": {
            "cohorts": "Kurser",
            "seniors": "Kursplatser",
            "completed": "Slutförde kursen",
            "sessions": "Träffar",
            "attendance": "Närvaro",
            "independent": "Lärde sig minst en färdighet själv",
            "volunteer_hours": "Frivilligas timmar",
        },
        "skills": "Färdigheter: själv före och efter, och vid uppföljningen",
        "skill_head": [
            "Färdighet",
            "Svarande",
            "Själv före",
            "Själv efter",
            "Svarande vid uppföljning",
            "Själv vid uppföljning",
        ],
        "hidden": "dold",
        "tablets": "Utlånade surfplattor per givare",
        "tablet_head": ["Givare", "Utlånade", "Återlämnade", "Blev kvar hos senioren", "Förlorade", "Utlånade nu"],
        "not_split": "Kurser som inte specificeras per givare",
        "feedback": "Seniorernas respons (endast grupper med minst {minimum} svarande)",
        "feedback_none": "Det finns inte tillräckligt med respons att visa.",
        "respondents": "Svarande: {n}",
        "costs": "Kostnader",
        "cost_head": ["Kostnadsslag", "Euro", "In natura"],
        "categories": {
            "coordinator_hours": "Koordinatorns arbetstimmar",
            "trainer_hours": "Utbildarnas arbetstimmar",
            "rooms": "Lokaler",
            "software": "Programvara",
            "data_plans": "Abonnemang",
            "donated_tablets": "Donerade surfplattor",
            "volunteer_hours": "Frivilligarbete",
            "other": "Övrigt",
        },
        "money": "Kostnader i pengar totalt",
        "in_kind": "Bidrag in natura totalt",
        "per_senior": "Per nådd senior",
        "per_independent": "Per senior som blev självständig",
        "with_in_kind": "med bidrag in natura",
        "yes": "ja",
        "no": "nej",
        "method": "Siffrorna räknas från kurser med minst {minimum} seniorer. En senior räknas en gång per kurs. En "
        "kurs specificeras per åldersgrupp, språk eller bostadsområde endast när varje grupp har ingen eller minst "
        "{minimum} seniorer; övriga kurser står på en egen rad.",
    },
    "en": {
        "title": "Funder's report",
        "subtitle": "Digiystävä courses: whom we reached, what they learned and what it cost",
        "period": "Period: {period}",
        "whole_time": "the whole programme so far",
        "funder": "Funder: {name}",
        "funders": {"STEA": "STEA", "city": "City of Helsinki", "other": "Other funder", "": "All funders"},
        "made_on": "Made on {date}",
        "summary": "Summary",
        "summary_too_few": "The period has fewer than {minimum} seniors, so no figures are shown.",
        "summary_reach": "We reached {seniors} course places on {cohorts} courses; {sessions} sessions were held.",
        "summary_independent": "{independent} seniors learned to do at least one thing on their own.",
        "summary_cost": "Each senior reached cost {per_senior}; each who became independent {per_independent}.",
        "summary_cost_in_kind": "With donated devices and volunteer work: {per_senior} and {per_independent}.",
        "reach": "Seniors reached",
        "by": {"age": "Age band", "language": "Language", "district": "Home district"},
        "not_shown": "Courses not broken down (some group under {minimum})",
        "unknown": "Not known",
        "seniors": "Seniors",
        "figures": "The courses",
        "figure_head": ["Measure", "Figure"],
        "figure_rows": {
            "cohorts": "Courses",
            "seniors": "Course places",
            "completed": "Completed the course",
            "sessions": "Sessions held",
            "attendance": "Attendance",
            "independent": "Became independent in at least one skill",
            "volunteer_hours": "Volunteers' hours",
        },
        "skills": "Skills: on their own before and after, and at the follow-up",
        "skill_head": [
            "Skill",
            "Answered",
            "On own before",
            "On own after",
            "Answered follow-up",
            "On own at follow-up",
        ],
        "hidden": "hidden",
        "tablets": "Tablets lent by donor",
        "tablet_head": ["Donor", "Lent", "Returned", "Kept by the senior", "Lost", "Still out"],
        "not_split": "Courses not shown by donor",
        "feedback": "The seniors' feedback (only groups of at least {minimum} answers)",
        "feedback_none": "There is not enough feedback to show.",
        "respondents": "Answers: {n}",
        "costs": "Costs",
        "cost_head": ["Kind of cost", "Euros", "In kind"],
        "categories": {
            "coordinator_hours": "Coordinator's hours",
            "trainer_hours": "Trainers' hours",
            "rooms": "Rooms",
            "software": "Software",
            "data_plans": "Data plans",
            "donated_tablets": "Donated tablets",
            "volunteer_hours": "Volunteer work",
            "other": "Other",
        },
        "money": "Money spent",
        "in_kind": "In-kind value",
        "per_senior": "Per senior reached",
        "per_independent": "Per senior who became independent",
        "with_in_kind": "including in-kind",
        "yes": "yes",
        "no": "no",
        "method": "Figures count courses with at least {minimum} seniors. A senior counts once per course. A course is "
        "broken down by age band, language or home district only when each of its groups has nobody or at least "
        "{minimum} seniors; the other courses are counted on a row of their own.",
    },
}

AGE_BANDS = ("under_65", "65_74", "75_84", "85_plus", "unknown")
AGE_LABELS = {"under_65": "–64", "65_74": "65–74", "75_84": "75–84", "85_plus": "85–"}
LANGUAGE_LABELS = {
    "fi": {"fi": "suomi", "sv": "ruotsi", "en": "englanti", "other": "muu"},
    "sv": {"fi": "finska", "sv": "svenska", "en": "engelska", "other": "annat"},
    "en": {"fi": "Finnish", "sv": "Swedish", "en": "English", "other": "other"},
}


def funder_texts(lang: str) -> dict:
    return TEXTS.get(lang, TEXTS["fi"])


@dataclass(frozen=True)
class FunderPages:
    """The funder's report as printed: its words already in the report's language."""

    language: str
    title: str
    subtitle: str
    headings: tuple[str, ...]  # period, funder, date made
    summary_title: str
    summary: tuple[str, ...]
    sections: tuple[tuple[str, list[list[Any]]], ...]  # a heading and its rows, the first row the header
    method: str


def funder_report_pdf(pages: FunderPages) -> bytes:
    """A large-print A4 PDF through the house style sheet."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer

    from pdf_templates.styles import build_document, data_table, para, stylesheet

    styles = stylesheet("large")
    story: list[Any] = [para(pages.title, styles.title), para(pages.subtitle, styles.body)]
    story += [para(line, styles.body) for line in pages.headings]
    story += [Spacer(1, 6 * mm), para(pages.summary_title, styles.h1)]
    story += [para(line, styles.body) for line in pages.summary]
    for heading, table in pages.sections:
        story.append(Spacer(1, 5 * mm))
        body = [[str(cell) if cell is not None else "–" for cell in row] for row in table]
        width = max(len(r) for r in body)
        body = [r + [""] * (width - len(r)) for r in body]
        story.append(
            KeepTogether([para(heading, styles.h2), data_table(body, styles, numeric_columns=range(1, width))])
        )
    story += [Spacer(1, 6 * mm), para(pages.method, styles.small)]
    out = io.BytesIO()
    build_document(
        out, story, title=pages.title, lang=pages.language, size="large", footer=pages.title, subject=pages.subtitle
    )
    return out.getvalue()
