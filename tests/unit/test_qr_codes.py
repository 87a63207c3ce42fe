"""The QR codes on labels and cards: drawn from runs of dark modules, exactly qrcode's matrix."""

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from pdf_templates import labels
from pdf_templates.styles import drawing_canvas


def matrix_from_runs(data: str, *, keep: bool = False) -> list[list[bool]]:
    size, runs = (labels._kept_runs if keep else labels._dark_runs)(data)
    matrix = [[False] * size for _ in range(size)]
    for i in range(0, len(runs), 3):
        row, first, length = runs[i : i + 3]
        matrix[row][first : first + length] = [True] * length
    return matrix


def test_the_runs_cover_exactly_the_dark_modules():
    for data in ("https://digiystava.hel.fi/tablets/1", "http://testserver/tablets/123456", "x" * 300):
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        code.add_data(data)
        code.make(fit=True)
        assert matrix_from_runs(data) == code.get_matrix()
        assert matrix_from_runs(data, keep=True) == code.get_matrix()


def test_only_a_tablets_code_is_kept():
    """A feedback card's address holds a one-time key: it must not stay in the server's memory."""
    labels._kept_runs.cache_clear()
    canvas = drawing_canvas(io.BytesIO(), title="Palaute", lang="fi")
    labels.draw_qr(canvas, "https://digiystava.hel.fi/palaute/secret-key", 0, 0, 80)
    assert labels._kept_runs.cache_info().currsize == 0
    labels.label_sheet([labels.TabletLabel("https://digiystava.hel.fi/tablets/7", "DY-000007", "iPad 9", "S1")])
    assert labels._kept_runs.cache_info().currsize == 1
