"""What the tablet loan agreement and the return reminder say, in plain words for seniors.

English source texts under the context "loan letter" in the shared catalogs
(digiystava/locale); the layout is in loan_letters.py.
"""

from __future__ import annotations

from functools import cache

from pdf_templates.wording import NP_, in_language

TEXTS = {
    "agreement_title": NP_("loan letter", "Tablet loan agreement"),
    "agreement_intro": NP_(
        "loan letter", "The Digital Friend course lends you a tablet for the course. The loan is free of charge."
    ),
    "borrower": NP_("loan letter", "Borrower"),
    "phone": NP_("loan letter", "Phone"),
    "course": NP_("loan letter", "Course"),
    "place": NP_("loan letter", "Place"),
    "device": NP_("loan letter", "Device"),
    "asset_tag": NP_("loan letter", "Tag"),
    "model": NP_("loan letter", "Model"),
    "serial": NP_("loan letter", "Serial number"),
    "os": NP_("loan letter", "Operating system"),
    "donor": NP_("loan letter", "Donor"),
    "accessories": NP_("loan letter", "Comes with"),
    "no_accessories": NP_("loan letter", "No accessories"),
    "loan_date": NP_("loan letter", "Lent on"),
    "return_date": NP_("loan letter", "Return by"),
    "terms_title": NP_("loan letter", "What we agree"),
    "terms": [
        NP_("loan letter", "You borrow the tablet to practise. It costs you nothing."),
        NP_("loan letter", "Keep the tablet safe. Do not lend it to anyone else."),
        NP_("loan letter", "Bring the tablet and its accessories back by the return date."),
        NP_("loan letter", "Tell us at once if the tablet breaks or goes missing. You do not pay for normal wear."),
        NP_(
            "loan letter",
            "After the return the tablet is wiped: accounts are removed and it is reset. Save your own photos first.",
        ),
    ],
    "keep_allowed": NP_(
        "loan letter",
        "The donor allows you to keep the tablet after the course. We agree on it at the end of the course.",
    ),
    "keep_not_allowed": NP_(
        "loan letter", "The tablet belongs to the donor and the city. It is returned after the course."
    ),
    "help_title": NP_("loan letter", "Who do I call?"),
    "help": NP_(
        "loan letter", "Digital support answers on 09 310 10011, Monday to Friday 9–12. Chat: digituki.hel.fi."
    ),
    "help_course": NP_("loan letter", "About the course: {place}."),
    "signatures": NP_("loan letter", "Signatures"),
    "sign_borrower": NP_("loan letter", "Borrower's signature and date"),
    "sign_lender": NP_("loan letter", "For the lender: trainer or coordinator"),
    "name_in_print": NP_("loan letter", "Name in capitals"),
    "signed_on": NP_("loan letter", "Signed on {date}"),
    "reminder_title": NP_("loan letter", "Reminder: returning your tablet"),
    "reminder_hello": NP_("loan letter", "Dear {name},"),
    "reminder_due": NP_(
        "loan letter", "you borrowed the tablet {tag} on the Digital Friend course. The return date is {date}."
    ),
    "reminder_overdue": NP_(
        "loan letter",
        "you borrowed the tablet {tag} on the Digital Friend course. The return date was {date}. Please "
        "bring it back soon.",
    ),
    "reminder_where": NP_("loan letter", "Bring the tablet and its accessories here: {place}."),
    "reminder_wipe": NP_(
        "loan letter", "Save your own photos and files first. We wipe the tablet after it comes back."
    ),
    "reminder_thanks": NP_("loan letter", "Thank you for taking part!"),
    "accessory": {
        "charger": NP_("loan letter", "charger"),
        "cable": NP_("loan letter", "cable"),
        "case": NP_("loan letter", "case"),
        "stylus": NP_("loan letter", "stylus"),
        "headphones": NP_("loan letter", "headphones"),
        "sim_card": NP_("loan letter", "SIM card"),
    },
    "sim": NP_("loan letter", "SIM card number {number}, plan {plan}"),
}


@cache
def texts(lang: str) -> dict:
    """The letters' texts in the senior's language (Finnish when the tracker has no letter in it)."""
    return in_language(TEXTS, lang)
