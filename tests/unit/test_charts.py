"""Outcome charts: each builds, renders to PNG, SVG and a PDF's pixels, and is cached."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import threading
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path
from typing import Any

import pytest

from digiystava.reports import charts
from digiystava.reports.charts import (
    ChartCache,
    before_after_bars,
    change_across_groups,
    level_distribution,
    render_png,
    render_raster,
    render_svg,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SKILLS = [
    "Tiedon hakeminen netistä",
    "Sähköpostien lukeminen ja kirjoittaminen",
    "Sähköisen kalenterin käyttö",
    "Laskujen maksaminen, verkkopankki",
    "Ostosten tekeminen",
    "Sähköiset reseptit ja terveystiedot (kanta.fi, maisa.fi)",
    "Valokuvien ottaminen ja jakaminen",
    "Lehtien lukeminen kirjaston nettipalvelusta",
    "Sarjat, elokuvat ja Yle Areena",
    "Musiikin kuuntelu (YouTube ym.)",
    "Pelien pelaaminen",
    "Yhteydenpito perheenjäseniin ja tuttaviin",
    "Etäryhmiin osallistuminen (jumppa, jooga, luennot)",
]
LEVELS = ["En osaa", "Osaan avustettuna", "Osaan itse", "Osaan varmasti", "Neuvon muita"]
BEFORE = [0.8, 0.5, 0.9, 0.5, 0.4, 0.9, 1.7, 1.5, 1.4, 0.6, None, 0.7, 0.6]  # NOTE: one unanswered
AFTER = [2.3, 2.1, 2.7, 2.1, None, 2.5, 2.4, 2.4, 2.7, 2.1, 2.4, 2.4, 2.3]


def bars_inputs(**overrides: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = dict(
        labels=SKILLS,
        before=BEFORE,
        after=AFTER,
        title="Digitaidot ennen ja jälkeen",
        before_label="Ennen kurssia",
        after_label="Kurssin jälkeen",
        axis_label="Taitotaso 0–4",
    )
    inputs.update(overrides)
    return inputs


def distribution_inputs() -> dict[str, Any]:
    before = [[6, 7, 4, 2, 0] for _ in SKILLS]
    after = [[1, 3, 6, 6, 3] for _ in SKILLS]
    before[10] = [0, 0, 0, 0, 0]  # NOTE: nobody answered: shown as "–", not as level 0
    return dict(
        labels=SKILLS,
        before=before,
        after=after,
        level_labels=LEVELS,
        title="Vastausten jakauma",
        before_label="Ennen",
        after_label="Jälkeen",
    )


def groups_inputs() -> dict[str, Any]:
    return dict(
        group_labels=["Pihlajamäki syksy 2022", "Kinapori kevät 2023", "Töölö kevät 2023", "Malmi syksy 2023"],
        before_means=[1.1, 0.9, None, 1.0],
        after_means=[2.6, 2.9, 2.4, 1.0],
        title="Taitotaso ryhmittäin",
        before_label="Ennen",
        after_label="Jälkeen",
        axis_label="Keskiarvo 0–4",
    )


BUILDERS = [
    pytest.param(before_after_bars, bars_inputs, id="before_after_bars"),
    pytest.param(level_distribution, distribution_inputs, id="level_distribution"),
    pytest.param(change_across_groups, groups_inputs, id="change_across_groups"),
]


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text")]


@pytest.mark.parametrize(("builder", "inputs"), BUILDERS)
def test_chart_renders_png(builder, inputs) -> None:
    from matplotlib.figure import Figure

    fig = builder(**inputs())
    assert isinstance(fig, Figure)
    png = render_png(fig, dpi=72)
    assert png.startswith(PNG_MAGIC)
    assert not fig.axes  # the figure was freed


@pytest.mark.parametrize(("builder", "inputs"), BUILDERS)
def test_chart_raster_holds_the_pixels_of_its_png(builder, inputs) -> None:
    from PIL import Image

    raster = render_raster(builder(**inputs()), dpi=72)
    with Image.open(io.BytesIO(render_png(builder(**inputs()), dpi=72))) as png:
        assert (raster.width, raster.height) == png.size
        assert zlib.decompress(raster.content) == png.convert("RGB").tobytes()


@pytest.mark.parametrize(("builder", "inputs"), BUILDERS)
def test_chart_svg_keeps_text_as_text(builder, inputs) -> None:
    given = inputs()
    svg = render_svg(builder(**given))
    assert svg.startswith("<svg")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert "<title>" not in svg and "<metadata>" not in svg
    # the app's CSP (style-src 'self') would block inline CSS
    assert "<style" not in svg and " style=" not in svg
    texts = svg_texts(svg)
    assert given["title"] in texts
    assert given["before_label"] in texts and given["after_label"] in texts
    assert "–" in texts  # the missing value is drawn as a dash


def test_svg_holds_every_skill_label() -> None:
    joined = " ".join(svg_texts(render_svg(level_distribution(**distribution_inputs()))))
    for skill in SKILLS:
        assert skill in joined


def test_long_labels_wrap_into_the_svg() -> None:
    texts = svg_texts(render_svg(before_after_bars(**bars_inputs())))
    # wrapped labels come out one text line each; the words are all there
    words = " ".join(texts).split()
    for skill in SKILLS:
        for word in skill.split():
            assert word in words


def test_svg_escapes_markup_in_labels() -> None:
    svg = render_svg(before_after_bars(**bars_inputs(title="R&D <testi>")))
    assert "R&amp;D &lt;testi&gt;" in svg
    assert "R&D <testi>" in svg_texts(svg)


def test_svg_ids_are_unique_per_chart() -> None:
    import re

    first = render_svg(before_after_bars(**bars_inputs()))
    second = render_svg(change_across_groups(**groups_inputs()))
    ids_first = set(re.findall(r'\bid="([^"]+)"', first))
    ids_second = set(re.findall(r'\bid="([^"]+)"', second))
    assert ids_first and ids_second
    assert not ids_first & ids_second
    for ref in re.findall(r"url\(#([^)]+)\)", first):
        assert ref in ids_first


def test_values_use_the_decimal_separator() -> None:
    assert "0,8" in svg_texts(render_svg(before_after_bars(**bars_inputs())))
    assert "0.8" in svg_texts(render_svg(before_after_bars(**bars_inputs(decimal="."))))


@pytest.mark.parametrize(
    "broken",
    [
        # one value short
        dict(after=AFTER[:-1]),
        dict(labels=SKILLS[:-1]),
    ],
)
def test_mismatched_series_are_refused(broken: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        before_after_bars(**bars_inputs(**broken))


def test_level_counts_must_match_levels() -> None:
    inputs = distribution_inputs()
    inputs["after"][0] = [1, 2, 3]
    with pytest.raises(ValueError):
        level_distribution(**inputs)


def test_module_never_imports_pyplot() -> None:
    code = textwrap.dedent(
        """
        import sys
        from digiystava.reports import charts
        assert "matplotlib" not in sys.modules, "importing charts imported matplotlib"
        labels = ["Tiedon hakeminen netistä", "Pelien pelaaminen"]
        charts.render_png(charts.before_after_bars(labels, [1.0, None], [2.5, 3.0], title="t",
                          before_label="b", after_label="a", axis_label="x"))
        charts.render_svg(charts.level_distribution(labels, [[1, 2, 3, 0, 0]] * 2,
                          [[0, 1, 2, 3, 1]] * 2, ["0", "1", "2", "3", "4"], title="t",
                          before_label="b", after_label="a"))
        charts.chart_cache.png("change_across_groups", group_labels=["A"], before_means=[1.0],
                          after_means=[2.0], title="t", before_label="b", after_label="a",
                          axis_label="x")
        assert "matplotlib.pyplot" not in sys.modules
        print("ok")
        """
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


class CountingBuilder:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, **inputs: Any):
        self.calls += 1
        return before_after_bars(**inputs)


def test_cache_hit_does_not_draw_again() -> None:
    builder = CountingBuilder()
    cache = ChartCache(builders={"bars": builder})
    first = cache.png("bars", dpi=72, **bars_inputs())
    second = cache.png("bars", dpi=72, **bars_inputs())
    assert first.startswith(PNG_MAGIC)
    assert second is first
    assert builder.calls == 1
    assert (cache.hits, cache.misses) == (1, 1)


@pytest.mark.parametrize(
    "change",
    [
        # another format, resolution, wording or value is another chart
        lambda c: c.svg("bars", **bars_inputs()),
        lambda c: c.png("bars", dpi=100, **bars_inputs()),
        lambda c: c.png("bars", dpi=72, **bars_inputs(title="Digital skills before and after")),
        lambda c: c.png("bars", dpi=72, **bars_inputs(after=[*AFTER[:-1], 2.4])),
    ],
)
def test_cache_misses_on_any_change(change) -> None:
    builder = CountingBuilder()
    cache = ChartCache(builders={"bars": builder})
    cache.png("bars", dpi=72, **bars_inputs())
    change(cache)
    assert builder.calls == 2


def test_cache_key_is_stable() -> None:
    inputs = bars_inputs()
    reordered = dict(reversed(list(inputs.items())))
    as_tuples = {k: tuple(v) if isinstance(v, list) else v for k, v in inputs.items()}
    key = ChartCache.key("bars", inputs, "png", 150)
    assert key == ChartCache.key("bars", reordered, "png", 150)
    assert key == ChartCache.key("bars", as_tuples, "png", 150)
    assert key != ChartCache.key("bars", inputs, "png", 300)


def test_cache_refuses_inputs_it_cannot_key() -> None:
    cache = ChartCache(builders={"bars": CountingBuilder()})
    with pytest.raises(TypeError):
        cache.png("bars", **bars_inputs(title=object()))
    with pytest.raises(ValueError):
        cache.png("pie", **bars_inputs())


def test_cache_drops_the_least_recently_used() -> None:
    builder = CountingBuilder()
    cache = ChartCache(maxsize=2, builders={"bars": builder})
    a, b, c = (bars_inputs(title=t) for t in "abc")
    cache.svg("bars", **a)
    cache.svg("bars", **b)
    cache.svg("bars", **a)  # a is now the most recent
    cache.svg("bars", **c)  # evicts b
    assert len(cache) == 2
    cache.svg("bars", **a)
    assert builder.calls == 3
    cache.svg("bars", **b)
    assert builder.calls == 4


def test_cache_is_shared_safely_between_threads() -> None:
    builder = CountingBuilder()
    cache = ChartCache(builders={"bars": builder})
    results: list[str] = []

    def work() -> None:
        results.append(cache.svg("bars", **bars_inputs(labels=SKILLS[:3], before=BEFORE[:3], after=AFTER[:3])))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 6 and len(set(results)) == 1
    assert len(cache) == 1


def test_default_cache_knows_every_chart() -> None:
    assert set(charts.CHART_BUILDERS) == {"before_after_bars", "level_distribution", "change_across_groups"}
    assert charts.chart_cache.svg("level_distribution", **distribution_inputs()).startswith("<svg")
