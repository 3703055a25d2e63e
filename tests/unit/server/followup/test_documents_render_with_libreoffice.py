"""Issue 17 point 6: the documents as they print. Each export is rendered by LibreOffice headless
(Debian's libreoffice-writer-nogui / -calc-nogui, installed by ``make system-deps``) to PDF, and the
PDF is read back with poppler's pdftotext: page count, the footer's page numbers (odd pages right,
even pages left), the GB/T 9704 elements of the report, the agenda and the plan, and that every cell
of the ledger and the assessment appears whole (nothing clipped, the header on every page)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from server.assessment.table import assessment
from server.assessment.xlsx import COLUMNS as ASSESSMENT_COLUMNS
from server.assessment.xlsx import render_assessment
from server.followup.exports import data, numbering
from server.followup.exports.agenda_docx import render_agenda
from server.followup.exports.ledger_xlsx import COLUMNS as LEDGER_COLUMNS
from server.followup.exports.ledger_xlsx import render_ledger
from server.followup.exports.official_docx import CHARS_PER_LINE, LINE_PT, LINES_PER_PAGE
from server.followup.exports.report_docx import render_report
from server.plans.exports import render_plan_docx
from server.plans.service import visible_plan_export
from server.platform.xlsx import LINE_PT as ROW_LINE_PT
from server.platform.xlsx import wrapped_lines
from sync.calendar import WorkCalendar
from tests.builders import (
    Device,
    assign,
    build_world,
    followup,
    held_interview,
    open_db,
    plan,
    raise_issue,
    submit_report,
)

ORGAN = "西北能化公司人力资源部（党群部）"
LONG = ("循环泵机械密封频繁泄漏，班组每周停机更换密封件两到三次，影响连续生产，职工反映备件采购周期过长，"
        "维修记录填写重复，希望简化流程并建立常用备件的安全库存")


def _render(tmp: Path, files: dict[str, bytes]) -> dict[str, Path]:
    """All files through one LibreOffice run (its own profile directory): name → PDF."""
    for tool in ("soffice", "pdftotext"):
        if shutil.which(tool) is None:  # never skipped: `make test` installs them first
            pytest.fail(f"{tool} missing: the Makefile's system-deps installs libreoffice-*-nogui and poppler-utils")
    for name, content in files.items():
        (tmp / name).write_bytes(content)
    profile = tmp / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp), *[str(tmp / n) for n in files]],
                   check=True, capture_output=True, timeout=180)
    out = {name: tmp / (Path(name).stem + ".pdf") for name in files}
    assert all(p.is_file() for p in out.values()), list(tmp.iterdir())
    return out


def _pages(pdf: Path) -> list[dict]:
    """Per page: width, and its words with their boxes (pdftotext -bbox)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml).replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    pages = []
    for page in root.iter("page"):
        words = [(w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))) for w in page.iter("word")]
        pages.append({"width": float(page.get("width")), "height": float(page.get("height")), "words": words})
    return pages


