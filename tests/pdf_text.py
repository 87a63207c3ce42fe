"""What a PDF says, read by PDFium (the engine of Chrome's PDF viewer) as a reader's viewer would.

About 20 times as fast as pypdf's pure-Python extraction, so the suite can read every page of every
PDF it makes. Runs of whitespace (line breaks, no-break spaces) become one space: a test checks the
words, not where a line happened to wrap.
"""

import threading

import pypdfium2

# PDFium is not thread-safe, even across documents; some tests read PDFs from worker threads.
_PDFIUM = threading.Lock()


def page_texts(content: bytes) -> list[str]:
    """Each page's text, runs of whitespace as one space."""
    with _PDFIUM:
        doc = pypdfium2.PdfDocument(content)
        try:
            texts = []
            for page in doc:
                try:
                    textpage = page.get_textpage()
                    try:
                        raw = textpage.get_text_range()
                    finally:
                        textpage.close()
                finally:
                    page.close()
                # PDFium takes a hyphen at the end of a line for a word split, gives it as U+FFFE and drops
                # the line break. Reportlab only breaks lines at spaces, so the hyphen is printed and the
                # break was a space.
                texts.append(" ".join(raw.replace("\ufffe", "-\n").split()))
            return texts
        finally:
            doc.close()


def pdf_text(content: bytes) -> str:
    """All pages' text, one space between pages."""
    return " ".join(page_texts(content))
