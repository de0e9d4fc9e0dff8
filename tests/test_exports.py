"""Every export read back: print map, HTML, PDF report, GeoPackage, CSV archive, workbook.

One Gusev analysis of the kindergarten service (plus one of every service for the report) is
shared by the module; each test opens a written file with an independent reader (Pillow,
``html.parser``, pypdf, pyogrio, ``zipfile`` + pandas, openpyxl) and checks what a user relies
on: sizes, layers, types, headers, the stamp, atomic failure.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
from PIL import Image

from planner.analysis import TownAnalysis, analyze_town
from planner.errors import PlannerError
from planner.exports import run as export_run
from planner.exports.data import GPKG_LAYERS, analysis_tables
from planner.exports.gpkg import STAMP_TABLE
from planner.exports.naming import safe_filename, sheet_name
from planner.exports.run import ExportFormat, ExportRequest, export_bytes, write_export
from planner.exports.selection import for_service
from planner.exports.stamp import ExportStamp, make_stamp
from planner.exports.workbook import workbook_tables
from planner.figures import service_figures
from planner.io import load_town
from planner.maps.style import STATUS_COLORS
from planner.norms import load_norms
from planner.paths import default_town_dir
from planner.presentation.words import fmt_number, fmt_share, service_label, t

pytestmark = pytest.mark.slow

DATE = dt.date(2026, 1, 31)
SERVICE = "kindergarten"


@pytest.fixture(scope="module")
def analysis() -> TownAnalysis:
    town = load_town(default_town_dir())
    return analyze_town(town, load_norms(town.meta.default_norms), services=[SERVICE])


@pytest.fixture(scope="module")
def stamp(analysis: TownAnalysis) -> ExportStamp:
    return make_stamp(analysis, date=DATE)


def _write(analysis, stamp, tmp_path: Path, fmt: str, **options) -> Path:
    request = ExportRequest(fmt, SERVICE, **options)  # type: ignore[arg-type]
    return write_export(analysis, request, stamp, tmp_path / f"out.{request.suffix}")


# ---------------------------------------------------------------------------------------------
# Stamp and names


def _copy_town(tmp_path: Path) -> Path:
    folder = tmp_path / "town"
    shutil.copytree(default_town_dir(), folder)
    return folder


def test_stamp_hashes_the_town_data_not_its_documentation(tmp_path: Path) -> None:
    folder = _copy_town(tmp_path)
    analysis = analyze_town(load_town(folder), load_norms("sp42_small_town"), services=["pharmacy"])
    before = make_stamp(analysis, date=DATE).town_hash
    assert len(before) == 64
    (folder / "README.md").write_text("edited documentation", encoding="utf-8")
    assert make_stamp(analysis, date=DATE).town_hash == before
    water = folder / "water.geojson"
    water.write_bytes(water.read_bytes() + b"\n")
    assert make_stamp(analysis, date=DATE).town_hash != before


def test_export_date_comes_from_source_date_epoch(analysis, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert make_stamp(analysis).date == dt.date(2026, 1, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(PlannerError, match="SOURCE_DATE_EPOCH"):
        make_stamp(analysis)


def test_names_are_portable() -> None:
    for hostile in ("../../etc/passwd", "a/b\\c", ".hidden", "CON", "x" * 300, "\x00\x1f"):
        name = safe_filename(hostile)
        assert "/" not in name
        assert "\\" not in name
        assert not name.startswith(".")
        assert 0 < len(name) <= 80
        assert name.lower() != "con"
    assert safe_filename("Гусев школы") == "Гусев-школы"
    used: set[str] = set()
    for _ in range(3):
        used.add(sheet_name("Перегруженные учреждения: очень длинное название [1]", used))
    assert len(used) == 3
    assert all(len(n) <= 31 and "[" not in n and ":" not in n for n in used)


# ---------------------------------------------------------------------------------------------
# Print map


@pytest.mark.parametrize(
    ("paper", "orientation", "size"),
    [("a4", "landscape", (3508, 2480)), ("a3", "portrait", (3508, 4961))],
)
def test_png_has_print_size_content_and_legend(
    analysis, stamp, tmp_path, paper, orientation, size
) -> None:
    path = _write(analysis, stamp, tmp_path, "png", paper=paper, orientation=orientation, lang="ru")
    image = Image.open(path).convert("RGB")
    assert image.size == size
    pixels = np.asarray(image, dtype=float)
    assert pixels.std() > 20  # not blank
    # The legend sits right of the map (landscape) or below it (portrait): its swatch of
    # blocks served within the norm is drawn there in the exact class colour.
    width, height = image.size
    panel = (
        pixels[:, int(width * 0.75) :]
        if orientation == "landscape"
        else pixels[int(height * 0.78) :]
    )
    green = np.array([int(STATUS_COLORS["within_norm"][i : i + 2], 16) for i in (1, 3, 5)])
    assert (np.abs(panel - green).sum(axis=2) < 6).sum() > 100


def test_svg_is_vector_and_self_contained(analysis, stamp, tmp_path) -> None:
    text = _write(analysis, stamp, tmp_path, "svg").read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml")
    assert "<svg" in text
    assert 'href="http' not in text  # namespaces are URIs, but nothing is linked or loaded
    assert "<image" not in text  # drawn as paths, not an embedded raster


# ---------------------------------------------------------------------------------------------
# HTML


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v or "" for k, v in attrs if k in ("src", "href")]


def test_html_is_one_file_without_external_references(analysis, stamp, tmp_path) -> None:
    path = _write(analysis, stamp, tmp_path, "html", lang="ru")
    page = path.read_text(encoding="utf-8")
    links = _Links()
    links.feed(page)
    assert [u for u in links.urls if not u.startswith(("#", "data:"))] == []
    assert "L.map(" in page  # Leaflet is inside
    assert "leaflet" in page.lower()
    assert stamp.town_hash[:12] in page
    assert DATE.isoformat() in page
    assert "Детский сад" in page


def test_html_is_reproducible(analysis, stamp) -> None:
    request = ExportRequest("html", SERVICE, "en")
    assert export_bytes(analysis, request, stamp) == export_bytes(analysis, request, stamp)


# ---------------------------------------------------------------------------------------------
# PDF report


def _pdf_text(path: Path) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_pdf_report_of_one_service(analysis, stamp, tmp_path, lang) -> None:
    path = _write(analysis, stamp, tmp_path, "pdf", lang=lang)
    assert path.read_bytes().startswith(b"%PDF")
    pages, text = _pdf_text(path)
    assert pages >= 3  # summary, the service, the annex
    flat = " ".join(text.split())
    figures = service_figures(analysis, SERVICE)
    assert fmt_share(figures.covered_network_share, lang).replace("\u00a0", " ") in flat.replace(
        "\u00a0", " "
    )
    assert fmt_number(figures.unmet_places, lang).replace("\u00a0", " ") in flat.replace(
        "\u00a0", " "
    )
    assert service_label(analysis.norms, SERVICE, lang) in flat
    assert stamp.town_hash in flat.replace(" ", "")  # the full hash in the annex
    if lang == "ru":
        assert "Приложение" in flat
        assert "Зоны дефицита" in flat
        assert "Детский сад" in flat


@pytest.mark.parametrize(
    ("lang", "unit", "wrong"),
    [("en", "m² of ground", "Places short"), ("ru", "м² площади", "Не хватает мест")],
)
def test_pdf_report_says_each_shortfall_in_its_own_unit(tmp_path, lang, unit, wrong) -> None:
    # A sports ground lacks square metres of ground, not places: the summary, the service page
    # and the gap list say so, and no heading calls them places.
    town = load_town(default_town_dir())
    ground = analyze_town(town, load_norms(town.meta.default_norms), services=["sports_ground"])
    request = ExportRequest("pdf", "sports_ground", lang=lang)
    path = write_export(ground, request, make_stamp(ground, date=DATE), tmp_path / "g.pdf")
    flat = " ".join(_pdf_text(path)[1].replace("\u00a0", " ").split())
    short = fmt_number(round(service_figures(ground, "sports_ground").unmet_places), lang)
    assert f"{short.replace(chr(0xA0), ' ')} {unit}" in flat
    assert wrong not in flat


def test_pdf_embeds_its_font(analysis, stamp, tmp_path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(_write(analysis, stamp, tmp_path, "pdf", lang="ru"))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is not None:
                fonts.add(bool(descriptor.get_object().get("/FontFile2")))
    assert fonts == {True}


# ---------------------------------------------------------------------------------------------
# GeoPackage, CSV, XLSX


def test_geopackage_layers_crs_types_and_stamp(analysis, stamp, tmp_path) -> None:
    path = _write(analysis, stamp, tmp_path, "gpkg")
    layers = {str(name) for name, _ in pyogrio.list_layers(path)}
    assert layers <= {*GPKG_LAYERS, STAMP_TABLE}
    assert {"residential_coverage", STAMP_TABLE} <= layers
    info = pyogrio.read_info(path, layer="residential_coverage")
    assert info["crs"] == "EPSG:32634"
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["within_limit"] == "bool"
    assert types["distance_m"] == "float64"
    facilities = pyogrio.read_info(path, layer="facilities")
    assert dict(zip(facilities["fields"], facilities["dtypes"], strict=True))["is_full"] == "bool"
    frame = pyogrio.read_dataframe(path, layer="residential_coverage")
    assert set(frame["service"]) == {SERVICE}
    text = frame.drop(columns="geometry").select_dtypes(include=["object", "str"]).astype(str)
    assert not text.isin(["nan", "inf", "-inf", "None"]).any().any()
    rows = dict(pyogrio.read_dataframe(path, layer=STAMP_TABLE)[["key", "value"]].to_numpy())
    assert rows["town_data_sha256"] == stamp.town_hash
    assert rows["date"] == DATE.isoformat()


def test_csv_archive_round_trips(analysis, stamp, tmp_path) -> None:
    path = _write(analysis, stamp, tmp_path, "csv")
    expected = analysis_tables(for_service(analysis, SERVICE))
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {f"{n}.csv" for n in expected} | {"stamp.csv"}
        raw = archive.read("coverage.csv")
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads Cyrillic
        back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
        stamp_rows = pd.read_csv(io.BytesIO(archive.read("stamp.csv")), encoding="utf-8-sig")
    table = expected["coverage"]
    assert list(back.columns) == list(table.columns)
    for column in ("population", "demand", "served_within", "lon", "lat"):
        np.testing.assert_allclose(back[column], table[column].astype(float), rtol=1e-9)
    assert "inf" not in raw.decode("utf-8-sig")
    assert dict(stamp_rows.to_numpy())["town_data_sha256"] == stamp.town_hash


def test_workbook_round_trips_with_headers_frozen_and_formats(analysis, stamp, tmp_path) -> None:
    import openpyxl

    path = _write(analysis, stamp, tmp_path, "xlsx", lang="ru")
    book = openpyxl.load_workbook(path)
    expected = workbook_tables(for_service(analysis, SERVICE), SERVICE, "ru", stamp)
    assert len(book.sheetnames) == len(expected)
    for sheet, (title, table) in zip(book.worksheets, expected, strict=True):
        assert sheet.title == sheet_name(title)
        assert sheet.freeze_panes == "A2"
        headers = [c.value for c in sheet[1] if c.value is not None]
        assert headers == [str(c) for c in table.columns]
        for row_index, record in enumerate(table.itertuples(index=False), start=2):
            for col_index, value in enumerate(record, start=1):
                cell = sheet.cell(row_index, col_index).value
                if isinstance(value, int | float | np.number) and np.isfinite(value):
                    assert cell == pytest.approx(float(value))
                elif isinstance(value, str) and value:
                    assert cell == value
    services = book[sheet_name(t("xlsx.services", "ru"))]
    header = [c.value for c in services[1]]
    share = services.cell(2, header.index(t("col.covered_network", "ru")) + 1)
    assert share.number_format == "0.0%"
    assert services.cell(2, header.index(t("col.service", "ru")) + 1).value == "Детский сад"


def test_exports_are_byte_identical_for_the_same_stamp(analysis, stamp) -> None:
    formats: tuple[ExportFormat, ...] = ("gpkg", "csv", "xlsx", "pdf")
    for fmt in formats:
        request = ExportRequest(fmt, SERVICE, "en")
        assert export_bytes(analysis, request, stamp) == export_bytes(analysis, request, stamp), fmt


# ---------------------------------------------------------------------------------------------
# Failure


def test_wrong_suffix_is_refused_before_writing(analysis, stamp, tmp_path) -> None:
    target = tmp_path / "map.pdf"
    with pytest.raises(PlannerError, match=r"\.png"):
        write_export(analysis, ExportRequest("png", SERVICE), stamp, target)
    assert not target.exists()


def test_full_disk_keeps_the_earlier_file_and_leaves_no_partial(
    analysis, stamp, tmp_path, monkeypatch
) -> None:
    target = _write(analysis, stamp, tmp_path, "csv")
    good = target.read_bytes()

    def fill_disk(analysis, request, stamp, path, progress, comparison) -> None:
        path.write_bytes(b"PK half an archive")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_run, "_write", fill_disk)
    with pytest.raises(PlannerError, match="space"):
        write_export(analysis, ExportRequest("csv", SERVICE), stamp, target)
    assert target.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.zip"]