def _text(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def _squash(s: str) -> str:
    """Without white space and without the page numbers (``— 2 —``) a page break puts in between."""
    return re.sub(r"—\d+—", "", re.sub(r"\s+", "", s))


def _check_page_numbers(pages: list[dict]) -> None:
    """``— n —`` at the foot of every page: odd pages on the right, even pages on the left."""
    for n, page in enumerate(pages, 1):
        foot = [w for w in page["words"] if w[2] > page["height"] * 0.85]
        number = [w for w in foot if w[0] == str(n)]
        assert number, (n, foot)
        dashes = [w for w in foot if w[0] == "—"]
        assert len(dashes) == 2, (n, foot)
        x = number[0][1]
        assert (x > page["width"] / 2) if n % 2 else (x < page["width"] / 2), (n, x, page["width"])


def _segments(page: dict) -> list[tuple]:
    """The page's words joined into runs of one cell line: same baseline, gap narrower than a space
    (about a quarter of the text height; neighbouring cells are further apart)."""
    out: list[list] = []
    for w in sorted(page["words"], key=lambda w: (round(w[2]), w[1])):
        last = out[-1] if out else None
        if last and abs(last[2] - w[2]) < 0.5 and w[1] - last[3] < 0.3 * (w[4] - w[2]):
            last[0] += w[0]
            last[3] = w[3]
        else:
            out.append(list(w))
    return [tuple(s) for s in out]


def _streams(page: dict) -> list[str]:
    """The page's text read column by column: cell lines grouped by left edge, centre or right edge
    (a cell's wrapped lines share one of them), each group top to bottom."""
    out = []
    segments = _segments(page)
    for key in (lambda w: round(w[1]), lambda w: round((w[1] + w[3]) / 2), lambda w: round(w[3])):
        groups = defaultdict(list)
        for w in segments:
            groups[key(w)].append(w)
        out += ["".join(w[0] for w in sorted(g, key=lambda w: w[2])) for g in groups.values()]
    return out


def _check_cells_whole(pages: list[dict], ws, first_row: int) -> None:
    """Every cell's text appears whole in the PDF, and each row is high enough for its wrapped text
    in the .xlsx itself (Excel does not grow rows of a written file)."""
    streams = [s for p in pages for s in _streams(p)]
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value in (None, ""):
                continue
            value = cell.value.date().isoformat() if isinstance(cell.value, dt.datetime) else str(cell.value)
            if isinstance(cell.value, float) and cell.number_format == "0.0%":
                value = f"{cell.value * 100:.1f}%"
            want = _squash(value)
            assert any(want in s for s in streams), (cell.coordinate, value)
            if cell.alignment.wrap_text and ws.row_dimensions[cell.row].height:
                span = next((r for r in ws.merged_cells.ranges if r.min_row == cell.row and r.min_col == cell.column),
                            None)
                columns = range(cell.column, (span.max_col if span else cell.column) + 1)
                width = sum(ws.column_dimensions[get_column_letter(c)].width for c in columns)
                assert ws.row_dimensions[cell.row].height >= wrapped_lines(value, width) * ROW_LINE_PT, cell.coordinate


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory):
    """A report of several pages, an agenda with decided items only, a 20-row ledger,
    the assessment and the year's plan — rendered once for the module (one LibreOffice run)."""
    tmp_path = tmp_path_factory.mktemp("libreoffice")
    world = build_world(open_db(tmp_path / "server.db"))
    devices: dict[str, Device] = {}

    def dev(user_id: str) -> Device:
        return devices.setdefault(user_id, Device(world, user_id))

    iid = held_interview(dev)
    for k in range(9):
        raise_issue(dev, iid, description=f"第{k + 1}个问题：{LONG}", solution="改用机械密封，建立备件安全库存，按月复盘",
                    category=("business", "management", "demand", "suggestion")[k % 4])
    dev("u-cadre1").push_one("report.save", {"interview_id": iid, "summary": LONG * 2})
    assert submit_report(dev, iid).status == "applied"
    agenda_issue = raise_issue(dev, iid, description="锅炉改造需要资金")
    followup(dev("u-hr"), agenda_issue, "escalate", text="涉及资金 80 万元")
    followup(dev("u-leader"), agenda_issue, "decide", text="同意立项，分两年实施")
    iv2 = held_interview(dev, "u-cadre2", day="2025-10-16")
    for k in range(20):
        issue = raise_issue(dev, iv2, cadre="u-cadre2", description=f"台账问题{k + 1}：{LONG[: 20 + 4 * k]}")
        if k % 3 == 0:
            assign(dev, issue, due="2025-11-10")
    for q in (1, 2, 3, 4):
        plan(dev, quarter=q, title=f"第{q}季度走访一车间")
    db = world.db
    today = dt.date(2025, 11, 24)
    with db.atomic():
        number = numbering.assign(db, f"report:{iid}", 2025, "人资", "2025-11-24T02:00:00+00:00")
        agenda_number = numbering.assign(db, "agenda:2025-11-24", 2025, "人资", "2025-11-24T02:00:00+00:00")
    report = render_report(data.report_data(db, iid, world.actor("u-hr")), organ=ORGAN, number=number)
    agenda = render_agenda(data.agenda_rows(db, world.actor("u-hr")), data.unit_names(db), today, organ=ORGAN,
                           number=agenda_number)
    ledger = render_ledger(data.ledger_rows(db, world.actor("u-hr")), data.unit_names(db), data.user_names(db),
                           today, WorkCalendar.from_db(db))
    assessment_xlsx = render_assessment(assessment(db, year=2025, quarter=4, k=3, today=today))
    plan_docx = render_plan_docx(visible_plan_export(db, world.actor("u-hr"), year=2025, scope=None), today,
                                 organ=ORGAN, number="人资〔2025〕3号")
    files = {"report.docx": report, "agenda.docx": agenda, "ledger.xlsx": ledger,
             "assessment.xlsx": assessment_xlsx, "plan.docx": plan_docx}
    yield files, _render(tmp_path, files), tmp_path
    db.close()


