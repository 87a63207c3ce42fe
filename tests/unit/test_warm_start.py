"""A served worker loads the report libraries in the background as it starts (reports/warm.py)."""

from __future__ import annotations

import pytest

from digiystava.settings import ConfigurationError, load_settings
from tests.import_graph import loaded_after


def test_the_warm_up_loads_and_runs_each_report_library_once(tmp_path):
    # NOTE: in a fresh process (this one may have loaded them already); that importing the app loads
    # none of them is test_lazy_imports' check. The fonts are asked for after the warm-up has run.
    code = (
        "from digiystava.reports.warm import start_warm_up\n"
        "start_warm_up().join()\n"
        "from reportlab.pdfbase.pdfmetrics import getRegisteredFontNames\n"
        "assert 'DejaVuSans' in getRegisteredFontNames(), 'the PDF fonts are not registered'"
    )
    assert loaded_after(code, tmp_path, ("scipy", "matplotlib")) == ["matplotlib", "scipy"]


@pytest.mark.parametrize(("value", "warm"), [(None, True), ("1", True), ("0", False)])
def test_a_served_worker_warms_up_unless_told_not_to(monkeypatch, value, warm):
    from litestar.testing import TestClient

    from digiystava import app as app_module

    started: list[bool] = []
    monkeypatch.setattr(app_module, "start_warm_up", lambda: started.append(True))
    if value is None:
        monkeypatch.delenv("DIGIYSTAVA_WARM_START")
    else:
        monkeypatch.setenv("DIGIYSTAVA_WARM_START", value)
    settings = load_settings()
    assert settings.warm_start is warm
    with TestClient(app_module.create_app(settings)) as client:
        assert client.get("/health").status_code == 200
    assert started == ([True] if warm else [])


def test_a_bad_switch_names_its_variable(monkeypatch):
    monkeypatch.setenv("DIGIYSTAVA_WARM_START", "yes")
    with pytest.raises(ConfigurationError, match="DIGIYSTAVA_WARM_START"):
        load_settings()
