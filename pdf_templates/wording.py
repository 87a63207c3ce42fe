"""The words printed on the documents: English source texts in the gettext catalogs the pages use.

A document marks its texts with ``NP_("document", "English text")``. The first argument is the
message context (``msgctxt``): a word may read differently on paper than on a page ("Kursseja"
as a count on the report's cover, "Kurssit" as a page heading), and rewording a page never
rewrites a signed letter. ``in_language`` gives a document's texts, nested in dicts and lists
as the layout looks them up, in one language (Finnish for a language the tracker lacks).
``make messages`` extracts the marked texts with the keyword ``NP_:1c,2``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from digiystava.i18n import translate


class Printed(NamedTuple):
    """A printed text: its document's context and its English wording (the msgid)."""

    context: str
    message: str


def NP_(context: str, message: str) -> Printed:
    """Mark ``message`` for the catalogs under ``context``; translated later, per document language."""
    return Printed(context, message)


def in_language(texts: Any, lang: str) -> Any:
    """``texts`` with every marked text translated into ``lang``; other values as they are."""
    if isinstance(texts, Printed):
        return translate(lang, texts.message, texts.context)
    if isinstance(texts, dict):
        return {key: in_language(value, lang) for key, value in texts.items()}
    if isinstance(texts, list):
        return [in_language(value, lang) for value in texts]
    return texts