def test_the_report_prints_as_an_official_document(documents) -> None:
    _, pdfs, _ = documents
    pages, text = _pages(pdfs["report.docx"]), _text(pdfs["report.docx"])
    assert len(pages) >= 4, len(pages)
    _check_page_numbers(pages)
    first = _squash(text[0])
    # 版头, 发文字号, title, 主送 — in that order on page 1.
    assert first.index(_squash(ORGAN)) < first.index("人资〔2025〕1号") < first.index("访谈情况报告") < first.index("公司领导：")
    # 落款: the organ, then the day the report was submitted (the builders push at 2025-11-03 09:00 CST).
    assert _squash("".join(text)).endswith("访谈干部：张干部" + _squash(ORGAN) + "2025年11月3日")
    assert not re.search(r"\d{4}-\d{2}-\d{2}", "".join(text))  # every date in Chinese
    # 28 characters a line: the summary's full lines (not the first, indented two characters).
    lines = [ln.strip() for ln in "\n".join(text).splitlines()]
    full = [ln for ln in lines if ln and _squash(ln) in _squash(LONG * 2) and len(_squash(ln)) >= 20]
    assert full and max(len(_squash(ln)) for ln in full) == CHARS_PER_LINE, full
    # 22 lines a page: a full page's lines are one 28.95 pt pitch apart, and 22 of them fit the text
    # block (a page may end a line early to keep a paragraph's last two lines together).
    for page in pages[1:-1]:
        ys = sorted({round(w[4], 1) for w in page["words"] if w[2] < page["height"] * 0.85})
        pitches = {round(b - a) for a, b in zip(ys, ys[1:], strict=False)}
        assert pitches == {29}, pitches
        assert len(ys) in (LINES_PER_PAGE - 1, LINES_PER_PAGE), len(ys)
    assert LINES_PER_PAGE * LINE_PT / 72 * 25.4 <= 225 < (LINES_PER_PAGE + 1) * LINE_PT / 72 * 25.4


def test_the_red_masthead_and_separator(documents) -> None:
    files, _, _ = documents
    import io

    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(files["report.docx"]))
    organ = doc.paragraphs[0]
    assert organ.text == ORGAN and str(organ.runs[0].font.color.rgb) == "FF0000"
    number = next(p for p in doc.paragraphs if p.text == "人资〔2025〕1号")
    border = number._element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == "FF0000"
    assert doc.settings.odd_and_even_pages_header_footer
    assert "PAGE" in "".join(t.text for t in doc.sections[0].footer._element.iter(qn("w:instrText")))
    assert "PAGE" in "".join(t.text for t in doc.sections[0].even_page_footer._element.iter(qn("w:instrText")))


def test_the_agenda_numbers_what_is_present_and_is_signed(documents) -> None:
    _, pdfs, _ = documents
    pages, text = _pages(pdfs["agenda.docx"]), _squash("".join(_text(pdfs["agenda.docx"])))
    _check_page_numbers(pages)
    assert "一、已决定事项" in text and "二、" not in text and "待研究议题" not in text
    assert text.index(_squash(ORGAN)) < text.index("人资〔2025〕2号") < text.index("经理层会议议题") < text.index("公司经理层：")
    assert "会议决定（2025年" in text
    assert text.endswith(_squash(ORGAN) + "2025年11月24日")


def test_the_plan_prints_with_masthead_table_and_page_numbers(documents) -> None:
    _, pdfs, _ = documents
    pages, text = _pages(pdfs["plan.docx"]), _squash("".join(_text(pdfs["plan.docx"])))
    _check_page_numbers(pages)
    assert text.index("人资〔2025〕3号") < text.index("2025年度干部访谈计划") < text.index("各单位、各访谈干部：")
    streams = [s for p in pages for s in _streams(p)]
    for q in (1, 2, 3, 4):  # each table cell whole
        assert any(f"第{q}季度走访一车间" in s for s in streams), q
    assert text.endswith("2025年11月24日")


def test_the_ledger_prints_one_page_wide_with_its_header_on_every_page(documents) -> None:
    files, pdfs, tmp = documents
    pages, text = _pages(pdfs["ledger.xlsx"]), _text(pdfs["ledger.xlsx"])
    assert len(pages) >= 2, len(pages)
    assert "问题整改台账" in text[0]
    for page in text:  # print titles: the header row on every page, all columns (one page wide)
        squashed = _squash(page)
        assert all(c in squashed for c in LEDGER_COLUMNS), page[:200]
    assert all(p["width"] > p["height"] for p in pages)  # landscape
    ws = load_workbook(tmp / "ledger.xlsx").active
    assert ws.print_title_rows.replace("$", "") == "2:2" and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    _check_cells_whole(pages, ws, first_row=3)


def test_the_assessment_sheet_prints_whole_and_its_parts_add_up(documents) -> None:
    files, pdfs, tmp = documents
    pages = _pages(pdfs["assessment.xlsx"])
    ws = load_workbook(tmp / "assessment.xlsx").active
    headers = [c.value for c in ws[3]]
    assert headers == list(ASSESSMENT_COLUMNS) and headers.count("未到期") == 2
    _check_cells_whole(pages, ws, first_row=2)  # the two-level header and every row, whole
    col = {name: i for i, name in enumerate(headers)}
    plan_at, report_at = col["计划数"], col["应交"]
    for row in ws.iter_rows(min_row=4, values_only=True):
        if not isinstance(row[plan_at], int):
            break
        assert row[plan_at] == sum(row[plan_at + 1: plan_at + 5])  # 按时 + 逾期完成 + 未完成 + 未到期
        assert row[report_at] == sum(row[report_at + 1: report_at + 5])  # 按时 + 逾期提交 + 逾期未交 + 未到期
